"""Accounts: registering coders and employers, and checking passwords."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jobboard.employers.services import check_company
from jobboard.errors import InvalidInput
from jobboard.extensions import db
from jobboard.models import CoderProfile, Company, User
from jobboard.models.user import CODER, EMPLOYER, normalise_email

MIN_PASSWORD = 10


def _new_user(email: str, password: str, name: str, role: str) -> User:
    errors: dict[str, list[str]] = {}
    email = normalise_email(email or "")
    if not email or "@" not in email:
        errors["email"] = ["Enter a valid email address."]
    elif db.session.scalar(select(User.id).where(User.email == email)):
        errors["email"] = ["An account with this email already exists. Log in instead."]
    if len(password or "") < MIN_PASSWORD:
        errors["password"] = [f"Use at least {MIN_PASSWORD} characters."]
    if not (name or "").strip():
        errors["name"] = ["Enter your name."]
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name.strip(), role=role)
    user.set_password(password)
    return user


def _commit_new(user: User) -> User:
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidInput({"email": ["An account with this email already exists."]}) from None
    return user


def register_coder(email: str, password: str, name: str) -> User:
    user = _new_user(email, password, name, CODER)
    user.profile = CoderProfile()
    return _commit_new(user)


def register_employer(email: str, password: str, name: str, company_name: str,
                      website: str | None = None, profile: str = "") -> User:
    company_errors = check_company(company_name, website)
    try:
        user = _new_user(email, password, name, EMPLOYER)
    except InvalidInput as e:
        e.errors.update(company_errors)
        raise
    if company_errors:
        raise InvalidInput(company_errors)
    user.company = Company(name=company_name.strip(), website=(website or "").strip() or None,
                           profile=(profile or "").strip())
    return _commit_new(user)


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == normalise_email(email or "")))
    if user is None or not user.check_password(password or ""):
        return None
    return user
