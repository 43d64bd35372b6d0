from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from jobboard.auth.decorators import coder_required
from jobboard.candidates import services as candidates
from jobboard.coders import services
from jobboard.coders.forms import ProfileForm
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.forms import ConfirmForm, MessageForm, show_errors
from jobboard.messages import routes as messages
from jobboard.messages import services as conversations
from jobboard.models import Application
from jobboard.models import application as ap
from jobboard.pagination import page_number
from jobboard.resumes.services import readable_resume
from jobboard.resumes.storage import storage

bp = Blueprint("coders", __name__)


@bp.route("/coder/profile", methods=["GET", "POST"])
@coder_required
def profile():
    profile = services.profile_of(current_user)
    form = ProfileForm()
    if not form.is_submitted():
        for name in ("headline", "credentials", "specialties", "years_experience", "city",
                     "state", "remote_preference", "findable", "availability"):
            getattr(form, name).data = getattr(profile, name)
        form.codes.data = ", ".join(profile.codes or [])
    elif form.validate():
        upload = None
        if form.resume.data and form.resume.data.filename:
            upload = (form.resume.data.read(), form.resume.data.filename)
        try:
            services.update_profile(current_user, form.to_fields(), upload)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash("Profile saved.", "success")
            return redirect(url_for("coders.profile"))
    status = 400 if form.is_submitted() else 200
    return render_template("coders/profile.html", form=form, profile=profile), status


@bp.get("/coder/applications")
@coder_required
def applications():
    pagination = services.applications_page(current_user, page_number())
    return render_template("coders/applications.html", pagination=pagination,
                           labels=ap.STATUS_LABELS, unread=conversations.unread_counts(
                               current_user, [a.id for a in pagination.items]),
                           waiting=candidates.waiting_count(current_user))


def _own(application_id: int) -> Application:
    try:
        return services.get_own_application(application_id, current_user)
    except NotAllowed:
        abort(404)


def _application_page(application: Application, form: MessageForm | None = None,
                      status: int = 200):
    """The application with its conversation; opening it (not a refused message) reads the
    thread."""
    if form is None:
        conversations.mark_read(application, current_user)
    return render_template("coders/application.html", application=application,
                           labels=ap.STATUS_LABELS, final=ap.FINAL,
                           thread=conversations.thread(application),
                           message_form=form or MessageForm(formdata=None)), status


@bp.get("/coder/applications/<int:application_id>")
@coder_required
def application(application_id: int):
    return _application_page(_own(application_id))


@bp.post("/coder/applications/<int:application_id>/messages")
@coder_required
def message(application_id: int):
    application = _own(application_id)
    return messages.send(application, "coders.application",
                         lambda form: _application_page(application, form, 400))


@bp.route("/coder/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@coder_required
def withdraw(application_id: int):
    application = _own(application_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.withdraw(application, current_user)
        except Conflict as e:
            flash(str(e), "error")
        else:
            flash("Your application was withdrawn.", "success")
        return redirect(url_for("coders.application", application_id=application.id))
    return render_template("coders/withdraw.html", application=application, form=form)


@bp.get("/resumes/<int:resume_id>")
@login_required
def resume(resume_id: int):
    resume = readable_resume(resume_id, current_user)
    if resume is None:
        abort(404)
    try:
        data = storage().read(resume.storage_key)
    except FileNotFoundError:
        abort(404)
    response = send_file(BytesIO(data), mimetype=resume.content_type, as_attachment=True,
                         download_name=resume.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
