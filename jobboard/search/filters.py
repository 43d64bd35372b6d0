"""The filter vocabulary, defined once: URL parameter, index attribute, facet heading, the
allowed values and their labels, and the SQL condition of the degraded mode.

The query parser, the Meilisearch filter builder, the SQL search, the index settings and the
page's facet links all read this table.
"""
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from jobboard import vocab
from jobboard.models import Job, JobSpecialty


def _tagged(model, column) -> Callable:
    # Tag filters start from the (indexed) tag table rather than probing each job's tags.
    return lambda values: Job.id.in_(select(model.job_id).where(column.in_(values)))


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
           Job.qualifies_with_any, show_values=True, in_words=True),
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


def quote(value: str) -> str:
    """A value as a Meilisearch filter string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def any_of(attribute: str, values: list[str]) -> str:
    return f"{attribute} IN [{', '.join(quote(v) for v in values)}]"
