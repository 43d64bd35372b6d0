"""Input a probe found giving a 500, or accepted where it should not be: text with control
characters or past its limit, and numbers that are not numbers. Each gets a clear 4xx next to
its field, on every path (form, API), and nothing is saved."""
import pytest
from sqlalchemy import func, select

from jobboard.extensions import db
from jobboard.models import Job
from tests import factories as make
from tests.integration.test_api_tokens import JOB, bearer, make_token


@pytest.mark.parametrize("url", [
    "/api/v1/codes?q=38206&limit=%C2%B2",
    "/jobs.atom?q=%01",
    "/jobs.atom?q=%EF%BF%BE",
    "/jobs?q=38206&page=%C2%B2",
    "/jobs?salary_min=NaN",
    "/api/v1/jobs?salary_min=NaN",
    "/api/v1/jobs?page=" + "9" * 401,
    "/insights?salary_min=%C2%B2",
])
def test_odd_numbers_and_characters_in_public_queries_answer_without_a_server_error(client, url):
    assert client.get(url).status_code < 500


@pytest.mark.parametrize("query", ["page=%C2%B2", "min_years=%C2%B2", "min_years=" + "9" * 401,
                                   "page=" + "9" * 401])
def test_candidate_search_reads_odd_numbers_without_a_server_error(app, browser, query):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    assert browser.get(f"/employer/candidates?{query}").status_code < 500


@pytest.mark.parametrize("field,value", [
    ("salary_min", "NaN"), ("salary_max", "sNaN"), ("accuracy_pct", "NaN"),
    ("salary_min", "Infinity"), ("min_years", "9" * 401), ("charts_per_day", "9" * 401),
    ("min_years", "\u00b2"),
])
def test_the_job_form_names_a_bad_number_next_to_its_field(app, browser, field, value):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    data = {"title": "Coder", "codes": "38206", "description": "Code stem cell cases daily.",
            "setting": "pro-fee", "work_mode": "remote", "employment_type": "full-time",
            "salary_period": "year", "min_years": "1", field: value}
    r = browser.submit("/employer/jobs/new", data)
    assert r.status_code == 400  # the form again, with the error under the field
    assert f'id="{field}-error"' in r.get_data(as_text=True)


def test_years_of_experience_with_401_digits_is_an_error_on_the_coder_profile(app, browser):
    with app.app_context():
        email = make.coder().email
    browser.login(email)
    r = browser.submit("/coder/profile", {"years_experience": "9" * 401, "remote_preference": "any"})
    assert r.status_code in (200, 400)
    assert 'id="years_experience-error"' in r.get_data(as_text=True)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e400"])
def test_the_api_refuses_a_number_that_is_not_finite_by_field(app, client, value):
    token, _, _ = make_token(app)
    job_id = client.post("/api/v1/jobs", json=JOB, headers=bearer(token)).json["id"]
    r = client.patch(f"/api/v1/jobs/{job_id}", data=f'{{"salary_min": {value}}}',
                     content_type="application/json", headers=bearer(token))
    assert 400 <= r.status_code < 500, r.get_data(as_text=True)
    r = client.patch(f"/api/v1/jobs/{job_id}", json={"salary_min": value}, headers=bearer(token))
    assert 400 <= r.status_code < 500, r.get_data(as_text=True)


@pytest.mark.parametrize("member,value", [
    ("title", "Poison\r\nBcc: x@evil.example"), ("title", "Coder\x00"), ("city", "Tampa\x07"),
    ("description", "d" * 20_001), ("title", "t" * 161), ("codes", "38206,\u0000C92.00")])
def test_the_api_refuses_text_the_form_refuses_by_field_and_saves_nothing(app, client, member,
                                                                          value):
    token, _, _ = make_token(app)
    r = client.post("/api/v1/jobs", json={**JOB, member: value}, headers=bearer(token))
    assert r.status_code == 422, r.get_data(as_text=True)
    assert r.json["errors"][0]["pointer"] == f"#/{member}"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    job_id = client.post("/api/v1/jobs", json=JOB, headers=bearer(token)).json["id"]
    r = client.patch(f"/api/v1/jobs/{job_id}", json={member: value}, headers=bearer(token))
    assert r.status_code == 422 and r.json["errors"][0]["pointer"] == f"#/{member}"


def test_the_job_form_refuses_a_line_break_in_the_title_next_to_it(app, browser):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    r = browser.submit("/employer/jobs/new", {
        "title": "Poison\r\nBcc: x@evil.example", "codes": "38206", "setting": "pro-fee",
        "description": "Code stem cell cases daily.", "work_mode": "remote",
        "employment_type": "full-time", "min_years": "1"})
    assert r.status_code == 400
    assert "Remove a line break" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


@pytest.mark.parametrize("path,field", [
    ("/employer/company", "company_name"), ("/employer/company", "profile"),
    ("/employer/company", "website"), ("/employer/api-tokens", "name")])
def test_a_nul_in_a_company_field_is_named_next_to_it(app, browser, path, field):
    """Found on PostgreSQL, which refuses NUL in text: each was a 500."""
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    page = browser.get(path).get_data(as_text=True)
    from tests.integration.test_fuzz import forms_of
    [form] = [f for f in forms_of(page) if field in f["fields"]]
    r = browser.submit(path, {**form["fields"], field: "Crescent\x00"}, action=form["action"])
    assert r.status_code in (200, 400)
    assert "invisible control character (U+0000)" in r.get_data(as_text=True)


def test_an_unreadable_number_says_only_that(app, browser):
    """"Enter a whole number" alone: not also "must be between 0 and 50" about a value the
    field does not have. A tab in a title is named as a tab."""
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    r = browser.submit("/employer/jobs/new", {"title": "Coder\tone", "min_years": "\u00b2",
                                              "salary_min": "NaN"})
    page = r.get_data(as_text=True)
    assert "Enter a whole number, e.g. 3." in page and "must be between" not in page
    assert "Enter an amount in digits" in page
    assert "Remove a tab" in page
