"""A job as a search document: only what a listing shows or is searched by."""
import re

from jobboard import vocab
from jobboard.codes.formats import CPT, ICD10CM
from jobboard.models import Job

_MARKUP = re.compile(r"[*_`#>\[\]()]+")


def code_prefixes(system: str, code: str) -> list[str]:
    """The families a code belongs to: 382 and 3820 for 38206, C92 for C92.00."""
    if system == CPT:
        return [code[:3], code[:4]]
    if system == ICD10CM:
        return [code[:3]]
    return [code[:1]]


def _timestamp(value) -> int | None:
    return int(value.timestamp()) if value else None


def document(job: Job) -> dict:
    creds = job.required_credentials + job.preferred_credentials
    return {
        "id": job.id,
        "title": job.title,
        "company": job.company.name,
        "description": _MARKUP.sub(" ", job.description)[:4000],
        "codes": [c.code for c in job.codes],
        "code_prefixes": sorted({p for c in job.codes for p in code_prefixes(c.system, c.code)}),
        "specialties": job.specialty_slugs,
        "specialty_names": [vocab.SPECIALTIES[s] for s in job.specialty_slugs],
        "credentials": creds,
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
    }
