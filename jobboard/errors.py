"""Domain errors raised by services, and how the web layer shows them."""
from http import HTTPStatus

from flask import Flask, Response, current_app, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError


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

    @app.errorhandler(500)
    def server_error(e):
        return _page(500, "Something went wrong",
                     "Something went wrong on our side. It has been logged; please try again.")
