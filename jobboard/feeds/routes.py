"""Atom feeds of searches, sitemaps and robots.txt."""
from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from jobboard import vocab
from jobboard.database import utcnow
from jobboard.feeds import services
from jobboard.links import absolute_url
from jobboard.markdown import render_markdown
from jobboard.search import service as search
from jobboard.search.query import parse_args
from jobboard.templating import pay, place

bp = Blueprint("feeds", __name__)
FEED_SIZE = 50


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


@bp.get("/jobs.atom")
def jobs_atom():
    """The search for these parameters as an Atom feed, newest first unless a sort is given."""
    args = request.args.copy()
    args.setdefault("sort", "newest")
    args.setdefault("per_page", str(FEED_SIZE))
    query = parse_args(args, FEED_SIZE)
    page = search.search_jobs(query)
    query_string = request.query_string.decode()
    html_url = absolute_url("jobs.browse") + (f"?{query_string}" if query_string else "")
    self_url = absolute_url("feeds.jobs_atom") + (f"?{query_string}" if query_string else "")
    feed = FeedGenerator()
    feed.id(self_url)
    if query.codes:
        feed.title(f"Jobs tagged {' or '.join(query.codes)} · CodeBoard")
    else:
        feed.title(f"{query.q or 'Medical coding'} jobs · CodeBoard")
    feed.subtitle("Medical coding jobs on CodeBoard that match this search")
    feed.link(href=html_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.author({"name": "CodeBoard"})
    feed.updated(max((j.updated_at for j in page.jobs), default=utcnow()))
    for job in page.jobs:
        url = absolute_url("jobs.detail", job_id=job.id)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(job.title)
        entry.link(href=url)
        entry.published(job.published_at)
        entry.updated(job.updated_at)
        entry.author({"name": job.company.name})
        summary = " · ".join(p for p in (job.company.name, place(job), pay(job),
                                         vocab.SETTINGS.get(job.setting, "")) if p)
        entry.summary(summary)
        entry.content(render_markdown(job.description), type="html")
        for tag in job.codes:
            entry.category(term=tag.code, label=f"{tag.system} {tag.code}")
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def _xml(template: str, **context) -> Response:
    return Response(render_template(template, **context), mimetype="application/xml")


@bp.get("/sitemap.xml")
def sitemap_index():
    size = current_app.config["SITEMAP_PAGE_SIZE"]
    return _xml("feeds/sitemap_index.xml",
                job_pages=_pages(services.open_job_count(), size),
                code_pages=_pages(services.open_code_count(), size),
                absolute_url=absolute_url)


@bp.get("/sitemaps/jobs-<int:page>.xml")
def sitemap_jobs(page: int):
    size = current_app.config["SITEMAP_PAGE_SIZE"]
    if not 1 <= page <= _pages(services.open_job_count(), size):
        abort(404)
    urls = [(absolute_url("jobs.detail", job_id=job_id), updated)
            for job_id, updated in services.open_jobs_page(page, size)]
    if page == 1:
        urls = [(absolute_url("jobs.home"), None), (absolute_url("jobs.browse"), None), *urls]
    return _xml("feeds/sitemap.xml", urls=urls)


@bp.get("/sitemaps/codes-<int:page>.xml")
def sitemap_codes(page: int):
    size = current_app.config["SITEMAP_PAGE_SIZE"]
    if not 1 <= page <= _pages(services.open_code_count(), size):
        abort(404)
    urls = [(absolute_url("codes.page", code=code), None)
            for code in services.open_codes_page(page, size)]
    return _xml("feeds/sitemap.xml", urls=urls)


@bp.get("/robots.txt")
def robots():
    private = [url_for("employers.dashboard"), "/coder/", url_for("auth.settings"), "/alerts",
               "/saved", "/dev/"]
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in private),
             f"Sitemap: {absolute_url('feeds.sitemap_index')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")
