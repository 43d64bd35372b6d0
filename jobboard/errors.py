"""Domain errors raised by services, and how the web layer shows them."""
from http import HTTPStatus

from flask import (
    Flask,
    Response,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, PendingRollbackError
from werkzeug.exceptions import HTTPException, SecurityError

from jobboard.extensions import db


class InvalidInput(Exception):
    """Input a user can fix; `errors` maps a form field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class NotAllowed(Exception):
    """The user may not do this to this object."""


class Conflict(Exception):
    """The action clashes with the object's state (e.g. applying twice)."""


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz"))


def problem(status: int, detail: str, **extra):
    """An RFC 9457 problem details answer (application/problem+json); `extra` adds members
    such as `errors`, one per bad input."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}
    response = current_app.json.response(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _page(status: int, title: str, message: str):
    if wants_json():
        return problem(status, message)
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _cause(error: Exception) -> str:
    """The name of what the database driver raised (AdminShutdown ...), for the log."""
    return type(getattr(error, "orig", None) or error).__name__


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(NotAllowed)
    def not_allowed(e):
        return _page(403, "Not allowed", str(e) or "You do not have access to this page.")

    @app.errorhandler(SecurityError)
    def untrusted_host(e):
        """A Host header not in TRUSTED_HOSTS: plain words, no page (a page's links are built
        for the request's host, the very thing refused)."""
        return Response("This site is not served at that address. Use the site's own "
                        "address.\n", 400, mimetype="text/plain")

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return _page(400, "Form expired", "The form expired or was sent from elsewhere. "
                     "Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        messages = {
            403: "You do not have access to this page.",
            404: "We could not find that page. It may have been moved or removed.",
            413: "That upload is too large. Resumes may be at most 5 MB.",
            429: "Too many attempts. Please wait a minute and try again.",
        }
        # A 403 raised with our own reason, or the search limit, says it; other codes keep the
        # friendly wording (a library's description, such as the rate limiter's "10 per 1
        # minute", is not).
        ours = (e.code == 403 and e.description != type(e).description) or \
            bool(getattr(getattr(e, "limit", None), "error_message", None))
        specific = e.description if ours else None
        response = make_response(_page(e.code or 500, e.name,
                                       specific or messages.get(e.code, e.description or e.name)))
        return response  # a limit's 429 gets Retry-After from Flask-Limiter

    @app.teardown_appcontext
    def close_session(exc):
        """End the request's session, even when its connection died after the last query
        (the database restarted): the answer is drawn already and must still be sent. Runs
        before Flask-SQLAlchemy's own teardown (registered later, run first), which then
        finds nothing left to close; SQLAlchemy has dropped the dead connection from its
        pool, so the next request gets a new one."""
        try:
            db.session.remove()
        except DBAPIError as e:
            current_app.logger.warning("closing a request's session failed: %s", _cause(e))
            db.session.registry.clear()

    @app.errorhandler(OperationalError)
    @app.errorhandler(PendingRollbackError)
    def database_unavailable(e):
        """The database went away (restarted, failed over, unreachable): a 503 that says to
        try again, with Retry-After, never a 500. The page is drawn without the database (no
        navigation of the signed-in user), since that is what is missing."""
        try:
            db.session.rollback()
        except DBAPIError:  # the connection is gone; the pool makes a new one next time
            db.session.registry.clear()
        current_app.logger.warning("database unavailable: %s", _cause(e))
        message = ("CodeBoard cannot reach its database for a moment. Please try again in a "
                   "few seconds.")
        if wants_json():
            response = problem(503, message)
        else:
            # Jinja directly, not render_template: Flask's context processors would load
            # the signed-in user (Flask-Login's), from the database that is away.
            page = current_app.jinja_env.get_template("errors/unavailable.html").render(
                message=message, url_for=url_for, request=request)
            response = make_response(page, 503)
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(500)
    def server_error(e):
        # The database failing where no handler sees it (in an after-request hook that loads
        # the signed-in user): the same 503, and a page that does not need the database.
        original = getattr(e, "original_exception", None)
        if isinstance(original, (OperationalError, PendingRollbackError)):
            return database_unavailable(original)
        return _page(500, "Something went wrong",
                     "Something went wrong on our side. It has been logged; please try again.")
