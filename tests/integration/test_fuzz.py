"""No input gives a 5xx: every form's fields and every query parameter of the pages, filled by
Hypothesis with what attackers and slips of the keyboard send (control characters, line
breaks in titles, NaN, superscript digits, 401-digit numbers, very long text), as each kind
of user. A 5xx fails with the request that caused it; Hypothesis shrinks it first.
`FUZZ_RANDOM=1 make test-sqlite` (or -postgres) draws new examples instead of the fixed ones."""
import os
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobboard.api import models as api_models
from jobboard.search.filters import FILTERS
from tests import factories as make
from tests.conftest import Browser

NASTY = ["", " ", "NaN", "sNaN", "-NaN", "inf", "-inf", "1e309", "-1", "0", "1.5", "9" * 401,
         "\u00b2", "\u0663", "\u00bd", "\x00", "\x01", "Poison\r\nBcc: x@evil.example",
         "\ufffe", "\ud7ff", "%00", "38206", "C92.00", "382", "38206-38215", "CPC",
         "https://example.org", "crescenthematology.com", "a" * 25_000, "<script>x</script>",
         "' OR 1=1 --", "on", "yes", "2026-13-45", "..", "/", "C9200", "remote"]
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=40),
                   st.integers(min_value=-10**30, max_value=10**30).map(str))
# Each field of each target gets each of these once, the others keeping their values; then
# Hypothesis mixes everything.
SWEEP = ["NaN", "\u00b2", "9" * 401, "\x00", "\x01", "Poison\r\nBcc: x@evil.example", "\ufffe",
         "a" * 25_000]
NUMBERS = ["\u00b2", "9" * 401, "-1", "1.5"]
SKIPPED_ACTIONS = ("/logout", "/account/delete", "/account/password", "/account/email")


class Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(),
                               "action": a.get("action"), "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name") \
                and a.get("type") not in ("submit", "button", "file"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def world(app):
    """One of each kind of user, a job with an application, a pending job to review."""
    with app.app_context():
        employer = make.employer()
        job = make.job(employer)
        draft = make.job(employer, publish=False, title="Draft job")
        coder = make.coder()
        application = make.apply(job, coder)
        admin = make.admin()
        return {"employer": employer.email, "coder": coder.email, "admin": admin.email,
                "job": job.id, "draft": draft.id, "application": application.id,
                "company": employer.company_id, "company_slug": employer.company.slug,
                "coder_id": coder.id}


PAGES = {
    None: ["/", "/jobs?q=38206", "/codes?q=C92", "/codes/38206", "/codes/ICD-10-CM/C92.00",
           "/codes/preview?codes=38206", "/insights", "/login", "/register/coder",
           "/register/employer", "/password/forgot", "/jobs/{job}", "/jobs/{job}/report",
           "/jobs.atom?q=38206", "/companies/{company_slug}", "/sitemap.xml", "/api/v1/jobs",
           "/api/v1/jobs/{job}", "/api/v1/codes", "/api/v1/codes/38206",
           "/api/v1/insights/pay", "/password/reset/not-a-token", "/verify/not-a-token"],
    "coder": ["/coder/profile", "/jobs/{job}", "/alerts", "/account", "/jobs/for-me",
              "/saved", "/coder/applications", "/coder/applications/{application}",
              "/coder/invitations"],
    "employer": ["/employer/", "/employer/company", "/employer/api-tokens", "/employer/jobs/new",
                 "/employer/jobs/{draft}/edit", "/employer/applications/{application}",
                 "/employer/candidates", "/employer/candidates/{coder_id}/invite",
                 "/employer/jobs/{job}/applicants", "/employer/jobs/{job}/close",
                 "/employer/jobs/{job}", "/employer/invitations"],
    "admin": ["/admin/", "/admin/domains", "/admin/companies/{company}/suspend",
              "/admin/companies/{company}", "/admin/jobs/{job}", "/admin/jobs/{draft}",
              "/admin/queue", "/admin/audit", "/admin/companies", "/admin/reports"],
}
# Every query parameter a page reads (the filters, the search's own, the admin's), given to
# every page: a page that does not read one must not trip over it either.
QUERY_PARAMETERS = ("q", "page", "per_page", "sort", "code", "codes", "family", "salary_min",
                    "posted_within", "min_years", "remote", "job", "window", "status",
                    "action", "actor", "subject", "limit", "next",
                    *(f.param for f in FILTERS))
# Those read as numbers, tried one at a time too (an odd value elsewhere may be refused
# before the number is read).
NUMERIC_PARAMETERS = ("page", "per_page", "salary_min", "posted_within", "min_years", "limit",
                      "job")
# Query parameters the API reads, from its own models (its pages carry no forms).
API_PARAMETERS = {"/api/v1/jobs": api_models.JobsQuery, "/api/v1/codes": api_models.CodesQuery,
                  "/api/v1/insights/pay": api_models.InsightsQuery}


def targets(browser: Browser, url: str) -> list[tuple[str, str, dict]]:
    """(method, path, fields) for every form on the page and for the page's own query."""
    page = browser.get(url)
    assert page.status_code < 500, (url, page.status_code)
    path, query = urlsplit(url).path, urlsplit(url).query
    fields = dict.fromkeys(QUERY_PARAMETERS, "")
    fields.update(p.split("=", 1) for p in query.split("&") if "=" in p)
    if path in API_PARAMETERS:
        fields.update(dict.fromkeys(API_PARAMETERS[path].model_fields, ""))
    found = [("get", path, fields)]
    if page.status_code == 200 and page.mimetype == "text/html":
        for form in forms_of(page.get_data(as_text=True)):
            action = form["action"] or path
            if action.startswith(SKIPPED_ACTIONS) or not form["fields"]:
                continue
            found.append((form["method"], urlsplit(action).path, form["fields"]))
    return found


@pytest.mark.parametrize("role", list(PAGES))
def test_no_form_field_or_query_parameter_gives_a_server_error(app, client, world, role):
    browser = Browser(client)
    if role:
        browser.login(world[role])
    found = [t for url in PAGES[role] for t in targets(browser, url.format(**world))]
    assert len(found) > len(PAGES[role])  # forms were found, not only the pages

    def send(method, path, fields):
        if method == "post":
            response = client.post(path, data=fields)
        else:
            response = client.get(f"{path}?{urlencode(fields)}")
        assert response.status_code < 500, (method, path, fields, response.status_code)

    for method, path, fields in found:
        names = [n for n in fields if n != "csrf_token"]
        if method == "post":  # a form: each field alone with each value
            for name in names:
                for value in SWEEP:
                    send(method, path, {**fields, name: value})
        else:  # a page's query: each value in every parameter at once, numbers one by one
            for value in SWEEP:
                send(method, path, {**fields, **dict.fromkeys(names, value)})
            for name in NUMERIC_PARAMETERS:
                for value in NUMBERS:
                    send(method, path, {**fields, name: value})

    # The same examples every run, so `make test` passes or fails for the code alone;
    # FUZZ_RANDOM=1 explores new ones (and anything it finds is a bug to fix).
    @settings(max_examples=min(150, 3 * len(found)), deadline=None, database=None,
              derandomize=os.environ.get("FUZZ_RANDOM") != "1",
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(data=st.data())
    def fuzz(data):
        method, path, fields = data.draw(st.sampled_from(found), label="target")
        names = [n for n in fields if n != "csrf_token"]
        changed = data.draw(st.lists(st.sampled_from(names), unique=True, min_size=1)
                            if names else st.just([]), label="fields")
        send(method, path, {**fields, **{n: data.draw(VALUES, label=n) for n in changed}})
    fuzz()
