import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from jobboard.database import utcnow
from jobboard.extensions import db

CODER = "coder"
EMPLOYER = "employer"
ADMIN = "admin"
ROLES = (CODER, EMPLOYER, ADMIN)

# How a recruiter hears of new applications.
INSTANT = "instant"
DAILY = "daily"
OFF = "off"
APPLICATION_NOTICES = {INSTANT: "At once, one mail each", DAILY: "One daily digest", OFF: "Never"}


def normalise_email(email: str) -> str:
    return email.strip().casefold()


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    email_verified_at: Mapped[datetime | None]
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # Part of the login session's id: raising it ends every session of the account.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    notify_applications: Mapped[str] = mapped_column(String(8), default=INSTANT,
                                                     server_default=INSTANT)
    notify_expiry: Mapped[bool] = mapped_column(default=True, server_default=true())
    notify_status: Mapped[bool] = mapped_column(default=True, server_default=true())
    digest_sent_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    company: Mapped["Company | None"] = relationship(back_populates="members")  # noqa: F821
    profile: Mapped["CoderProfile | None"] = relationship(
        back_populates="user", foreign_keys="CoderProfile.user_id"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """A new login session's id (Flask-Login asks once per login): "user:version:nonce".
        A session made before the version changed no longer loads (log out everywhere);
        the nonce names this one session, so logging out ends it alone (EndedSession)."""
        return f"{self.id}:{self.session_version}:{secrets.token_urlsafe(12)}"

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in an inactive user
        return self.deleted_at is None and not (self.company and self.company.is_suspended)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_coder(self) -> bool:
        return self.role == CODER

    @property
    def is_employer(self) -> bool:
        return self.role == EMPLOYER and self.company_id is not None

    def recruits_for(self, company_id: int | None) -> bool:
        """The one ownership rule: this user acts for that company (its jobs, applicants,
        tokens and profile). Every check of "my company's" goes through here."""
        return self.is_employer and company_id is not None and self.company_id == company_id


class CoderProfile(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    headline: Mapped[str] = mapped_column(String(160), default="")
    credentials: Mapped[list[str]] = mapped_column(JSON, default=list)
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    years_experience: Mapped[int] = mapped_column(default=0)
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    remote_preference: Mapped[str] = mapped_column(String(16), default="any")
    # Candidate search: off until the coder turns it on. What employers see is the profile
    # above, the codes the coder lists and availability; never name, email or resume.
    findable: Mapped[bool] = mapped_column(default=False, server_default=false())
    availability: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    resume_id: Mapped[int | None] = mapped_column(ForeignKey("resume.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile", foreign_keys=[user_id])
    resume: Mapped["Resume | None"] = relationship(foreign_keys=[resume_id])  # noqa: F821


class EndedSession(db.Model):
    """A login session that logged out: its cookie, even copied before, no longer loads.
    Rows older than the longest a session cookie lives are pruned at each logout."""

    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    ended_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
