"""Coders: their profile, applying to jobs and withdrawing."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from jobboard import textrules as rules
from jobboard import vocab
from jobboard.codes.formats import MalformedCodes, parse_code_list
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.mail import outbox
from jobboard.models import (
    Application,
    ApplicationEvent,
    CoderProfile,
    Invitation,
    Job,
    Resume,
    User,
)
from jobboard.models import application as ap
from jobboard.models import invitation as inv
from jobboard.notifications import services as notify
from jobboard.resumes.services import store_resume
from jobboard.resumes.storage import storage
from jobboard.search import outbox as search_outbox
from jobboard.transactions import atomic


@dataclass
class ProfileFields:
    headline: str = ""
    credentials: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)
    years_experience: int = 0
    city: str | None = None
    state: str | None = None
    remote_preference: str = "any"
    findable: bool = False
    availability: str = "open"
    codes: str = ""  # the codes the coder works with, as typed: "38206, C92.00"


def ensure_coder(user: User) -> None:
    if not user.is_coder:
        raise NotAllowed("Only coders have a profile and applications.")


def profile_of(user: User) -> CoderProfile:
    ensure_coder(user)
    if user.profile is None:
        user.profile = CoderProfile(user_id=user.id)
    return user.profile


@atomic
def update_profile(user: User, f: ProfileFields, resume: tuple[bytes, str] | None = None) -> CoderProfile:
    """Save the profile and, when given (bytes, filename), a new resume; all or nothing."""
    profile = profile_of(user)
    errors: dict[str, list[str]] = {}
    if bad := [c for c in f.credentials if c not in vocab.CREDENTIALS]:
        errors["credentials"] = [f"Unknown credential: {', '.join(bad)}."]
    if bad := [s for s in f.specialties if s not in vocab.SPECIALTIES]:
        errors["specialties"] = [f"Unknown specialty: {', '.join(bad)}."]
    if f.state and f.state not in vocab.US_STATES:
        errors["state"] = ["Choose a US state."]
    if f.remote_preference not in vocab.REMOTE_PREFERENCES:
        errors["remote_preference"] = ["Choose one."]
    if f.years_experience is None or not 0 <= f.years_experience <= 60:
        errors["years_experience"] = ["Enter a number of years from 0 to 60."]
    if len(f.headline or "") > 160:
        errors["headline"] = ["Keep the headline to 160 characters."]
    if f.availability not in vocab.AVAILABILITY:
        errors["availability"] = ["Choose one."]
    try:
        codes = [r.code for r in parse_code_list(f.codes or "")]
    except MalformedCodes as e:
        errors["codes"] = [str(e)]
    else:
        if len(codes) > 30:
            errors["codes"] = ["List at most 30 codes: the ones you know best."]
    if errors:
        raise InvalidInput(errors)
    new_resume = store_resume(user, *resume) if resume else None
    profile.headline = (f.headline or "").strip()
    profile.credentials = sorted(set(f.credentials))
    profile.specialties = sorted(set(f.specialties))
    profile.years_experience = f.years_experience
    profile.city = (f.city or "").strip() or None
    profile.state = f.state or None
    profile.remote_preference = f.remote_preference
    profile.availability = f.availability
    profile.codes = codes
    if f.findable or profile.findable:  # added, updated or taken out of candidate search
        search_outbox.enqueue_coder(user.id)
    profile.findable = bool(f.findable)
    replaced = None
    if new_resume:
        db.session.flush()
        replaced = profile.resume if profile.resume_id else None
        profile.resume_id = new_resume.id
        # A replaced resume goes, unless an application sent it (its employer keeps that one).
        if replaced is not None and db.session.scalar(
                select(Application.id).where(Application.resume_id == replaced.id).limit(1)):
            replaced = None
        if replaced is not None:
            db.session.delete(replaced)
    _commit_or_forget(new_resume)
    search_outbox.push_pending()  # a profile turned off leaves candidate search now
    if replaced is not None:
        storage().delete(replaced.storage_key)  # after the commit: a failed one keeps it
    return profile


def _commit_or_forget(resume: Resume | None) -> None:
    """Commit; if that fails, remove the file just written so nothing is half-saved."""
    try:
        db.session.commit()
    except Exception:
        _forget(resume)
        raise


def _forget(resume: Resume | None) -> None:
    """Roll back, and remove the file of a resume the rolled-back work had stored."""
    db.session.rollback()
    if resume is not None:
        storage().delete(resume.storage_key)


def existing_application(job: Job, coder: User) -> Application | None:
    """The coder's latest application to the job (a second one after a withdrawal)."""
    return db.session.scalar(
        select(Application).where(Application.job_id == job.id, Application.coder_id == coder.id)
        .order_by(Application.attempt.desc()).limit(1)
    )


@atomic
def apply(job: Job, coder: User, cover_letter: str,
          upload: tuple[bytes, str] | None = None) -> Application:
    """Apply to an open job with a new upload or, failing that, the profile resume. Once;
    after withdrawing, once more."""
    ensure_coder(coder)
    if not job.is_open():
        raise Conflict("This job is no longer taking applications.")
    previous = existing_application(job, coder)
    if previous is not None and not previous.may_reapply:
        if previous.status == ap.WITHDRAWN:
            raise Conflict("You have applied to this job twice and withdrawn; you cannot "
                           "apply again.")
        raise Conflict("You have already applied to this job. "
                       "See its status under My applications.")
    if problem := rules.COVER_LETTER.problem(cover_letter):
        raise InvalidInput({"cover_letter": [problem]})
    if not upload and not (coder.profile and coder.profile.resume):
        raise InvalidInput({"resume": ["Attach a resume (PDF or DOCX), or add one to your profile."]})
    stored = None
    try:
        if upload:
            resume = stored = store_resume(coder, *upload)
            db.session.flush()
        else:
            resume = coder.profile.resume
        application = Application(job_id=job.id, coder_id=coder.id, resume_id=resume.id,
                                  cover_letter=(cover_letter or "").strip(),
                                  status=ap.SUBMITTED,
                                  attempt=previous.attempt + 1 if previous else 1)
        application.events.append(ApplicationEvent(to_status=ap.SUBMITTED, actor_id=coder.id))
        db.session.add(application)
        db.session.flush()  # a racing twin's row makes this (or the commit) fail
        accept_invitation(application)
        notify.new_application(application)
        notify.application_sent(application)
        db.session.commit()
    except IntegrityError:
        # Two submissions raced past the check above; the unique constraint kept one, and
        # the file this one wrote is gone with it (no resume without its application).
        _forget(stored)
        raise Conflict("You have already applied to this job. "
                       "See its status under My applications.") from None
    except BaseException:
        _forget(stored)
        raise
    outbox.kick()
    return application


def accept_invitation(application: Application) -> None:
    """Applying to a job the coder was invited to answers the invitation (caller commits)."""
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.job_id == application.job_id, Invitation.coder_id == application.coder_id))
    if invitation is not None and invitation.status != inv.ACCEPTED:
        invitation.status, invitation.responded_at = inv.ACCEPTED, utcnow()


def get_own_application(application_id: int, coder: User) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.coder_id != coder.id:
        raise NotAllowed("That application is not yours.")
    return application


def withdraw(application: Application, coder: User) -> Application:
    if application.coder_id != coder.id:
        raise NotAllowed("That application is not yours.")
    if application.status in ap.FINAL:
        raise Conflict(f"This application is already {ap.STATUS_LABELS[application.status].lower()}.")
    application.events.append(ApplicationEvent(
        from_status=application.status, to_status=ap.WITHDRAWN, actor_id=coder.id))
    application.status = ap.WITHDRAWN
    db.session.commit()
    return application


def applications_page(coder: User, page: int, per_page: int = 20):
    """The coder's own applications, newest first, with each job and company loaded."""
    ensure_coder(coder)
    return db.paginate(
        select(Application).where(Application.coder_id == coder.id)
        .order_by(Application.created_at.desc())
        .options(selectinload(Application.job).selectinload(Job.company)),
        page=page, per_page=per_page, error_out=False)
