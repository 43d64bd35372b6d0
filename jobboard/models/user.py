from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from jobboard.database import utcnow
from jobboard.extensions import db

CODER = "coder"
EMPLOYER = "employer"
ADMIN = "admin"
ROLES = (CODER, EMPLOYER, ADMIN)


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

    company: Mapped["Company | None"] = relationship(back_populates="members")  # noqa: F821
    profile: Mapped["CoderProfile | None"] = relationship(
        back_populates="user", foreign_keys="CoderProfile.user_id"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_coder(self) -> bool:
        return self.role == CODER

    @property
    def is_employer(self) -> bool:
        return self.role == EMPLOYER and self.company_id is not None


class CoderProfile(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    headline: Mapped[str] = mapped_column(String(160), default="")
    credentials: Mapped[list[str]] = mapped_column(JSON, default=list)
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    years_experience: Mapped[int] = mapped_column(default=0)
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    remote_preference: Mapped[str] = mapped_column(String(16), default="any")
    resume_id: Mapped[int | None] = mapped_column(ForeignKey("resume.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile", foreign_keys=[user_id])
    resume: Mapped["Resume | None"] = relationship(foreign_keys=[resume_id])  # noqa: F821
