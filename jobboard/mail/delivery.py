"""The send side of mail: claim outbox rows, hand them to SMTP, retry with backoff."""
import logging
import secrets
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import DBAPIError

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.mail import transport
from jobboard.models import MailOutbox
from jobboard.queue import huey, in_app_context

log = logging.getLogger(__name__)
# A claim is one message's, for as long as sending one may take (connecting and each SMTP
# step are bounded by MAIL_TIMEOUT); a worker that dies mid-send delays that one message by
# at most this much, and no other.
LEASE = timedelta(minutes=1)
MAX_BACKOFF = timedelta(minutes=30)
MAX_ATTEMPTS = 10  # a message that failed this often for its own reasons is given up
# A message the relay accepted is recorded as sent even if the database is away for a moment
# (restarted, failed over): the mark is retried this long, well within LEASE, so no other
# worker takes the message again and sends it twice.
MARK_RETRIES = (0.2, 0.5, 1, 2, 4, 8, 15)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0  # will be retried
    rejected: int = 0  # given up for good (refused by the server, or cannot be built)
    error: str | None = None


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=15 * 2 ** min(attempts, 10)), MAX_BACKOFF)


def _pending(now: datetime, ignore_backoff: bool, after: int = 0):
    where = [MailOutbox.sent_at.is_(None), MailOutbox.failed_at.is_(None),
             or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now)]
    if not ignore_backoff:
        where.append(MailOutbox.next_attempt_at <= now)
    if after:
        where.append(MailOutbox.id > after)
    return where


def claim(limit: int, now: datetime, ignore_backoff: bool = False,
          after: int = 0) -> list[MailOutbox]:
    """Take up to `limit` rows for this worker alone, oldest first (those after id `after`).

    The conditional UPDATE is what makes a claim exclusive on every database: a row another
    worker claimed first no longer matches. On PostgreSQL the candidates are also read with
    SKIP LOCKED, so workers do not queue behind each other's rows.
    """
    candidates = select(MailOutbox.id).where(*_pending(now, ignore_backoff, after)) \
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


def _record(row: MailOutbox, error: Exception, now: datetime, *, give_up: bool) -> None:
    """What went wrong with this row, on the row: retried after a backoff, or given up."""
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if give_up:
        row.failed_at = now
    else:
        row.next_attempt_at = now + _backoff(row.attempts)
    row.claim_token = row.claimed_until = None
    db.session.commit()


def _own_failure(row: MailOutbox, error: Exception, now: datetime, result: DeliveryResult,
                 permanent: bool) -> None:
    give_up = permanent or row.attempts + 1 >= MAX_ATTEMPTS
    _record(row, error, now, give_up=give_up)
    if give_up:
        result.rejected += 1
    else:
        result.failed += 1


def _due(now: datetime, ignore_backoff: bool, after: int) -> int:
    return db.session.scalar(
        select(func.count()).where(*_pending(now, ignore_backoff, after))) or 0


def deliver(max_rows: int | None = None, ignore_backoff: bool = False) -> DeliveryResult:
    """Send what is due, one claimed message at a time, over one SMTP connection.

    Each message is claimed just before it is sent and marked just after, so a worker that
    dies mid-send leaves one message for at most LEASE, and re-sends at most that one. A
    message that fails for its own reasons (it cannot be built, the server refuses it) has
    that recorded on its row and never holds back the others; only a failure of the server
    as a whole (unreachable, disconnected) stops the run, and every due message waits.
    """
    result = DeliveryResult()
    cfg = current_app.config
    tried, last = 0, 0  # rows are taken in id order: each run tries a row once
    smtp: smtplib.SMTP | None = None
    try:
        while max_rows is None or tried < max_rows:
            now = utcnow()
            rows = claim(1, now, ignore_backoff, after=last)
            if not rows:
                break
            row = rows[0]
            tried, last, token = tried + 1, row.id, row.claim_token
            try:
                message = transport.build_message(row, cfg["MAIL_FROM"])
            except Exception as e:  # what the row holds can never be sent: give it up alone
                log.error("mail %s cannot be built and is given up: %r", row.id, e)
                _record(row, e, now, give_up=True)
                result.rejected += 1
                continue
            try:
                smtp = smtp or transport.connect(transport.parse_mail_url(cfg["MAIL_URL"]),
                                                 cfg["MAIL_TIMEOUT"])
                smtp.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError) as e:
                code = getattr(e, "smtp_code", None) or _first_code(e)
                # refused for good (5xx): do not hammer the relay
                _own_failure(row, e, now, result, permanent=bool(code and 500 <= code < 600))
                continue
            except (*transport.TRANSIENT, transport.MailNotConfigured) as e:
                _record(row, e, now, give_up=False)  # not this message's fault: never given up
                waiting = 1 + _due(now, ignore_backoff, last)
                result.failed += waiting
                result.error = str(e)
                log.warning("mail server unavailable, %d messages wait: %s", waiting, e)
                if smtp is not None:
                    smtp.close()
                    smtp = None
                break
            except Exception as e:  # anything else is this message's alone
                log.exception("mail %s failed", row.id)
                _own_failure(row, e, now, result, permanent=False)
                continue
            if not _mark_sent(row.id, token):
                result.error = "the database is unavailable"
                break
            result.sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except transport.TRANSIENT:
                smtp.close()
    return result


def _mark_sent(row_id: int, token: str) -> bool:
    """Record that the relay accepted this message, retrying while the database is away.

    SMTP cannot be asked later whether it took a message, so this record is what stands
    between one delivery and two: given up only after MARK_RETRIES (the message is then
    sent again after its lease, with the same Message-ID, which mailboxes use to drop the
    copy)."""
    mark = (update(MailOutbox).where(MailOutbox.id == row_id, MailOutbox.claim_token == token)
            .values(sent_at=utcnow(), last_error=None, claim_token=None, claimed_until=None)
            .execution_options(synchronize_session=False))
    for wait in (*MARK_RETRIES, None):
        try:
            db.session.execute(mark)
            db.session.commit()
            return True
        except DBAPIError as e:
            db.session.rollback()
            if wait is None:
                log.error("mail %s was sent but cannot be recorded (%s); it will be sent again "
                          "after its lease", row_id, type(e).__name__)
                return False
            log.warning("mail %s was sent; recording it failed (%s), retrying in %s s",
                        row_id, type(e).__name__, wait)
            time.sleep(wait)
    return False


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


@huey.task(name="mail.deliver")
@in_app_context
def deliver_mail() -> dict:
    """The worker's side of `outbox.kick`: deliver what is due now."""
    return vars(deliver())
