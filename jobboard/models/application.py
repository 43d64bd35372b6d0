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
    # The company's own view of the applicant, never shown to the coder: 1-5, or unrated.
    rating: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    job: Mapped["Job"] = relationship()  # noqa: F821
    coder: Mapped["User"] = relationship()  # noqa: F821
    resume: Mapped["Resume | None"] = relationship()  # noqa: F821
    events: Mapped[list["ApplicationEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationEvent.id"
    )
    messages: Mapped[list["ApplicationMessage"]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationMessage.id")
    notes: Mapped[list["ApplicationNote"]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationNote.id")

    def is_party(self, user) -> bool:
        """The one rule of who takes part in an application: its coder, or a recruiter of
        the job's company. Only they see it and its conversation."""
        return bool(user is not None and getattr(user, "is_authenticated", False)
                    and (user.id == self.coder_id or self.job.is_managed_by(user)))

    @property
    def takes_messages(self) -> bool:
        """Either side may still write: not withdrawn (the coder left it; a deleted account
        withdraws every open application)."""
        return self.status != WITHDRAWN

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


class ApplicationMessage(db.Model):
    """A message in an application's conversation: from the coder, or from a recruiter of
    the job's company. Status changes (with their notes) are shown in the same thread from
    ApplicationEvent; these are what either side writes between them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)  # Markdown, rendered sanitised
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author: Mapped["User"] = relationship()  # noqa: F821


class ApplicationRead(db.Model):
    """When a user last read an application's conversation: what came after is unread. One
    row per reader, so each of a company's recruiters has their own."""

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


RATINGS = {1: "1 - not a fit", 2: "2", 3: "3 - possible", 4: "4", 5: "5 - strong"}


class ApplicationNote(db.Model):
    """A recruiter's private note on an application: read by the company's recruiters only,
    never by the coder (unlike messages)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped["User"] = relationship()  # noqa: F821
