from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.database import utcnow
from jobboard.extensions import db


class ApiToken(db.Model):
    """A recruiter's personal API token, scoped to their company. Only its SHA-256 is kept:
    the token itself is shown once, when it is made."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, to tell tokens apart in the list ("cb_Xy12…").
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped["User"] = relationship()  # noqa: F821

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
