"""What a CDN or a caching proxy may keep: the anonymous pages for a minute, nothing that
belongs to a signed-in visitor, nothing that starts a session."""
import pytest

from jobboard.httpcache import SHARED_MAX_AGE
from tests import factories as make


@pytest.fixture
def job_id(app, search):
    with app.app_context():
        employer = make.employer(company="Summit Oncology")
        job = make.job(employer, title="Stem cell coder", codes="38206")
        make.coder(email="reader@example.org")
        return job.id, job.company.slug


def anonymous_pages(job) -> list[str]:
    job_id, slug = job
    return ["/", "/jobs?q=38206", f"/jobs/{job_id}", "/codes/38206", "/codes?q=38206",
            f"/companies/{slug}", "/insights", "/jobs.atom?q=38206", "/sitemap.xml",
            "/robots.txt"]


def test_anonymous_pages_may_be_kept_by_a_shared_cache_for_a_minute(app, job_id):
    fresh = app.test_client(use_cookies=False)  # a first visit: no cookie of ours yet
    for url in anonymous_pages(job_id):
        response = fresh.get(url)
        assert response.status_code == 200, url
        assert response.cache_control.public, url
        assert response.cache_control.s_maxage == SHARED_MAX_AGE, url
        # a CDN's minute, not the browser's: searching again always asks
        assert response.cache_control.max_age == 0, url
        assert "Cookie" in response.vary, url
        assert "Set-Cookie" not in response.headers, url


def test_a_signed_in_visitors_pages_are_private_and_a_page_that_starts_a_session_is_not_public(
        app, browser, job_id):
    browser.login("reader@example.org")
    for url in [*anonymous_pages(job_id), "/saved", "/alerts"]:
        response = browser.get(url)
        assert response.status_code == 200, url
        assert not response.cache_control.public, url
        assert response.cache_control.private, url
    # A form's CSRF token starts a session: that answer is never one a cache may share.
    login_page = app.test_client(use_cookies=False).get("/login")
    assert "Set-Cookie" in login_page.headers
    assert not login_page.cache_control.public


def test_what_a_route_decided_stays_and_errors_are_not_cached(app, job_id):
    fresh = app.test_client(use_cookies=False)
    assert fresh.get("/jobs/999999").cache_control.public is False
    logo_less = fresh.get("/companies/nobody-here")
    assert logo_less.status_code == 404 and not logo_less.cache_control.public
    health = fresh.get("/healthz")
    assert not health.cache_control.public
