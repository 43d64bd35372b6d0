from flask import Blueprint, abort, redirect, render_template, request, url_for

from jobboard.codes import case as case_codes
from jobboard.codes import services
from jobboard.codes.formats import ICD10CM, SYSTEMS, recognise, split_codes, with_dot
from jobboard.codes.forms import CaseForm
from jobboard.insights import services as insights
from jobboard.pagination import page_number
from jobboard.search.codes_index import lookup

bp = Blueprint("codes", __name__)


@bp.get("/codes")
def lookup_page():
    q = request.args.get("q", "")
    hits, degraded = lookup(q, limit=50)
    return render_template("codes/lookup.html", q=q, hits=hits, degraded=degraded,
                           systems=services.SYSTEM_NAMES)


@bp.route("/codes/case", methods=["GET", "POST"])
def case():
    """A short case note in, candidate codes out. The note is posted, never put in the
    address (addresses end up in logs and histories)."""
    form = CaseForm()
    reading = case_codes.read_case(form.note.data) if form.validate_on_submit() else None
    return render_template("codes/case.html", form=form, reading=reading,
                           disclaimer=case_codes.DISCLAIMER, systems=services.SYSTEM_NAMES)


@bp.get("/codes/preview")
def preview():
    """For the job form: what each entered code is, and suggestions for a half-typed one."""
    tokens = split_codes(request.args.get("codes", ""))
    refs = [recognise(t) for t in tokens]
    known = [r for r in refs if r]
    titles = services.titles_for(known[:50])
    last = tokens[-1] if tokens and refs[-1] is None else ""
    suggestions = lookup(last, limit=8)[0] if len(last) >= 2 else []
    return render_template("codes/_preview.html", items=list(zip(tokens, refs, strict=True)),
                           titles=titles,
                           suggestions=suggestions, partial=last)


@bp.get("/codes/<code>")
def page(code: str):
    ref = recognise(code)
    if ref is None:
        return render_template("codes/not_found.html", code=code,
                               suggestions=services.suggestions(code)), 404
    return _render(ref)


@bp.get("/codes/<system>/<code>")
def page_in_system(system: str, code: str):
    system = system.upper()
    if system not in SYSTEMS:
        abort(404)
    ref = recognise(code)
    # A0100 asked for as ICD-10-CM: A01.00
    if ref is not None and ref.system != system == ICD10CM and (dotted := with_dot(code)):
        return redirect(url_for("codes.page", code=dotted), 301)
    if ref is None or ref.system != system:
        return render_template("codes/not_found.html", code=code,
                               suggestions=services.suggestions(code)), 404
    return redirect(url_for("codes.page", code=ref.code), 301)


def _render(ref):
    page_no = page_number()
    info = services.describe(ref)
    under = services.is_heading(info)
    jobs = services.open_jobs_tagged(ref, page=page_no, under=under)
    pay = insights.pay_insight(insights.Slice(code=ref.code, under=under),
                               ("work_mode", "credential"))
    return render_template("codes/page.html", ref=ref, info=info, jobs=jobs, under=under,
                           search=services.jobs_search(ref, under),
                           systems=services.SYSTEM_NAMES, pay=pay, min_jobs=insights.MIN_JOBS,
                           together=services.often_posted_with(ref))
