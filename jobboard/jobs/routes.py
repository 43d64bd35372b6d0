from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from jobboard import vocab
from jobboard.alerts import services as alerts
from jobboard.alerts.forms import save_search_form
from jobboard.coders import services as coder_services
from jobboard.coders.forms import ApplyForm
from jobboard.codes import services as code_services
from jobboard.codes.formats import CodeRef
from jobboard.errors import Conflict, InvalidInput
from jobboard.extensions import db
from jobboard.forms import show_errors
from jobboard.jobs.structured_data import job_posting_ld
from jobboard.models import Job
from jobboard.models import job as st
from jobboard.models.job import listing_loads
from jobboard.search import service as search
from jobboard.search.query import parse_args

bp = Blueprint("jobs", __name__)


@bp.get("/")
def home():
    latest = search.browse_latest(6)
    return render_template("jobs/home.html", latest=latest)


# facet attribute in the index -> (query parameter, heading, labels)
FACETS = [
    ("specialties", "specialty", "Specialty", vocab.SPECIALTIES),
    ("credentials", "credential", "Credential", None),
    ("setting", "setting", "Coding setting", vocab.SETTINGS),
    ("work_mode", "work_mode", "Work mode", vocab.WORK_MODES),
    ("state", "state", "State", vocab.US_STATES),
    ("employment_type", "employment_type", "Employment type", vocab.EMPLOYMENT_TYPES),
    ("codes", "code", "Codes in these results", None),
]
LABELS = {param: labels for _, param, _, labels in FACETS}


def search_url(name: str, value: str | None = None, add: bool = True) -> str:
    """This search with one parameter value added or removed (back to page 1)."""
    args = MultiDict(request.args)
    args.pop("page", None)
    values = [v for v in args.getlist(name) if value is not None and v != value]
    if add and value is not None:
        values.append(value)
    args.setlist(name, values)
    return url_for("jobs.browse", **args.to_dict(flat=False))


def facet_groups(query, page):
    groups = []
    for attribute, param, heading, labels in FACETS:
        counts = page.facets.get(attribute) or {}
        selected = query.codes if param == "code" else query.filters.get(param, [])
        options = [{"value": value, "label": (labels or {}).get(value, value), "count": n,
                    "selected": value in selected,
                    "url": search_url(param, value, add=value not in selected)}
                   for value, n in counts.items()]
        if options:
            groups.append({"param": param, "heading": heading, "options": options,
                           "open": any(o["selected"] for o in options) or param == "specialty"})
    return groups


def chips(query):
    found = []
    for param, values in query.filters.items():
        for value in values:
            found.append((LABELS[param].get(value, value) if LABELS.get(param) else value,
                          search_url(param, value, add=False)))
    for code in request.args.getlist("code"):
        found.append((f"Code {code.strip().upper()}", search_url("code", code, add=False)))
    if request.args.get("family") and query.code_prefix:
        found.append((f"Codes {query.code_prefix}…", search_url("family", None, False)))
    if query.salary_min:
        found.append((f"Pay from ${query.salary_min:,}/yr", search_url("salary_min", None, False)))
    if query.posted_within:
        found.append((f"Posted in the last {query.posted_within} days",
                      search_url("posted_within", None, False)))
    return found


@bp.get("/jobs")
def browse():
    query = parse_args(request.args, current_app.config["JOBS_PER_PAGE"])
    page = search.search_jobs(query)
    template = "jobs/_results.html" if request.headers.get("HX-Request") else "jobs/search.html"
    can_save = not current_user.is_authenticated or current_user.is_coder
    save_form = save_search_form(request.args) if can_save else None
    saved_ids = alerts.saved_job_ids(current_user, [j.id for j in page.jobs]) \
        if current_user.is_authenticated and current_user.is_coder else None
    feed_args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    return render_template(template, query=query, page=page, facets=facet_groups(query, page),
                           chips=chips(query), save_form=save_form, saved_ids=saved_ids,
                           save_placeholder=alerts.describe(save_form.query.data)
                           if save_form else "",
                           feed_url=url_for("feeds.jobs_atom", **feed_args))


def get_visible_job(job_id: int) -> Job:
    """A job anyone may see: published once (drafts only to their own company)."""
    job = db.session.scalar(select(Job).where(Job.id == job_id).options(*listing_loads()))
    if job is None:
        abort(404)
    if job.status in (st.DRAFT, st.PENDING) and not (
            current_user.is_authenticated and current_user.company_id == job.company_id):
        abort(404)
    return job


@bp.get("/jobs/<int:job_id>")
def detail(job_id: int):
    job = get_visible_job(job_id)
    application = None
    form = None
    extra = {}
    if current_user.is_authenticated and current_user.is_coder:
        application = coder_services.existing_application(job, current_user)
        form = ApplyForm()
        extra["saved"] = job.id in alerts.saved_job_ids(current_user, [job.id])
    return render_template("jobs/detail.html", job=job, application=application, form=form,
                           code_titles=code_titles(job), json_ld=job_posting_ld(job), **extra)


def code_titles(job: Job) -> dict[str, str]:
    return code_services.titles_for([CodeRef(c.system, c.code) for c in job.codes])


@bp.post("/jobs/<int:job_id>/apply")
def apply(job_id: int):
    job = get_visible_job(job_id)
    if not current_user.is_authenticated:
        flash("Log in as a coder to apply.", "info")
        return redirect(url_for("auth.login", next=url_for("jobs.detail", job_id=job.id)))
    coder_services.ensure_coder(current_user)
    form = ApplyForm()
    if form.validate_on_submit():
        upload = None
        if form.resume.data and form.resume.data.filename:
            upload = (form.resume.data.read(), form.resume.data.filename)
        try:
            application = coder_services.apply(job, current_user, form.cover_letter.data, upload)
        except InvalidInput as e:
            show_errors(form, e)
        except Conflict as e:
            flash(str(e), "error")
            return redirect(url_for("jobs.detail", job_id=job.id))
        else:
            flash(f"Your application to {job.title} was sent.", "success")
            return redirect(url_for("coders.application", application_id=application.id))
    return render_template("jobs/detail.html", job=job, application=None, form=form,
                           code_titles=code_titles(job), json_ld=job_posting_ld(job)), 400
