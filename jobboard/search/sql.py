"""Job search answered by the database: the browse page and the degraded mode."""
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import (
    Integer,
    and_,
    any_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

from jobboard import vocab
from jobboard.codes import vocabulary
from jobboard.codes.formats import CPT, prefix_systems
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import Job, JobCode, JobCredential, JobSpecialty, SearchOutbox
from jobboard.models import job as st
from jobboard.models.job import FTS_CONFIG, SEARCH_VECTOR, listing_loads
from jobboard.search.filters import FILTERS
from jobboard.search.query import JobQuery
from jobboard.search.results import SearchPage

# More jobs than this behind the index (an outage's backlog): the API checks every hit.
BEHIND_MAX = 100


def jobs_behind_index(limit: int = BEHIND_MAX) -> set[int] | None:
    """The jobs whose search documents may not show their latest state: those with a search
    outbox row not yet done. Every service that changes a job writes one in the same
    transaction, and a row is done only once Meilisearch has applied the change, so any other
    job's document is as the database has it. None when more than `limit` are behind.

    The API runs this while Meilisearch searches (it needs no hit ids), then checks only the
    hits among these (`still_open`): on PostgreSQL the check of every hit after the reply
    was a round trip of about 1 ms a search (0.9-1.1 ms timed inside requests). Read just
    after the search is sent, it can miss an update that reaches the index and is marked
    done in the fraction of a millisecond between Meilisearch's read and this one (the sync
    polls its task every 20 ms): that search then serves the job as it was a moment
    before, as a search sent a moment earlier would have."""
    rows = _fetch(_BEHIND, {"limit": int(limit) + 1})
    return None if len(rows) > limit else {job_id for job_id, in rows}


def still_open(ids: list[int], now: datetime) -> set[int]:
    """Which of these jobs are open (`Job.is_open`, read as a column). Read by primary key
    with the rule as a column: with the status in the WHERE clause SQLite chose the status
    index and scanned every published job."""
    if not ids:
        return set()
    return {job_id for job_id, is_open in _fetch(_STILL_OPEN, {"ids": ids, "now": now})
            if is_open}


# Built once: SQLAlchemy caches their compiled form, and the list of ids is one expanding
# parameter, so every search reuses the same statement whatever its number of hits.
_BEHIND = (select(SearchOutbox.job_id).distinct()
           .where(SearchOutbox.done_at.is_(None), SearchOutbox.job_id.is_not(None))
           .limit(bindparam("limit")))
_STILL_OPEN = (select(Job.id, Job.is_open(bindparam("now", type_=Job.expires_at.type)))
               .where(Job.id.in_(bindparam("ids", expanding=True))))


def _fetch(statement, params: dict) -> list[tuple]:
    """The rows of one read-only statement, through SQLAlchemy Core on a pooled connection
    (so its events, logging and statement counts see it)."""
    engine = db.engine
    # One statement, nothing to roll back: in autocommit PostgreSQL is not sent a BEGIN and a
    # ROLLBACK around it (0.54-0.73 -> 0.37-0.42 ms a search, measured at 20,000 postings).
    # SQLite's driver begins no transaction for a SELECT; switching its isolation level there
    # and back added a PRAGMA to every search.
    conn = engine.connect()
    if engine.dialect.name != "sqlite":
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
    with conn:
        return list(conn.execute(statement, params))


def _tagged_codes(*where):
    return Job.id.in_(select(JobCode.job_id).where(*where))


def code_under(prefix: str):
    """A job code that has `prefix` among its `code_prefixes`, as the index reads "under":
    C92 is ICD-10-CM's category, never the start of the HCPCS code C9257."""
    systems = prefix_systems(prefix)
    if not systems:
        return false()
    if db.engine.dialect.name == "sqlite":
        # A range on (system, code), which the index serves; SQLite's LIKE would scan.
        # Codes are [0-9A-Z.], all below "~" in byte order.
        return and_(JobCode.system.in_(systems), JobCode.code >= prefix,
                    JobCode.code < prefix + "~")
    return and_(JobCode.system.in_(systems), JobCode.code.startswith(prefix))


def job_code_is(code: str, under: bool = False, system: str | None = None):
    """A job code that is `code` (of `system`, when given), or with `under` any code under it
    (code_under): what a code page, a pay slice and a list of searched codes each need."""
    if under:
        return code_under(code)
    exact = JobCode.code == code
    return and_(JobCode.system == system, exact) if system else exact


def code_condition(query: JobQuery):
    """Any code part of the query, as in the Meilisearch filter."""
    ors = []
    if query.codes:
        ors.append(_tagged_codes(JobCode.code.in_(query.codes)))
    for prefix in query.prefixes:
        ors.append(_tagged_codes(code_under(prefix)))
    for low, high in query.ranges:
        # Five digits only: Category II and III codes (3820F, 0042T) sort between numbers.
        ors.append(_tagged_codes(JobCode.system == CPT,
                                 JobCode.code.between(f"{low:05d}", f"{high:05d}"),
                                 *(JobCode.code.not_like(f"%{s}") for s in "FTU")))
    return or_(*ors) if ors else None


def _codes_matched(query: JobQuery):
    """How many of a list's codes the job is tagged with, as a SQL expression."""
    def has(*where):
        return case((exists(select(JobCode.id).where(JobCode.job_id == Job.id, *where)), 1),
                    else_=0)
    return sum(has(job_code_is(t.value, under=t.kind != "code")) for t in query.terms)


def conditions(query: JobQuery, now: datetime) -> list:
    where = [Job.is_open(now)]
    if (codes := code_condition(query)) is not None:
        where.append(codes)
    if query.family:
        where.append(_tagged_codes(code_under(query.family)))
    for f in FILTERS:
        if values := query.filters.get(f.param):
            where.append(f.sql(values))
    if query.salary_min:
        where.append(Job.annual_pay_top >= query.salary_min)
    if query.posted_within:
        where.append(Job.published_at >= now - timedelta(days=query.posted_within))
    if query.published_after:
        where.append(Job.published_at > query.published_after)
    if query.words:
        where.append(words_condition(query.words))
    return where


def _fts_vector():
    """The job's full-text vector, kept by PostgreSQL in a generated column (migration
    35ed25272a30) with the GIN index on it, so ranking reads it instead of computing it again
    for every matching row. Not on the model: SQLite has no such column.

    The text is read twice, as written and with slashes as spaces: the parser reads
    "hematology/oncology" or "CPC/CCS" as one token (a file path); "E/M" is still found."""
    return literal_column(f"{Job.__tablename__}.{SEARCH_VECTOR}", TSVECTOR)


def words_condition(words: str):
    """Every word somewhere in the job's text (title, description, company, place, labels,
    code meanings): full-text search on PostgreSQL, a scan elsewhere. A term of the
    vocabulary may be found as what it means ("heart attack" or "myocardial infarction"),
    as Meilisearch's synonyms find it."""
    parts = vocabulary.alternatives(words)[:8]
    if db.engine.dialect.name == "postgresql":
        if all(len(p) == 1 for p in parts):  # the plain query, as the GIN index is built for
            return _fts_vector().op("@@")(
                func.plainto_tsquery(literal_column(f"'{FTS_CONFIG}'"), words))
        query = None
        for part in parts:
            either = None
            for phrase in part:
                one = func.plainto_tsquery(literal_column(f"'{FTS_CONFIG}'"), phrase)
                either = one if either is None else either.op("||")(one)
            query = either if query is None else query.op("&&")(either)
        return _fts_vector().op("@@")(query)
    # A quoted word ("remote", searched as a word rather than read as a filter) is the word.
    return and_(*(or_(*(and_(*(Job.search_text.ilike(f"%{w.replace('%', '').replace('_', '')}%")
                               for w in phrase.split())) for phrase in part))
                  for part in parts))


def search_jobs(query: JobQuery, now: datetime | None = None, degraded: bool = False,
                facets: bool = True) -> SearchPage:
    now = now or utcnow()
    where = conditions(query, now)
    total = db.session.scalar(select(func.count()).select_from(Job).where(*where)) or 0
    order = [Job.published_at.desc(), Job.id.desc()]
    if query.ranked_by_codes:
        order = [_codes_matched(query).desc(), *order]
    elif query.sort == "salary":
        order = [func.coalesce(Job.annual_pay_top, 0).desc(), *order]
    elif query.sort == "relevance" and query.words and db.engine.dialect.name == "postgresql":
        order = [func.ts_rank(_fts_vector(), func.plainto_tsquery(
            literal_column(f"'{FTS_CONFIG}'"), query.words)).desc(), *order]
    jobs = db.session.scalars(
        select(Job).where(*where).order_by(*order)
        .options(*listing_loads())
        .limit(query.per_page).offset((query.page - 1) * query.per_page)
    ).all()
    counted = facets and total <= FACET_COUNT_LIMIT
    return SearchPage(jobs=list(jobs), total=total, page=query.page, per_page=query.per_page,
                      degraded=degraded, facets=facet_counts(query, now) if counted else {},
                      facets_skipped=facets and not counted, reasons=_reasons(jobs, query.words))


def _reasons(jobs, words: str) -> dict[int, str]:
    """For jobs whose title and description lack the words, the code meaning that has one."""
    words_ = [w.strip('"').lower() for w in words.split() if w.strip('"')]
    reasons = {}
    for job in jobs if words_ else ():
        text = f"{job.title} {job.description}".lower()
        if any(w in text for w in words_):
            continue
        for meaning in job.code_meanings or []:
            if any(w in meaning.lower() for w in words_):
                reasons[job.id] = meaning
                break
    return reasons


# Counting facets costs a pass per group: beyond this many matches the degraded mode skips
# them (50,000 postings on SQLite: 14 ms for a code search, 124 ms with the counts of old).
FACET_COUNT_LIMIT = 5_000


def among(column, ids: list[int]):
    """`column IN ids` for a list read back from the database, which may hold thousands. On
    PostgreSQL as one array parameter: sent as 5,000 separate parameters the facet counts of
    a degraded search took 2-4x as long (20,000 postings: 'cardiology' 416 -> 111 ms)."""
    if db.engine.dialect.name == "postgresql":
        return column == any_(literal(ids, ARRAY(Integer)))
    return column.in_(ids)


def _ids(query: JobQuery, now: datetime) -> list[int]:
    return list(db.session.scalars(select(Job.id).where(*conditions(query, now))))


def facet_counts(query: JobQuery, now: datetime) -> dict[str, dict[str, int]]:
    """The facet counts of the database search, disjunctive as Meilisearch's: each group
    counted as if its own selection were absent. The matching ids are read once (and once more
    per group in use), then every count is an indexed lookup by id."""
    base = _ids(query, now)
    counts: dict[str, dict[str, int]] = {}
    for f in FILTERS:
        ids = base if not query.filters.get(f.param) else \
            _ids(replace(query, filters={**query.filters, f.param: []}), now)
        if f.param == "credential":
            counts[f.attribute] = _qualifying_counts(ids)
            continue
        if f.param == "specialty":
            stmt = select(JobSpecialty.specialty, func.count()).where(
                among(JobSpecialty.job_id, ids)).group_by(JobSpecialty.specialty)
        else:
            column = getattr(Job, f.param)
            stmt = select(column, func.count()).where(among(Job.id, ids), column.is_not(None)) \
                .group_by(column)
        counts[f.attribute] = _by_count(db.session.execute(stmt))
    counts["codes"] = _by_count(db.session.execute(
        select(JobCode.code, func.count()).where(among(JobCode.job_id, base))
        .group_by(JobCode.code).order_by(func.count().desc()).limit(100)))
    return counts


def _qualifying_counts(ids: list[int]) -> dict[str, int]:
    required = dict(db.session.execute(
        select(JobCredential.credential, func.count()).where(
            among(JobCredential.job_id, ids), JobCredential.requirement == st.REQUIRED)
        .group_by(JobCredential.credential)).all())
    with_required = db.session.scalar(
        select(func.count(func.distinct(JobCredential.job_id))).where(
            among(JobCredential.job_id, ids), JobCredential.requirement == st.REQUIRED)) or 0
    open_to_all = len(ids) - with_required
    return _by_count((c, required.get(c, 0) + open_to_all) for c in vocab.CREDENTIALS)


def _by_count(rows) -> dict[str, int]:
    return dict(sorted(((str(v), n) for v, n in rows if n), key=lambda kv: (-kv[1], kv[0])))
