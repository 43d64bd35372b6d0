"""Employer API tokens: made and revoked by recruiters, presented as `Authorization: Bearer`."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from jobboard import textrules as rules
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.models import ApiToken, User

PREFIX = "cb_"
MAX_ACTIVE = 10  # per recruiter
# last_used_at is written at most this often: not one UPDATE per API call.
TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the recruiter's company: (row, the token itself, shown once)."""
    if not user.is_employer:
        raise NotAllowed("Only recruiters make API tokens.")
    name = (name or "").strip()
    if not name:
        raise InvalidInput({"name": ["Name the token after what uses it, e.g. “Our ATS”."]})
    if problem := rules.TOKEN_NAME.problem(name):
        raise InvalidInput({"name": [problem]})
    active = db.session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))) or 0
    if active >= MAX_ACTIVE:
        raise Conflict(f"You have {MAX_ACTIVE} active tokens, the most we allow: revoke one "
                       "you no longer use first.")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, company_id=user.company_id, name=name,
                   token_hash=digest(token), prefix=token[:8])
    db.session.add(row)
    db.session.commit()
    return row, token


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None),
                                             ApiToken.created_at.desc())))


def own_token(user: User, token_id: int) -> ApiToken | None:
    row = db.session.get(ApiToken, token_id)
    return row if row is not None and row.user_id == user.id else None


def revoke_token(row: ApiToken) -> None:
    if row.revoked_at is not None:
        raise Conflict("This token is already revoked.")
    row.revoked_at = utcnow()
    db.session.commit()


def user_for_token(token: str) -> User | None:
    """The recruiter a token acts for, if it is live: not revoked, the account active (not
    deleted, its company not suspended) and still a member of the token's company."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = row.user
    if not user.is_active or not user.recruits_for(row.company_id):
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        db.session.execute(update(ApiToken).where(ApiToken.id == row.id)
                           .values(last_used_at=now))
        db.session.commit()
    return user


def refusal(token: str) -> str:
    """Why a write was refused, for the 401: no token, one we do not know, a revoked one,
    or one whose recruiter can no longer act for its company."""
    if not token:
        return ("Send a recruiter's API token: Authorization: Bearer cb_…. Tokens are made and "
                "revoked under My jobs → API tokens.")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token))) \
        if token.startswith(PREFIX) and len(token) <= 100 else None
    if row is None:
        return ("This API token is not one of ours (mistyped, or from another site). Tokens "
                "start with cb_; make one under My jobs → API tokens.")
    if row.revoked_at is not None:
        return (f"This API token (“{row.name}”) was revoked on {row.revoked_at:%b %-d, %Y}. "
                "Make a new one under My jobs → API tokens.")
    return ("The recruiter this API token acts for can no longer act for its company (the "
            "account was deleted, left the company, or the company is suspended). Ask a "
            "recruiter of the company for a new token.")
