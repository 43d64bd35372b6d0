"""Moderator actions. Each one changes the objects, records an audit entry and queues the
mail in one transaction, then pushes the search index through the outbox."""
import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from jobboard import textrules as rules
from jobboard.admin.domains import normalise_domain
from jobboard.audit import record
from jobboard.auth.services import password_problems
from jobboard.companies import unverify_company, verify_company
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.mail import outbox as mail_outbox
from jobboard.models import (
    Application,
    AuditEntry,
    BannedDomain,
    Company,
    Job,
    JobReport,
    User,
)
from jobboard.models import application as ap
from jobboard.models import job as st
from jobboard.models.company import BY_ADMIN
from jobboard.models.moderation import DISMISSED, REPORT_REASONS, UPHELD
from jobboard.models.user import ADMIN, normalise_email
from jobboard.notifications import services as notify
from jobboard.search import outbox


def count_of(n: int, noun: str) -> str:
    """1 job, 2 jobs."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _need_reason(reason: str | None, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": [f"Say why you {what}: the employer reads it."]})
    if problem := rules.ADMIN_NOTE.problem(reason):
        raise InvalidInput({"reason": [problem]})
    return reason


def _finish() -> None:
    db.session.commit()
    outbox.push_pending()
    mail_outbox.kick()


def _resolve_reports(job: Job, admin: User | None, resolution: str) -> int:
    return db.session.execute(
        update(JobReport).where(JobReport.job_id == job.id, JobReport.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=admin.id if admin else None,
                resolution=resolution).execution_options(synchronize_session=False)).rowcount


# ---------------------------------------------------------------- the review queue


def approve(job: Job, admin: User, note: str = "") -> Job:
    """Publish a job that waits for review. A job hidden by reports comes back with its
    dates; any other starts its full lifetime now."""
    if job.status != st.PENDING:
        raise Conflict(f"Only a job waiting for review can be approved; this one is {job.status}.")
    now = utcnow()
    restored = job.review_reason == st.REPORTED
    if restored:
        _resolve_reports(job, admin, DISMISSED)
    else:
        job.published_at = now
        job.expires_at = now + job_services.lifetime()
    job.status, job.review_reason, job.moderator_note = st.PUBLISHED, None, None
    outbox.enqueue(job.id)
    record(admin, "job.approve", job, f"Approved “{job.title}” ({job.company.name})", note)
    notify.job_reviewed(job, "restored" if restored else "approved")
    _finish()
    return job


def reject(job: Job, admin: User, reason: str) -> Job:
    """Send a job back to its company as a draft, with the reason they read; waiting or
    published, it leaves the site at once. They can edit it and submit it again."""
    reason = _need_reason(reason, "send it back")
    if job.status not in (st.PENDING, st.PUBLISHED):
        raise Conflict(f"Only a job waiting for review or published can be sent back; this "
                       f"one is {job.display_status()}.")
    was = job.status
    job.status, job.review_reason, job.moderator_note = st.DRAFT, None, reason
    upheld = _resolve_reports(job, admin, UPHELD)
    outbox.enqueue(job.id)
    record(admin, "job.reject", job, f"Sent back “{job.title}” ({job.company.name})", reason,
           was=was, reports_upheld=upheld)
    notify.job_reviewed(job, "rejected", reason)
    _finish()
    return job


# ---------------------------------------------------------------- what the admin pages read


def get_job(job_id: int) -> Job | None:
    return db.session.get(Job, job_id)


def get_company(company_id: int) -> Company | None:
    return db.session.get(Company, company_id)


def application_count(job: Job) -> int:
    return db.session.scalar(select(func.count()).select_from(Application)
                             .where(Application.job_id == job.id)) or 0


def company_jobs_and_members(company: Company, limit: int = 100):
    jobs = db.session.scalars(select(Job).where(Job.company_id == company.id)
                              .order_by(Job.created_at.desc()).limit(limit)).all()
    members = db.session.scalars(select(User).where(User.company_id == company.id)).all()
    return jobs, members


def _live_jobs(company: Company):
    """The jobs a suspension takes off the site: live, or on their way (waiting for review)."""
    return select(Job).where(Job.company_id == company.id,
                             Job.status.in_((st.PUBLISHED, st.PENDING)))


def live_job_count(company: Company) -> int:
    return db.session.scalar(select(func.count()).select_from(_live_jobs(company).subquery())) or 0


def banned_domains() -> list[BannedDomain]:
    return list(db.session.scalars(select(BannedDomain).order_by(BannedDomain.domain)))


def is_banned(domain: str) -> bool:
    return db.session.get(BannedDomain, domain) is not None


def review_queue(page: int, per_page: int = 25):
    """Jobs waiting for review, the longest-waiting first."""
    return db.paginate(select(Job).where(Job.status == st.PENDING)
                       .order_by(Job.submitted_at.asc().nulls_first(), Job.id)
                       .options(selectinload(Job.company)),  # each row names its company
                       page=page, per_page=per_page, error_out=False)


# ---------------------------------------------------------------- reports


def reporter_key(user: User | None, address: str) -> str:
    """One identity per person: the account, or (logged out) a keyed hash of the address,
    so the table holds no IP addresses."""
    if user is not None and user.is_authenticated:
        return f"user:{user.id}"
    return address_key(address)


def address_key(address: str) -> str:
    digest = hmac.new(current_app.secret_key.encode(), (address or "").encode(),
                      hashlib.sha256).hexdigest()
    return f"addr:{digest[:40]}"


def report_job(job: Job, user: User | None, address: str, reason: str,
               comment: str) -> JobReport:
    """Anyone's report of a public job. Every report is kept (the same person reporting
    again adds to what they said) and reaches the admin queue, where one person counts once.
    Once open reports from REPORT_HIDE_THRESHOLD confirmed accounts at as many addresses
    stand, the job is hidden for review (anonymous reports and throwaway accounts alone
    cannot hide a job)."""
    if not job.was_public:
        raise Conflict("This job is not on the site.")
    errors = {}
    if reason not in REPORT_REASONS:
        errors["reason"] = ["Choose what is wrong with the job."]
    comment = (comment or "").strip()
    if reason == "other" and not comment:
        errors["comment"] = ["Tell us what is wrong."]
    rules.check(errors, "comment", comment, rules.MESSAGE)
    if errors:
        raise InvalidInput(errors)
    report = JobReport(
        job_id=job.id, reporter_key=reporter_key(user, address),
        reporter_id=user.id if user is not None and user.is_authenticated else None,
        address_key=address_key(address), reason=reason, comment=comment, created_at=utcnow())
    db.session.add(report)
    db.session.flush()
    threshold = current_app.config["REPORT_HIDE_THRESHOLD"]
    if job.status == st.PUBLISHED and hiding_report_count(job.id) >= threshold:
        job.status, job.review_reason = st.PENDING, st.REPORTED
        job.submitted_at = utcnow()
        outbox.enqueue(job.id)
        record(None, "job.hide", job, f"Hid “{job.title}” ({job.company.name}) for review "
               f"after reports from {threshold} people", threshold=threshold)
    _finish()
    return report


def hiding_report_count(job_id: int) -> int:
    """The open reports that count towards hiding a job: one for each address among those
    from confirmed, undeleted accounts."""
    return db.session.scalar(
        select(func.count(func.distinct(func.coalesce(JobReport.address_key, ""))))
        .join(User, User.id == JobReport.reporter_id)
        .where(JobReport.job_id == job_id, JobReport.resolved_at.is_(None),
               User.email_verified_at.is_not(None), User.deleted_at.is_(None))) or 0


# How many people reported: one person's several reports count once.
PEOPLE = func.count(func.distinct(JobReport.reporter_key))


def open_report_count(job_id: int) -> int:
    """The people with an open report of the job."""
    return db.session.scalar(select(PEOPLE).where(
        JobReport.job_id == job_id, JobReport.resolved_at.is_(None))) or 0


def reported_jobs(page: int, per_page: int = 25):
    """Jobs with open reports, the most reported first; each page item is a
    (job, open reports, latest report) row."""
    counts = (select(JobReport.job_id, PEOPLE.label("n"),
                     func.max(JobReport.created_at).label("latest"))
              .where(JobReport.resolved_at.is_(None)).group_by(JobReport.job_id).subquery())
    pagination = db.paginate(select(Job).join(counts, counts.c.job_id == Job.id)
                             .order_by(counts.c.n.desc(), counts.c.latest.desc(), Job.id),
                             page=page, per_page=per_page, error_out=False)
    figures = {row.job_id: (row.n, row.latest) for row in db.session.execute(
        select(counts).where(counts.c.job_id.in_([j.id for j in pagination.items])))}
    pagination.items = [(job, *figures[job.id]) for job in pagination.items]
    return pagination


def dismiss_reports(job: Job, admin: User, note: str = "") -> int:
    """The reports were wrong: close them; a job they hid goes back on the site."""
    if job.status == st.PENDING and job.review_reason == st.REPORTED:
        approve(job, admin, note or "Reports dismissed")
        return 0
    n = _resolve_reports(job, admin, DISMISSED)
    if not n:
        raise Conflict("This job has no open reports.")
    record(admin, "reports.dismiss", job, f"Dismissed {count_of(n, 'report')} of “{job.title}”",
           note)
    _finish()
    return n


def reports_of(job: Job) -> list[JobReport]:
    return list(db.session.scalars(select(JobReport).where(JobReport.job_id == job.id)
                                   .order_by(JobReport.created_at.desc())))


# ---------------------------------------------------------------- companies


def admin_verify(company: Company, admin: User, reason: str = "") -> Company:
    verify_company(company, admin, BY_ADMIN, reason)
    _finish()
    return company


def admin_unverify(company: Company, admin: User, reason: str) -> Company:
    unverify_company(company, admin, _need_reason(reason, "remove the verification"))
    _finish()
    return company


def suspend_company(company: Company, admin: User, reason: str) -> int:
    """All its jobs leave the site and the index at once, its recruiters are logged out and
    cannot log in, and coders with an open application are told. Returns jobs removed."""
    reason = _need_reason(reason, "suspend the company")
    if company.is_suspended:
        raise Conflict(f"{company.name} is already suspended.")
    company.suspended_at, company.suspension_reason = utcnow(), reason
    jobs = list(db.session.scalars(_live_jobs(company)))
    for job in jobs:
        job.status_before_removal, job.status = job.status, st.REMOVED
        _resolve_reports(job, admin, UPHELD)
        outbox.enqueue(job.id)
    for user in company.members:
        user.end_all_sessions()
    told = 0
    if jobs:
        for application in db.session.scalars(select(Application).where(
                Application.job_id.in_([j.id for j in jobs]),
                Application.status.not_in(ap.FINAL))):
            told += notify.job_removed(application, company.name)
    notify.company_suspended(company, reason, len(jobs))
    record(admin, "company.suspend", company,
           f"Suspended {company.name}: {count_of(len(jobs), 'job')} removed, "
           f"{count_of(told, 'applicant')} told", reason,
           jobs=[j.id for j in jobs], applicants_told=told)
    _finish()
    return len(jobs)


def reinstate_company(company: Company, admin: User, reason: str = "") -> int:
    """Lift a suspension: the jobs it removed return to the state they were in."""
    if not company.is_suspended:
        raise Conflict(f"{company.name} is not suspended.")
    company.suspended_at = company.suspension_reason = None
    jobs = list(db.session.scalars(select(Job).where(Job.company_id == company.id,
                                                     Job.status == st.REMOVED)))
    for job in jobs:
        job.status, job.status_before_removal = job.status_before_removal or st.DRAFT, None
        outbox.enqueue(job.id)
    notify.company_reinstated(company, reason, len(jobs))
    record(admin, "company.reinstate", company,
           f"Reinstated {company.name}: {count_of(len(jobs), 'job')} restored", reason,
           jobs=[j.id for j in jobs])
    _finish()
    return len(jobs)


def companies_page(page: int, state: str | None, name: str | None, per_page: int = 25):
    stmt = select(Company)
    if state == "unverified":
        stmt = stmt.where(Company.verified_at.is_(None), Company.suspended_at.is_(None))
    elif state == "verified":
        stmt = stmt.where(Company.verified_at.is_not(None))
    elif state == "suspended":
        stmt = stmt.where(Company.suspended_at.is_not(None))
    if name:
        stmt = stmt.where(Company.name.ilike(f"%{name.strip()}%"))
    return db.paginate(stmt.order_by(Company.created_at.desc(), Company.id.desc()),
                       page=page, per_page=per_page, error_out=False)


# ---------------------------------------------------------------- domains


def ban_domain(text: str, admin: User, reason: str) -> BannedDomain:
    domain = normalise_domain(text)
    if domain is None:
        raise InvalidInput({"domain": ["Enter a domain such as example.com."]})
    reason = _need_reason(reason, "ban it")
    if db.session.get(BannedDomain, domain):
        raise InvalidInput({"domain": [f"{domain} is already banned."]})
    banned = BannedDomain(domain=domain, reason=reason, created_by_id=admin.id)
    db.session.add(banned)
    record(admin, "domain.ban", ("domain", domain), f"Banned registrations from {domain}", reason)
    _finish()
    return banned


def unban_domain(domain: str, admin: User, reason: str = "") -> None:
    banned = db.session.get(BannedDomain, domain)
    if banned is None:
        raise Conflict(f"{domain} is not banned.")
    db.session.delete(banned)
    record(admin, "domain.unban", ("domain", domain), f"Allowed registrations from {domain}",
           reason)
    _finish()


# ---------------------------------------------------------------- admins and the log


def create_admin(email: str, name: str, password: str) -> User:
    """An admin account (the command line's `flask admin create`; never registration)."""
    email = normalise_email(email)
    if "@" not in email:
        raise InvalidInput({"email": ["Enter a valid email address."]})
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise InvalidInput({"email": ["An account with this email exists; an admin needs an "
                                      "address of its own."]})
    if problems := password_problems(password):
        raise InvalidInput({"password": problems})
    user = User(email=email, name=(name or "").strip() or "Admin", role=ADMIN,
                email_verified_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(None, "admin.create", user, f"Created the admin account {email}")
    db.session.commit()
    return user


ACTIONS = {
    "job.approve": "Approved a job", "job.reject": "Sent a job back", "job.hide": "Hid a job "
    "after reports", "reports.dismiss": "Dismissed reports", "company.verify": "Verified a "
    "company", "company.unverify": "Removed a verification", "company.suspend": "Suspended a "
    "company", "company.reinstate": "Reinstated a company", "domain.ban": "Banned a domain",
    "domain.unban": "Unbanned a domain", "admin.create": "Created an admin",
}


def audit_page(page: int, action: str | None = None, actor: str | None = None,
               subject: str | None = None, per_page: int = 50):
    """The log, newest first; filter by action, by actor ("system" or an email) and by
    subject ("company:3", "job:12", "domain:example.com")."""
    stmt = select(AuditEntry)
    if action in ACTIONS:
        stmt = stmt.where(AuditEntry.action == action)
    if actor == "system":
        stmt = stmt.where(AuditEntry.actor_id.is_(None))
    elif actor:
        stmt = stmt.join(User, User.id == AuditEntry.actor_id).where(
            User.email == normalise_email(actor))
    if subject and ":" in subject:
        kind, _, key = subject.partition(":")
        stmt = stmt.where(AuditEntry.subject_type == kind.strip().lower(),
                          AuditEntry.subject_id == key.strip())
    return db.paginate(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
                       page=page, per_page=per_page, error_out=False)


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def overview() -> dict[str, int]:
    """The admin home's figures."""
    day_ago = utcnow() - timedelta(days=1)
    return {
        "pending": _count(select(func.count()).select_from(Job).where(Job.status == st.PENDING)),
        "reported_jobs": _count(select(func.count(func.distinct(JobReport.job_id)))
                               .where(JobReport.resolved_at.is_(None))),
        "unverified": _count(select(func.count()).select_from(Company).where(
            Company.verified_at.is_(None), Company.suspended_at.is_(None))),
        "suspended": _count(select(func.count()).select_from(Company)
                           .where(Company.suspended_at.is_not(None))),
        "actions_today": _count(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.at >= day_ago)),
    }
