"""The filter vocabulary, defined once: URL parameter, index attribute, facet heading, the
allowed values and their labels, and the SQL condition of the degraded mode.

The query parser, the Meilisearch filter builder, the SQL search, the index settings and the
page's facet links all read this table.
"""
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import exists, or_, select

from jobboard import vocab
from jobboard.models import Job, JobCredential, JobSpecialty
from jobboard.models import job as st


def _tagged(model, column) -> Callable:
    # Tag filters start from the (indexed) tag table rather than probing each job's tags.
    return lambda values: Job.id.in_(select(model.job_id).where(column.in_(values)))


def _qualifies(values):
    """A coder holding any of these credentials qualifies: the job requires one of them, or
    requires none. Asked of each job through its credentials' key (job_id, credential): as
    `id IN (...) OR id NOT IN (...)` PostgreSQL read every required credential into a hash
    and scanned every job, even when a code had narrowed the search to a few thousand
    (100,000 postings, E11.9 and CRC: 159 -> 56 ms a statement)."""
    required = (JobCredential.job_id == Job.id, JobCredential.requirement == st.REQUIRED)
    return or_(exists().where(*required, JobCredential.credential.in_(values)),
               ~exists().where(*required))


@dataclass(frozen=True)
class Filter:
    param: str
    attribute: str  # in the jobs index, filterable and a facet
    heading: str
    vocabulary: dict[str, str]
    sql: Callable  # values -> SQL condition on Job
    show_values: bool = False  # credentials show as CPC, not their long names
    upper: bool = False  # state codes are case-insensitive
    in_words: bool = False  # a value typed among the words is read as this filter (remote)

    def label(self, value: str) -> str:
        return value if self.show_values else self.vocabulary.get(value, value)


FILTERS: tuple[Filter, ...] = (
    Filter("specialty", "specialties", "Specialty", vocab.SPECIALTIES,
           _tagged(JobSpecialty, JobSpecialty.specialty)),
    Filter("credential", "qualifying_credentials", "Credentials you hold", vocab.CREDENTIALS,
           _qualifies, show_values=True, in_words=True),
    Filter("setting", "setting", "Coding setting", vocab.SETTINGS, Job.setting.in_),
    Filter("work_mode", "work_mode", "Work mode", vocab.WORK_MODES, Job.work_mode.in_,
           in_words=True),
    Filter("state", "state", "State", vocab.US_STATES, Job.state.in_, upper=True),
    Filter("employment_type", "employment_type", "Employment type", vocab.EMPLOYMENT_TYPES,
           Job.employment_type.in_),
)
BY_PARAM: dict[str, Filter] = {f.param: f for f in FILTERS}
# Words that name a filter value, as typed in a search ("remote", "on-site", "CPC"): the
# query reader offers them as the filter, and a quoted word ("remote") stays a word.
FILTER_WORDS: dict[str, tuple[Filter, str]] = {
    value.casefold(): (f, value) for f in FILTERS if f.in_words for value in f.vocabulary}
FILTER_WORDS["on-site"] = (BY_PARAM["work_mode"], "onsite")


def qualifying_credentials(job: Job) -> list[str]:
    """The credentials with which a coder qualifies for the job: its required ones, or every
    credential when it requires none (preferred ones are a plus, not a condition)."""
    return job.required_credentials or sorted(vocab.CREDENTIALS)


def quote(value: str) -> str:
    """A value as a Meilisearch filter string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def any_of(attribute: str, values: list[str]) -> str:
    return f"{attribute} IN [{', '.join(quote(v) for v in values)}]"
