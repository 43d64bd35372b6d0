"""A job as a search document: only what a listing shows or is searched by."""
import re

from jobboard import vocab
from jobboard.codes.formats import CPT, ICD10CM
from jobboard.models import Job
from jobboard.search.filters import qualifying_credentials

_MARKUP = re.compile(r"[*_`#>\[\]()]+")


def code_prefixes(system: str, code: str) -> list[str]:
    """What a code is found under: its CPT family (382, 3820 for 38206), every ICD-10-CM level
    (C92, C92.0 and C92.00 itself for C92.00), the letter or section of HCPCS and PCS codes."""
    if system == CPT:
        return [code[:3], code[:4]]
    if system == ICD10CM:
        return [code[:3], *(code[:i] for i in range(5, len(code) + 1))]
    return [code[:1]]


def _timestamp(value) -> int | None:
    return int(value.timestamp()) if value else None


def _number(value):
    return float(value) if value is not None else None


def listing(job: Job) -> dict:
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


def document(job: Job) -> dict:
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
        "qualifying_credentials": qualifying_credentials(job),
        "setting": job.setting,
        "setting_name": vocab.SETTINGS.get(job.setting, job.setting),
        "work_mode": job.work_mode,
        "work_mode_name": vocab.WORK_MODES.get(job.work_mode, job.work_mode),
        "city": job.city,
        "state": job.state,
        "state_name": vocab.US_STATES.get(job.state or "", None),
        "employment_type": job.employment_type,
        "salary_annual_max": job.annual_salary_max or job.annual_salary_min,
        "published_at": _timestamp(job.published_at),
        "expires_at": _timestamp(job.expires_at),
        "listing": listing(job),
    }
