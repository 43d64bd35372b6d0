from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobboard.alerts import services
from jobboard.alerts.forms import AlertForm, SaveSearchForm
from jobboard.auth.decorators import coder_required
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.forms import ConfirmForm, show_errors
from jobboard.jobs.routes import get_visible_job
from jobboard.pagination import page_number

bp = Blueprint("alerts", __name__)


def _own(saved_search_id: int):
    try:
        return services.own_search(current_user, saved_search_id)
    except NotAllowed:
        abort(404)


@bp.post("/alerts")
def save_search():
    form = SaveSearchForm()
    search_url = url_for("jobs.browse") + ("?" + form.query.data if form.query.data else "")
    if not current_user.is_authenticated:
        flash("Log in as a coder to get job alerts for this search.", "info")
        return redirect(url_for("auth.login", next=search_url))
    if not current_user.is_coder:
        abort(403)
    if form.validate_on_submit():
        try:
            saved = services.save_search(current_user, form.query.data or "", form.name.data,
                                         form.frequency.data)
        except InvalidInput as e:
            flash("Not saved: " + " ".join(m for ms in e.errors.values() for m in ms), "error")
        else:
            note = "" if current_user.is_verified else \
                " Confirm your email address to start receiving it."
            flash(f"Job alert “{saved.name}” saved: we will mail you new jobs "
                  f"{'as they are posted' if saved.frequency == 'instant' else saved.frequency}."
                  + note, "success")
    else:
        flash("Not saved: the form expired. Try again.", "error")
    return redirect(search_url)


@bp.get("/alerts")
@coder_required
def manage():
    searches = services.searches_of(current_user)
    forms = {}
    for saved in searches:
        form = AlertForm(prefix=f"a{saved.id}", data={"name": saved.name,
                                                       "frequency": saved.frequency,
                                                       "active": saved.active})
        forms[saved.id] = form
    return render_template("alerts/manage.html", searches=searches, forms=forms)


@bp.post("/alerts/<int:saved_search_id>")
@coder_required
def update(saved_search_id: int):
    saved = _own(saved_search_id)
    form = AlertForm(prefix=f"a{saved.id}")
    if form.validate_on_submit():
        try:
            services.update_search(saved, current_user, form.name.data, form.frequency.data,
                                   form.active.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash(f"Job alert “{saved.name}” saved.", "success")
            return redirect(url_for("alerts.manage"))
    flash("Not saved: " + " ".join(m for ms in form.errors.values() for m in ms), "error")
    return redirect(url_for("alerts.manage"))


@bp.route("/alerts/<int:saved_search_id>/delete", methods=["GET", "POST"])
@coder_required
def delete(saved_search_id: int):
    saved = _own(saved_search_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = saved.name
        services.delete_search(saved, current_user)
        flash(f"Job alert “{name}” deleted.", "success")
        return redirect(url_for("alerts.manage"))
    return render_template("alerts/delete.html", saved=saved, form=form)


# ---------------------------------------------------------------- saved jobs


def _redraw() -> bool:
    """Sent by htmx from a page that redraws only the button (macros.save_button)."""
    return request.headers.get("HX-Request") == "true"


def _button(job, saved: bool):
    return render_template("alerts/_save_button.html", job=job, saved=saved,
                           next=request.form.get("next"))


def _back(job_id: int) -> str:
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("jobs.detail", job_id=job_id)


@bp.post("/jobs/<int:job_id>/save")
def save_job(job_id: int):
    job = get_visible_job(job_id)
    if not current_user.is_authenticated:
        flash("Log in as a coder to save jobs.", "info")
        return redirect(url_for("auth.login", next=url_for("jobs.detail", job_id=job.id)))
    if not current_user.is_coder:
        abort(403)
    if ConfirmForm().validate_on_submit():
        services.save_job(current_user, job)
        if _redraw():
            return _button(job, True)
        flash(f"Saved “{job.title}”. Find it under Saved jobs.", "success")
    return redirect(_back(job.id))


@bp.post("/jobs/<int:job_id>/unsave")
@coder_required
def unsave_job(job_id: int):
    job = get_visible_job(job_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.unsave_job(current_user, job)
        except Conflict as e:
            if _redraw():
                return _button(job, False)
            flash(str(e), "info")
        else:
            if _redraw():
                return _button(job, False)
            flash(f"Removed “{job.title}” from your saved jobs.", "success")
    return redirect(_back(job.id))


@bp.get("/saved")
@coder_required
def saved_jobs():
    page = page_number()
    return render_template("alerts/saved.html",
                           pagination=services.saved_jobs_page(current_user, page))

