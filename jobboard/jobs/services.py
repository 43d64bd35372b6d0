"""Jobs: writing, publishing, closing, renewing and expiring postings."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select, update

from jobboard import textrules as rules
from jobboard import vocab
from jobboard.codes.formats import CodeRef, MalformedCodes, parse_code_list
from jobboard.codes.meanings import Meanings
from jobboard.codes.services import check_against_catalog
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.limits import next_free_slot
from jobboard.models import Company, CompanyLogo, Job, JobCode, JobCredential, JobSpecialty, User
from jobboard.models import job as st
from jobboard.models.job import listing_loads
from jobboard.search import outbox
from jobboard.transactions import atomic


@dataclass
class JobFields:
    title: str
    description: str
    codes: str | list[str]
    setting: str
    work_mode: str
    employment_type: str
    specialties: list[str] = field(default_factory=list)
    required_credentials: list[str] = field(default_factory=list)
    preferred_credentials: list[str] = field(default_factory=list)
    city: str | None = None
    state: str | None = None
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_period: str | None = None
    min_years: int = 0
    charts_per_day: int | None = None
    accuracy_pct: Decimal | None = None


def _check_choice(errors, name, value, vocabulary, required=True, missing="Choose one."):
    if value in (None, ""):
        if required:
            errors.setdefault(name, []).append(missing)
    elif value not in vocabulary:
        errors.setdefault(name, []).append(f'"{value}" is not one of the choices.')


def validate(f: JobFields):
    """Every rule a posting must meet; returns its parsed codes or raises InvalidInput."""
    errors: dict[str, list[str]] = {}
    texts = {"title": rules.JOB_TITLE, "description": rules.JOB_DESCRIPTION, "city": rules.CITY,
             "codes": rules.CODES}
    for name, rule in texts.items():
        value = getattr(f, name)
        for text in value if isinstance(value, list) else [value]:
            rules.check(errors, name, text, rule)
    if errors:  # the rest would read text that is not fit to read
        raise InvalidInput(errors)
    if not f.title or not f.title.strip():
        errors["title"] = ["Give the job a title."]
    if not f.description or len(f.description.strip()) < 20:
        errors["description"] = ["Describe the job in at least 20 characters."]
    try:
        codes = parse_code_list(f.codes)
    except MalformedCodes as e:
        errors["codes"] = [str(e)]
        codes = []
    else:
        if not codes:
            errors["codes"] = ["Tag the job with at least one code, e.g. 38206 or C92.00."]
        elif len(codes) > 50:
            errors["codes"] = ["Tag at most 50 codes."]
        elif unknown := check_against_catalog(codes)[0]:
            errors["codes"] = unknown
    _check_choice(errors, "setting", f.setting, vocab.SETTINGS)
    _check_choice(errors, "work_mode", f.work_mode, vocab.WORK_MODES)
    _check_choice(errors, "employment_type", f.employment_type, vocab.EMPLOYMENT_TYPES)
    _check_choice(errors, "state", f.state, vocab.US_STATES, required=f.work_mode != "remote",
                  missing="Name the state: only remote jobs may leave it out.")
    if f.work_mode in ("hybrid", "onsite") and not (f.city or "").strip():
        errors["city"] = ["Say where the job is: hybrid and onsite jobs need a city."]
    for name in ("specialties",):
        unknown = [s for s in f.specialties if s not in vocab.SPECIALTIES]
        if unknown:
            errors[name] = [f"Unknown specialty: {', '.join(unknown)}."]
    for name in ("required_credentials", "preferred_credentials"):
        unknown = [c for c in getattr(f, name) if c not in vocab.CREDENTIALS]
        if unknown:
            errors[name] = [f"Unknown credential: {', '.join(unknown)}."]
    both = sorted(set(f.required_credentials) & set(f.preferred_credentials))
    if both:
        errors.setdefault("preferred_credentials", []).append(
            f"{', '.join(both)} is already required; list it once."
        )
    for name in ("salary_min", "salary_max"):
        value = getattr(f, name)
        if value is not None and (value <= 0 or value >= Decimal("10000000")):
            errors[name] = ["Enter an amount greater than 0."]
    if f.salary_min is not None and f.salary_max is not None and f.salary_min > f.salary_max:
        errors.setdefault("salary_max", []).append(
            "The maximum must be at least the minimum."
        )
    if (f.salary_min is not None or f.salary_max is not None):
        _check_choice(errors, "salary_period", f.salary_period, vocab.SALARY_PERIODS)
    if f.min_years is None or not 0 <= f.min_years <= 50:
        errors["min_years"] = ["Enter a number of years from 0 to 50."]
    if f.charts_per_day is not None and not 1 <= f.charts_per_day <= 1000:
        errors["charts_per_day"] = ["Enter a number of charts from 1 to 1000."]
    if f.accuracy_pct is not None and not 0 < f.accuracy_pct <= 100:
        errors["accuracy_pct"] = ["Enter a percentage from 1 to 100."]
    if errors:
        raise InvalidInput(errors)
    return codes


def visible_job(job_id: int, user) -> Job | None:
    """The job with what its page shows loaded, if this user may see it; else None."""
    job = db.session.scalar(select(Job).where(Job.id == job_id).options(*listing_loads()))
    return job if job is not None and job.is_visible_to(user) else None


def public_company(slug: str) -> Company | None:
    """A company whose page is public: any but a suspended one."""
    company = db.session.scalar(select(Company).where(Company.slug == (slug or "")[:140]))
    return company if company is not None and not company.is_suspended else None


def public_logo(slug: str) -> CompanyLogo | None:
    """The logo of a company whose page is public."""
    company = public_company(slug)
    return db.session.get(CompanyLogo, company.id) if company and company.logo_version else None


def company_open_jobs(company: Company, page: int, per_page: int):
    return db.paginate(select(Job).where(Job.company_id == company.id, Job.is_open(utcnow()))
                       .options(*listing_loads())
                       .order_by(Job.published_at.desc(), Job.id.desc()),
                       page=page, per_page=per_page, error_out=False)


def code_notes(job: Job) -> list[str]:
    """What the employer should know about the job's codes, shown after saving: the codes we
    have no entry for (most CPT codes: we ship no AMA descriptors), and where they fall."""
    unlisted = check_against_catalog([CodeRef(c.system, c.code) for c in job.codes])[1]
    if not unlisted:
        return []
    return [f"Not in our code catalog, but inside ranges we know: {'; '.join(unlisted)}. "
            "Check these are the codes you mean."]


def managed_job(job_id: int, user: User) -> Job | None:
    """One of the user's company's jobs, or None (another company's job is like a missing
    one: ids reveal nothing)."""
    job = db.session.get(Job, job_id)
    return job if job is not None and job.is_managed_by(user) else None


def ensure_can_manage(job: Job, user: User) -> None:
    if not job.is_managed_by(user):
        raise NotAllowed("Only the company that posted this job may change it.")


def _apply_fields(job: Job, f: JobFields, codes) -> None:
    job.title = f.title.strip()
    job.description = f.description.strip()
    job.setting = f.setting
    job.work_mode = f.work_mode
    job.employment_type = f.employment_type
    job.city = (f.city or "").strip() or None
    job.state = f.state or None
    job.salary_min = f.salary_min
    job.salary_max = f.salary_max
    has_pay = f.salary_min is not None or f.salary_max is not None
    job.salary_period = f.salary_period if has_pay else None
    job.min_years = f.min_years
    job.charts_per_day = f.charts_per_day
    job.accuracy_pct = f.accuracy_pct

    existing = {(c.system, c.code): c for c in job.codes}
    job.codes = [
        existing.get((ref.system, ref.code)) or JobCode(system=ref.system, code=ref.code)
        for ref in codes
    ]
    for position, tag in enumerate(job.codes):
        tag.position = position
    have = {s.specialty: s for s in job.specialties}
    job.specialties = [have.get(s) or JobSpecialty(specialty=s) for s in dict.fromkeys(f.specialties)]
    creds = {c.credential: c for c in job.credentials}
    wanted = [(c, st.REQUIRED) for c in dict.fromkeys(f.required_credentials)]
    wanted += [(c, st.PREFERRED) for c in dict.fromkeys(f.preferred_credentials)]
    job.credentials = []
    for credential, requirement in wanted:
        row = creds.get(credential) or JobCredential(credential=credential)
        row.requirement = requirement
        job.credentials.append(row)
    refresh_search_fields(job, codes=codes)


def search_text(job: Job, company_name: str | None = None) -> str:
    """Everything a word search may match, in one text (the database search reads it)."""
    parts = [
        job.title, company_name or (job.company.name if job.company else ""), job.city or "",
        job.state or "", vocab.US_STATES.get(job.state or "", ""),
        vocab.WORK_MODES.get(job.work_mode, ""), vocab.SETTINGS.get(job.setting, ""),
        vocab.EMPLOYMENT_TYPES.get(job.employment_type, ""),
        *(vocab.SPECIALTIES.get(s.specialty, "") for s in job.specialties),
        *(c.credential for c in job.credentials), *(c.code for c in job.codes),
        job.description, *(job.code_meanings or []),
    ]
    return "\n".join(p for p in parts if p)


def refresh_search_fields(job: Job, codes=None, meanings: Meanings | None = None) -> None:
    refs = codes if codes is not None else [CodeRef(c.system, c.code) for c in job.codes]
    with db.session.no_autoflush:  # a new job is not in the session yet
        job.code_meanings = (meanings or Meanings()).of_all(refs)
    job.search_text = search_text(job)


def jobs_to_refresh(systems: list[str] | None = None, only_missing: bool = False) -> list[int]:
    stmt = select(Job.id).order_by(Job.id)
    if only_missing:
        stmt = stmt.where(Job.search_text == "")
    if systems:
        stmt = stmt.where(Job.id.in_(select(JobCode.job_id).where(JobCode.system.in_(systems))))
    return list(db.session.scalars(stmt))


def refresh_meanings(ids: list[int], batch: int = 500, progress=None) -> int:
    """After the catalog changed: recompute these jobs' code meanings and search text and
    queue their search documents. Returns how many."""
    meanings = Meanings()
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        for job in db.session.scalars(select(Job).where(Job.id.in_(chunk))
                                      .options(*listing_loads())):
            refresh_search_fields(job, meanings=meanings)
            outbox.enqueue(job.id)
        db.session.commit()
        if progress:
            progress(len(chunk))
    outbox.push_pending()
    return len(ids)


def _move(job: Job, expected: str, to: str) -> None:
    """Change the job's status in the database itself, only if it is still `expected`: of
    requests racing for the same move (a double click, parallel API calls) exactly one wins,
    on SQLite and PostgreSQL alike; the others are a Conflict."""
    moved = db.session.execute(
        update(Job).where(Job.id == job.id, Job.status == expected).values(status=to)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        db.session.rollback()
        raise Conflict("This job changed a moment ago (in another tab or request); reload it "
                       "to see where it stands.")
    job.status = to


def _commit(job: Job) -> Job:
    db.session.commit()
    outbox.push_pending()
    return job


@atomic
def create_job(company: Company, author: User, fields: JobFields) -> Job:
    """A new draft posting for the author's company."""
    if not author.recruits_for(company.id):
        raise NotAllowed("Only members of a company may post jobs for it.")
    codes = validate(fields)
    job = Job(company=company, created_by_id=author.id, status=st.DRAFT)
    _apply_fields(job, fields, codes)
    db.session.add(job)
    return _commit(job)


@atomic
def update_job(job: Job, by: User, fields: JobFields) -> Job:
    """Save changes. A published job whose company's jobs are reviewed goes back to review:
    an approved posting cannot be swapped for another one."""
    ensure_can_manage(job, by)
    codes = validate(fields)
    _apply_fields(job, fields, codes)
    if job.status == st.PUBLISHED and (reason := review_reason(job)):
        job.status, job.review_reason, job.submitted_at = st.PENDING, reason, utcnow()
    db.session.flush()
    outbox.enqueue(job.id)
    return _commit(job)


@atomic
def delete_draft(job: Job, by: User) -> None:
    """A draft that was never published goes for good (nobody saw or applied to it)."""
    ensure_can_manage(job, by)
    if not job.can_delete:
        raise Conflict("Only a draft that was never published can be deleted; close a "
                       "published job instead.")
    db.session.delete(job)
    db.session.commit()


def lifetime() -> timedelta:
    return timedelta(days=current_app.config["JOB_LIFETIME_DAYS"])


def review_reason(job: Job) -> str | None:
    """Why this job must wait for a moderator before it goes live, or None."""
    if job.moderator_note:
        return st.RESUBMITTED
    if not job.company.is_verified:
        return st.NEW_COMPANY
    if current_app.config["MODERATE_ALL_JOBS"]:
        return st.REVIEW_ALL
    return None


def check_daily_limit(job: Job, now: datetime) -> None:
    """At most JOBS_PER_COMPANY_PER_DAY jobs submitted per company in any 24 hours."""
    limit = current_app.config["JOBS_PER_COMPANY_PER_DAY"]
    if free_at := next_free_slot(Job.submitted_at, [Job.company_id == job.company_id,
                                                    Job.id != job.id], limit, now):
        raise Conflict(f"Your company has published {limit} jobs in the last 24 hours, the most "
                       f"we take in a day. This one can go out after {free_at:%B %-d, %H:%M} "
                       "UTC; it is saved as a draft.")


@atomic
def publish_job(job: Job, by: User, now: datetime | None = None) -> Job:
    """Publish a draft, or put it in the review queue when its company's jobs are reviewed
    (see review_reason). Returns the job; its status says which."""
    ensure_can_manage(job, by)
    if job.status == st.PENDING:
        raise Conflict("This job is already waiting for review.")
    if not job.can_publish:
        raise Conflict("Only a draft can be published; this job is already "
                       f"{job.display_status(now)}.")
    if not by.is_verified:
        raise Conflict(f"Confirm your email address before publishing: open the link we sent "
                       f"to {by.email}, or ask for a new one from your account settings.")
    validate(to_fields(job))
    now = now or utcnow()
    check_daily_limit(job, now)
    reason = review_reason(job)
    _move(job, st.DRAFT, st.PENDING if reason else st.PUBLISHED)
    job.submitted_at = now
    if reason:
        job.review_reason, job.closed_at = reason, None
        return _commit(job)
    job.published_at = now
    job.expires_at = now + lifetime()
    job.closed_at = None
    outbox.enqueue(job.id)
    return _commit(job)


@atomic
def close_job(job: Job, by: User, outcome: str = st.CLOSED, now: datetime | None = None) -> Job:
    ensure_can_manage(job, by)
    if outcome not in (st.CLOSED, st.FILLED):
        raise InvalidInput({"outcome": ["Choose closed or filled."]})
    if not job.can_close:
        raise Conflict(f"Only a published job can be closed; this one is {job.status}.")
    job.status = outcome
    job.closed_at = now or utcnow()
    outbox.enqueue(job.id)
    return _commit(job)


@atomic
def renew_job(job: Job, by: User, now: datetime | None = None) -> Job:
    """Another full lifetime from now, for a published or expired job."""
    ensure_can_manage(job, by)
    if not job.can_renew:
        raise Conflict(f"Only a published or expired job can be renewed; this one is {job.status}.")
    now = now or utcnow()
    job.status = st.PUBLISHED
    job.expires_at = now + lifetime()
    job.expiry_reminded_at = job.expired_notified_at = None  # remind again before the new date
    outbox.enqueue(job.id)
    return _commit(job)


def expire_due_jobs(now: datetime | None = None) -> int:
    """Mark published jobs past their expiry as expired; returns how many."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(Job.id).where(Job.status == st.PUBLISHED, Job.expires_at <= now)
    ).all()
    if ids:
        db.session.execute(
            update(Job).where(Job.id.in_(ids)).values(status=st.EXPIRED, updated_at=now)
        )
        for job_id in ids:
            outbox.enqueue(job_id)
        db.session.commit()
        outbox.push_pending()
    return len(ids)


def to_fields(job: Job) -> JobFields:
    return JobFields(
        title=job.title, description=job.description,
        codes=[c.code for c in job.codes], setting=job.setting, work_mode=job.work_mode,
        employment_type=job.employment_type, specialties=job.specialty_slugs,
        required_credentials=job.required_credentials,
        preferred_credentials=job.preferred_credentials, city=job.city, state=job.state,
        salary_min=job.salary_min, salary_max=job.salary_max, salary_period=job.salary_period,
        min_years=job.min_years, charts_per_day=job.charts_per_day,
        accuracy_pct=job.accuracy_pct,
    )
