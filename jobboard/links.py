"""Links: absolute ones to the site (mail, feeds, sitemaps), built the same in a request or a
worker, and a request's links to a page with a query string (search pages and the API)."""
from collections.abc import Callable
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


def with_query_varying(endpoint: str, args: dict, key: str,
                       external: bool = False) -> Callable[[object], str]:
    """Links to the endpoint with this query but `key` set to each value given: the rest of
    the query is encoded once (the API links to its pages, and to its query without each
    part of it; encoding every parameter per link was the largest part of its links' time)."""
    base = with_query(endpoint, {k: v for k, v in args.items() if k != key}, external)
    joiner = "&" if "?" in base else "?"
    return lambda value: f"{base}{joiner}{urlencode({key: value}, safe=_QUERY_SAFE)}"
