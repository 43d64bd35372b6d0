from datetime import datetime

from sqlalchemy import Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from jobboard.database import utcnow
from jobboard.extensions import db


class SearchOutbox(db.Model):
    """A job (or a findable coder) whose search document must be brought up to date.

    Written in the same transaction as the change, so no change is lost when the search
    server is down; done only when the search server's task succeeded.
    """

    __table_args__ = (
        Index("ix_search_outbox_pending", "done_at", "next_attempt_at"),
        # The jobs not yet done, which every API search reads (search/sql.py,
        # jobs_behind_index): only those rows, so the read stays small however many are done,
        # and SQLite takes it whatever its statistics say. (With statistics gathered while the
        # seeded rows were pending, SQLite found the pending index above no help and read
        # every row: 6.8 ms at 20,000 rows, against 10 us here.)
        Index("ix_search_outbox_behind", "job_id", sqlite_where=text("done_at IS NULL"),
              postgresql_where=text("done_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One of the two: a job of the jobs index, or a coder (user id) of the coders index.
    job_id: Mapped[int | None] = mapped_column(index=True)
    coder_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    task_uid: Mapped[int | None]
    done_at: Mapped[datetime | None]
