"""Third-party front-end files, served from the npm packages that package.json pins."""
from flask import Blueprint, abort, redirect, send_file, url_for

from jobboard.config import ROOT

bp = Blueprint("assets", __name__)
VENDOR = {
    "pico.min.css": ROOT / "node_modules/@picocss/pico/css/pico.min.css",
    "htmx.min.js": ROOT / "node_modules/htmx.org/dist/htmx.min.js",
    "swagger-ui-bundle.js": ROOT / "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": ROOT / "node_modules/swagger-ui-dist/swagger-ui.css",
}


@bp.get("/vendor/<name>")
def vendor(name: str):
    path = VENDOR.get(name)
    if path is None or not path.exists():
        abort(404)
    return send_file(path, max_age=86400)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on their own; ours is an SVG."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
