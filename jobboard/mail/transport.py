"""SMTP with the standard library: MAIL_URL in, a connected smtplib client out."""
import smtplib
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit

from jobboard.models import MailOutbox

# Failures of the connection or the server as a whole: the message is retried later.
TRANSIENT = (OSError, smtplib.SMTPException)


class MailNotConfigured(RuntimeError):
    pass


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    ssl: bool = False
    starttls: bool = False


def parse_mail_url(url: str | None) -> SmtpSettings:
    if not url:
        raise MailNotConfigured("MAIL_URL is not set: set it to your SMTP relay, "
                                "e.g. smtp://user:pass@smtp.example.org:587?starttls=1")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailNotConfigured(f"MAIL_URL must look like smtp://host:port or smtps://host:port, "
                                f"not {parts.scheme}://…")
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname, port=parts.port or (465 if ssl else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None, ssl=ssl,
        starttls=query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes"))


def connect(settings: SmtpSettings, timeout: float) -> smtplib.SMTP:
    cls = smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP
    smtp = cls(settings.host, settings.port, timeout=timeout)
    try:
        if settings.starttls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def one_line(value: str) -> str:
    """A header value on one line: line breaks and other control characters become spaces.
    Input refuses them in titles and names (jobboard/textrules.py); this keeps a row stored
    before that, or any text that slips through, from adding headers or failing the send."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in value).split())


def build_message(row: MailOutbox, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row.to_addr
    msg["Subject"] = one_line(row.subject)
    msg["Date"] = formatdate(row.created_at.timestamp())
    for name, value in (row.headers or {}).items():
        msg[name] = one_line(value)
    msg.set_content(row.text_body)
    msg.add_alternative(row.html_body, subtype="html")
    return msg
