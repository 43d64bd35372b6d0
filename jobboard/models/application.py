from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.database import utcnow
from jobboard.extensions import db

SUBMITTED = "submitted"
REVIEWING = "reviewing"
INTERVIEW = "interview"
OFFER = "offer"
HIRED = "hired"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

# The moves an employer may make from each status: forward, and back one stage to correct
# a move (each move is kept in the history). Hired and withdrawn are final.
EMPLOYER_MOVES: dict[str, tuple[str, ...]] = {
    SUBMITTED: (REVIEWING, INTERVIEW, REJECTED),
    REVIEWING: (INTERVIEW, OFFER, REJECTED, SUBMITTED),
    INTERVIEW: (OFFER, REJECTED, REVIEWING),
    OFFER: (HIRED, REJECTED, INTERVIEW),
    HIRED: (),
    REJECTED: (REVIEWING,),
    WITHDRAWN: (),
}
FINAL = (HIRED, REJECTED, WITHDRAWN)
STATUS_LABELS = {
    SUBMITTED: "Submitted", REVIEWING: "Reviewing", INTERVIEW: "Interview", OFFER: "Offer",
    HIRED: "Hired", REJECTED: "Not selected", WITHDRAWN: "Withdrawn",
}


class Application(db.Model):
    # A coder applies once; after withdrawing, once more (attempt 2), never a third time.
    __table_args__ = (UniqueConstraint("job_id", "coder_id", "attempt"),)
    MAX_ATTEMPTS = 2

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # None once the coder deleted their account: nothing personal is kept.
    resume_id: Mapped[int | None] = mapped_column(ForeignKey("resume.id"))
    cover_letter: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=SUBMITTED)
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    job: Mapped["Job"] = relationship()  # noqa: F821
    coder: Mapped["User"] = relationship()  # noqa: F821
    resume: Mapped["Resume | None"] = relationship()  # noqa: F821
    events: Mapped[list["ApplicationEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationEvent.id"
    )

    @property
    def may_reapply(self) -> bool:
        """Withdrawn, and the coder has not used their second application yet."""
        return self.status == WITHDRAWN and self.attempt < self.MAX_ATTEMPTS


class ApplicationEvent(db.Model):
    """One step in an application's history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text)  # the employer's note to the coder
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped["User"] = relationship()  # noqa: F821
