"""Accounts by mail: verification, password reset, settings, deleting an account.

Every mail goes through the real outbox and a real SMTP server (aiosmtpd); links are followed
as a person would."""
import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobboard.auth import services as auth
from jobboard.errors import Conflict
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import Application, CoderProfile, Company, Resume, SavedJob, SavedSearch, User
from tests import factories as make
from tests.conftest import csrf_token, link_in

CODER_FORM = {"name": "Jamie Coder", "email": "Jamie@Example.org",
              "password": "a long password", "confirm": "a long password"}


def test_registration_mails_a_link_that_confirms_the_address_and_signs_in(browser, app,
                                                                           mailbox):
    r = browser.submit("/register/coder", CODER_FORM)
    assert r.status_code == 200 and "Check your inbox" in r.get_data(as_text=True)
    assert browser.get("/account").status_code == 302  # not signed in until the link is opened
    [mail] = mailbox.messages()
    assert mail["To"] == "jamie@example.org"
    assert mail["Subject"] == "Confirm your email address"
    assert "List-Unsubscribe" not in mail.message  # an account mail, not a notification
    assert mail.html and "Confirm my email address" in mail.html

    link = link_in(mail, "/verify/")
    r = browser.get(link)
    assert r.status_code == 302 and r.location == "/coder/profile"
    assert "is confirmed" in browser.get(r.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)).is_verified
    assert "not confirmed" not in browser.get("/account").get_data(as_text=True)
    # Opening it again changes nothing and is fine, but signs no one in a second time.
    assert browser.get(link).status_code == 302
    other = app.test_client()
    assert other.get(link).location == "/login"
    assert other.get("/account").status_code == 302


def test_a_changed_or_foreign_link_is_refused(browser, app, mailbox):
    browser.submit("/register/coder", CODER_FORM)
    link = link_in(mailbox.messages()[0], "/verify/")
    r = browser.get(link[:-3] + "abc")
    assert r.status_code == 400 and "not valid" in r.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(User)).is_verified


def test_an_unverified_employer_drafts_but_cannot_publish(ctx, mailbox):
    employer = make.employer()
    employer.email_verified_at = None
    db.session.commit()
    job = make.job(employer, publish=False)
    with pytest.raises(Conflict, match="Confirm your email address"):
        job_services.publish_job(job, employer)
    assert make.reload(job).status == "draft"

    auth.resend_verification(employer)
    [mail] = mailbox.messages(to=employer.email)
    token = link_in(mail, "/verify/").rsplit("/", 1)[1]
    auth.verify_email(token)
    job_services.publish_job(make.reload(job), make.reload(employer))
    assert make.reload(job).status == "published"


def _forgot(client, email):
    page = client.get("/password/forgot").get_data(as_text=True)
    return client.post("/password/forgot", data={"csrf_token": csrf_token(page), "email": email})


def test_password_reset_for_an_unknown_address_answers_like_a_known_one(client, app, mailbox):
    with app.app_context():
        known = make.coder().email
    a = _forgot(client, known)
    b = _forgot(client, "nobody@example.org")
    assert a.status_code == b.status_code == 200
    assert a.get_data(as_text=True).replace(known, "X") == \
        b.get_data(as_text=True).replace("nobody@example.org", "X")
    assert [m["To"] for m in mailbox.messages()] == [known]


def test_password_reset_link_sets_a_new_password_once_and_logs_out_other_sessions(
        browser, other_browser, app, mailbox):
    with app.app_context():
        coder = make.coder()
        email = coder.email
    other_browser.login(email)  # e.g. a forgotten session on a shared computer
    assert other_browser.get("/coder/applications").status_code == 200

    _forgot(browser.client, email)
    [mail] = mailbox.messages()
    assert mail["Subject"] == "Reset your CodeBoard password"
    link = link_in(mail, "/password/reset/")
    r = browser.submit(link, {"password": "a brand new password",
                              "confirm": "a brand new password"})
    assert r.status_code == 302
    assert browser.get("/coder/applications").status_code == 200  # this browser is logged in

    gone = other_browser.get("/coder/applications")
    assert gone.status_code == 302 and "/login" in gone.location
    with app.app_context():
        assert auth.authenticate(email, "a brand new password")
        assert auth.authenticate(email, make.PASSWORD) is None
    used = browser.get(link)
    assert used.status_code == 400 and "already used" in used.get_data(as_text=True)
    notice = next(m for m in mailbox.messages() if "was changed" in m["Subject"])
    assert notice["Subject"] == "Your CodeBoard password was changed"
    assert "reset from a link we mailed you" in notice.text
    # Its own link gets the account back from whoever changed it.
    back = link_in(notice, "/password/reset/")
    assert browser.get(back).status_code == 200


def test_an_expired_reset_link_is_refused(browser, app, mailbox):
    with app.app_context():
        email = make.coder().email
    _forgot(browser.client, email)
    link = link_in(mailbox.messages()[0], "/password/reset/")
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    try:
        r = browser.get(link)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600
    assert r.status_code == 400 and "expired" in r.get_data(as_text=True)


def test_changing_the_password_keeps_this_session_and_ends_the_others(
        browser, other_browser, app, mailbox):
    with app.app_context():
        email = make.coder().email
    browser.login(email)
    other_browser.login(email)
    r = browser.submit("/account", {"p-current_password": make.PASSWORD,
                                    "p-new_password": "another long one",
                                    "p-confirm": "another long one"}, action="/account/password")
    assert r.status_code == 302
    assert browser.get("/account").status_code == 200
    assert other_browser.get("/account").status_code == 302
    [notice] = mailbox.messages(to=email)
    assert notice["Subject"] == "Your CodeBoard password was changed"
    assert "changed in your account settings" in notice.text and "/password/reset/" in notice.text

    wrong = browser.submit("/account", {"p-current_password": "not it",
                                        "p-new_password": "another long two",
                                        "p-confirm": "another long two"},
                           action="/account/password")
    assert wrong.status_code == 400
    assert "That is not your current password." in wrong.get_data(as_text=True)


def test_changing_the_email_waits_for_the_new_address_to_confirm(browser, app, mailbox):
    with app.app_context():
        email = make.coder().email
    browser.login(email)
    r = browser.submit("/account", {"e-new_email": "New@Example.org",
                                    "e-password": make.PASSWORD}, action="/account/email")
    assert r.status_code == 302
    [mail] = mailbox.messages()
    assert mail["To"] == "new@example.org"
    assert mail["Subject"] == "Confirm your new email address"
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.pending_email) == (email, "new@example.org")
    browser.get(link_in(mail, "/verify/"))
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.pending_email) == ("new@example.org", None)


def test_notification_settings_are_saved_per_kind_of_account(browser, app):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    page = browser.get("/account").get_data(as_text=True)
    assert "Mail me about new applications" in page and "application's status" not in page
    r = browser.submit("/account", {"n-notify_applications": "daily"},
                       action="/account/notifications")
    assert r.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.notify_applications == "daily" and user.notify_expiry is False


def test_deleting_a_coder_account_leaves_employers_a_withdrawn_application_and_nothing_personal(
        browser, app, mailbox):
    from jobboard.alerts import services as alerts
    with app.app_context():
        employer = make.employer()
        job = make.job(employer)
        coder = make.coder()
        application = make.apply(job, coder, cover_letter="Call me on 555-0100.")
        alerts.save_search(coder, "q=38206")
        alerts.save_job(coder, job)
        files = [Path(app.config["RESUME_DIR"]) / r.storage_key
                 for r in db.session.scalars(select(Resume))]
        coder_email, coder_name, employer_email = coder.email, coder.name, employer.email
        application_id = application.id
    assert files and all(f.exists() for f in files)
    browser.login(coder_email)
    wrong = browser.submit("/account/delete", {"password": "not it"})
    assert wrong.status_code == 400
    r = browser.submit("/account/delete", {"password": make.PASSWORD})
    assert r.status_code == 302
    assert not any(f.exists() for f in files)
    with app.app_context():
        for model in (CoderProfile, Resume, SavedSearch, SavedJob):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        application = db.session.get(Application, application_id)
        assert (application.status, application.cover_letter, application.resume_id) == \
            ("withdrawn", "", None)
        assert auth.authenticate(coder_email, make.PASSWORD) is None
    assert browser.get("/coder/applications").status_code == 302  # logged out

    browser.login(employer_email)
    page = browser.get(f"/employer/applications/{application_id}").get_data(as_text=True)
    assert "Withdrawn, account deleted" in page
    assert coder_name not in page and coder_email not in page and "555-0100" not in page


def test_an_address_registered_by_someone_else_is_the_owners_once_confirmed(app, mailbox):
    """Account pre-hijacking: an attacker registers the victim's address with a password of
    their own. The attacker cannot sign in before the address is confirmed, and the owner who
    confirms it chooses the password, which ends every other session."""
    from tests.conftest import Browser
    attacker, victim = Browser(app.test_client()), Browser(app.test_client())
    attacker.submit("/register/coder", {**CODER_FORM, "password": "attacker's password",
                                        "confirm": "attacker's password"})
    r = attacker.submit("/login", {"email": CODER_FORM["email"], "password": "attacker's password"})
    assert r.status_code == 400
    assert "Confirm your address first" in r.get_data(as_text=True)
    assert attacker.get("/account").status_code == 302  # no session

    mailbox.clear()
    victim.submit("/register/coder", {**CODER_FORM, "password": "victim's password",
                                      "confirm": "victim's password"})
    [mail] = mailbox.messages()
    assert mail["Subject"] == "You already have a CodeBoard account"
    link = link_in(mail, "/verify/")
    page = victim.get(link)
    assert page.status_code == 200 and "Choose the password" in page.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(User)).is_verified  # opening it changed nothing
    r = victim.submit(link, {"password": "victim's own choice", "confirm": "victim's own choice"})
    assert r.status_code == 302
    assert victim.get("/account").status_code == 200  # signed in, as the owner
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.is_verified and user.check_password("victim's own choice")
    r = attacker.submit("/login", {"email": CODER_FORM["email"], "password": "attacker's password"})
    assert r.status_code == 400 and attacker.get("/account").status_code == 302


def test_registration_lists_every_problem_at_once_and_says_the_password_rule_once(app, client):
    page = client.get("/register/employer").get_data(as_text=True)
    r = client.post("/register/employer", data={
        "csrf_token": csrf_token(page), "name": "", "email": "dana@crescenthematology.com",
        "password": "short", "confirm": "shorter", "company_name": "",
        "website": "not a website"})
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 400
    errors = dict(re.findall(r'<small id="([a-z_]+)-error" class="field-error">([^<]*)<', html))
    assert errors == {"name": "Enter your name.",
                      "password": "Use at least 10 characters.",
                      "confirm": "The passwords do not match.",
                      "company_name": "Enter the company's name.",
                      "website": "Enter the company's website address, e.g. example-health.org."}
    assert html.count("at least 10 characters") + html.count("At least 10 characters") == 2
    # ... the rule once as help, once as the error: never a second wording of it


def test_a_website_typed_without_https_is_taken_with_it(app, client):
    page = client.get("/register/employer").get_data(as_text=True)
    r = client.post("/register/employer", data={
        "csrf_token": csrf_token(page), "name": "Dana Reyes", "email": "dana@crescenthem.example",
        "password": "a long password", "confirm": "a long password",
        "company_name": "Crescent Hematology", "website": "crescenthem.example"})
    assert r.status_code == 200 and "Check your inbox" in r.get_data(as_text=True)
    with app.app_context():
        company = db.session.scalar(select(Company).where(Company.name == "Crescent Hematology"))
        assert company.website == "https://crescenthem.example"
