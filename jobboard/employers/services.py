"""Employers: their company and the applications to their jobs."""
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.jobs.services import search_text
from jobboard.mail import outbox as mail_outbox
from jobboard.models import Application, ApplicationEvent, Company, Job, User
from jobboard.models import application as ap
from jobboard.notifications import services as notify
from jobboard.search import outbox


def get_application_for_employer(application_id: int, employer: User) -> Application:
    """An application to one of the employer's own jobs, or NotAllowed."""
    application = db.session.get(Application, application_id)
    if application is None or not employer.is_employer \
            or application.job.company_id != employer.company_id:
        raise NotAllowed("That application is not to one of your jobs.")
    return application


def move_application(application: Application, by: User, to_status: str,
                     message: str | None = None) -> Application:
    """Move an application on; the coder is told, with the employer's optional message."""
    if not by.is_employer or application.job.company_id != by.company_id:
        raise NotAllowed("That application is not to one of your jobs.")
    allowed = ap.EMPLOYER_MOVES.get(application.status, ())
    if to_status not in ap.STATUS_LABELS:
        raise InvalidInput({"status": ["Choose a status from the list."]})
    if to_status not in allowed:
        raise Conflict(f"An application that is {ap.STATUS_LABELS[application.status].lower()} "
                       f"cannot move to {ap.STATUS_LABELS[to_status].lower()}.")
    if len(message or "") > 2000:
        raise InvalidInput({"message": ["Keep the message to 2,000 characters."]})
    application.events.append(ApplicationEvent(
        from_status=application.status, to_status=to_status, actor_id=by.id,
        message=(message or "").strip() or None))
    application.status = to_status
    notify.status_changed(application, message)
    db.session.commit()
    mail_outbox.kick()
    return application


def update_company(company: Company, by: User, name: str, website: str | None,
                   profile: str) -> Company:
    if not by.is_employer or by.company_id != company.id:
        raise NotAllowed("Only members of a company may change it.")
    errors = check_company(name, website)
    if errors:
        raise InvalidInput(errors)
    renamed = company.name != name.strip()
    company.name = name.strip()
    company.website = (website or "").strip() or None
    company.profile = (profile or "").strip()
    if renamed:
        # Listings show the company name, so every job of the company is re-indexed.
        for job in db.session.scalars(db.select(Job).where(Job.company_id == company.id)):
            job.search_text = search_text(job, company.name)
            outbox.enqueue(job.id)
    db.session.commit()
    outbox.push_pending()
    return company


def check_company(name: str, website: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["company_name"] = ["Enter the company's name."]
    elif len(name.strip()) > 120:
        errors["company_name"] = ["Keep the name to 120 characters."]
    if website and not website.strip().lower().startswith(("http://", "https://")):
        errors["website"] = ["Enter a full address starting with https://."]
    return errors
