from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from jobboard.api import tokens
from jobboard.auth.decorators import employer_required
from jobboard.employers import services
from jobboard.employers.forms import (
    ApiTokenForm,
    BulkMoveForm,
    CompanyForm,
    NoteForm,
    RatingForm,
    StatusForm,
)
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.forms import ConfirmForm, MessageForm, show_errors
from jobboard.jobs import services as job_services
from jobboard.jobs.forms import CloseJobForm, JobForm
from jobboard.jobs.routes import code_titles
from jobboard.messages import routes as messages
from jobboard.messages import services as conversations
from jobboard.models import Job
from jobboard.models import application as ap
from jobboard.models import job as st
from jobboard.pagination import page_number

bp = Blueprint("employers", __name__, url_prefix="/employer")


def own_job(job_id: int) -> Job:
    job = job_services.managed_job(job_id, current_user)
    if job is None:
        abort(404)  # another company's job answers like a missing one: ids reveal nothing
    return job


def _page_arg() -> int:
    return page_number()


@bp.get("/")
@employer_required
def dashboard():
    pagination, rows = services.dashboard_page(current_user, _page_arg())
    return render_template("employers/dashboard.html", pagination=pagination, rows=rows)


@bp.route("/jobs/new", methods=["GET", "POST"])
@employer_required
def new_job():
    form = JobForm()
    if form.validate_on_submit():
        try:
            job = job_services.create_job(current_user.company, current_user, form.to_fields())
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash("Draft saved. Check the preview, then publish.", "success")
            for note in job_services.code_notes(job):
                flash(note, "info")
            return redirect(url_for("employers.preview", job_id=job.id))
    status = 400 if form.is_submitted() else 200
    return render_template("employers/job_form.html", form=form, job=None), status


@bp.route("/jobs/<int:job_id>/edit", methods=["GET", "POST"])
@employer_required
def edit_job(job_id: int):
    job = own_job(job_id)
    form = JobForm()
    if not form.is_submitted():
        form.fill_from(job_services.to_fields(job))
    elif form.validate():
        try:
            job_services.update_job(job, current_user, form.to_fields())
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash("Changes saved." + (" The job waits for review again before it is back on "
                                      "the site." if job.status == st.PENDING else ""), "success")
            for note in job_services.code_notes(job):
                flash(note, "info")
            return redirect(url_for("employers.preview", job_id=job.id))
    status = 400 if form.is_submitted() else 200
    return render_template("employers/job_form.html", form=form, job=job), status


@bp.get("/jobs/<int:job_id>")
@employer_required
def preview(job_id: int):
    job = own_job(job_id)
    return render_template("employers/preview.html", job=job, form=ConfirmForm(),
                           code_titles=code_titles(job),
                           review_reason=job_services.review_reason(job))


@bp.post("/jobs/<int:job_id>/publish")
@employer_required
def publish(job_id: int):
    job = own_job(job_id)
    if ConfirmForm().validate_on_submit():
        try:
            job_services.publish_job(job, current_user)
        except (Conflict, InvalidInput) as e:
            flash(f"Not published: {e}", "error")
        else:
            if job.status == st.PENDING:
                flash("Submitted for review. Our moderators check it before it goes live, "
                      "usually within a working day; we will mail you.", "success")
            else:
                flash(f"Published. It is open for {current_app.config['JOB_LIFETIME_DAYS']} "
                      "days. Edit it, close it or see its applicants from here.", "success")
    # Published or not, the employer stays where the job is managed.
    return redirect(url_for("employers.preview", job_id=job.id))


@bp.route("/jobs/<int:job_id>/renew", methods=["GET", "POST"])
@employer_required
def renew(job_id: int):
    """GET is the page the expiry mails link to; the POST renews."""
    job = own_job(job_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            job_services.renew_job(job, current_user)
        except Conflict as e:
            flash(str(e), "error")
        else:
            flash(f"Renewed until {job.expires_at:%B %-d, %Y}.", "success")
        return redirect(url_for("employers.preview", job_id=job.id))
    return render_template("employers/renew.html", job=job, form=form,
                           days=current_app.config["JOB_LIFETIME_DAYS"])


@bp.route("/jobs/<int:job_id>/delete", methods=["GET", "POST"])
@employer_required
def delete_draft(job_id: int):
    job = own_job(job_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = job.title
        try:
            job_services.delete_draft(job, current_user)
        except Conflict as e:
            flash(str(e), "error")
            return redirect(url_for("employers.preview", job_id=job.id))
        flash(f"The draft “{title}” is deleted.", "success")
        return redirect(url_for("employers.dashboard"))
    return render_template("employers/delete.html", job=job, form=form)


@bp.route("/jobs/<int:job_id>/close", methods=["GET", "POST"])
@employer_required
def close(job_id: int):
    job = own_job(job_id)
    form = CloseJobForm()
    if form.validate_on_submit():
        try:
            job_services.close_job(job, current_user, form.outcome.data)
        except (Conflict, InvalidInput) as e:
            flash(str(e), "error")
        else:
            flash("The job is closed and no longer takes applications.", "success")
        return redirect(url_for("employers.preview", job_id=job.id))
    return render_template("employers/close.html", job=job, form=form)


@bp.get("/jobs/<int:job_id>/applicants")
@employer_required
def applicants(job_id: int):
    return _applicants_page(own_job(job_id), BulkMoveForm(formdata=None, status=ap.REVIEWING))


def _applicants_page(job, move_form: BulkMoveForm, status_code: int = 200):
    status = request.args.get("status") or None
    fit = request.args.get("fit") or None
    pagination = services.applicants_page(job, current_user, status, _page_arg(), fit)
    ids = [a.id for a in pagination.items]
    return render_template(
        "employers/applicants.html", job=job, pagination=pagination, status=status, fit=fit,
        fits={a.id: services.applicant_fit(a) for a in pagination.items},
        fit_labels=services.FITS, labels=ap.STATUS_LABELS, ratings=ap.RATINGS,
        unread=conversations.unread_counts(current_user, ids), move_form=move_form), status_code


@bp.post("/jobs/<int:job_id>/applicants/move")
@employer_required
def move_applicants(job_id: int):
    job = own_job(job_id)
    form = BulkMoveForm()
    back = url_for("employers.applicants", job_id=job.id, status=request.args.get("status"),
                   fit=request.args.get("fit"))
    if form.validate_on_submit():
        try:
            moved, refused = services.move_many(job, current_user, form.application.data,
                                                form.status.data, form.message.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            label = ap.STATUS_LABELS[form.status.data]
            if moved:
                flash(f"Moved {len(moved)} applicant{'s' if len(moved) != 1 else ''} to "
                      f"{label}; each was told.", "success")
            for why in refused:
                flash(f"Not moved: {why}", "error")
            return redirect(back)
    return _applicants_page(job, form, 400)


def _employers_application(application_id: int):
    try:
        return services.get_application_for_employer(application_id, current_user)
    except NotAllowed:
        abort(404)


def _status_form(app_) -> StatusForm:
    form = StatusForm()
    form.status.choices = [SelectChoice(s, ap.STATUS_LABELS[s])
                           for s in ap.EMPLOYER_MOVES[app_.status]]
    return form


def _application_page(app_, form: StatusForm, message_form: MessageForm | None = None,
                      status: int = 200, note_form: NoteForm | None = None):
    """The application with its conversation; opening it (not a refused message) reads the
    thread."""
    if message_form is None:
        conversations.mark_read(app_, current_user)
    previous, following = services.neighbours(app_)
    rating_form = RatingForm(formdata=None, rating=str(app_.rating or ""))
    return render_template("employers/application.html", application=app_, form=form,
                           message_form=message_form or MessageForm(formdata=None),
                           note_form=note_form or NoteForm(formdata=None),
                           rating_form=rating_form, fit=services.applicant_fit(app_),
                           previous=previous, following=following,
                           thread=conversations.thread(app_), labels=ap.STATUS_LABELS), status


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@employer_required
def application(application_id: int):
    app_ = _employers_application(application_id)
    form = _status_form(app_)
    if form.validate_on_submit():
        try:
            services.move_application(app_, current_user, form.status.data, form.message.data)
        except (Conflict, InvalidInput) as e:
            flash(str(e), "error")
        else:
            flash(f"Moved to {ap.STATUS_LABELS[app_.status]}.", "success")
        return redirect(url_for("employers.application", application_id=app_.id))
    return _application_page(app_, form)


@bp.post("/applications/<int:application_id>/notes")
@employer_required
def note(application_id: int):
    app_ = _employers_application(application_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(app_, current_user, form.note.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash("Note saved. Only your company's recruiters see it.", "success")
            return redirect(url_for("employers.application", application_id=app_.id,
                                    _anchor="notes"))
    return _application_page(app_, _status_form(app_), None, 400, note_form=form)


@bp.post("/applications/<int:application_id>/rating")
@employer_required
def rating(application_id: int):
    app_ = _employers_application(application_id)
    form = RatingForm()
    if form.validate_on_submit():
        services.rate(app_, current_user, int(form.rating.data) if form.rating.data else None)
        flash("Rating saved." if app_.rating else "Rating cleared.", "success")
    else:
        flash("Choose a rating from the list.", "error")
    return redirect(url_for("employers.application", application_id=app_.id))


@bp.post("/applications/<int:application_id>/messages")
@employer_required
def message(application_id: int):
    app_ = _employers_application(application_id)
    return messages.send(app_, "employers.application",
                         lambda form: _application_page(app_, _status_form(app_), form, 400))


@bp.route("/company", methods=["GET", "POST"])
@employer_required
def company():
    company = current_user.company
    form = CompanyForm(obj=None)
    if not form.is_submitted():
        form.company_name.data, form.website.data, form.profile.data = (
            company.name, company.website, company.profile)
        form.benefits.data = "\n".join(company.benefits or [])
    elif form.validate():
        upload = form.logo.data.read() if form.logo.data and form.logo.data.filename else None
        try:
            services.update_company(company, current_user, form.company_name.data,
                                    form.website.data, form.profile.data, form.benefits.data,
                                    upload, form.remove_logo.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash("Company profile saved.", "success")
            return redirect(url_for("employers.dashboard"))
    return render_template("employers/company.html", form=form, company=company), \
        400 if form.is_submitted() else 200


@bp.route("/api-tokens", methods=["GET", "POST"])
@employer_required
def api_tokens():
    """Personal API tokens: made here, shown once, revoked here."""
    form = ApiTokenForm()
    created = None
    if form.validate_on_submit():
        try:
            row, created = tokens.create_token(current_user, form.name.data)
        except InvalidInput as e:
            show_errors(form, e)
        except Conflict as e:
            form.form_errors.append(str(e))
        else:
            form = ApiTokenForm(formdata=None)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("employers/api_tokens.html", form=form, created=created,
                           rows=tokens.tokens_of(current_user)), status


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@employer_required
def revoke_token(token_id: int):
    row = tokens.own_token(current_user, token_id)
    if row is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            tokens.revoke_token(row)
        except Conflict as e:
            flash(str(e), "info")
        else:
            flash(f"The token “{row.name}” is revoked: requests with it are refused from now "
                  "on.", "success")
        return redirect(url_for("employers.api_tokens"))
    return render_template("employers/revoke_token.html", row=row, form=form)
