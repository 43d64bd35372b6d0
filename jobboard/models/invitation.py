"""An employer's invitation to a findable coder to apply to one of its open jobs."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.database import utcnow
from jobboard.extensions import db

SENT = "sent"
ACCEPTED = "accepted"  # the coder applied
DECLINED = "declined"
STATUS_LABELS = {SENT: "Waiting for an answer", ACCEPTED: "Applied", DECLINED: "Declined"}


class Invitation(db.Model):
    __table_args__ = (
        UniqueConstraint("job_id", "coder_id"),  # one invitation per coder per job
        Index("ix_invitation_company_sent", "company_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=SENT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]

    job: Mapped["Job"] = relationship()  # noqa: F821
    coder: Mapped["User"] = relationship(foreign_keys=[coder_id])  # noqa: F821

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]
