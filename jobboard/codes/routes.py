from flask import Blueprint, abort, render_template, request

from jobboard.codes import services
from jobboard.codes.formats import SYSTEMS, recognise

bp = Blueprint("codes", __name__)


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
    if ref is None or ref.system != system:
        return render_template("codes/not_found.html", code=code,
                               suggestions=services.suggestions(code)), 404
    return _render(ref)


def _render(ref):
    page_no = max(1, request.args.get("page", 1, type=int) or 1)
    jobs = services.open_jobs_tagged(ref, page=page_no)
    return render_template("codes/page.html", ref=ref, info=services.describe(ref), jobs=jobs)
