"""Employer API tokens and the writes they allow: the token lifecycle, the same rules and
errors as the form, company scoping, and limits."""
from sqlalchemy import select

from jobboard.api import tokens
from jobboard.extensions import db, limiter
from jobboard.models import ApiToken, Job
from tests import factories as make
from tests.conftest import csrf_token

JOB = {"title": "Stem Cell Transplant Coder", "description": "Code stem cell harvests daily.",
       "codes": ["38206", "C92.00"], "setting": "pro-fee", "work_mode": "remote",
       "employment_type": "full-time", "specialties": ["hematology-oncology"],
       "required_credentials": ["CPC"], "salary_min": 30, "salary_max": 38,
       "salary_period": "hour", "min_years": 2}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def make_token(app, user_email: str | None = None, verified: bool = True):
    with app.app_context():
        employer = make.employer(verified=verified) if user_email is None else \
            db.session.scalar(select(make.User).where(make.User.email == user_email))
        _, token = tokens.create_token(employer, "Our ATS")
        return token, employer.email, employer.company_id


def test_a_token_is_made_on_the_settings_page_shown_once_and_revoked_there(app, browser):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    page = browser.submit("/employer/api-tokens", {"name": "Our ATS"}).get_data(as_text=True)
    assert "Copy it now" in page
    token = page.split('<code class="token">')[1].split("</code>")[0]
    assert token.startswith("cb_") and len(token) > 40
    with app.app_context():
        [row] = db.session.scalars(select(ApiToken))
        assert row.token_hash == tokens.digest(token) and token not in row.token_hash
        token_id = row.id
    again = browser.get("/employer/api-tokens").get_data(as_text=True)
    assert token not in again and f"{token[:8]}…" in again  # never shown again
    client = app.test_client()
    assert client.post("/api/v1/jobs", json=JOB, headers=bearer(token)).status_code == 201

    page = browser.get(f"/employer/api-tokens/{token_id}/revoke").get_data(as_text=True)
    assert "Revoke the token “Our ATS”?" in page
    r = browser.client.post(f"/employer/api-tokens/{token_id}/revoke",
                            data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302
    r = client.post("/api/v1/jobs", json=JOB, headers=bearer(token))
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert r.mimetype == "application/problem+json"


def test_create_edit_publish_and_close_through_the_services(app, client, search):
    token, _, company_id = make_token(app)
    r = client.post("/api/v1/jobs", json=JOB, headers=bearer(token))
    assert r.status_code == 201 and r.json["status"] == "draft"
    job_id = r.json["id"]
    assert r.headers["Location"].endswith(f"/api/v1/jobs/{job_id}")
    # Its own company's token reads the draft; nobody else does.
    assert client.get(f"/api/v1/jobs/{job_id}", headers=bearer(token)).status_code == 200
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 404

    r = client.patch(f"/api/v1/jobs/{job_id}", json={"title": "Senior BMT Coder"},
                     headers=bearer(token))
    assert r.status_code == 200 and r.json["title"] == "Senior BMT Coder"
    assert r.json["codes"][0]["code"] == "38206"  # untouched fields keep their values
    r = client.post(f"/api/v1/jobs/{job_id}/publish", headers=bearer(token))
    assert r.status_code == 200 and r.json["status"] == "published" and r.json["open"]
    found = client.get("/api/v1/jobs?q=38206").json
    assert [h["id"] for h in found["hits"]] == [job_id]  # through the outbox into the index
    r = client.post(f"/api/v1/jobs/{job_id}/publish", headers=bearer(token))
    assert r.status_code == 409 and "already published" in r.json["detail"]
    r = client.post(f"/api/v1/jobs/{job_id}/close", json={"outcome": "filled"},
                    headers=bearer(token))
    assert r.status_code == 200 and r.json["status"] == "filled"
    assert client.get("/api/v1/jobs?q=38206").json["total"] == 0

    r = client.post("/api/v1/jobs", json={**JOB, "publish": True}, headers=bearer(token))
    assert r.status_code == 201 and r.json["status"] == "published"


def test_moderation_applies_to_jobs_posted_through_the_api(app, client):
    token, _, _ = make_token(app, verified=False)
    r = client.post("/api/v1/jobs", json={**JOB, "publish": True}, headers=bearer(token))
    assert r.status_code == 201 and r.json["status"] == "pending"


def test_errors_name_each_field_as_the_form_does_and_save_nothing(app, client):
    token, _, _ = make_token(app)
    r = client.post("/api/v1/jobs", json={**JOB, "codes": "38206, 3820X", "salary_min": 50,
                                          "salary_max": 40, "title": ""},
                    headers=bearer(token))
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    errors = {e["pointer"]: e["detail"] for e in r.json["errors"]}
    assert errors["#/title"] == "Give the job a title."
    assert '"3820X" is not a valid code' in errors["#/codes"]
    assert errors["#/salary_max"] == "The maximum must be at least the minimum."
    r = client.post("/api/v1/jobs", json={**JOB, "min_years": "lots", "colour": "red"},
                    headers=bearer(token))
    assert r.status_code == 422
    assert {e["pointer"] for e in r.json["errors"]} == {"#/min_years", "#/colour"}
    r = client.post("/api/v1/jobs", data="title=x", headers=bearer(token))
    assert r.status_code == 400 and "JSON object" in r.json["detail"]
    with app.app_context():
        assert db.session.scalar(select(Job.id)) is None


def test_a_token_acts_only_for_its_company_and_never_a_session_cookie(app, client, browser):
    token, _, _ = make_token(app)
    with app.app_context():
        other = make.employer()
        theirs = make.job(other).id
        other_email = other.email
    for method, url in [("PATCH", f"/api/v1/jobs/{theirs}"),
                        ("POST", f"/api/v1/jobs/{theirs}/close"),
                        ("POST", f"/api/v1/jobs/{theirs}/publish")]:
        r = client.open(url, method=method, json={"title": "Mine now"}, headers=bearer(token))
        assert r.status_code == 404, url
    # A logged-in recruiter's cookie is not a token: no cross-site request can write.
    browser.login(other_email)
    r = browser.client.patch(f"/api/v1/jobs/{theirs}", json={"title": "x"})
    assert r.status_code == 401
    assert client.post("/api/v1/jobs", json=JOB, headers=bearer("cb_" + "x" * 43)
                       ).status_code == 401
    with app.app_context():
        assert db.session.get(Job, theirs).status == "published"
        assert db.session.get(Job, theirs).title != "Mine now"


def test_a_token_stops_working_when_its_company_is_suspended(app, client):
    from jobboard.admin.services import suspend_company
    token, email, company_id = make_token(app)
    with app.app_context():
        from jobboard.models import Company
        suspend_company(db.session.get(Company, company_id), make.admin(), "Scam")
    r = client.post("/api/v1/jobs", json=JOB, headers=bearer(token))
    assert r.status_code == 401 and "can no longer act for its company" in r.json["detail"]


def test_writes_are_rate_limited_per_token(app, client):
    token, _, _ = make_token(app)
    other, _, _ = make_token(app)
    app.config["RATELIMIT_API_TOKEN"] = "2 per minute"
    try:
        statuses = [client.patch("/api/v1/jobs/999", json={}, headers=bearer(token)).status_code
                    for _ in range(3)]
        assert statuses == [404, 404, 429]
        assert client.patch("/api/v1/jobs/999", json={}, headers=bearer(other)
                            ).status_code == 404  # another token has its own budget
    finally:
        app.config["RATELIMIT_API_TOKEN"] = "120 per minute"
        limiter.reset()


def test_null_members_are_refused_by_field_not_by_a_server_error(app, client):
    """Found by the schemathesis run: PATCH {"preferred_credentials": null} was a 500."""
    token, _, _ = make_token(app)
    job_id = client.post("/api/v1/jobs", json=JOB, headers=bearer(token)).json["id"]
    for member in ("preferred_credentials", "required_credentials", "specialties", "codes",
                   "title", "description", "setting", "min_years"):
        r = client.patch(f"/api/v1/jobs/{job_id}", json={member: None}, headers=bearer(token))
        assert r.status_code in (200, 422), (member, r.status_code)
        if r.status_code == 422:
            assert r.json["errors"][0]["pointer"] == f"#/{member}"


def test_a_nul_character_is_refused_by_field_on_every_database(app, client):
    token, _, _ = make_token(app)
    r = client.post("/api/v1/jobs", json={**JOB, "title": "Coder\x00"}, headers=bearer(token))
    assert r.status_code == 422 and r.json["errors"][0]["pointer"] == "#/title"


def test_every_bad_member_is_named_at_once_with_the_values_allowed(app, client):
    token, _, _ = make_token(app)
    r = client.post("/api/v1/jobs", json={
        **JOB, "setting": "hospital", "specialties": ["cardio", "hematology-oncology", "heme"],
        "required_credentials": ["CPC", "XYZ"], "state": "ZZ"}, headers=bearer(token))
    assert r.status_code == 422
    errors = {e["pointer"]: e["detail"] for e in r.json["errors"]}
    assert set(errors) == {"#/setting", "#/specialties/0", "#/specialties/2",
                           "#/required_credentials/1", "#/state"}
    assert "'pro-fee'" in errors["#/setting"] and "'hematology-oncology'" in errors[
        "#/specialties/0"]
    assert "'CCS'" in errors["#/required_credentials/1"] and "'TX'" in errors["#/state"]
    schema = client.get("/api/v1/openapi.json").json
    text = str(schema)
    assert "'hematology-oncology'" in text and "'risk-adjustment'" in text and "'CRC'" in text
    with app.app_context():
        assert db.session.scalar(select(Job.id)) is None


def test_a_404_names_what_was_not_found_and_a_revoked_token_is_told_so(app, client):
    token, email, company_id = make_token(app)
    r = client.get("/api/v1/jobs/999999")
    assert r.status_code == 404 and "There is no public job 999999" in r.json["detail"]
    r = client.patch("/api/v1/jobs/999999", json={"title": "x"}, headers=bearer(token))
    assert r.status_code == 404 and r.json["detail"] == "Your company has no job 999999."
    r = client.post("/api/v1/jobs", json=JOB, headers=bearer("cb_" + "x" * 43))
    assert r.status_code == 401 and "not one of ours" in r.json["detail"]
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.company_id == company_id))
        tokens.revoke_token(row)
    r = client.post("/api/v1/jobs", json=JOB, headers=bearer(token))
    assert r.status_code == 401 and "(“Our ATS”) was revoked on" in r.json["detail"]
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
