from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.database import utcnow
from jobboard.extensions import db

# How a company came to be verified.
BY_EMAIL_DOMAIN = "email-domain"  # a recruiter confirmed an address at the website's domain
BY_ADMIN = "admin"


class Company(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The public page's address (/companies/<slug>); kept when the company is renamed.
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    website: Mapped[str | None] = mapped_column(String(255))
    profile: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None]
    verified_by: Mapped[str | None] = mapped_column(String(16))
    suspended_at: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(Text)

    members: Mapped[list["User"]] = relationship(back_populates="company")  # noqa: F821
    jobs: Mapped[list["Job"]] = relationship(back_populates="company")  # noqa: F821

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None
