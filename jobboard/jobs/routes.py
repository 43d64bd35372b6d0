from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jobboard.coders import services as coder_services
from jobboard.coders.forms import ApplyForm
from jobboard.errors import Conflict, InvalidInput
from jobboard.extensions import db
from jobboard.forms import show_errors
from jobboard.models import Job
from jobboard.models import job as st
from jobboard.search import service as search
from jobboard.search.query import parse_args

bp = Blueprint("jobs", __name__)


@bp.get("/")
def home():
    latest = search.browse_latest(6)
    return render_template("jobs/home.html", latest=latest)


@bp.get("/jobs")
def browse():
    query = parse_args(request.args, current_app.config["JOBS_PER_PAGE"])
    page = search.search_jobs(query)
    template = "jobs/_results.html" if request.headers.get("HX-Request") else "jobs/search.html"
    return render_template(template, query=query, page=page)


def get_visible_job(job_id: int) -> Job:
    """A job anyone may see: published once (drafts only to their own company)."""
    job = db.session.scalar(select(Job).where(Job.id == job_id).options(
        selectinload(Job.codes), selectinload(Job.company)))
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
    if current_user.is_authenticated and current_user.is_coder:
        application = coder_services.existing_application(job, current_user)
        form = ApplyForm()
    return render_template("jobs/detail.html", job=job, application=application, form=form)


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
    return render_template("jobs/detail.html", job=job, application=None, form=form), 400
