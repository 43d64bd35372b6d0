"""Delivery is per message: one message's trouble never holds back the others, and a worker
that dies mid-batch delays and repeats at most the message in flight."""
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.mail import delivery, outbox
from jobboard.models import MailOutbox
from tests import factories as make


def row(subject: str = "Hello", **headers) -> MailOutbox:
    made = MailOutbox(kind="test", to_addr="someone@example.org", subject=subject,
                      headers=headers, text_body="Text", html_body="<p>Text</p>")
    db.session.add(made)
    db.session.commit()
    return made


@pytest.fixture
def held(ctx, mailbox):
    """Rows written straight to the outbox wait there (nothing kicks the worker) until the
    test delivers them."""
    return ctx


def test_a_title_with_a_line_break_stored_before_the_fix_is_sent_on_one_line(held, mailbox):
    row("Invitation: Poison\r\nBcc: x@evil.example")
    assert delivery.deliver().sent == 1
    [mail] = mailbox.messages()
    assert mail["Subject"] == "Invitation: Poison Bcc: x@evil.example"
    assert mail["Bcc"] is None


def test_a_message_that_cannot_be_built_is_given_up_alone_and_the_reset_behind_it_goes(
        held, mailbox):
    broken = row("Broken", **{"Message-ID": "<<not a message id"})  # the email package raises
    coder = make.coder()
    outbox.queue("reset_password", coder.email, "Reset your CodeBoard password",
                 "reset_password", recipient=coder, reset_url="http://jobs.test/reset/x")
    db.session.commit()  # queued after the broken one
    result = delivery.deliver()
    assert (result.sent, result.rejected, result.failed) == (1, 1, 0)
    assert [m["Subject"] for m in mailbox.messages()] == ["Reset your CodeBoard password"]
    broken = db.session.get(MailOutbox, broken.id)
    assert broken.failed_at is not None and broken.attempts == 1
    assert broken.last_error.startswith("IndexError")
    assert broken.claim_token is None
    assert delivery.deliver(ignore_backoff=True).sent == 0  # given up: not tried again


def test_a_message_the_server_refuses_for_now_is_retried_later_without_stopping_the_rest(
        held, mailbox, monkeypatch):
    first, second = row("First"), row("Second")
    send = smtplib.SMTP.send_message

    def refuse_first(self, msg, *args, **kwargs):
        if msg["Subject"] == "First":
            raise smtplib.SMTPRecipientsRefused({"someone@example.org": (451, b"try later")})
        return send(self, msg, *args, **kwargs)
    monkeypatch.setattr(smtplib.SMTP, "send_message", refuse_first)
    result = delivery.deliver()
    assert (result.sent, result.failed) == (1, 1)
    first = db.session.get(MailOutbox, first.id)
    assert first.failed_at is None and first.attempts == 1 and first.next_attempt_at > utcnow()
    assert db.session.get(MailOutbox, second.id).sent_at is not None
    monkeypatch.setattr(smtplib.SMTP, "send_message", send)
    assert delivery.deliver(ignore_backoff=True).sent == 1
    assert sorted(m["Subject"] for m in mailbox.messages()) == ["First", "Second"]


class Killed(BaseException):
    """Stands for the worker's process dying: nothing below catches it."""


def test_a_worker_dying_mid_batch_delays_one_message_by_one_lease_and_repeats_none(
        held, mailbox, monkeypatch):
    for i in range(10):
        row(f"Message {i}")
    send, calls = smtplib.SMTP.send_message, []

    def die_at_the_fourth(self, msg, *args, **kwargs):
        calls.append(msg["Subject"])
        if len(calls) == 4:
            raise Killed
        return send(self, msg, *args, **kwargs)
    monkeypatch.setattr(smtplib.SMTP, "send_message", die_at_the_fourth)
    with pytest.raises(Killed):
        delivery.deliver()
    db.session.rollback()
    monkeypatch.setattr(smtplib.SMTP, "send_message", send)
    claimed = db.session.scalars(select(MailOutbox).where(MailOutbox.claim_token.is_not(None)))
    [in_flight] = claimed.all()  # only the message being sent was held
    assert in_flight.subject == "Message 3"
    assert in_flight.claimed_until <= utcnow() + delivery.LEASE

    # Another worker at once sends all but the one in flight; after the lease, that one too.
    assert delivery.deliver().sent == 6
    assert delivery.deliver().sent == 0
    in_flight.claimed_until = utcnow() - timedelta(seconds=1)  # the lease has run out
    db.session.commit()
    assert delivery.deliver().sent == 1
    subjects = sorted(m["Subject"] for m in mailbox.messages())
    assert subjects == sorted(f"Message {i}" for i in range(10))  # each once


def test_a_message_the_relay_took_while_the_database_blinked_is_recorded_and_sent_once(
        held, mailbox, monkeypatch):
    """The database restarting between the relay's "250 accepted" and the record of it (seen
    in `make cluster-check`): the record is retried, so the message is not sent again."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError
    monkeypatch.setattr(delivery, "MARK_RETRIES", (0, 0, 0))
    for i in range(3):
        row(f"Message {i}")
    failures = []

    def database_away(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE mail_outbox SET") and "sent_at=" in statement \
                and len(failures) < 2:
            failures.append(statement)
            raise OperationalError(statement, parameters, ConnectionError("server closed"))
    event.listen(db.engine, "before_cursor_execute", database_away)
    try:
        assert delivery.deliver().sent == 3
    finally:
        event.remove(db.engine, "before_cursor_execute", database_away)
    assert len(failures) == 2  # the first message's record failed twice, then went through
    assert sorted(m["Subject"] for m in mailbox.messages()) == [f"Message {i}" for i in range(3)]
    assert db.session.scalar(select(func.count()).where(MailOutbox.sent_at.is_(None))) == 0
    # and another worker finds nothing to send again, even once every lease has run out
    assert delivery.deliver(ignore_backoff=True).sent == 0
    assert len(mailbox.messages()) == 3


def test_a_message_whose_record_cannot_be_made_waits_for_its_lease_and_stops_the_run(
        held, mailbox, monkeypatch):
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError
    monkeypatch.setattr(delivery, "MARK_RETRIES", (0,))
    for i in range(2):
        row(f"Message {i}")

    def database_gone(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE mail_outbox SET") and "sent_at=" in statement:
            raise OperationalError(statement, parameters, ConnectionError("server closed"))
    event.listen(db.engine, "before_cursor_execute", database_gone)
    try:
        result = delivery.deliver()
    finally:
        event.remove(db.engine, "before_cursor_execute", database_gone)
    assert (result.sent, result.error) == (0, "the database is unavailable")
    assert len(mailbox.messages()) == 1  # the run stopped: the second was not sent blind
    [held_row] = db.session.scalars(select(MailOutbox).where(MailOutbox.sent_at.is_(None),
                                                             MailOutbox.claim_token.is_not(None)))
    assert held_row.subject == "Message 0"  # held for its lease, then sent again (same id)
