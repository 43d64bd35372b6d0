"""Reading a job search from query parameters: codes, words, filters, sort, page."""
import re
from dataclasses import dataclass, field
from datetime import datetime

from werkzeug.datastructures import MultiDict

from jobboard import vocab
from jobboard.codes.formats import recognise

SORTS = ("relevance", "newest", "salary")
MAX_PER_PAGE = 100
FILTERS = {
    "specialty": vocab.SPECIALTIES,
    "credential": vocab.CREDENTIALS,
    "setting": vocab.SETTINGS,
    "work_mode": vocab.WORK_MODES,
    "state": vocab.US_STATES,
    "employment_type": vocab.EMPLOYMENT_TYPES,
}


@dataclass
class JobQuery:
    q: str = ""
    words: str = ""  # q without the tokens that are codes
    codes: list[str] = field(default_factory=list)
    code_prefix: str | None = None  # a digits-only fragment such as 3820: the code family
    filters: dict[str, list[str]] = field(default_factory=dict)
    salary_min: int | None = None
    posted_within: int | None = None
    published_after: datetime | None = None  # set by job alerts, not by a URL parameter
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    problems: list[str] = field(default_factory=list)


def _positive_int(args, name, problems, default=None, maximum=None):
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f'Ignored {name}="{raw}": it is not a whole number.')
        return default
    if value < 1:
        problems.append(f"Ignored {name}={value}: it must be 1 or more.")
        return default
    if maximum and value > maximum:
        problems.append(f"{name} is at most {maximum}; showing {maximum}.")
        return maximum
    return value


def parse_args(args: MultiDict, default_per_page: int = 20) -> JobQuery:
    problems: list[str] = []
    q = " ".join(args.get("q", "").split())[:200]
    codes: list[str] = []
    words: list[str] = []
    code_prefix = None
    for token in q.split():
        ref = recognise(token.strip(",;"))
        # In free text a seven-letter word such as CHARTED fits the ICD-10-PCS format; a
        # searched code needs a digit (the rare all-letter PCS code can use ?code=).
        if ref and any(ch.isdigit() for ch in ref.code):
            codes.append(ref.code)
        elif token.isdigit() and 3 <= len(token) <= 4 and code_prefix is None:
            code_prefix = token
        else:
            words.append(token)
    family = args.get("family", "").strip().upper().replace(".", "")
    if family:
        if re.fullmatch(r"[0-9A-Z]{1,4}", family):
            code_prefix = family
        else:
            problems.append(f'Ignored family "{family}": give the first 1 to 4 characters '
                            "of a code.")
    for raw in args.getlist("code"):
        ref = recognise(raw)
        if ref is None:
            if raw.strip():
                problems.append(f'Ignored code "{raw.strip()}": it is not a valid code.')
        elif ref.code not in codes:
            codes.append(ref.code)
    filters: dict[str, list[str]] = {}
    for name, known in FILTERS.items():
        values = []
        for value in args.getlist(name):
            value = value.strip()
            if not value:
                continue
            if name == "state":
                value = value.upper()
            if value in known:
                if value not in values:
                    values.append(value)
            else:
                problems.append(f'Ignored {name.replace("_", " ")} "{value}": not one we know.')
        filters[name] = values
    sort = args.get("sort", "").strip() or ("relevance" if (words or codes) else "newest")
    if sort not in SORTS:
        problems.append(f'Ignored sort "{sort}"; sorting by relevance.')
        sort = "relevance"
    return JobQuery(
        q=q, words=" ".join(words), codes=codes, code_prefix=code_prefix, filters=filters,
        salary_min=_positive_int(args, "salary_min", problems),
        posted_within=_positive_int(args, "posted_within", problems, maximum=3650),
        sort=sort,
        page=_positive_int(args, "page", problems, default=1, maximum=10_000),
        per_page=_positive_int(args, "per_page", problems, default=default_per_page,
                               maximum=MAX_PER_PAGE),
        problems=problems,
    )
