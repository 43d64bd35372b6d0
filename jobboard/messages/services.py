"""The conversation under each application: the coder and the recruiters of the job's
company write to each other, with the status changes (and their notes) in the same thread.

Who may read and write is `Application.is_party`; when writing stops, `takes_messages`. The
other side gets one mail with a link to the thread when a message arrives while nothing of
that side's is unread, so a quick exchange does not become a stream of mails; the mail
carries that message, never the history. Unread counts come from a read mark per reader.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from jobboard import textrules as rules
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.mail import outbox as mail_outbox
from jobboard.models import Application, ApplicationMessage, ApplicationRead, Job, User
from jobboard.models import application as ap
from jobboard.notifications import services as notify
from jobboard.transactions import atomic


@dataclass(frozen=True)
class Entry:
    """One line of the thread: a message, or a status change with its note."""
    at: datetime
    author: User
    body: str | None  # Markdown for messages, plain text for a status change's note
    status: str | None = None  # the label moved to, for a status change
    from_coder: bool = False


def thread(application: Application) -> list[Entry]:
    entries = [Entry(at=e.created_at, author=e.actor, body=e.message,
                     status=ap.STATUS_LABELS[e.to_status],
                     from_coder=e.actor_id == application.coder_id)
               for e in application.events]
    entries += [Entry(at=m.created_at, author=m.author, body=m.body,
                      from_coder=m.author_id == application.coder_id)
                for m in application.messages]
    return sorted(entries, key=lambda e: e.at)


def _from_other_side(reader: User, coder_id):
    """A message a reader hears of: to a recruiter the coder's, to the coder the company's
    (a colleague's message is not news to wait for). `coder_id` is a value or a column."""
    if reader.is_employer:
        return ApplicationMessage.author_id == coder_id
    return ApplicationMessage.author_id != coder_id


def _after_mark(reader: User, application_id):
    """Written after the reader's read mark of that application (or never read)."""
    mark = (select(ApplicationRead.read_at)
            .where(ApplicationRead.application_id == application_id,
                   ApplicationRead.user_id == reader.id).scalar_subquery())
    return or_(mark.is_(None), ApplicationMessage.created_at > mark)


@atomic
def post(application: Application, by: User, body: str | None) -> ApplicationMessage:
    """Add a message from the coder or a recruiter, and tell the other side."""
    if not application.is_party(by):
        raise NotAllowed("That application is not yours.")
    if not application.takes_messages:
        raise Conflict("This application was withdrawn; its conversation is closed.")
    text = (body or "").strip()
    if not text:
        raise InvalidInput({"body": ["Write a message first."]})
    if problem := rules.MESSAGE.problem(text):
        raise InvalidInput({"body": [problem]})
    if by.id == application.coder_id:
        readers = notify.recruiters(application.job.company_id)
    else:
        readers = [] if application.coder.deleted_at else [application.coder]
    # Asked before this message exists: whose earlier messages from this side are unread.
    quiet = {reader.id for reader in readers if db.session.scalar(
        select(func.count()).select_from(ApplicationMessage).where(
            ApplicationMessage.application_id == application.id,
            _from_other_side(reader, application.coder_id),
            _after_mark(reader, application.id)))}
    message = ApplicationMessage(application_id=application.id, author_id=by.id, body=text)
    db.session.add(message)
    _mark(application, by)
    for reader in readers:
        if reader.id not in quiet:
            notify.new_message(application, message, by, reader)
    db.session.commit()
    mail_outbox.kick()
    return message


def _mark(application: Application, user: User) -> None:
    """Move the reader's mark to now, in one statement (two tabs opening the same thread at
    once both succeed)."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    db.session.execute(insert(ApplicationRead)
                       .values(application_id=application.id, user_id=user.id, read_at=now)
                       .on_conflict_do_update(index_elements=["application_id", "user_id"],
                                              set_={"read_at": now}))


@atomic
def mark_read(application: Application, user: User) -> None:
    """The reader has seen the thread as it is now."""
    if not application.is_party(user):
        raise NotAllowed("That application is not yours.")
    _mark(application, user)
    db.session.commit()


def _visible(user: User):
    """The applications whose conversation this user takes part in, as SQL."""
    if user.is_employer and user.company_id is not None:
        return Application.job_id.in_(select(Job.id).where(Job.company_id == user.company_id))
    return Application.coder_id == user.id


def unread_counts(user: User, application_ids: list[int] | None = None) -> dict[int, int]:
    """Unread messages by application, for the user's lists (or only these applications)."""
    stmt = (select(Application.id, func.count(ApplicationMessage.id))
            .join(ApplicationMessage, ApplicationMessage.application_id == Application.id)
            .where(_visible(user), _from_other_side(user, Application.coder_id),
                   _after_mark(user, Application.id))
            .group_by(Application.id))
    if application_ids is not None:
        if not application_ids:
            return {}
        stmt = stmt.where(Application.id.in_(application_ids))
    return dict(db.session.execute(stmt).all())


def unread_total(user: User) -> int:
    """For the navigation: every unread message of the user's conversations."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(unread_counts(user).values())


@dataclass(frozen=True)
class Conversation:
    """One line of the inbox."""
    application: Application
    last: ApplicationMessage
    unread: int


def inbox(user: User, page: int, per_page: int = 20):
    """The user's conversations with at least one message, the latest activity first; one
    page of them (the pagination macro's shape), each with its last message and unread
    count."""
    latest = (select(func.max(ApplicationMessage.id))
              .where(ApplicationMessage.application_id == Application.id)
              .correlate(Application).scalar_subquery())
    stmt = (select(Application).where(_visible(user), latest.is_not(None))
            .order_by(latest.desc())
            .options(selectinload(Application.job).selectinload(Job.company),
                     selectinload(Application.coder)))
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    ids = [a.id for a in pagination.items]
    last = {m.application_id: m for m in db.session.scalars(
        select(ApplicationMessage).where(ApplicationMessage.id.in_(
            select(func.max(ApplicationMessage.id)).where(
                ApplicationMessage.application_id.in_(ids))
            .group_by(ApplicationMessage.application_id)))
        .options(selectinload(ApplicationMessage.author)))} if ids else {}
    unread = unread_counts(user, ids)
    pagination.items = [Conversation(a, last[a.id], unread.get(a.id, 0))
                        for a in pagination.items]
    return pagination
