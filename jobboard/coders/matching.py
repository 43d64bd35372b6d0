"""How a coder's profile matches a job: the requirements met or missing, the preferred
credentials held, and a fit score for ranking "Jobs for me"."""
from dataclasses import dataclass, field

from jobboard import vocab


@dataclass
class Match:
    meets: bool
    needs: list[str] = field(default_factory=list)  # the required credentials, none held
    years_required: int = 0  # when the profile has fewer years than the job asks
    years: int = 0
    preferred_held: list[str] = field(default_factory=list)
    score: int = 0  # higher fits better; only among jobs the coder meets

    def _missing(self, has: str) -> list[str]:
        missing = [f"needs {' or '.join(self.needs)}"] if self.needs else []
        if self.years_required:
            missing.append(f"{self.years_required} year{'s' if self.years_required != 1 else ''}"
                           f" required, {has} {self.years}")
        return missing

    @property
    def missing(self) -> list[str]:
        """To the coder: "needs CCS", "3 years required, you have 1"."""
        return self._missing("you have")

    @property
    def summary(self) -> str:
        if self.meets:
            return "You meet the requirements"
        return _sentence("; ".join(self.missing))

    @property
    def applicant_summary(self) -> str:
        """The same rule, said to the employer about an applicant."""
        if self.meets:
            return "Meets the requirements"
        return _sentence("; ".join(self._missing("has")))


def _sentence(text: str) -> str:
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
    needs = [] if job.qualifies_with(held) else list(job.required_credentials)
    years = profile.years_experience or 0
    years_required = job.min_years if job.min_years and years < job.min_years else 0
    preferred = [c for c in job.preferred_credentials if c in held]
    score = 3 * len(preferred)
    score += 2 * len(set(profile.specialties or []) & set(job.specialty_slugs))
    if profile.remote_preference in vocab.WORK_MODES and profile.remote_preference == job.work_mode:
        score += 2
    if job.work_mode != "remote" and profile.state and profile.state == job.state:
        score += 1
    return Match(meets=not needs and not years_required, needs=needs,
                 years_required=years_required, years=years, preferred_held=preferred,
                 score=score)
