from flask import Blueprint, render_template, request

from jobboard import vocab
from jobboard.insights import services
from jobboard.insights.services import Slice

bp = Blueprint("insights", __name__)
SECTIONS = (("credential", "By required credential"), ("specialty", "By specialty"),
            ("state", "By state"), ("setting", "By coding setting"))


def slice_from(args) -> tuple[Slice, dict[str, str]]:
    """The slice the query string asks for; unknown values are dropped and named."""
    ignored = {}
    picked = {}
    for name, vocabulary in (("specialty", vocab.SPECIALTIES), ("credential", vocab.CREDENTIALS),
                             ("state", vocab.US_STATES), ("work_mode", vocab.WORK_MODES)):
        value = (args.get(name) or "").strip()
        if name == "state":
            value = value.upper()
        if value and value not in vocabulary:
            ignored[name] = value[:40]
        elif value:
            picked[name] = value
    window = args.get("window") or services.OPEN
    if window not in services.WINDOWS:
        ignored["window"] = window[:40]
        window = services.OPEN
    return Slice(window=window, **picked), ignored


@bp.get("/insights")
def index():
    s, ignored = slice_from(request.args)
    insight = services.pay_insight(s, tuple(name for name, _ in SECTIONS))
    return render_template("insights/index.html", insight=insight, sections=SECTIONS,
                           slice=s, ignored=ignored, windows=services.WINDOWS,
                           min_jobs=services.MIN_JOBS)
