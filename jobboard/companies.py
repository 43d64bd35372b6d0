"""Company rules that several kinds of user trigger: verification by an admin or by a
recruiter's confirmed address at the company's website domain. In the caller's transaction."""
from sqlalchemy import select

from jobboard.admin.domains import proves_company
from jobboard.audit import record
from jobboard.database import utcnow
from jobboard.errors import Conflict
from jobboard.extensions import db
from jobboard.models import Company, Job, User
from jobboard.models.company import BY_ADMIN, BY_EMAIL_DOMAIN
from jobboard.search import outbox


def _repush_company_jobs(company: Company) -> None:
    """Listings carry the verified badge: the company's open jobs are indexed again."""
    for job_id in db.session.scalars(select(Job.id).where(Job.company_id == company.id,
                                                          Job.is_open())):
        outbox.enqueue(job_id)


def verify_company(company: Company, admin: User | None, how: str = BY_ADMIN,
                   reason: str = "") -> Company:
    if company.is_verified:
        raise Conflict(f"{company.name} is already verified.")
    company.verified_at, company.verified_by = utcnow(), how
    _repush_company_jobs(company)
    record(admin, "company.verify", company, f"Verified {company.name}", reason, by=how)
    return company


def unverify_company(company: Company, admin: User | None, reason: str) -> Company:
    if not company.is_verified:
        raise Conflict(f"{company.name} is not verified.")
    company.verified_at = company.verified_by = None
    _repush_company_jobs(company)
    record(admin, "company.unverify", company, f"Removed the verification of {company.name}",
           reason)
    return company


def check_domain_verification(company: Company) -> None:
    """Verify a company whose recruiter confirmed an address at its website's domain; undo
    that verification (not an admin's) when the website no longer matches. In the caller's
    transaction."""
    proven = any(u.is_verified and proves_company(u.email, company.website)
                 for u in company.members if u.deleted_at is None)
    if proven and not company.is_verified:
        verify_company(company, None, BY_EMAIL_DOMAIN,
                       "A recruiter confirmed an address at the website's domain")
    elif not proven and company.verified_by == BY_EMAIL_DOMAIN:
        unverify_company(company, None, "The website no longer matches a recruiter's "
                                        "confirmed address")
