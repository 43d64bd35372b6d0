"""Response headers every page carries; refusing cross-site form posts by their Origin, and
queries with a NUL character."""
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request

from jobboard.textrules import first_unfit

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'self'; object-src 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "X-Frame-Options": "DENY",  # for browsers that predate frame-ancestors
    # No server software named (the HTTP server, granian, names itself only when the app
    # sends no Server header).
    "Server": "CodeBoard",
}
# Mail clients' one-click unsubscribe (RFC 8058) posts from the mail provider.
ORIGIN_EXEMPT = ("auth.unsubscribe",)


def register_security(app: Flask) -> None:
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)

    @app.before_request
    def refuse_foreign_origin():
        """A POST whose Origin is another site is refused before any CSRF check: a stolen
        token would not help a page elsewhere either."""
        if request.method in ("GET", "HEAD", "OPTIONS") or request.endpoint in ORIGIN_EXEMPT:
            return None
        origin = request.headers.get("Origin")
        if origin and origin != "null" and not _same_site(origin):
            abort(403, description="This form was sent from another site.")
        return None

    @app.before_request
    def refuse_control_characters_in_query():
        """A control character (NUL, %01 ...) or a non-character (U+FFFE) is never part of a
        real search or filter: PostgreSQL refuses NUL in text and the Atom feed cannot carry
        the others, so each reached a 500. Every route answers a 400 that says so instead.
        Line breaks and tabs pass (a pasted search; the query reader folds them). Form fields
        name their own next to the field (textrules.py)."""
        if not request.query_string:
            return None
        for _, value in request.args.items(multi=True):  # every value, not each key's first
            if (bad := first_unfit(value, lines=True)) is not None:
                name = "NUL, %00" if bad == "\x00" else f"U+{ord(bad):04X}"
                abort(400, description="The address contains an invisible control character "
                                       f"({name}). Remove it and try again.")
        return None

    @app.after_request
    def security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)  # a route may set a stricter one
        if current_app.config.get("PREFERRED_URL_SCHEME") == "https":
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response


def _same_site(origin: str) -> bool:
    allowed = {request.host_url.rstrip("/"),
               current_app.config.get("SITE_URL", "").rstrip("/")}
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" in allowed
