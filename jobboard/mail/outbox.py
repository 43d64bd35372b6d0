"""The write side of mail: render a message into the outbox, hand it to the worker after commit."""
import logging
from email.utils import make_msgid, parseaddr

from flask import current_app, render_template

from jobboard.extensions import db
from jobboard.links import absolute_url
from jobboard.mail import delivery
from jobboard.models import MailOutbox

log = logging.getLogger(__name__)


def queue(kind: str, to: str, subject: str, template: str, *,
          unsubscribe_token: str | None = None, **context) -> MailOutbox:
    """Render `mail/<template>.txt` and `.html` into an outbox row in the caller's transaction.

    With an unsubscribe token the message is a notification: it carries List-Unsubscribe
    (one click, RFC 8058) and links to the unsubscribe and preferences pages.
    """
    headers: dict[str, str] = {
        "Message-ID": make_msgid(domain=_sender_domain()),  # kept across retries
        "Auto-Submitted": "auto-generated",
    }
    context.update(subject=subject, site_url=absolute_url("jobs.home"),
                   preferences_url=absolute_url("auth.settings"), unsubscribe_url=None)
    if unsubscribe_token:
        url = absolute_url("auth.unsubscribe", token=unsubscribe_token)
        context["unsubscribe_url"] = url
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    row = MailOutbox(kind=kind, to_addr=to, subject=subject, headers=headers,
                     text_body=render_template(f"mail/{template}.txt", **context),
                     html_body=render_template(f"mail/{template}.html", **context))
    db.session.add(row)
    return row


def _sender_domain() -> str:
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "localhost"


def kick() -> None:
    """After a commit: ask the worker to deliver now rather than at its next sweep.

    A failure to reach the task queue never fails the user's action: the rows wait in the
    outbox for the worker's periodic sweep or `flask mail send`.
    """
    try:
        delivery.deliver_mail()
    except Exception as e:  # the queue's storage (SQLite file or Redis) may be unreachable
        log.warning("could not hand mail to the worker; it waits for the next sweep: %s", e)
