"""Pay insights: what open (or last year's) jobs pay, per slice, on one annual scale.

Each job counts once, at the middle of its posted range, annualised (hourly x 2,080). Figures
are computed in the database: PostgreSQL's percentile_cont; on SQLite the slice's pay values
are read and interpolated the same way in Python (statistics.quantiles, "inclusive", is the
same linear interpolation), in one read for the slice and all its splits. Fewer than MIN_JOBS
jobs give a count only: no figure from one or two postings. Results are cached per slice for
CACHE_SECONDS in the app's cache (Redis with REDIS_URL: every process and host shares each
figure; per process otherwise), keyed by the time of the newest change to any job as well: a
job published, edited or closed in any process starts new figures in every process at once,
so two processes never show two counts for the same search.
"""
import hashlib
import logging
import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Float, and_, func, literal, or_, select, type_coerce

from jobboard import vocab
from jobboard.database import utcnow
from jobboard.extensions import cache, db
from jobboard.models import Job, JobCode, JobCredential, JobSpecialty
from jobboard.models import job as st
from jobboard.search.sql import job_code_is

log = logging.getLogger(__name__)
MIN_JOBS = 5
CACHE_SECONDS = 300
OPEN, YEAR = "open", "year"
# Short: the select under "Jobs" is a sixth of the page wide, half a phone's.
WINDOWS = {OPEN: "Open now", YEAR: "Past year"}


@dataclass(frozen=True)
class Slice:
    """Which jobs: every filter optional. `credential` means jobs that require it; `under`,
    jobs with `code` or a code under it (an ICD-10-CM category: C92 has C92.00 ...)."""
    code: str | None = None
    specialty: str | None = None
    credential: str | None = None
    state: str | None = None
    work_mode: str | None = None
    window: str = OPEN
    under: bool = False


@dataclass
class Pay:
    count: int
    p25: int | None = None
    median: int | None = None
    p75: int | None = None

    @property
    def enough(self) -> bool:
        return self.median is not None


@dataclass
class Group:
    key: str
    label: str
    pay: Pay


@dataclass
class Insight:
    slice: Slice
    overall: Pay
    groups: dict[str, list[Group]] = field(default_factory=dict)


def _where(s: Slice) -> list:
    now = utcnow()
    if s.window == YEAR:
        conditions = [Job.published_at > now - timedelta(days=365),
                      Job.was_public]
    else:
        conditions = [Job.is_open(now)]
    conditions.append(or_(Job.salary_min.is_not(None), Job.salary_max.is_not(None)))
    if s.code:
        conditions.append(Job.id.in_(select(JobCode.job_id)
                                     .where(job_code_is(s.code, s.under))))
    if s.specialty:
        conditions.append(Job.id.in_(select(JobSpecialty.job_id)
                                     .where(JobSpecialty.specialty == s.specialty)))
    if s.credential:
        conditions.append(Job.id.in_(select(JobCredential.job_id).where(
            JobCredential.credential == s.credential, JobCredential.requirement == st.REQUIRED)))
    if s.state:
        conditions.append(Job.state == s.state)
    if s.work_mode:
        conditions.append(Job.work_mode == s.work_mode)
    return conditions


# What the insights split by: (the grouped column, the join it needs, label lookup).
DIMENSIONS = {
    "credential": (JobCredential.credential, (JobCredential, and_(
        JobCredential.job_id == Job.id, JobCredential.requirement == st.REQUIRED)),
        lambda k: k),
    "specialty": (JobSpecialty.specialty, (JobSpecialty, JobSpecialty.job_id == Job.id),
                  lambda k: vocab.SPECIALTIES.get(k, k)),
    "state": (Job.state, None, lambda k: vocab.US_STATES.get(k, k)),
    "setting": (Job.setting, None, lambda k: vocab.SETTINGS.get(k, k)),
    "work_mode": (Job.work_mode, None, lambda k: vocab.WORK_MODES.get(k, k)),
}


def _pay(n: int, p25: float, median: float, p75: float) -> Pay:
    """The floor: below MIN_JOBS jobs a count and no figure."""
    return Pay(n) if n < MIN_JOBS else Pay(n, round(p25), round(median), round(p75))


def _figures(values: list[float]) -> Pay:
    if len(values) < MIN_JOBS:
        return Pay(count=len(values))
    return _pay(len(values), *statistics.quantiles(values, n=4, method="inclusive"))


def _grouped(s: Slice, dimension: str | None) -> dict[str, Pay]:
    """PostgreSQL: pay per value of `dimension` (or "" for the whole slice), one query each."""
    column, join, _ = DIMENSIONS[dimension] if dimension else (literal(""), None, None)
    stmt = select(column.label("key"), func.count(),
                  *(func.percentile_cont(q).within_group(Job.annual_pay_middle) for q in (0.25, 0.5, 0.75))
                  ).select_from(Job)
    if join is not None:
        stmt = stmt.join(*join)
    stmt = stmt.where(*_where(s), column.is_not(None)).group_by(column)
    return {k: _pay(n, *figures) for k, n, *figures in db.session.execute(stmt)}


_SEP = "\x1f"  # between a job's credentials (or specialties) as SQLite gathers them


def _float_pay():
    # A float as SQLite computes it: as Numeric, SQLAlchemy made a Decimal of every value
    # (a third of reading a year of jobs).
    return type_coerce(Job.annual_pay_middle, Float)


def _split_sqlite(s: Slice, dimensions: tuple[str, ...]) -> dict[str | None, dict[str, Pay]]:
    """SQLite: the slice's pay and its split by every dimension in one read, a job's
    credentials and specialties gathered beside it (one read of a year of 100,000 jobs took
    0.4 s, each dimension's own read with its join 0.8 s)."""
    columns = []
    for name in dimensions:
        column, join, _ = DIMENSIONS[name]
        columns.append(column if join is None else
                       select(func.group_concat(column, _SEP)).where(join[1]).scalar_subquery())
    values: dict[str | None, dict[str, list[float]]] = {
        None: {"": []}, **{name: {} for name in dimensions}}
    for pay, *keys in db.session.execute(select(_float_pay(), *columns).where(*_where(s))):
        values[None][""].append(pay)
        for name, key in zip(dimensions, keys, strict=True):
            for k in key.split(_SEP) if key else ():
                values[name].setdefault(k, []).append(pay)
    return {name: {k: _figures(v) for k, v in groups.items() if v}
            for name, groups in values.items()}


def pay_insight(s: Slice, dimensions: tuple[str, ...] = ()) -> Insight:
    """The slice's pay, and its split by each dimension (biggest groups first)."""
    key = repr((s, dimensions, db.engine.url.render_as_string(), _jobs_changed_at()))
    cache_key = "pay:" + hashlib.sha256(key.encode()).hexdigest()[:32]
    if (cached := _cache_get(cache_key)) is not None:
        return cached
    if db.engine.dialect.name == "postgresql":
        split = {name: _grouped(s, name) for name in (None, *dimensions)}
    else:
        split = _split_sqlite(s, dimensions)
    insight = Insight(s, split[None].get("", Pay(0)))
    for name in dimensions:
        label = DIMENSIONS[name][2]
        groups = [Group(k, label(k), p) for k, p in split[name].items()]
        insight.groups[name] = sorted(groups, key=lambda g: (-g.pay.count, g.label))
    _cache_set(cache_key, insight)
    return insight


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception as e:  # Redis unreachable: compute the figure instead of failing the page
        log.warning("pay figures' cache unavailable: %s", e)
        return None


def _cache_set(key: str, value) -> None:
    try:
        cache.set(key, value, timeout=CACHE_SECONDS)
    except Exception as e:
        log.warning("pay figures' cache unavailable: %s", e)


def _jobs_changed_at():
    """When any job last changed (one step down ix_job_updated_at)."""
    return db.session.scalar(select(func.max(Job.updated_at)))


def clear_cache() -> None:
    cache.clear()
