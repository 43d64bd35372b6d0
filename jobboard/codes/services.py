"""Code reference: what we know about a code, and the open jobs that need it."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jobboard.codes.formats import CodeRef, normalise
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import Job, JobCode
from jobboard.search.sql import open_jobs


def open_jobs_tagged(ref: CodeRef, page: int = 1, per_page: int = 20):
    stmt = (select(Job).join(JobCode).where(JobCode.system == ref.system,
                                            JobCode.code == ref.code, open_jobs(utcnow()))
            .options(selectinload(Job.codes), selectinload(Job.company),
                     selectinload(Job.credentials))
            .order_by(Job.published_at.desc(), Job.id.desc()))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def describe(ref: CodeRef) -> dict:
    return {"system": ref.system, "code": ref.code}


def suggestions(text: str) -> list[CodeRef]:
    """Codes on open jobs that start like what was typed, for a helpful 404."""
    stem = normalise(text)[:3]
    if not stem:
        return []
    rows = db.session.execute(
        select(JobCode.system, JobCode.code).join(Job).where(
            JobCode.code.startswith(stem), open_jobs(utcnow()))
        .distinct().order_by(JobCode.code).limit(10)).all()
    return [CodeRef(system, code) for system, code in rows]
