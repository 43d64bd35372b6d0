"""Filters that say what they mean, and input that can never cause a 500."""
import re

import pytest
from sqlalchemy import func, select

from jobboard.errors import InvalidInput
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import Job
from jobboard.search.server import free_port
from tests import factories as make
from tests.conftest import csrf_token
from tests.integration.test_forms import JOB_FORM


@pytest.fixture(params=["meilisearch", "sql"])
def credential_jobs(request, app):
    if request.param == "meilisearch":
        request.getfixturevalue("search")
    with app.app_context():
        employer = make.employer()
        for title, required, preferred in (("Needs CPC", ["CPC"], []),
                                           ("Needs CCS", ["CCS"], []),
                                           ("CPC or CCS", ["CPC", "CCS"], []),
                                           ("Open to all", [], ["CPC"]),
                                           ("Needs RHIT", ["RHIT"], ["CPC"])):
            make.job(employer, title=title, required_credentials=required,
                     preferred_credentials=preferred)
    return request.param


def _titles(client, query):
    return {h["title"] for h in client.get(f"/api/v1/jobs?{query}").json["hits"]}


def test_a_credential_means_jobs_i_qualify_for_with_it(credential_jobs, client):
    assert _titles(client, "credential=CPC") == {"Needs CPC", "CPC or CCS", "Open to all"}
    assert _titles(client, "credential=CPC&credential=CCS") == {
        "Needs CPC", "Needs CCS", "CPC or CCS", "Open to all"}
    html = client.get("/jobs?credential=CPC").get_data(as_text=True)
    assert "CPC required" in html and "CPC preferred" in html
    assert "Credentials you hold" in html
    # Either credential qualifies: the card says so in one badge, as the job page does.
    card = html.split(">CPC or CCS</a>")[1].split("</article>")[0]
    assert card.count(" required</span>") == 1
    assert re.search(r">(CPC or CCS|CCS or CPC) required</span>", card)


def test_the_credential_facet_counts_the_jobs_each_credential_qualifies_for(credential_jobs,
                                                                            client):
    counts = client.get("/api/v1/jobs").json["facets"]["qualifying_credentials"]
    assert (counts["CPC"], counts["CCS"], counts["RHIT"], counts["CRC"]) == (3, 3, 2, 1)


def test_typing_a_query_sorts_by_best_match_unless_a_sort_was_picked(client, app):
    page = client.get("/jobs").get_data(as_text=True)
    assert '<option value="" selected>Best match' in page  # the form sends no sort
    page = client.get("/jobs?q=coder&sort=newest").get_data(as_text=True)
    assert '<option value="newest" selected>Newest' in page
    assert '<option value="" selected>' not in page


def test_the_pay_field_takes_any_amount_and_says_how_hourly_pay_counts(client):
    page = client.get("/jobs").get_data(as_text=True)
    assert 'name="salary_min" min="0" step="any"' in page
    assert "Hourly pay counts as 2,080 hours a year" in page


def test_the_api_names_each_bad_parameter_and_returns_no_results(client):
    body = client.get("/api/v1/jobs?page=0&state=ZZ&sort=best&code=12").json
    assert "hits" not in body
    problems = {e["parameter"]: e["detail"] for e in body["errors"]}
    assert len(problems) == 4
    assert problems["page"] == "page=0 must be 1 or more."
    assert problems["state"].startswith('state "ZZ"')


HUGE = "99999999999999999999"


def test_numbers_too_large_for_the_database_are_404_or_400_never_500(app, browser):
    with app.app_context():
        employer = make.employer()
        make.job(employer, codes="38206")
        coder_email = make.coder().email
        employer_email = employer.email
    client = browser.client
    assert client.get(f"/jobs/{HUGE}").status_code == 404
    assert client.get("/jobs/2147483648").status_code == 404
    assert client.get("/api/v1/jobs?salary_min=1e30").status_code == 400
    clamped = client.get(f"/api/v1/jobs?salary_min={HUGE}&page={2**63}")
    assert clamped.status_code == 200 and len(clamped.json["notes"]) == 2
    assert client.get(f"/codes/38206?page={HUGE}").status_code == 200

    app.config["MEILI_URL"] = f"http://127.0.0.1:{free_port()}"  # search down: SQL answers
    try:
        down = client.get(f"/jobs?salary_min={HUGE}&page={2**63}")
        assert down.status_code == 200 and "Search is degraded" in down.get_data(as_text=True)
    finally:
        app.config["MEILI_URL"] = None

    browser.login(employer_email)
    for url in (f"/employer/jobs/{HUGE}/edit", f"/employer/jobs/{HUGE}",
                f"/employer/applications/{HUGE}", f"/employer/jobs/{HUGE}/applicants"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/employer/?page={HUGE}").status_code == 200
    browser.logout()
    browser.login(coder_email)
    assert client.get(f"/coder/applications/{HUGE}").status_code == 404
    assert client.get(f"/coder/applications?page={HUGE}").status_code == 200
    assert client.get(f"/saved?page={HUGE}").status_code == 200


def test_job_codes_are_checked_against_the_catalog(ctx, catalog):
    employer = make.employer()
    for bad, message in (("C92.0000", "C92.0000 is not an ICD-10-CM code (did you mean C92.00"),
                         ("Z99.999", "Z99.999 is not an ICD-10-CM code (did you mean Z99."),
                         ("99999", "99999 is outside every CPT range we know")):
        with pytest.raises(InvalidInput) as e:
            make.job(employer, codes=f"38206, {bad}")
        assert e.value.errors["codes"][0].startswith(message), e.value.errors
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    job = make.job(employer, codes="27000", publish=False)  # in a known range, not cataloged
    assert job_services.code_notes(job) == [
        "Not in our code catalog, but inside ranges we know: 27000 (in 27000-27299, Pelvis "
        "and hip joint). Check these are the codes you mean."]


def test_the_form_shows_a_code_not_in_the_catalog_as_a_note(browser, app, catalog):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    r = browser.submit("/employer/jobs/new", {**JOB_FORM, "codes": "38206, 27000, 27001"})
    assert r.status_code == 302
    page = browser.get(r.location).get_data(as_text=True)
    assert "Not in our code catalog, but inside ranges we know: 27000 (in 27000-27299" in page
    assert "27001 (in 27000-27299" in page and "38206 (in" not in page  # 38206 we describe
    bad = browser.submit("/employer/jobs/new", {**JOB_FORM, "codes": "C92.0000"})
    assert bad.status_code == 400 and "C92.0000 is not an ICD-10-CM code" in \
        bad.get_data(as_text=True)
    assert csrf_token(bad.get_data(as_text=True))


def test_the_database_search_counts_facets_unless_too_many_jobs_match(app, client, monkeypatch):
    from jobboard.search import sql
    with app.app_context():
        employer = make.employer()
        for _ in range(3):
            make.job(employer, codes="38206")
        make.job(employer, codes="38207", work_mode="onsite", city="Denver", state="CO")
    app.config["MEILI_URL"] = f"http://127.0.0.1:{free_port()}"  # down: SQL answers
    try:
        body = client.get("/api/v1/jobs?work_mode=remote").json
        assert body["degraded"] is True and body["total"] == 3
        # disjunctive: the work mode group counts as if "remote" were not picked
        assert body["facets"]["work_mode"] == {"remote": 3, "onsite": 1}
        assert body["facets"]["codes"] == {"38206": 3}
        monkeypatch.setattr(sql, "FACET_COUNT_LIMIT", 2)
        body = client.get("/api/v1/jobs?work_mode=remote").json
        assert body["facets"] == {}
        page = client.get("/jobs?work_mode=remote").get_data(as_text=True)
        assert "counts by facet are shown for narrower searches only" in page
    finally:
        app.config["MEILI_URL"] = None
