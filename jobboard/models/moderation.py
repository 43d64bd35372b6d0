"""What admins act on and what they did: job reports, banned email domains, the audit log."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.database import utcnow
from jobboard.extensions import db

# Why someone reports a job, in the words the report form shows.
REPORT_REASONS = {
    "scam": "Scam or phishing (asks for money or personal data)",
    "pay": "Misleading pay",
    "not-coding": "Not a medical coding job",
    "discriminatory": "Discriminatory",
    "other": "Something else",
}
UPHELD = "upheld"
DISMISSED = "dismissed"


class JobReport(db.Model):
    __table_args__ = (
        # Every report is kept (a second one from the same person adds to the first); one
        # person counts once: counts are of distinct reporter_key (admin services).
        Index("ix_job_report_job_id_reporter_key", "job_id", "reporter_key"),
        Index("ix_job_report_open", "resolved_at", "job_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Who reported: "user:<id>", or a keyed hash of the address for someone logged out.
    reporter_key: Mapped[str] = mapped_column(String(80))
    # A keyed hash of the address the report came from (logged in or not): reports that hide
    # a job come from distinct addresses.
    address_key: Mapped[str | None] = mapped_column(String(48))
    reason: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolution: Mapped[str | None] = mapped_column(String(16))

    job: Mapped["Job"] = relationship()  # noqa: F821
    reporter: Mapped["User | None"] = relationship(foreign_keys=[reporter_id])  # noqa: F821

    @property
    def reason_label(self) -> str:
        return REPORT_REASONS.get(self.reason, self.reason)


class BannedDomain(db.Model):
    """An email domain no one may register from (and its subdomains)."""
    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class AuditEntry(db.Model):
    """One moderation action: who (no actor: the system, e.g. a report threshold), what, on
    what, when and why. Written in the action's own transaction; never edited."""
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(String(253))
    summary: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped["User | None"] = relationship()  # noqa: F821
