"""The admin area (/admin/): review queue, reports, companies, banned domains, audit log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobboard import audit as audit_log
from jobboard.admin import services
from jobboard.admin.forms import BanDomainForm, ReasonForm, RejectForm, RequiredReasonForm
from jobboard.auth.decorators import admin_required
from jobboard.errors import Conflict, InvalidInput
from jobboard.forms import show_errors
from jobboard.jobs.routes import code_titles
from jobboard.models import Company, Job
from jobboard.models import job as st
from jobboard.pagination import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def only_admins():
    """Every page here is for admins; the check runs before any view."""


def _job(job_id: int) -> Job:
    return services.get_job(job_id) or abort(404)


def _company(company_id: int) -> Company:
    return services.get_company(company_id) or abort(404)


@bp.get("/")
def home():
    return render_template("admin/home.html", figures=services.overview())


@bp.get("/queue")
def queue():
    return render_template("admin/queue.html", pagination=services.review_queue(page_number()),
                           reasons=st.REVIEW_REASONS)


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    job = _job(job_id)
    return _review_page(job, ReasonForm(prefix="approve"), RejectForm(prefix="reject"))


def _review_page(job: Job, approve_form, reject_form, status: int = 200):
    applications = services.application_count(job)
    return render_template(
        "admin/job.html", job=job, approve_form=approve_form, reject_form=reject_form,
        reports=services.reports_of(job), history=audit_log.history_of("job", job.id),
        open_reports=services.open_report_count(job.id), applications=applications,
        reasons=st.REVIEW_REASONS, code_titles=code_titles(job)), status


@bp.post("/jobs/<int:job_id>/approve")
def approve(job_id: int):
    job = _job(job_id)
    form = ReasonForm(prefix="approve")
    if form.validate_on_submit():
        try:
            if job.status == st.PENDING:
                services.approve(job, current_user, form.reason.data)
                flash(f"Approved: “{job.title}” is live.", "success")
            else:
                n = services.dismiss_reports(job, current_user, form.reason.data)
                flash(f"Dismissed {services.count_of(n, 'report')}; the job stays up.",
                      "success")
        except Conflict as e:
            flash(str(e), "error")
        return redirect(url_for("admin.job", job_id=job.id))
    return _review_page(job, form, RejectForm(prefix="reject"), 400)


@bp.post("/jobs/<int:job_id>/reject")
def reject(job_id: int):
    job = _job(job_id)
    form = RejectForm(prefix="reject")
    if form.validate_on_submit():
        try:
            services.reject(job, current_user, form.reason.data)
        except InvalidInput as e:
            show_errors(form, e)
        except Conflict as e:
            flash(str(e), "error")
            return redirect(url_for("admin.job", job_id=job.id))
        else:
            flash(f"Sent back: “{job.title}” is off the site and its company was told why.",
                  "success")
            return redirect(url_for("admin.queue"))
    return _review_page(job, ReasonForm(prefix="approve"), form, 400)


@bp.get("/reports")
def reports():
    return render_template("admin/reports.html", pagination=services.reported_jobs(page_number()))


@bp.get("/companies")
def companies():
    state = request.args.get("state") or None
    name = (request.args.get("name") or "").strip()[:120] or None
    return render_template("admin/companies.html", state=state, name=name,
                           pagination=services.companies_page(page_number(), state, name))


@bp.get("/companies/<int:company_id>")
def company(company_id: int):
    company = _company(company_id)
    return _company_page(company, ReasonForm(), RequiredReasonForm())


def _company_page(company: Company, verify_form, unverify_form, status: int = 200):
    jobs, members = services.company_jobs_and_members(company)
    return render_template("admin/company.html", company=company, jobs=jobs, members=members,
                           verify_form=verify_form, unverify_form=unverify_form,
                           reinstate_form=ReasonForm(prefix="reinstate"),
                           history=audit_log.history_of("company", company.id)), status


def _company_action(company: Company, form, act, done):
    """Run an action whose reason is optional from the company's page; flash how it went
    (`done` words the action's result) and go back to the page."""
    if form.validate_on_submit():
        try:
            result = act(company, current_user, form.reason.data)
        except Conflict as e:
            flash(str(e), "error")
        else:
            flash(done(result), "success")
    return redirect(url_for("admin.company", company_id=company.id))


@bp.post("/companies/<int:company_id>/verify")
def verify(company_id: int):
    return _company_action(
        _company(company_id), ReasonForm(), services.admin_verify,
        lambda c: f"{c.name} is verified: its jobs carry the badge and go live at once.")


@bp.post("/companies/<int:company_id>/unverify")
def unverify(company_id: int):
    company = _company(company_id)
    form = RequiredReasonForm()
    if form.validate_on_submit():
        try:
            services.admin_unverify(company, current_user, form.reason.data)
        except Conflict as e:
            flash(str(e), "error")
        else:
            flash(f"{company.name} is no longer verified: its next jobs wait for review.",
                  "success")
            return redirect(url_for("admin.company", company_id=company.id))
    return _company_page(company, ReasonForm(), form, 400)


@bp.route("/companies/<int:company_id>/suspend", methods=["GET", "POST"])
def suspend(company_id: int):
    """A page of its own: it lists what suspending does before the admin confirms."""
    company = _company(company_id)
    form = RequiredReasonForm()
    if form.validate_on_submit():
        try:
            n = services.suspend_company(company, current_user, form.reason.data)
        except InvalidInput as e:
            show_errors(form, e)
        except Conflict as e:
            flash(str(e), "error")
            return redirect(url_for("admin.company", company_id=company.id))
        else:
            flash(f"{company.name} is suspended: {services.count_of(n, 'job')} left the site "
                  "and its recruiters are logged out.", "success")
            return redirect(url_for("admin.company", company_id=company.id))
    live = services.live_job_count(company)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/suspend.html", company=company, form=form, live=live), status


@bp.post("/companies/<int:company_id>/reinstate")
def reinstate(company_id: int):
    company = _company(company_id)
    return _company_action(
        company, ReasonForm(prefix="reinstate"), services.reinstate_company,
        lambda n: f"{company.name} is reinstated; {services.count_of(n, 'job')} back as "
                  "they were.")


@bp.route("/domains", methods=["GET", "POST"])
def domains():
    form = BanDomainForm()
    if form.validate_on_submit():
        try:
            banned = services.ban_domain(form.domain.data, current_user, form.reason.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash(f"Registrations from {banned.domain} are refused from now on.", "success")
            return redirect(url_for("admin.domains"))
    banned = services.banned_domains()
    status = 400 if form.is_submitted() else 200
    return render_template("admin/domains.html", form=form, banned=banned,
                           unban_form=ReasonForm(prefix="unban")), status


@bp.post("/domains/<path:domain>/unban")
def unban(domain: str):
    if not services.is_banned(domain):
        abort(404)
    form = ReasonForm(prefix="unban")
    if form.validate_on_submit():
        services.unban_domain(domain, current_user, form.reason.data)
        flash(f"Registrations from {domain} are allowed again.", "success")
    return redirect(url_for("admin.domains"))


@bp.get("/audit")
def audit():
    action = request.args.get("action") or None
    actor = (request.args.get("actor") or "").strip()[:254] or None
    subject = (request.args.get("subject") or "").strip()[:280] or None
    return render_template("admin/audit.html", actions=services.ACTIONS, action=action,
                           actor=actor, subject=subject,
                           pagination=services.audit_page(page_number(), action, actor, subject))
