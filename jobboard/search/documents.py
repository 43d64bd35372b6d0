"""A job as a search document: only what a listing shows or is searched by."""
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, select

from jobboard import vocab
from jobboard.codes.formats import CPT, code_prefixes
from jobboard.extensions import db
from jobboard.models import Company, Job, JobCode, JobCredential, JobSpecialty
from jobboard.models import job as job_model
from jobboard.search.sql import among

_MARKUP = re.compile(r"[*_`#>\[\]()]+")


def _timestamp(value) -> int | None:
    return int(value.timestamp()) if value else None


def _number(value):
    return float(value) if value is not None else None


def listing(job: "Job | JobRow") -> dict:
    """The public listing as the API serves it (without its URLs): stored in the search
    document, so an API search answers from Meilisearch without loading rows."""
    return {
        "id": job.id,
        "title": job.title,
        "company": job.company.name,
        "company_verified": job.company.is_verified,
        "codes": [{"system": c.system, "code": c.code} for c in job.codes],
        "specialties": job.specialty_slugs,
        "credentials": job.required_credentials + job.preferred_credentials,
        "required_credentials": job.required_credentials,
        "setting": job.setting,
        "work_mode": job.work_mode,
        "city": job.city,
        "state": job.state,
        "salary_min": _number(job.salary_min),
        "salary_max": _number(job.salary_max),
        "salary_period": job.salary_period,
        "employment_type": job.employment_type,
        "published_at": job.published_at.isoformat() if job.published_at else None,
        "expires_at": job.expires_at.isoformat() if job.expires_at else None,
    }


def document(job: "Job | JobRow") -> dict:
    creds = job.required_credentials + job.preferred_credentials
    return {
        "id": job.id,
        "title": job.title,
        "company": job.company.name,
        "description": _MARKUP.sub(" ", job.description)[:4000],
        "code_meanings": job.code_meanings or [],
        "codes": [c.code for c in job.codes],
        "code_prefixes": sorted({p for c in job.codes for p in code_prefixes(c.system, c.code)}),
        "cpt_numbers": sorted(int(c.code) for c in job.codes
                              if c.system == CPT and c.code.isdigit()),
        "specialties": job.specialty_slugs,
        "specialty_names": [vocab.SPECIALTIES[s] for s in job.specialty_slugs],
        "credentials": creds,
        "qualifying_credentials": job.qualifying_credentials,
        "setting": job.setting,
        "setting_name": vocab.SETTINGS.get(job.setting, job.setting),
        "work_mode": job.work_mode,
        "work_mode_name": vocab.WORK_MODES.get(job.work_mode, job.work_mode),
        "city": job.city,
        "state": job.state,
        "state_name": vocab.US_STATES.get(job.state or "", None),
        "employment_type": job.employment_type,
        "salary_annual_max": job.annual_pay_top,
        "published_at": _timestamp(job.published_at),
        "expires_at": _timestamp(job.expires_at),
        "listing": listing(job),
    }


@dataclass(frozen=True, slots=True)
class _Company:
    name: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class _Code:
    system: str
    code: str


@dataclass(frozen=True, slots=True)
class JobRow:
    """A job as a full reindex reads it: what `document` reads of a Job, from four plain
    statements per batch instead of ORM objects. Loading 20,000 jobs through the ORM took
    most of a reindex's Python time (profiled), time taken from Meilisearch's indexing on
    the same cores. `test_search` checks that both give the same documents."""
    id: int
    title: str
    description: str
    code_meanings: list | None
    setting: str
    work_mode: str
    city: str | None
    state: str | None
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_period: str | None
    employment_type: str
    published_at: datetime | None
    expires_at: datetime | None
    company: _Company
    codes: list[_Code]
    specialty_slugs: list[str]
    required_credentials: list[str]
    preferred_credentials: list[str]

    # The Job model's pay rules, read from these plain columns.
    annual_salary_min = property(job_model.Job.__dict__["annual_salary_min"].fget)
    annual_salary_max = property(job_model.Job.__dict__["annual_salary_max"].fget)
    annual_pay_top = property(job_model.Job.__dict__["annual_pay_top"].fget)
    qualifying_credentials = job_model.Job.qualifying_credentials


_COLUMNS = ("id", "title", "description", "code_meanings", "setting", "work_mode", "city",
            "state", "salary_min", "salary_max", "salary_period", "employment_type",
            "published_at", "expires_at")


def job_rows(where, after_id: int, limit: int) -> list[JobRow]:
    """The next `limit` jobs matching `where` with ids above `after_id`, in id order.

    Read by primary key with `where` as a column, the rows it rejects skipped here: with
    `where` (the status) in the WHERE clause, SQLite read the status index and sorted every
    open job for each batch, 0.11 s a batch at 100,000 postings and a 100,000-job reindex
    read 25 s (measured); by primary key a batch costs the same at any size."""
    jobs: list = []
    while len(jobs) < limit:
        scanned = db.session.execute(
            select(*(getattr(Job, c) for c in _COLUMNS), Company.name, Company.verified_at,
                   case((where, True), else_=False).label("wanted"))
            .join(Company, Job.company_id == Company.id)
            .where(Job.id > after_id).order_by(Job.id).limit(limit)).all()
        if not scanned:
            break
        jobs += [row for row in scanned if row.wanted]
        after_id = scanned[-1].id
    jobs = jobs[:limit]  # the caller goes on from the last id it was given
    if not jobs:
        return []
    ids = [row.id for row in jobs]
    codes, specialties = defaultdict(list), defaultdict(list)
    credentials = defaultdict(lambda: {job_model.REQUIRED: [], job_model.PREFERRED: []})
    for job_id, system, code in db.session.execute(
            select(JobCode.job_id, JobCode.system, JobCode.code)
            .where(among(JobCode.job_id, ids)).order_by(JobCode.job_id, JobCode.position)):
        codes[job_id].append(_Code(system, code))
    for job_id, specialty in db.session.execute(
            select(JobSpecialty.job_id, JobSpecialty.specialty)
            .where(among(JobSpecialty.job_id, ids))):
        specialties[job_id].append(specialty)
    for job_id, credential, requirement in db.session.execute(
            select(JobCredential.job_id, JobCredential.credential, JobCredential.requirement)
            .where(among(JobCredential.job_id, ids))):
        credentials[job_id][requirement].append(credential)
    return [JobRow(*row[:len(_COLUMNS)],
                   company=_Company(row.name, row.verified_at is not None),
                   codes=codes[row.id], specialty_slugs=sorted(specialties[row.id]),
                   required_credentials=sorted(credentials[row.id][job_model.REQUIRED]),
                   preferred_credentials=sorted(credentials[row.id][job_model.PREFERRED]))
            for row in jobs]
