from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from jobboard.admin import services as moderation
from jobboard.admin.forms import ReportForm
from jobboard.alerts import services as alerts
from jobboard.alerts.forms import save_search_form
from jobboard.auth.decorators import coder_required
from jobboard.candidates import services as invitations
from jobboard.coders import for_me as for_me_service
from jobboard.coders import matching
from jobboard.coders import services as coder_services
from jobboard.coders.forms import ApplyForm
from jobboard.codes import services as code_services
from jobboard.codes.formats import CodeRef
from jobboard.errors import Conflict, InvalidInput
from jobboard.extensions import limiter
from jobboard.forms import show_errors
from jobboard.insights import services as insights
from jobboard.jobs import services as job_services
from jobboard.jobs.structured_data import job_posting_ld
from jobboard.limits import search_limit
from jobboard.links import with_query
from jobboard.models import Job
from jobboard.pagination import page_number
from jobboard.search import reading
from jobboard.search import service as search
from jobboard.search.filters import FILTERS
from jobboard.search.query import CODE, ICD, parse_args

bp = Blueprint("jobs", __name__)


@bp.get("/")
def home():
    latest = search.browse_latest(6)
    return render_template("jobs/home.html", latest=latest)


def search_url(query, name: str, value: str | None = None, add: bool = True) -> str:
    """This search (as read: words that name a filter are that filter) with one parameter
    value added or removed (back to page 1)."""
    args = MultiDict(query.args)
    args.pop("page", None)
    values = [v for v in args.getlist(name) if value is not None and v != value]
    if add and value is not None:
        values.append(value)
    args.setlist(name, values)
    return with_query("jobs.browse", args)


def search_url_with_q(query, q: str) -> str:
    """This search with another query text (back to page 1)."""
    args = MultiDict(query.args)
    args.pop("page", None)
    args.setlist("q", [q] if q else [])
    return with_query("jobs.browse", args)


def facet_groups(query, page):
    groups = []
    for f in FILTERS:
        counts = page.facets.get(f.attribute) or {}
        selected = query.filters.get(f.param, [])
        options = [{"value": value, "label": f.label(value), "count": n,
                    "selected": value in selected,
                    "url": search_url(query, f.param, value, add=value not in selected)}
                   for value, n in counts.items() if value in f.vocabulary]
        if options:
            groups.append({"param": f.param, "heading": f.heading, "options": options,
                           "open": any(o["selected"] for o in options) or f.param == "specialty"})
    codes = page.facets.get("codes") or {}
    if codes:
        # Only ?code= values are facet selections; codes typed in the query are its parts.
        picked = {c.strip().upper() for c in query.args.getlist("code")}
        options = [{"value": code, "label": code, "count": n, "selected": code in picked,
                    "url": search_url(query, "code", code, add=code not in picked)}
                   for code, n in codes.items()]
        groups.append({"param": "code", "heading": "Codes in these results", "options": options,
                       "open": any(o["selected"] for o in options)})
    return groups


def chips(query):
    found = []
    for f in FILTERS:
        for value in query.filters.get(f.param, []):
            found.append((f.label(value), search_url(query, f.param, value, add=False)))
    for code in query.args.getlist("code"):
        found.append((f"Code {code.strip().upper()}", search_url(query, "code", code, add=False)))
    if query.family:
        found.append((f"Codes {query.family}…", search_url(query, "family", None, False)))
    if query.salary_min:
        found.append((f"Pay from ${query.salary_min:,}/yr", search_url(query, "salary_min", None, False)))
    if query.posted_within:
        found.append((f"Posted in the last {query.posted_within} days",
                      search_url(query, "posted_within", None, False)))
    return found


@bp.get("/jobs")
@search_limit
def browse():
    query = parse_args(request.args, current_app.config["JOBS_PER_PAGE"])
    page = search.search_jobs(query)
    template = "jobs/_results.html" if request.headers.get("HX-Request") else "jobs/search.html"
    can_save = (not current_user.is_authenticated or current_user.is_coder) \
        and not query.reads_as_nothing  # no alert for a search that cannot find anything
    # A visitor who is not signed in is offered a link to log in, not the form: a form
    # starts a session (its CSRF token), and an anonymous page without one may be kept by a
    # CDN (httpcache.py).
    alert_login = can_save and not current_user.is_authenticated
    save_form = save_search_form(query.args) if can_save and not alert_login else None
    saved_ids = alerts.saved_job_ids(current_user, [j.id for j in page.jobs]) \
        if current_user.is_authenticated and current_user.is_coder else None
    feed_args = {k: v for k, v in query.args.to_dict(flat=False).items() if k != "page"}
    pay_slice = pay_slice_of(query)
    pay = insights.pay_insight(pay_slice) if pay_slice else None
    return render_template(template, query=query, page=page, facets=facet_groups(query, page),
                           pay=pay, pay_url=pay_url(pay_slice),
                           min_jobs=insights.MIN_JOBS,
                           chips=chips(query), reading=reading.read(query, page.total),
                           with_q=partial(search_url_with_q, query),
                           searching_word=lambda wf: with_query("jobs.browse",
                                                                query.args_searching_word(wf)),
                           save_form=save_form, alert_login=alert_login, saved_ids=saved_ids,
                           save_placeholder=alerts.describe(save_form.query.data)
                           if save_form else "",
                           feed_url=url_for("feeds.jobs_atom", **feed_args))


def pay_slice_of(query) -> insights.Slice | None:
    """The pay-insight slice a search is, when it is one: at most one code (exact, or an
    ICD-10-CM code with what is under it, as the search reads C92), one specialty, one state
    and one work mode, and nothing else (no words, no other filters: the figures must
    describe exactly the jobs listed)."""
    codes = list(dict.fromkeys([*query.codes, *(t.value for t in query.terms)]))
    codes_only = all(t.kind in (CODE, ICD) for t in query.terms)  # no range, no family
    others = ("credential", "setting", "employment_type")
    picked = {name: query.filters.get(name, []) for name in ("specialty", "state", "work_mode")}
    if (query.words or not codes_only or len(codes) > 1 or query.family or query.salary_min
            or query.posted_within or any(query.filters.get(n) for n in others)
            or any(len(v) > 1 for v in picked.values())
            or not (codes or any(picked.values()))):  # every job: that is /insights' page
        return None
    return insights.Slice(code=codes[0] if codes else None,
                          under=any(t.kind == ICD for t in query.terms),
                          **{name: v[0] for name, v in picked.items() if v})


def pay_url(s: insights.Slice | None) -> str | None:
    """Where the search's pay figures are shown at length: the code's page, or /insights."""
    if s is None:
        return None
    if s.code:
        return url_for("codes.page", code=s.code, _anchor="pay-h")
    return url_for("insights.index", specialty=s.specialty, state=s.state,
                   work_mode=s.work_mode)


def get_visible_job(job_id: int) -> Job:
    job = job_services.visible_job(job_id, current_user)
    if job is None:
        abort(404)  # a missing job and another company's draft answer alike
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
        extra["invitation"] = invitations.invitation_to(job, current_user)
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


def report_limit():
    return current_app.config["RATELIMIT_REPORT"]


@bp.route("/jobs/<int:job_id>/report", methods=["GET", "POST"])
@limiter.limit(report_limit, methods=["POST"])
def report(job_id: int):
    """Anyone, logged in or not, can report a job to the moderators."""
    job = get_visible_job(job_id)
    if not job.was_public:
        abort(404)  # the company's own draft: nothing to report
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.report_job(job, current_user, request.remote_addr or "",
                                  form.reason.data, form.comment.data)
        except InvalidInput as e:
            show_errors(form, e)
        except Conflict as e:
            flash(str(e), "error")
            return redirect(url_for("jobs.browse"))
        else:
            flash("Thank you: our moderators will look at this job. If it asked you for "
                  "money or identity documents, do not send them.", "success")
            return redirect(url_for("jobs.detail", job_id=job.id)
                            if job.was_public else url_for("jobs.browse"))
    status = 400 if form.is_submitted() else 200
    return render_template("jobs/report.html", job=job, form=form), status


@bp.get("/companies/<slug>")
def company(slug: str):
    """A company's public page: its profile, whether it is verified, and its open jobs."""
    company = job_services.public_company(slug)
    if company is None:
        abort(404)
    pagination = job_services.company_open_jobs(company, page_number(),
                                                current_app.config["JOBS_PER_PAGE"])
    return render_template("jobs/company.html", company=company, pagination=pagination)


@bp.get("/companies/<slug>/logo.png")
def company_logo(slug: str):
    """The logo as the PNG this site made of it: served only as an image (nosniff, a CSP
    that runs nothing), cached for good (a new logo has a new address, ?v=)."""
    logo = job_services.public_logo(slug)
    if logo is None:
        abort(404)
    response = current_app.response_class(logo.png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/jobs/for-me")
@coder_required
def for_me():
    """The open jobs the coder qualifies for, ranked by fit; the search filters still work."""
    profile = coder_services.profile_of(current_user)
    query = parse_args(request.args, 100)
    found = for_me_service.jobs_for(profile, query, page_number(),
                                    current_app.config["JOBS_PER_PAGE"])
    args = {k: v for k, v in query.args.to_dict(flat=False).items() if k != "page"}
    return render_template("jobs/for_me.html", profile=profile, found=found, args=args,
                           rules=matching.RULES, query=query, filters=FILTERS)
