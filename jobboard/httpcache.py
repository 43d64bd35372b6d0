"""What a shared cache (a CDN, a caching proxy) may keep: the anonymous pages, for a minute.

The minute is the shared cache's alone (`s-maxage`): a browser asks again every time
(`max-age=0`), so a visitor who searches again, or comes back to a page after posting or
closing a job, never sees their own browser's old copy.

A page is public only when nothing about it is the visitor's own: a GET answered 200 to a
request that carries no cookie, whose answer sets none (no session was started for it, as a
form's CSRF token starts one), on a page that reads the same for every anonymous visitor.
`Vary: Cookie` keeps a cache from handing that copy to a visitor who has signed in. Every
other answer to a signed-in visitor is `private`: only their own browser may keep it.
"""
from flask import Flask, Response, request, session

SHARED_MAX_AGE = 60  # seconds: a closed job leaves a CDN's copies within a minute
PUBLIC_ENDPOINTS = frozenset({
    "jobs.home", "jobs.browse", "jobs.detail", "jobs.company",
    "codes.lookup_page", "codes.page", "codes.page_in_system",
    "insights.index",
    "feeds.jobs_atom", "feeds.sitemap_index", "feeds.sitemap_jobs", "feeds.sitemap_codes",
    "feeds.robots",
})


def register_cache_headers(app: Flask) -> None:
    @app.after_request
    def cache_headers(response: Response) -> Response:
        if "Cache-Control" in response.headers:  # a route that decided (logos, the API)
            return response
        if _public(response):
            response.cache_control.public = True
            response.cache_control.max_age = 0
            response.cache_control.s_maxage = SHARED_MAX_AGE
            response.vary.add("Cookie")
        elif request.cookies:
            response.cache_control.private = True
            response.vary.add("Cookie")
        return response


def _public(response: Response) -> bool:
    return (request.method in ("GET", "HEAD") and response.status_code == 200
            and request.endpoint in PUBLIC_ENDPOINTS and not request.cookies
            and not session.modified and "Set-Cookie" not in response.headers)
