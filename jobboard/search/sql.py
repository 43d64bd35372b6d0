"""Job search answered by the database: the browse page and the degraded mode."""
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from jobboard import vocab
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import Job, JobCode, JobCredential, JobSpecialty
from jobboard.models import job as st
from jobboard.models.job import listing_loads
from jobboard.search.query import JobQuery
from jobboard.search.results import SearchPage


def open_jobs(now: datetime):
    return and_(Job.status == st.PUBLISHED, or_(Job.expires_at.is_(None), Job.expires_at > now))


def _annual(column):
    return case((Job.salary_period == "hour", column * vocab.HOURS_PER_YEAR), else_=column)


def conditions(query: JobQuery, now: datetime) -> list:
    where = [open_jobs(now)]
    # Tag filters start from the (indexed) tags rather than probing each job's tags.
    if query.codes:
        where.append(Job.id.in_(select(JobCode.job_id).where(JobCode.code.in_(query.codes))))
    if query.code_prefix:
        where.append(Job.id.in_(select(JobCode.job_id).where(
            JobCode.code.startswith(query.code_prefix))))
    f = query.filters
    if f.get("specialty"):
        where.append(Job.id.in_(select(JobSpecialty.job_id).where(
            JobSpecialty.specialty.in_(f["specialty"]))))
    if f.get("credential"):
        where.append(Job.id.in_(select(JobCredential.job_id).where(
            JobCredential.credential.in_(f["credential"]))))
    for name, column in (("setting", Job.setting), ("work_mode", Job.work_mode),
                         ("state", Job.state), ("employment_type", Job.employment_type)):
        if f.get(name):
            where.append(column.in_(f[name]))
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
