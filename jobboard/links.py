"""Links: absolute ones to the site (mail, feeds, sitemaps), built the same in a request or a
worker, and a request's links to a page with a query string (search pages and the API)."""
from urllib.parse import urlencode, urlsplit

from flask import current_app, g, url_for
from werkzeug.datastructures import iter_multi_items


def absolute_url(endpoint: str, **values) -> str:
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/",
                                       url_scheme=site.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


# The query string url_for writes (werkzeug's own choice of characters left as they are).
_QUERY_SAFE = "!$'()*,/:;?@"


def with_query(endpoint: str, args, external: bool = False) -> str:
    """The endpoint's address (no path values) with this query: url_for's result, built with
    one url_for per endpoint and request. Search pages and the API link to themselves once
    per facet, chip and page (dozens a page; a tenth of the API's own time, profiled)."""
    key = f"_link_base_{endpoint}_{external}"
    base = g.get(key) or g.setdefault(key, url_for(endpoint, _external=external))
    items = [(k, v) for k, v in iter_multi_items(args) if v is not None]
    return f"{base}?{urlencode(items, safe=_QUERY_SAFE)}" if items else base
