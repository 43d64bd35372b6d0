"""Accounts: registering, checking passwords, verifying email, resetting and changing
passwords and addresses, notification preferences, and deleting an account."""
import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app, g
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from jobboard import tokens
from jobboard.admin.domains import registration_refusal
from jobboard.companies import check_domain_verification
from jobboard.database import utcnow
from jobboard.employers.services import check_company, normalise_website, unique_slug
from jobboard.errors import Conflict, InvalidInput
from jobboard.extensions import db
from jobboard.links import absolute_url
from jobboard.mail import outbox
from jobboard.models import (
    Application,
    ApplicationEvent,
    ApplicationMessage,
    CoderProfile,
    Company,
    EndedSession,
    Invitation,
    Resume,
    SavedJob,
    SavedSearch,
    User,
)
from jobboard.models import application as ap
from jobboard.models import invitation as inv
from jobboard.models.user import APPLICATION_NOTICES, CODER, EMPLOYER, normalise_email
from jobboard.queue import huey, in_app_context
from jobboard.resumes.storage import storage
from jobboard.search import outbox as search_outbox
from jobboard.transactions import atomic

VERIFY = "verify-email"
RESET = "reset-password"

MIN_PASSWORD = 10


def _account_problems(email: str, password: str, name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    email = normalise_email(email or "")
    if not email or "@" not in email:
        errors["email"] = ["Enter a valid email address."]
    elif refusal := registration_refusal(email):
        errors["email"] = [refusal]
    if problems := password_problems(password):
        errors["password"] = problems
    if not (name or "").strip():
        errors["name"] = ["Enter your name."]
    return errors


def registration_problems(email: str, password: str, name: str, company_name: str | None = None,
                          website: str | None = None) -> dict[str, list[str]]:
    """Every problem of a registration at once, by field (a company's with company_name)."""
    errors = _account_problems(email, password, name)
    if company_name is not None:
        errors.update(check_company(company_name, normalise_website(website)))
    return errors


def _new_user(email: str, password: str, name: str, role: str) -> User:
    """A new account from the form, checked; its address may belong to an account already
    (the caller finds out with _existing, after every other check passed)."""
    if errors := _account_problems(email, password, name):
        raise InvalidInput(errors)
    email = normalise_email(email)
    user = User(email=email, name=name.strip(), role=role)
    user.set_password(password)  # the same scrypt work whether or not the address is taken
    return user


def _existing(user: User) -> User | None:
    return db.session.scalar(select(User).where(User.email == user.email))


def _tell_existing(account: User) -> None:
    """Someone registered with an address that has an account: the page says only "check
    your inbox", and the inbox hears what happened, with a way in."""
    if account.deleted_at is None:
        verify_url = None
        if not account.is_verified:
            verify_url = absolute_url("auth.verify_email", token=tokens.make(
                VERIFY, {"u": account.id, "e": account.email}))
        outbox.queue("account_exists", account.email, "You already have a CodeBoard account",
                     "account_exists", recipient=account, verify_url=verify_url,
                     login_url=absolute_url("auth.login"),
                     reset_url=absolute_url("auth.forgot_password"))
    db.session.commit()
    outbox.kick()


def _commit_new(user: User) -> User | None:
    """Save the new account and mail its confirmation link; None if the address already had
    an account (that account is mailed instead: the answer is the same either way)."""
    if (account := _existing(user)) is not None:
        db.session.rollback()
        _tell_existing(account)
        return None
    db.session.add(user)
    try:
        db.session.flush()
        send_verification(user)
        db.session.commit()
    except IntegrityError:  # registered by a concurrent request a moment ago
        db.session.rollback()
        if (account := _existing(user)) is not None:
            _tell_existing(account)
        return None
    outbox.kick()
    return user


def register_coder(email: str, password: str, name: str) -> User | None:
    user = _new_user(email, password, name, CODER)
    user.profile = CoderProfile()
    return _commit_new(user)


def register_employer(email: str, password: str, name: str, company_name: str,
                      website: str | None = None, profile: str = "") -> User | None:
    website = normalise_website(website)
    company_errors = check_company(company_name, website)
    try:
        user = _new_user(email, password, name, EMPLOYER)
    except InvalidInput as e:
        e.errors.update(company_errors)
        raise
    if company_errors:
        raise InvalidInput(company_errors)
    if _existing(user) is not None:
        return _commit_new(user)
    user.company = Company(name=company_name.strip(), slug=unique_slug(company_name),
                           website=(website or "").strip() or None,
                           profile=(profile or "").strip())
    return _commit_new(user)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def _active_account(email: str) -> User | None:
    """The account of this address, unless it was deleted."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email or ""),
                                                User.deleted_at.is_(None)))


def authenticate(email: str, password: str) -> User | None:
    user = _active_account(email)
    if user is None:
        # The same scrypt work as a wrong password, so timing does not reveal accounts.
        check_password_hash(_decoy_hash(), password or "")
        return None
    return user if user.check_password(password or "") else None


def log_out_everywhere(user: User) -> None:
    """A session cookie copied before logging out no longer works after it."""
    user.end_all_sessions()
    db.session.commit()


def end_session(session_id: str | None) -> None:
    """Log out this one session: its nonce is recorded, so its cookie (or a copy of it) no
    longer loads. Records older than any session cookie lives are dropped on the way."""
    user_id, _, nonce = _session_parts(session_id)
    if nonce:
        now = utcnow()
        db.session.execute(delete(EndedSession).where(EndedSession.ended_at < now - SESSION_MAX))
        if db.session.get(EndedSession, nonce) is None:
            db.session.add(EndedSession(nonce=nonce, user_id=user_id, ended_at=now))
        db.session.commit()


# The longest a login lives: the remember-me cookie's (Flask-Login's default of 365 days).
SESSION_MAX = timedelta(days=366)


def _session_parts(session_id: str | None) -> tuple[int, int, str | None]:
    """(user id, version, nonce) of "user:version:nonce"; (0, 0, None) when malformed.
    Sessions from before nonces ("user:version") have none."""
    parts = (session_id or "").split(":")
    if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[1].isdigit():
        return 0, 0, None
    return int(parts[0]), int(parts[1]), parts[2] if len(parts) == 3 and parts[2] else None


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the id is "user:version:nonce"; an older version (logged
    out everywhere since) or an ended nonce (logged out) does not load."""
    user_id, version, nonce = _session_parts(session_id)
    if not user_id or (nonce and db.session.get(EndedSession, nonce) is not None):
        return None
    user = db.session.get(User, int(user_id))
    if user is not None and user.company is not None and user.company.is_suspended:
        g.session_ended = suspended_message(user.company)  # said on the login page
        return None
    if user is None or not user.is_active or user.session_version != version \
            or not user.is_verified:
        # deleted, its company suspended, logged out everywhere since, or never confirmed
        return None
    return user


def suspended_message(company) -> str:
    """Why a suspended company's recruiter cannot log in (or was logged out), with the
    reason the moderators gave."""
    why = f" The reason given: {company.suspension_reason}." if company.suspension_reason else ""
    return (f"{company.name} is suspended from CodeBoard, so its recruiters cannot log in.{why}"
            f" Write to {current_app.config['SUPPORT_EMAIL']} if you think this is a mistake.")


def password_problems(password: str) -> list[str]:
    """The one password rule, for registering, resetting and changing (the forms cap at 200)."""
    if len(password or "") < MIN_PASSWORD:
        return [f"Use at least {MIN_PASSWORD} characters."]
    if len(password) > 200:
        return ["Use at most 200 characters."]
    return []


def _check_password_rules(password: str, field: str = "password") -> None:
    if problems := password_problems(password):
        raise InvalidInput({field: problems})


# ---------------------------------------------------------------- email verification


def send_verification(user: User, address: str | None = None) -> None:
    """Queue the mail with a signed link that confirms `address` (default: the account's)."""
    address = address or user.email
    token = tokens.make(VERIFY, {"u": user.id, "e": address})
    changing = address != user.email
    outbox.queue("verify_email", address,
                 "Confirm your new email address" if changing else "Confirm your email address",
                 "verify_email", recipient=user, changing=changing,
                 verify_url=absolute_url("auth.verify_email", token=token))


def unconfirmed_sign_in(user: User) -> None:
    """The right password for an account whose address was never confirmed: no session
    (whoever chose the password may not own the address), a fresh link to the address."""
    send_verification(user)
    db.session.commit()
    outbox.kick()


def resend_verification(user: User) -> str:
    if user.is_verified and not user.pending_email:
        raise Conflict("Your email address is already confirmed.")
    address = user.pending_email or user.email
    send_verification(user, address)
    db.session.commit()
    outbox.kick()
    return address


def _verification(token: str) -> tuple[User, str]:
    payload = tokens.read(VERIFY, token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("u"))
    address = payload.get("e")
    if user is None or user.deleted_at or not address:
        raise tokens.InvalidToken("This link is for an account that no longer exists.")
    return user, address


def confirms_new_account(token: str) -> User | None:
    """The account whose address this link confirms for the first time (None for any other
    link); raises InvalidToken for a link that does not work. Changes nothing."""
    user, address = _verification(token)
    return user if address == user.email and not user.is_verified else None


def verify_email(token: str, new_password: str | None = None) -> tuple[User, bool]:
    """Confirm the address the link was sent to: the account's own, or a new one it asked for.
    Returns the account and whether this link confirmed a new account (its first use: the
    only time the link may log in). A recruiter's confirmed address at the company website's
    domain verifies the company.

    Whoever registered an address chose its password, and it may not be the address's owner
    (account pre-hijacking): unless the person confirming is the one who registered (the
    caller knows), the first confirmation sets `new_password`, which ends every session."""
    user, address = _verification(token)
    if address == user.email:
        first = not user.is_verified
        if first:
            if new_password is not None:
                _check_password_rules(new_password)
                user.set_password(new_password)
                user.end_all_sessions()
            user.email_verified_at = utcnow()
            _check_company(user)
            db.session.commit()
            search_outbox.push_pending()
        return user, first
    if address != user.pending_email:
        raise tokens.InvalidToken("This link was replaced by a newer one; use the latest mail.")
    if db.session.scalar(select(User.id).where(User.email == address)):
        raise tokens.InvalidToken("Another account now uses that address.")
    user.email, user.pending_email, user.email_verified_at = address, None, utcnow()
    _check_company(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise tokens.InvalidToken("Another account now uses that address.") from None
    search_outbox.push_pending()
    return user, False


def _check_company(user: User) -> None:
    if user.is_employer:
        check_domain_verification(user.company)


# ---------------------------------------------------------------- password reset


def _password_fingerprint(user: User) -> str:
    """Binds a reset link to the password it replaces: once used, the link is dead."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Hand the request to the worker: the web request does the same work, one enqueue,
    whether or not the address has an account, so its answer and timing reveal nothing."""
    try:
        password_reset_requested(normalise_email(email or ""))
    except Exception as e:  # the queue's storage is unreachable: do it here instead
        current_app.logger.warning("task queue unavailable, sending the reset inline: %s", e)
        send_password_reset(email)


@huey.task(name="accounts.password_reset")
@in_app_context
def password_reset_requested(email: str) -> bool:
    """The worker's side of `request_password_reset`."""
    return send_password_reset(email)


def send_password_reset(email: str) -> bool:
    """Queue a reset link if the address has an account (in the worker); True if it did."""
    user = _active_account(email)
    if user is None:
        return False
    token = tokens.make(RESET, {"u": user.id, "p": _password_fingerprint(user)})
    outbox.queue("reset_password", user.email, "Reset your CodeBoard password", "reset_password",
                 recipient=user, reset_url=absolute_url("auth.reset_password", token=token))
    db.session.commit()
    outbox.kick()
    return True


def user_for_reset(token: str) -> User:
    payload = tokens.read(RESET, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("u") or 0)
    if user is None or user.deleted_at or not hmac.compare_digest(
            str(payload.get("p", "")), _password_fingerprint(user)):
        raise tokens.InvalidToken("This link was already used. Ask for a new one if you "
                                  "still need to reset your password.")
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset(token)
    _check_password_rules(new_password)
    user.set_password(new_password)
    user.end_all_sessions()
    if not user.is_verified:
        user.email_verified_at = utcnow()  # the link reached this inbox: the address works
    _tell_password_changed(user, "reset")
    db.session.commit()
    outbox.kick()
    return user


def _tell_password_changed(user: User, how: str) -> None:
    """The notice after a change or a reset, with a link to reset it again: whoever did not
    make the change gets their account back from it."""
    token = tokens.make(RESET, {"u": user.id, "p": _password_fingerprint(user)})
    outbox.queue("password_changed", user.email, "Your CodeBoard password was changed",
                 "password_changed", recipient=user, how=how,
                 reset_url=absolute_url("auth.reset_password", token=token),
                 forgot_url=absolute_url("auth.forgot_password"))


# ---------------------------------------------------------------- settings


@atomic
def change_password(user: User, current: str, new: str) -> User:
    if not user.check_password(current or ""):
        raise InvalidInput({"current_password": ["That is not your current password."]})
    _check_password_rules(new, "new_password")
    user.set_password(new)
    user.end_all_sessions()  # the caller logs this session in again
    _tell_password_changed(user, "changed")
    db.session.commit()
    outbox.kick()
    return user


@atomic
def change_email(user: User, password: str, new_email: str) -> str:
    """Keep the old address until the new one is confirmed from a link mailed to it."""
    if not user.check_password(password or ""):
        raise InvalidInput({"password": ["That is not your password."]})
    try:
        address = normalise_email(validate_email(new_email or "",
                                                 check_deliverability=False).normalized)
    except EmailNotValidError:
        raise InvalidInput({"new_email": ["Enter a valid email address."]}) from None
    if address == user.email:
        raise InvalidInput({"new_email": ["That is already your address."]})
    if refusal := registration_refusal(address):
        raise InvalidInput({"new_email": [refusal]})
    if db.session.scalar(select(User.id).where(User.email == address)):
        raise InvalidInput({"new_email": ["Another account uses that address."]})
    user.pending_email = address
    send_verification(user, address)
    db.session.commit()
    outbox.kick()
    return address


@atomic
def update_notifications(user: User, applications: str | None, expiry: bool,
                         status: bool) -> User:
    if user.role == EMPLOYER:
        if applications not in APPLICATION_NOTICES:
            raise InvalidInput({"notify_applications": ["Choose one."]})
        user.notify_applications = applications
        user.notify_expiry = expiry
    else:
        user.notify_status = status
    db.session.commit()
    return user


@atomic
def delete_account(user: User, password: str) -> None:
    """Delete what is personal and keep what others rely on, anonymised.

    A coder's profile, resumes (files too), saved searches and saved jobs go; their
    applications stay with their employers as "withdrawn, account deleted", with no cover
    letter, resume, messages or name. An employer's jobs belong to the company and stay.
    """
    if not user.check_password(password or ""):
        raise InvalidInput({"password": ["That is not your password."]})
    keys = list(db.session.scalars(select(Resume.storage_key).where(Resume.owner_id == user.id)))
    for application in db.session.scalars(select(Application)
                                          .where(Application.coder_id == user.id)):
        if application.status not in ap.FINAL:
            application.events.append(ApplicationEvent(
                from_status=application.status, to_status=ap.WITHDRAWN, actor_id=user.id,
                message="Account deleted"))
            application.status = ap.WITHDRAWN
        application.cover_letter = ""
        application.resume_id = None
    db.session.flush()
    if user.profile is not None:
        if user.profile.findable:
            search_outbox.enqueue_coder(user.id)  # out of candidate search with this commit
        db.session.delete(user.profile)
        db.session.flush()
    db.session.execute(update(Invitation).where(Invitation.coder_id == user.id,
                                                Invitation.status == inv.SENT)
                       .values(status=inv.DECLINED, responded_at=utcnow()))
    if user.is_coder:  # what a coder wrote goes with them; a recruiter's is the company's
        db.session.execute(delete(ApplicationMessage)
                           .where(ApplicationMessage.author_id == user.id))
    db.session.execute(delete(SavedSearch).where(SavedSearch.user_id == user.id))
    db.session.execute(delete(SavedJob).where(SavedJob.user_id == user.id))
    db.session.execute(delete(Resume).where(Resume.owner_id == user.id))
    db.session.execute(update(User).where(User.id == user.id).values(
        email=f"deleted-{user.id}@deleted.invalid", name="Deleted account", pending_email=None,
        password_hash="!", deleted_at=utcnow(), session_version=user.session_version + 1))
    db.session.commit()
    search_outbox.push_pending()
    for key in keys:  # after the commit: a failed commit must not lose the files
        storage().delete(key)

