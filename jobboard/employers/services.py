"""Employers: their company and the applications to their jobs."""
from urllib.parse import urlsplit

from slugify import slugify
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from jobboard import logos
from jobboard import textrules as rules
from jobboard.coders.matching import Match, match
from jobboard.companies import check_domain_verification
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.jobs.services import search_text
from jobboard.mail import outbox as mail_outbox
from jobboard.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    Company,
    CompanyLogo,
    Job,
    User,
)
from jobboard.models import application as ap
from jobboard.notifications import services as notify
from jobboard.pagination import ListPage
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


MAX_BENEFITS = 12


def read_benefits(text: str | list[str] | None) -> tuple[list[str], list[str]]:
    """A company's benefits from the form (one a line) or a list: (benefits, problems)."""
    lines = text.splitlines() if isinstance(text, str) else list(text or [])
    benefits = [line.strip(" -•*\t") for line in lines if line.strip(" -•*\t")]
    problems = [f"Keep each benefit to one short line: “{b[:30]}…” is too long."
                for b in benefits if rules.BENEFIT.problem(b)]
    if len(benefits) > MAX_BENEFITS:
        problems.append(f"List at most {MAX_BENEFITS} benefits (this has {len(benefits)}).")
    return benefits, problems


@atomic
def update_company(company: Company, by: User, name: str, website: str | None,
                   profile: str, benefits: str | list[str] | None = None,
                   logo: bytes | None = None, remove_logo: bool = False) -> Company:
    """The company's profile; `logo` is an upload (logos.to_png checks and re-encodes it)."""
    if not by.recruits_for(company.id):
        raise NotAllowed("Only members of a company may change it.")
    website = normalise_website(website)
    errors = check_company(name, website)
    listed, problems = read_benefits(benefits)
    if problems:
        errors["benefits"] = problems
    png = None
    if logo:
        try:
            png = logos.to_png(logo)
        except InvalidInput as e:
            errors.update(e.errors)
    if errors:
        raise InvalidInput(errors)
    if benefits is not None:
        company.benefits = listed
    if png is not None:
        row = db.session.get(CompanyLogo, company.id) or CompanyLogo(company_id=company.id)
        row.png, row.width, row.height, row.updated_at = *png, utcnow()
        db.session.add(row)
        company.logo_version = row.updated_at
    elif remove_logo and company.logo_version is not None:
        db.session.execute(delete(CompanyLogo).where(CompanyLogo.company_id == company.id))
        company.logo_version = None
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


# The fit filter of the applicant list: the rule coders see on job cards (coders.matching).
FITS = {"meets": "Meets the requirements", "missing": "Misses a requirement"}


def applicant_fit(application: Application) -> Match | None:
    """How the applicant's profile meets the job's requirements (None: account deleted)."""
    profile = application.coder.profile
    return match(application.job, profile) if profile is not None else None


def _applications_of(job: Job, status: str | None):
    stmt = select(Application).where(Application.job_id == job.id)
    if status in ap.STATUS_LABELS:
        stmt = stmt.where(Application.status == status)
    return (stmt.order_by(Application.created_at.desc(), Application.id.desc())
            .options(selectinload(Application.coder).selectinload(User.profile)))


def applicants_page(job: Job, employer: User, status: str | None, page: int,
                    fit: str | None = None, per_page: int = 25):
    """The applications to one of the employer's jobs, newest first, with each coder and
    profile loaded; by stage (status) and by fit. The fit is the matching rule, worked out
    in Python, so with a fit filter the job's applications are read and paged here (a job's
    applicants are hundreds at most)."""
    if not job.is_managed_by(employer):
        raise NotAllowed("That job is not one of yours.")
    stmt = _applications_of(job, status)
    if fit not in FITS:
        return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    wanted = fit == "meets"
    ranked = [a for a in db.session.scalars(stmt)
              if (f := applicant_fit(a)) is not None and f.meets == wanted]
    return ListPage.of(ranked, page, per_page)


def neighbours(application: Application) -> tuple[int | None, int | None]:
    """The applications before and after this one in its job's list (newest first)."""
    ids = list(db.session.scalars(select(Application.id).where(
        Application.job_id == application.job_id)
        .order_by(Application.created_at.desc(), Application.id.desc())))
    i = ids.index(application.id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


@atomic
def add_note(application: Application, by: User, body: str | None) -> ApplicationNote:
    """A private note for the company's recruiters (the coder never sees it)."""
    if not application.job.is_managed_by(by):
        raise NotAllowed("That application is not to one of your jobs.")
    text = (body or "").strip()
    if not text:
        raise InvalidInput({"note": ["Write the note first."]})
    if problem := rules.MESSAGE.problem(text):
        raise InvalidInput({"note": [problem]})
    note = ApplicationNote(application_id=application.id, author_id=by.id, body=text)
    db.session.add(note)
    db.session.commit()
    return note


@atomic
def rate(application: Application, by: User, rating: int | None) -> Application:
    if not application.job.is_managed_by(by):
        raise NotAllowed("That application is not to one of your jobs.")
    if rating is not None and rating not in ap.RATINGS:
        raise InvalidInput({"rating": ["Choose a rating from 1 to 5, or none."]})
    application.rating = rating
    db.session.commit()
    return application


def move_many(job: Job, by: User, ids: list[int], to_status: str,
              message: str | None) -> tuple[list[Application], list[str]]:
    """Move several of a job's applicants at once, each with the same message (each is
    told, as one move tells one). Returns the moved and, for the others, why not."""
    if not job.is_managed_by(by):
        raise NotAllowed("That job is not one of yours.")
    if not ids:
        raise InvalidInput({"application": ["Tick the applicants to move."]})
    if to_status not in ap.STATUS_LABELS:
        raise InvalidInput({"status": ["Choose a status from the list."]})
    if problem := rules.MESSAGE.problem(message):
        raise InvalidInput({"message": [problem]})
    chosen = db.session.scalars(select(Application).where(
        Application.job_id == job.id, Application.id.in_(ids))
        .order_by(Application.created_at.desc())).all()
    moved, refused = [], []
    for application in chosen:
        try:
            moved.append(move_application(application, by, to_status, message))
        except Conflict as e:
            refused.append(f"{application.coder.name}: {e}")
    return moved, refused
