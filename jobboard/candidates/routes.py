from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from jobboard.auth.decorators import coder_required, employer_required
from jobboard.candidates import services
from jobboard.candidates.forms import InviteForm
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.forms import ConfirmForm, show_errors
from jobboard.models import invitation as inv
from jobboard.pagination import page_number

bp = Blueprint("candidates", __name__)


@bp.get("/employer/candidates")
@employer_required
def search():
    services.can_search(current_user)
    query, problems = services.parse_query(request.args)
    results = services.search(query, current_user.company_id)
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    return render_template("candidates/search.html", query=query, problems=problems,
                           results=results, args=args, sorts=services.SORTS,
                           dotted=services.dotted_suggestions(query, request.args),
                           has_open_jobs=services.has_open_jobs(current_user.company_id))


@bp.route("/employer/candidates/<int:coder_id>/invite", methods=["GET", "POST"])
@employer_required
def invite(coder_id: int):
    services.can_search(current_user)
    profile = services.findable_candidate(coder_id)
    if profile is None:
        abort(404)  # not findable (or never was): like a missing page
    jobs = services.jobs_to_offer(current_user.company_id, profile)
    form = InviteForm()
    form.job.choices = [SelectChoice(j.id, j.title) for j in jobs]
    if not form.is_submitted() and request.args.get("job", type=int):
        form.job.data = request.args.get("job", type=int)
    if form.validate_on_submit():
        try:
            services.invite(current_user, coder_id, form.job.data, form.message.data)
        except InvalidInput as e:
            show_errors(form, e)
        except Conflict as e:
            form.form_errors.append(str(e))
        else:
            flash("Invitation sent. You will see it here when they apply or decline; their "
                  "application brings their name and resume.", "success")
            return redirect(url_for("candidates.sent"))
    status = 400 if form.is_submitted() else 200
    invited = services.invited_jobs(current_user.company_id, coder_id)
    return render_template("candidates/invite.html", form=form, profile=profile, jobs=jobs,
                           invited=invited), status


@bp.get("/employer/invitations")
@employer_required
def sent():
    pagination = services.company_invitations(current_user.company_id, page_number())
    applications = services.applications_for(pagination.items)
    return render_template("candidates/sent.html", pagination=pagination,
                           applications=applications)


@bp.get("/coder/invitations")
@coder_required
def invitations():
    pagination = services.coder_invitations(current_user, page_number())
    return render_template("candidates/invitations.html", pagination=pagination, SENT=inv.SENT)


@bp.route("/coder/invitations/<int:invitation_id>/decline", methods=["GET", "POST"])
@coder_required
def decline(invitation_id: int):
    try:
        invitation = services.own_invitation(invitation_id, current_user)
    except NotAllowed:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.decline(invitation, current_user)
        except Conflict as e:
            flash(str(e), "error")
        else:
            flash("Invitation declined. The employer sees that you declined, nothing more.",
                  "success")
        return redirect(url_for("candidates.invitations"))
    return render_template("candidates/decline.html", invitation=invitation, form=form)
