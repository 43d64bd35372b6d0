"""Requests racing for the same change: exactly one wins, the others get a clear 4xx (never a
500), and nothing is left half-saved (no resume file without its application)."""
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from jobboard.extensions import db
from jobboard.models import Application, Job, Resume
from tests import factories as make
from tests.conftest import Browser, csrf_token
from tests.integration.test_api_tokens import JOB, bearer, make_token

RACERS = 20


def clients_of(app, browser: Browser) -> list:
    """RACERS test clients sharing the browser's signed-in session."""
    cookie = browser.client.get_cookie("session")
    made = []
    for _ in range(RACERS):
        c = app.test_client()
        c.set_cookie("session", cookie.value, domain=cookie.domain)
        made.append(c)
    return made


def files_in(app) -> set[str]:
    """The resume files on disk (the session's folder: other tests' files are there too)."""
    return {p.name for p in Path(app.config["RESUME_DIR"]).rglob("*") if p.is_file()}


def test_parallel_applications_of_one_coder_make_one_and_leave_no_file_behind(app, browser):
    with app.app_context():
        job_id = make.job(make.employer()).id
        email = make.coder().email  # with a profile resume
    browser.login(email)
    token = csrf_token(browser.get(f"/jobs/{job_id}").get_data(as_text=True))
    racers = clients_of(app, browser)
    before = files_in(app)

    def apply(i):
        return racers[i].post(f"/jobs/{job_id}/apply", data={
            "csrf_token": token, "cover_letter": f"Attempt {i}",
            "resume": (io.BytesIO(make.pdf_bytes(f"Resume {i}")), f"resume-{i}.pdf")},
            content_type="multipart/form-data")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(apply, range(RACERS)))
    statuses = [r.status_code for r in answers]
    assert all(s < 500 for s in statuses), statuses
    applied = [r for r in answers if "/coder/applications/" in (r.location or "")]
    assert len(applied) == 1, statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 1
        kept = {Path(k).name for k in db.session.scalars(select(Resume.storage_key))}
    written = files_in(app) - before
    assert len(written) == 1 and written <= kept  # the application's resume, no orphan
    assert kept <= files_in(app)


def test_parallel_publishes_of_one_draft_publish_it_once(app, client):
    token, _, _ = make_token(app)
    job_id = client.post("/api/v1/jobs", json=JOB, headers=bearer(token)).json["id"]
    racers = [app.test_client() for _ in range(RACERS)]

    def publish(i):
        return racers[i].post(f"/api/v1/jobs/{job_id}/publish", headers=bearer(token))
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(r.status_code for r in pool.map(publish, range(RACERS)))
    assert statuses == [200] + [409] * (RACERS - 1), statuses
    with app.app_context():
        assert db.session.get(Job, job_id).status == "published"
