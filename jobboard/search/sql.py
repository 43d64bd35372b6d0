"""Job search answered by the database: the browse page and the degraded mode."""
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from jobboard import vocab
from jobboard.codes.formats import CPT
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import Job, JobCode
from jobboard.models import job as st
from jobboard.models.job import listing_loads
from jobboard.search.filters import FILTERS
from jobboard.search.query import JobQuery
from jobboard.search.results import SearchPage


def open_jobs(now: datetime):
    return and_(Job.status == st.PUBLISHED, or_(Job.expires_at.is_(None), Job.expires_at > now))


def _annual(column):
    return case((Job.salary_period == "hour", column * vocab.HOURS_PER_YEAR), else_=column)


def _tagged_codes(*where):
    return Job.id.in_(select(JobCode.job_id).where(*where))


def code_condition(query: JobQuery):
    """Any code part of the query, as in the Meilisearch filter."""
    ors = []
    if query.codes:
        ors.append(_tagged_codes(JobCode.code.in_(query.codes)))
    for prefix in query.prefixes:
        ors.append(_tagged_codes(JobCode.code.startswith(prefix)))
    for low, high in query.ranges:
        # Five digits only: Category II and III codes (3820F, 0042T) sort between numbers.
        ors.append(_tagged_codes(JobCode.system == CPT,
                                 JobCode.code.between(f"{low:05d}", f"{high:05d}"),
                                 *(JobCode.code.not_like(f"%{s}") for s in "FTU")))
    return or_(*ors) if ors else None


def conditions(query: JobQuery, now: datetime) -> list:
    where = [open_jobs(now)]
    if (codes := code_condition(query)) is not None:
        where.append(codes)
    if query.family:
        where.append(_tagged_codes(JobCode.code.startswith(query.family)))
    for f in FILTERS:
        if values := query.filters.get(f.param):
            where.append(f.sql(values))
    if query.salary_min:
        where.append(func.coalesce(_annual(Job.salary_max), _annual(Job.salary_min))
                     >= query.salary_min)
    if query.posted_within:
        where.append(Job.published_at >= now - timedelta(days=query.posted_within))
    if query.published_after:
        where.append(Job.published_at > query.published_after)
    for word in query.words.split()[:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        where.append(or_(Job.title.ilike(pattern), Job.description.ilike(pattern)))
    return where


def search_jobs(query: JobQuery, now: datetime | None = None, degraded: bool = False) -> SearchPage:
    now = now or utcnow()
    where = conditions(query, now)
    total = db.session.scalar(select(func.count()).select_from(Job).where(*where)) or 0
    order = [Job.published_at.desc(), Job.id.desc()]
    if query.sort == "salary":
        order = [func.coalesce(_annual(Job.salary_max), _annual(Job.salary_min), 0).desc(), *order]
    jobs = db.session.scalars(
        select(Job).where(*where).order_by(*order)
        .options(*listing_loads())
        .limit(query.per_page).offset((query.page - 1) * query.per_page)
    ).all()
    return SearchPage(jobs=list(jobs), total=total, page=query.page, per_page=query.per_page,
                      degraded=degraded)
