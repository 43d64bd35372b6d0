"""Employers: their company and the applications to their jobs."""
from urllib.parse import urlsplit

from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jobboard import textrules as rules
from jobboard.companies import check_domain_verification
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.jobs.services import search_text
from jobboard.mail import outbox as mail_outbox
from jobboard.models import Application, ApplicationEvent, Company, Job, User
from jobboard.models import application as ap
from jobboard.notifications import services as notify
from jobboard.search import outbox
from jobboard.transactions import atomic


def get_application_for_employer(application_id: int, employer: User) -> Application:
    """An application to one of the employer's own jobs, or NotAllowed."""
    application = db.session.get(Application, application_id)
    if application is None or not application.job.is_managed_by(employer):
        raise NotAllowed("That application is not to one of your jobs.")
    return application


@atomic
def move_application(application: Application, by: User, to_status: str,
                     message: str | None = None) -> Application:
    """Move an application on; the coder is told, with the employer's optional message."""
    if not application.job.is_managed_by(by):
        raise NotAllowed("That application is not to one of your jobs.")
    allowed = ap.EMPLOYER_MOVES.get(application.status, ())
    if to_status not in ap.STATUS_LABELS:
        raise InvalidInput({"status": ["Choose a status from the list."]})
    if to_status not in allowed:
        raise Conflict(f"An application that is {ap.STATUS_LABELS[application.status].lower()} "
                       f"cannot move to {ap.STATUS_LABELS[to_status].lower()}.")
    if problem := rules.MESSAGE.problem(message):
        raise InvalidInput({"message": [problem]})
    application.events.append(ApplicationEvent(
        from_status=application.status, to_status=to_status, actor_id=by.id,
        message=(message or "").strip() or None))
    application.status = to_status
    notify.status_changed(application, message)
    db.session.commit()
    mail_outbox.kick()
    return application


@atomic
def update_company(company: Company, by: User, name: str, website: str | None,
                   profile: str) -> Company:
    if not by.recruits_for(company.id):
        raise NotAllowed("Only members of a company may change it.")
    website = normalise_website(website)
    errors = check_company(name, website)
    if errors:
        raise InvalidInput(errors)
    renamed = company.name != name.strip()
    new_site = company.website != website
    company.name = name.strip()
    company.website = website
    company.profile = (profile or "").strip()
    if new_site:
        check_domain_verification(company)
    if renamed:
        # Listings show the company name, so every job of the company is re-indexed.
        for job in db.session.scalars(db.select(Job).where(Job.company_id == company.id)):
            job.search_text = search_text(job, company.name)
            outbox.enqueue(job.id)
    db.session.commit()
    outbox.push_pending()
    return company


def unique_slug(name: str) -> str:
    """The company page's address from its name: "Summit Oncology" -> summit-oncology, then
    summit-oncology-2 when taken."""
    base = slugify(name or "", max_length=120) or "company"
    taken = set(db.session.scalars(select(Company.slug).where(
        (Company.slug == base) | Company.slug.like(f"{base}-%"))))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _is_web_address(text: str) -> bool:
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and "." in host.strip(".") and " " not in text


def normalise_website(website: str | None) -> str | None:
    """A company's website as people type it: "crescenthematology.com" is
    https://crescenthematology.com; an address with a scheme is kept as it is (and checked)."""
    website = (website or "").strip()
    if not website:
        return None
    return website if "://" in website else f"https://{website}"


def check_company(name: str, website: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["company_name"] = ["Enter the company's name."]
    rules.check(errors, "company_name", name, rules.COMPANY_NAME)
    rules.check(errors, "website", website, rules.WEBSITE)
    if "website" not in errors and website and not _is_web_address(website.strip()):
        errors["website"] = ["Enter the company's website address, e.g. example-health.org."]
    return errors


def dashboard_page(employer: User, page: int, per_page: int = 20):
    """The company's jobs, newest first, each with its number of applications:
    (pagination, [(job, applications)]) in three statements whatever the page's length."""
    if not employer.is_employer:
        raise NotAllowed("This page is for employers.")
    pagination = db.paginate(
        select(Job).where(Job.company_id == employer.company_id)
        .order_by(Job.created_at.desc(), Job.id.desc()),
        page=page, per_page=per_page, error_out=False)
    ids = [j.id for j in pagination.items]
    counts = dict(db.session.execute(
        select(Application.job_id, func.count()).where(Application.job_id.in_(ids))
        .group_by(Application.job_id)).all()) if ids else {}
    return pagination, [(job, counts.get(job.id, 0)) for job in pagination.items]


def applicants_page(job: Job, employer: User, status: str | None, page: int, per_page: int = 25):
    """The applications to one of the employer's jobs, with each coder and profile loaded."""
    if not job.is_managed_by(employer):
        raise NotAllowed("That job is not one of yours.")
    stmt = select(Application).where(Application.job_id == job.id)
    if status in ap.STATUS_LABELS:
        stmt = stmt.where(Application.status == status)
    return db.paginate(stmt.order_by(Application.created_at.desc())
                       .options(selectinload(Application.coder).selectinload(User.profile)),
                       page=page, per_page=per_page, error_out=False)
