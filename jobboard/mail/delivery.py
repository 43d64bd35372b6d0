"""The send side of mail: claim outbox rows, hand them to SMTP, retry with backoff."""
import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.mail import transport
from jobboard.models import MailOutbox

log = logging.getLogger(__name__)
BATCH = 50
LEASE = timedelta(minutes=10)  # a claim a crashed worker left behind is taken again after this
MAX_BACKOFF = timedelta(minutes=30)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0  # will be retried
    rejected: int = 0  # refused for good by the server (bad address)
    error: str | None = None


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=15 * 2 ** min(attempts, 10)), MAX_BACKOFF)


def _pending(now: datetime, ignore_backoff: bool):
    where = [MailOutbox.sent_at.is_(None), MailOutbox.failed_at.is_(None),
             or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now)]
    if not ignore_backoff:
        where.append(MailOutbox.next_attempt_at <= now)
    return where


def claim(limit: int, now: datetime, ignore_backoff: bool = False) -> list[MailOutbox]:
    """Take up to `limit` rows for this worker alone.

    The conditional UPDATE is what makes a claim exclusive on every database: a row another
    worker claimed first no longer matches. On PostgreSQL the candidates are also read with
    SKIP LOCKED, so workers do not queue behind each other's rows.
    """
    candidates = select(MailOutbox.id).where(*_pending(now, ignore_backoff)) \
        .order_by(MailOutbox.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(candidates))
    if not ids:
        db.session.commit()
        return []
    token = secrets.token_hex(8)
    db.session.execute(
        update(MailOutbox).where(MailOutbox.id.in_(ids), *_pending(now, ignore_backoff))
        .values(claim_token=token, claimed_until=now + LEASE)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(
        select(MailOutbox).where(MailOutbox.claim_token == token, MailOutbox.sent_at.is_(None))
        .order_by(MailOutbox.id)))


def _release(rows: list[MailOutbox], error: Exception, now: datetime) -> None:
    for row in rows:
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.next_attempt_at = now + _backoff(row.attempts)
        row.claim_token = row.claimed_until = None
    db.session.commit()


def deliver(max_rows: int | None = None, ignore_backoff: bool = False) -> DeliveryResult:
    """Send what is due, batch by batch, over one SMTP connection per batch."""
    result = DeliveryResult()
    cfg = current_app.config
    while max_rows is None or result.sent + result.failed + result.rejected < max_rows:
        now = utcnow()
        rows = claim(BATCH, now, ignore_backoff)
        if not rows:
            break
        try:
            smtp = transport.connect(transport.parse_mail_url(cfg["MAIL_URL"]),
                                     cfg["MAIL_TIMEOUT"])
        except (*transport.TRANSIENT, transport.MailNotConfigured) as e:
            _release(rows, e, now)
            result.failed += len(rows)
            result.error = str(e)
            log.warning("mail server unavailable, %d messages wait: %s", len(rows), e)
            break
        try:
            for i, row in enumerate(rows):
                try:
                    smtp.send_message(transport.build_message(row, cfg["MAIL_FROM"]))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                        smtplib.SMTPDataError) as e:
                    code = getattr(e, "smtp_code", None) or _first_code(e)
                    if code and 500 <= code < 600:  # refused for good: do not hammer the relay
                        row.failed_at, row.last_error = utcnow(), f"{type(e).__name__}: {e}"[:2000]
                        row.claim_token = row.claimed_until = None
                        db.session.commit()
                        result.rejected += 1
                        continue
                    raise
                except transport.TRANSIENT as e:
                    _release(rows[i:], e, now)
                    result.failed += len(rows) - i
                    result.error = str(e)
                    log.warning("mail delivery interrupted, %d messages wait: %s",
                                len(rows) - i, e)
                    return result
                # Marked one by one: a crash mid-batch re-sends at most the message in flight.
                row.sent_at, row.last_error = utcnow(), None
                row.claim_token = row.claimed_until = None
                db.session.commit()
                result.sent += 1
        finally:
            try:
                smtp.quit()
            except transport.TRANSIENT:
                smtp.close()
    return result


def _first_code(error: Exception) -> int | None:
    refused = getattr(error, "recipients", None) or {}
    for code, _ in refused.values():
        return code
    return None


def status(now: datetime | None = None) -> dict:
    """For /healthz: how much mail waits and how long the oldest has waited."""
    now = now or utcnow()
    waiting = [MailOutbox.sent_at.is_(None), MailOutbox.failed_at.is_(None)]
    count, oldest = db.session.execute(
        select(func.count(), func.min(MailOutbox.created_at)).where(*waiting)).one()
    failed = db.session.scalar(select(func.count()).where(MailOutbox.failed_at.is_not(None)))
    return {"pending": count,
            "oldest_pending_seconds": int((now - oldest).total_seconds()) if oldest else 0,
            "rejected": failed or 0}


def prune(now: datetime | None = None) -> int:
    """Delete mail sent or refused more than MAIL_KEEP_DAYS ago (the daily chore); mail still
    waiting is never deleted. Returns how many rows went."""
    before = (now or utcnow()) - timedelta(days=current_app.config["MAIL_KEEP_DAYS"])
    gone = sum(db.session.execute(delete(MailOutbox).where(ended < before)).rowcount
               for ended in (MailOutbox.sent_at, MailOutbox.failed_at))
    db.session.commit()
    return gone
