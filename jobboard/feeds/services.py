"""What the sitemaps list: open jobs and the code pages that have open jobs."""
from sqlalchemy import func, select

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import Job, JobCode


def open_job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job).where(Job.is_open(utcnow()))) or 0


def open_jobs_page(page: int, size: int) -> list[tuple[int, object]]:
    """(id, updated_at) of the open jobs on one sitemap page, oldest id first."""
    return list(db.session.execute(
        select(Job.id, Job.updated_at).where(Job.is_open(utcnow())).order_by(Job.id)
        .limit(size).offset((page - 1) * size)))


def _open_codes():
    return select(JobCode.code).join(Job, Job.id == JobCode.job_id) \
        .where(Job.is_open(utcnow())).distinct()


def open_code_count() -> int:
    return db.session.scalar(select(func.count()).select_from(_open_codes().subquery())) or 0


def open_codes_page(page: int, size: int) -> list[str]:
    return list(db.session.scalars(_open_codes().order_by(JobCode.code)
                                   .limit(size).offset((page - 1) * size)))
