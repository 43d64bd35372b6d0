"""Atom feeds of searches, sitemaps and robots.txt: valid XML listing exactly the open jobs."""
import re
import xml.etree.ElementTree as ET

from jobboard.jobs import services as job_services
from tests import factories as make

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
JOB_LINK = re.compile(r'<a href="/jobs/(\d+)">')


def _jobs(app):
    with app.app_context():
        employer = make.employer(company="Summit & Sons <Oncology>")
        a = make.job(employer, title="Stem cell coder", codes="38206")
        b = make.job(employer, title="Remote 38206 auditor & abstractor", codes="38206, C92.00")
        make.job(employer, title="Storage coder", codes="38207")
        closed = make.job(employer, title="Closed 38206 job", codes="38206")
        job_services.close_job(closed, employer)
        make.job(employer, title="Draft 38206 job", codes="38206", publish=False)
        return {"a": a.id, "b": b.id, "closed": closed.id}


def _ids_on_page(html: str) -> set[int]:
    results = html.split('aria-label="Results"', 1)[1]
    return {int(i) for i in JOB_LINK.findall(results)}


def test_the_atom_feed_lists_exactly_the_open_jobs_the_search_shows(client, app, search):
    ids = _jobs(app)
    for query in ("code=38206&sort=newest", "q=38206", "q=auditor"):
        page = client.get(f"/jobs?{query}").get_data(as_text=True)
        response = client.get(f"/jobs.atom?{query}")
        assert response.status_code == 200
        assert response.mimetype == "application/atom+xml"
        feed = ET.fromstring(response.data)
        entries = feed.findall(f"{ATOM}entry")
        feed_ids = {int(e.find(f"{ATOM}id").text.rsplit("/", 1)[1]) for e in entries}
        assert feed_ids and feed_ids == _ids_on_page(page), query
        assert ids["closed"] not in feed_ids
    feed = ET.fromstring(client.get("/jobs.atom?code=38206").data)
    titles = {e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")}
    assert titles == {"Stem cell coder", "Remote 38206 auditor & abstractor"}
    assert feed.find(f"{ATOM}title").text == "Jobs tagged 38206 · CodeBoard"
    entry = next(e for e in feed.findall(f"{ATOM}entry") if "auditor" in e.find(f"{ATOM}title").text)
    assert entry.find(f"{ATOM}link").get("href") == f"http://jobs.test/jobs/{ids['b']}"
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {"38206", "C92.00"}


def test_search_and_code_pages_link_their_feeds(client, app):
    _jobs(app)
    page = client.get("/jobs?q=38206&page=1").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/jobs.atom?q=38206"' in page
    code_page = client.get("/codes/38206").get_data(as_text=True)
    assert 'href="/jobs.atom?code=38206"' in code_page


def test_sitemaps_list_open_jobs_and_their_code_pages_in_pages(client, app):
    ids = _jobs(app)
    app.config["SITEMAP_PAGE_SIZE"] = 2
    try:
        index = ET.fromstring(client.get("/sitemap.xml").data)
        files = [s.find(f"{SITEMAP}loc").text for s in index.findall(f"{SITEMAP}sitemap")]
        # 3 open jobs and 3 codes (38206, 38207, C92.00), two to a file
        assert [f.removeprefix("http://jobs.test") for f in files] == [
            "/sitemaps/jobs-1.xml", "/sitemaps/jobs-2.xml",
            "/sitemaps/codes-1.xml", "/sitemaps/codes-2.xml"]
        urls = []
        for f in files:
            response = client.get(f.removeprefix("http://jobs.test"))
            assert response.status_code == 200 and response.mimetype == "application/xml"
            root = ET.fromstring(response.data)
            urls += [u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")]
        assert client.get("/sitemaps/jobs-3.xml").status_code == 404
    finally:
        app.config["SITEMAP_PAGE_SIZE"] = 50_000
    paths = {u.removeprefix("http://jobs.test") for u in urls}
    assert {f"/jobs/{ids['a']}", f"/jobs/{ids['b']}", "/codes/38206", "/codes/38207",
            "/codes/C92.00", "/", "/jobs"} <= paths
    assert f"/jobs/{ids['closed']}" not in paths
    assert len([p for p in paths if p.startswith("/jobs/")]) == 3


def test_robots_txt_points_at_the_sitemap_and_keeps_private_pages_out(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://jobs.test/sitemap.xml" in body
    assert "Disallow: /employer/" in body and "Disallow: /account" in body
