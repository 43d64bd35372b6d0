from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
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
    # What the company offers coders, one short line each (shown on its page and jobs).
    benefits: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # When the logo (CompanyLogo) was last set: None without one; its URL carries it, so a
    # new logo is a new address and the old one may be cached for good.
    logo_version: Mapped[datetime | None]

    members: Mapped[list["User"]] = relationship(back_populates="company")  # noqa: F821
    jobs: Mapped[list["Job"]] = relationship(back_populates="company")  # noqa: F821

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class CompanyLogo(db.Model):
    """A company's logo as the site serves it: re-encoded here as a PNG of at most
    LOGO_SIZE px a side (companies.store_logo), kept in the database so that every web host
    serves it. Its own table: a company row is read on every job card, the image rarely."""

    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"),
                                            primary_key=True)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int]
    height: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
