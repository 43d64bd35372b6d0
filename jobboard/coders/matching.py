"""How a coder's profile matches a job: the requirements met or missing, the preferred
credentials held, and a fit score for ranking "Jobs for me"."""
from dataclasses import dataclass, field

from jobboard import vocab


@dataclass
class Match:
    meets: bool
    missing: list[str] = field(default_factory=list)  # "needs CCS", "3 years required, ..."
    preferred_held: list[str] = field(default_factory=list)
    score: int = 0  # higher fits better; only among jobs the coder meets

    @property
    def summary(self) -> str:
        if self.meets:
            return "You meet the requirements"
        text = "; ".join(self.missing)
        return text[:1].upper() + text[1:]


# The ranking rules, as the "Jobs for me" page explains them.
RULES = [
    "Only jobs whose requirements you meet: one of the required credentials (or none "
    "required) and at least the years of experience asked.",
    "Then, higher first: each preferred credential you hold (+3), each of your specialties "
    "the job has (+2), the job's work mode matching your preference (+2), an onsite or hybrid "
    "job in your state (+1).",
    "Ties: the newest job first.",
]


def match(job, profile) -> Match:
    held = set(profile.credentials or [])
    missing = []
    if not job.qualifies_with(held):
        missing.append(f"needs {' or '.join(job.required_credentials)}")
    years = profile.years_experience or 0
    if job.min_years and years < job.min_years:
        missing.append(f"{job.min_years} year{'s' if job.min_years != 1 else ''} required, "
                       f"you have {years}")
    preferred = [c for c in job.preferred_credentials if c in held]
    score = 3 * len(preferred)
    score += 2 * len(set(profile.specialties or []) & set(job.specialty_slugs))
    if profile.remote_preference in vocab.WORK_MODES and profile.remote_preference == job.work_mode:
        score += 2
    if job.work_mode != "remote" and profile.state and profile.state == job.state:
        score += 1
    return Match(meets=not missing, missing=missing, preferred_held=preferred, score=score)
