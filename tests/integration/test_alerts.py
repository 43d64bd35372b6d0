"""Job alerts (saved searches) and saved jobs."""
import pytest
from sqlalchemy import select

from jobboard.alerts import services as alerts
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import Job, SavedSearch, User
from tests import factories as make
from tests.conftest import link_in


def _save_from_the_search_page(browser, query: str, frequency: str = "daily", name: str = ""):
    return browser.submit(f"/jobs?{query}", {"query": query, "name": name,
                                             "frequency": frequency}, action="/alerts")


@pytest.fixture(params=["meilisearch", "sql"])
def engine(request, app):
    """Alerts run through the same search as the page: Meilisearch, or SQL when it is off."""
    if request.param == "meilisearch":
        request.getfixturevalue("search")
    return request.param


def test_a_saved_38206_search_gets_exactly_the_new_38206_jobs_once(
        engine, browser, app, mailbox, runner):
    with app.app_context():
        coder = make.coder()
        employer = make.employer()
        before = make.job(employer, title="Posted before saving", codes="38206")
        email, employer_id, before_id = coder.email, employer.id, before.id
    browser.login(email)
    r = _save_from_the_search_page(browser, "q=38206&page=3")
    assert r.status_code == 302 and r.location == "/jobs?q=38206&page=3"
    with app.app_context():
        saved = db.session.scalar(select(SavedSearch))
        assert (saved.name, saved.query_string) == ("38206", "q=38206")  # paging is not kept
        employer = db.session.get(User, employer_id)
        new = make.job(employer, title="New stem cell coder", codes="38206, C92.00")
        make.job(employer, title="Storage only", codes="38207")
        closed = make.job(employer, title="Closed before the run", codes="38206")
        job_services.close_job(closed, employer)
        new_id = new.id

    result = runner.invoke(args=["alerts", "send", "--frequency", "daily"])
    assert result.exit_code == 0 and "Queued 1 alert mails listing 1 jobs." in result.output
    [mail] = mailbox.messages(to=email)
    assert mail["Subject"] == "1 new job for “38206”"
    assert "New stem cell coder" in mail.text
    for absent in ("Storage only", "Closed before the run", "Posted before saving"):
        assert absent not in mail.text
    assert link_in(mail, f"/jobs/{new_id}") == f"/jobs/{new_id}"
    assert f"/jobs/{before_id}" not in mail.text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert "Queued 0 alert mails" in runner.invoke(args=["alerts", "send"]).output
    with app.app_context():
        make.job(db.session.get(User, employer_id), title="Another 38206 job", codes="38206")
    runner.invoke(args=["alerts", "send", "--frequency", "daily"])
    second = mailbox.messages(to=email)[1]
    assert "Another 38206 job" in second.text and "New stem cell coder" not in second.text


def test_alerts_wait_for_a_confirmed_address_and_stop_from_their_link(app, ctx, mailbox, client):
    coder = make.coder()
    coder.email_verified_at = None
    db.session.commit()
    alerts.save_search(coder, "q=38206", frequency="instant")
    make.job(make.employer(), codes="38206")
    assert alerts.send_alerts("instant") == (0, 0)

    coder.email_verified_at = utcnow()
    db.session.commit()
    assert alerts.send_alerts("instant", now=utcnow()) == (1, 1)
    [mail] = mailbox.messages(to=coder.email)
    link = mail["List-Unsubscribe"][1:-1].removeprefix("http://jobs.test")
    assert client.post(link).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(SavedSearch)).active is False


def test_alerts_are_managed_on_their_page_and_belong_to_their_coder(browser, other_browser, app):
    with app.app_context():
        mine, theirs = make.coder(), make.coder()
        saved = alerts.save_search(mine, "q=38206&work_mode=remote")
        ids, emails = saved.id, (mine.email, theirs.email)
    browser.login(emails[0])
    page = browser.get("/alerts").get_data(as_text=True)
    assert "38206 · remote" in page
    r = browser.submit("/alerts", {f"a{ids}-name": "Remote BMT", f"a{ids}-frequency": "weekly",
                                   f"a{ids}-active": "y"}, action=f"/alerts/{ids}")
    assert r.status_code == 302
    with app.app_context():
        saved = db.session.get(SavedSearch, ids)
        assert (saved.name, saved.frequency, saved.active) == ("Remote BMT", "weekly", True)

    other_browser.login(emails[1])
    assert other_browser.get(f"/alerts/{ids}/delete").status_code == 404
    assert "No job alerts yet" in other_browser.get("/alerts").get_data(as_text=True)

    assert "Delete the job alert" in browser.get(f"/alerts/{ids}/delete").get_data(as_text=True)
    assert browser.submit(f"/alerts/{ids}/delete", {}).status_code == 302
    with app.app_context():
        assert db.session.get(SavedSearch, ids) is None


def test_saving_a_search_while_logged_out_leads_to_login_and_back(client):
    page = client.get("/jobs?q=38206").get_data(as_text=True)
    assert "Email me new jobs for this search" in page
    assert 'href="/login?next=/jobs?q%3D38206">log in as a coder</a>' in page
    assert 'name="csrf_token"' not in page.split("Email me new jobs", 1)[1].split("</p>")[0]
    # A form from before (an open tab) still leads to login rather than failing.
    from tests.conftest import csrf_token
    login_page = client.get("/login").get_data(as_text=True)
    r = client.post("/alerts", data={"csrf_token": csrf_token(login_page), "query": "q=38206",
                                     "frequency": "daily"})
    assert r.status_code == 302 and "/login?next=" in r.location


def test_a_bad_search_or_frequency_is_refused_with_a_reason(ctx):
    coder = make.coder()
    with pytest.raises(Exception, match="frequency"):
        alerts.save_search(coder, "q=38206", frequency="hourly")
    with pytest.raises(Exception, match="not one we know"):
        alerts.save_search(coder, "state=ZZ")
    assert db.session.scalar(select(SavedSearch)) is None


def test_saved_jobs_are_starred_listed_and_say_when_closed(browser, app):
    with app.app_context():
        employer = make.employer()
        open_job = make.job(employer, title="Still open")
        closing = make.job(employer, title="Closing soon")
        email, open_id, closing_id = make.coder().email, open_job.id, closing.id
        employer_id = employer.id
    browser.login(email)
    for job_id in (open_id, closing_id):
        r = browser.submit(f"/jobs/{job_id}", {}, action=f"/jobs/{job_id}/save")
        assert r.status_code == 302
    assert "★ Saved" in browser.get(f"/jobs/{open_id}").get_data(as_text=True)
    with app.app_context():
        job_services.close_job(db.session.get(Job, closing_id), db.session.get(User, employer_id))
    page = browser.get("/saved").get_data(as_text=True)
    assert "Still open" in page and "Closing soon" in page
    assert "This job is closed and no longer takes applications." in page
    r = browser.submit(f"/jobs/{open_id}", {}, action=f"/jobs/{open_id}/unsave")
    assert r.status_code == 302
    assert f'href="/jobs/{open_id}"' not in browser.get("/saved").get_data(as_text=True)


def test_employers_cannot_save_jobs_or_searches(browser, app):
    with app.app_context():
        employer = make.employer()
        job_id, email = make.job(employer).id, employer.email
    browser.login(email)
    assert browser.submit(f"/jobs/{job_id}", {}, action=f"/jobs/{job_id}/save").status_code == 403
    assert browser.get("/saved").status_code == 403
    assert "Email me new jobs" not in browser.get("/jobs").get_data(as_text=True)

