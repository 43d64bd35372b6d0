from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.database import utcnow
from jobboard.extensions import db

INSTANT = "instant"
DAILY = "daily"
WEEKLY = "weekly"
FREQUENCIES = {INSTANT: "As soon as jobs are posted", DAILY: "Daily", WEEKLY: "Weekly"}


class SavedSearch(db.Model):
    """A coder's job search kept as an alert: new matching jobs are mailed at its frequency."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query_string: Mapped[str] = mapped_column(Text)  # the /jobs parameters, URL-encoded
    frequency: Mapped[str] = mapped_column(String(8), default=DAILY)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Jobs published after this were not yet considered for an alert.
    checked_until: Mapped[datetime] = mapped_column(default=utcnow)
    last_sent_at: Mapped[datetime | None]

    user: Mapped["User"] = relationship()  # noqa: F821


class AlertSent(db.Model):
    """A job mailed for a saved search: each job goes out at most once per saved search."""

    __table_args__ = (UniqueConstraint("saved_search_id", "job_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_search.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedJob(db.Model):
    """A job a coder starred to come back to."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"),
                                        primary_key=True, index=True)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)

    job: Mapped["Job"] = relationship()  # noqa: F821
