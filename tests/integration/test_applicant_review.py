"""Applicant review for employers: how each applicant fits the job (the rule coders see on
job cards), private notes, a rating, filters by stage and fit, previous/next, and moving
several applicants at once with one message."""
import re
from html import unescape

from sqlalchemy import select

from jobboard.extensions import db
from jobboard.models import Application, ApplicationNote
from tests import factories as make
from tests.conftest import csrf_token


def _hiring(app):
    """A job needing CCS and 3 years; a CPC coder with 1 year, a CCS coder with 5."""
    with app.app_context():
        employer = make.employer()
        job = make.job(employer, title="Inpatient coder", required_credentials=["CCS"],
                       min_years=3)
        short, strong = make.coder(), make.coder()
        short.profile.years_experience = 1
        strong.profile.credentials, strong.profile.years_experience = ["CCS"], 5
        db.session.commit()
        first = make.apply(job, short)
        second = make.apply(job, strong)
        return {"employer": employer.email, "job": job.id, "short": first.id,
                "strong": second.id, "short_name": short.name, "strong_name": strong.name,
                "short_email": short.email, "strong_email": strong.email,
                "company": employer.company_id}


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def test_the_list_and_each_application_say_how_the_applicant_fits(app, browser):
    w = _hiring(app)
    browser.login(w["employer"])
    page = _text(browser.get(f"/employer/jobs/{w['job']}/applicants"))
    assert "✗ Needs CCS; 3 years required, has 1" in page
    assert "✓ Meets the requirements" in page
    meets = _text(browser.get(f"/employer/jobs/{w['job']}/applicants?fit=meets"))
    assert w["strong_name"] in meets and w["short_name"] not in meets
    missing = _text(browser.get(f"/employer/jobs/{w['job']}/applicants?fit=missing"))
    assert w["short_name"] in missing and w["strong_name"] not in missing
    staged = _text(browser.get(f"/employer/jobs/{w['job']}/applicants?status=hired&fit=meets"))
    assert "No applications at the stage hired that meet the requirements yet." in staged
    one = _text(browser.get(f"/employer/applications/{w['short']}"))
    assert "✗ Needs CCS; 3 years required, has 1" in one


def test_previous_and_next_walk_the_jobs_applicants_in_list_order(app, browser):
    w = _hiring(app)
    browser.login(w["employer"])
    newest = browser.get(f"/employer/applications/{w['strong']}").get_data(as_text=True)
    assert f'href="/employer/applications/{w["short"]}" rel="next"' in newest
    assert 'rel="prev"' not in newest
    oldest = browser.get(f"/employer/applications/{w['short']}").get_data(as_text=True)
    assert f'href="/employer/applications/{w["strong"]}" rel="prev"' in oldest
    assert 'rel="next"' not in oldest


def test_private_notes_and_the_rating_stay_with_the_company(app, browser, other_browser):
    w = _hiring(app)
    browser.login(w["employer"])
    url = f"/employer/applications/{w['short']}"
    page = browser.get(url).get_data(as_text=True)
    r = browser.client.post(f"{url}/notes", data={"csrf_token": csrf_token(page), "note": ""})
    assert r.status_code == 400 and "Write the note first." in r.get_data(as_text=True)
    r = browser.client.post(f"{url}/notes", data={"csrf_token": csrf_token(page),
                                                  "note": "Strong on E/M; ask about CCS exam date"})
    assert r.status_code == 302
    r = browser.client.post(f"{url}/rating", data={"csrf_token": csrf_token(page), "rating": "9"})
    assert "Choose a rating from the list." in browser.get(url).get_data(as_text=True)
    r = browser.client.post(f"{url}/rating", data={"csrf_token": csrf_token(page), "rating": "4"})
    assert r.status_code == 302
    assert "4/5" in browser.get(f"/employer/jobs/{w['job']}/applicants").get_data(as_text=True)

    with app.app_context():  # a colleague at the same company reads the note
        colleague = make.employer()
        colleague.company_id = w["company"]
        db.session.commit()
        colleague_email = colleague.email
        assert db.session.get(Application, w["short"]).rating == 4
    other_browser.login(colleague_email)
    assert "ask about CCS exam date" in other_browser.get(url).get_data(as_text=True)
    other_browser.logout()
    other_browser.login(w["short_email"])  # the coder never sees notes or the rating
    mine = other_browser.get(f"/coder/applications/{w['short']}").get_data(as_text=True)
    assert "CCS exam date" not in mine and "4/5" not in mine and "rating" not in mine.lower()


def test_several_applicants_move_at_once_each_told_with_the_one_message(app, browser, mailbox):
    w = _hiring(app)
    browser.login(w["employer"])
    url = f"/employer/jobs/{w['job']}/applicants"
    page = browser.get(url).get_data(as_text=True)
    nothing = browser.client.post(f"{url}/move", data={"csrf_token": csrf_token(page),
                                                       "status": "reviewing"})
    assert nothing.status_code == 400 and "Tick the applicants to move." in \
        nothing.get_data(as_text=True)
    mailbox.clear()
    r = browser.client.post(f"{url}/move", data={
        "csrf_token": csrf_token(page), "status": "interview",
        "application": [w["short"], w["strong"]], "message": "Interviews are on Friday."})
    assert r.status_code == 302
    done = _text(browser.get(r.location))
    assert "Moved 2 applicants to Interview; each was told." in done
    for email in (w["short_email"], w["strong_email"]):
        [mail] = mailbox.messages(to=email)
        assert "Interview" in mail["Subject"] and "Interviews are on Friday." in mail.text
    # A move the stage does not allow is named, the others still go.
    r = browser.client.post(f"{url}/move", data={
        "csrf_token": csrf_token(page), "status": "hired",
        "application": [w["short"], w["strong"]]})
    told = _text(browser.get(r.location))
    assert "Not moved:" in told and "cannot move to hired" in told
    with app.app_context():
        statuses = set(db.session.scalars(select(Application.status).where(
            Application.job_id == w["job"])))
        assert statuses == {"interview"}
        assert db.session.scalars(select(ApplicationNote)).all() == []
