"""Trust and safety: the review queue, reports, verification, suspension, spam controls and
the audit log, against the real database, Meilisearch and SMTP server."""
import pytest
from sqlalchemy import func, select

from jobboard.admin import services as moderation
from jobboard.admin.domains import proves_company, registration_refusal
from jobboard.errors import Conflict, InvalidInput
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import AuditEntry, Job, JobReport, User
from jobboard.search.client import client as meili
from jobboard.search.client import index_uid
from tests import factories as make
from tests.conftest import Browser, csrf_token, link_in


def indexed_ids() -> set[int]:
    """What the jobs index holds, asked of Meilisearch itself (not through the app's checks)."""
    docs = meili().index(index_uid("jobs")).get_documents({"limit": 1000, "fields": ["id"]})
    return {d.id for d in docs.results}


def post(browser, url: str, data: dict | None = None):
    token = csrf_token(browser.get("/").get_data(as_text=True))
    return browser.client.post(url, data={"csrf_token": token, **(data or {})})


# ---------------------------------------------------------------- the review queue


def test_an_unverified_companys_job_waits_hidden_until_an_admin_approves_it(
        app, client, browser, search, mailbox):
    with app.app_context():
        employer = make.employer(verified=False)
        job = make.job(employer, title="Stem Cell Transplant Coder", codes="38206")
        job_id, recruiter = job.id, employer.email
        assert job.status == "pending" and job.review_reason == "new-company"
        assert job.published_at is None
        admin = make.admin().email
    # Not on its page, in search, in the index, on the company page or in the sitemap.
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert "Stem Cell Transplant" not in client.get("/jobs?q=38206").get_data(as_text=True)
    with app.app_context():
        assert job_id not in indexed_ids()
        slug = db.session.get(Job, job_id).company.slug
    assert "Stem Cell Transplant" not in client.get(f"/companies/{slug}").get_data(as_text=True)
    assert f"/jobs/{job_id}<" not in client.get("/sitemaps/jobs-1.xml").get_data(as_text=True)

    browser.login(admin)
    queue = browser.get("/admin/queue").get_data(as_text=True)
    assert "Stem Cell Transplant Coder" in queue and "not verified yet" in queue
    r = post(browser, f"/admin/jobs/{job_id}/approve", {"approve-reason": "Looks genuine"})
    assert r.status_code == 302
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.status == "published" and job.published_at and job.expires_at
        assert job_id in indexed_ids()
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "job.approve"))
        assert entry.actor.email == admin and entry.reason == "Looks genuine"
    assert client.get(f"/jobs/{job_id}").status_code == 200
    assert "Stem Cell Transplant" in client.get("/jobs?q=38206").get_data(as_text=True)
    [mail] = mailbox.messages(to=recruiter)
    assert mail["Subject"] == "Your job is live: Stem Cell Transplant Coder"


def test_a_rejected_job_tells_the_employer_why_and_is_reviewed_again_when_resubmitted(
        app, browser, mailbox):
    with app.app_context():
        employer = make.employer(verified=False)
        job = make.job(employer, title="Coder")
        admin = make.admin()
        email, job_id = employer.email, job.id
        with pytest.raises(InvalidInput, match="Say why"):
            moderation.reject(job, admin, "  ")
        assert make.reload(job).status == "pending"  # nothing changed
        moderation.reject(job, admin, "Add the pay range and where the work is done.")
        job = make.reload(job)
        assert job.status == "draft" and job.moderator_note.startswith("Add the pay")
        # Verified meanwhile, the company's sent-back job is still checked again.
        moderation.admin_verify(job.company, admin)
        job_services.publish_job(job, make.reload(employer))
        assert make.reload(job).status == "pending"
        assert make.reload(job).review_reason == "resubmitted"
    [mail] = mailbox.messages(to=email)
    assert "Changes needed" in mail["Subject"] and "Add the pay range" in mail.text
    assert f"/employer/jobs/{job_id}/edit" in link_in(mail, "/edit")
    browser.login(email)
    page = browser.get(f"/employer/jobs/{job_id}").get_data(as_text=True)
    assert "Waiting for review" in page


def test_the_employer_sees_the_moderators_reason_on_the_job(app, browser):
    with app.app_context():
        employer = make.employer(verified=False)
        job = make.job(employer, title="Coder")
        moderation.reject(job, make.admin(), "The description asks for a fee.")
        email, job_id = employer.email, job.id
    browser.login(email)
    page = browser.get(f"/employer/jobs/{job_id}").get_data(as_text=True)
    assert "Our moderators sent this job back" in page and "asks for a fee" in page
    assert "Submit for review" in page
    assert "Sent back by moderators" in browser.get("/employer/").get_data(as_text=True)


def test_verified_companies_publish_at_once_unless_every_job_is_reviewed(app):
    with app.app_context():
        employer = make.employer()
        assert make.job(employer).status == "published"
        app.config["MODERATE_ALL_JOBS"] = True
        try:
            job = make.job(employer)
            assert job.status == "pending" and job.review_reason == "review-all"
        finally:
            app.config["MODERATE_ALL_JOBS"] = False


def test_an_approved_job_of_an_unverified_company_is_reviewed_again_after_an_edit(app):
    with app.app_context():
        employer = make.employer(verified=False)
        job = make.job(employer)
        moderation.approve(job, make.admin())
        job_services.update_job(make.reload(job), employer,
                                make.fields(description="Now send a $50 fee to apply, by wire."))
        assert make.reload(job).status == "pending"
        verified = make.employer()
        other = make.job(verified)
        job_services.update_job(other, verified, make.fields(title="Senior coder"))
        assert make.reload(other).status == "published"


def test_a_company_publishes_at_most_the_daily_limit(app):
    with app.app_context():
        app.config["JOBS_PER_COMPANY_PER_DAY"] = 2
        try:
            employer = make.employer()
            make.job(employer)
            make.job(employer)
            third = make.job(employer, publish=False)
            with pytest.raises(Conflict, match="2 jobs in the last 24 hours"):
                job_services.publish_job(third, employer)
            assert make.reload(third).status == "draft"
            assert make.job(make.employer()).status == "published"  # per company
        finally:
            app.config["JOBS_PER_COMPANY_PER_DAY"] = 20


# ---------------------------------------------------------------- reports


def _report(app, job_id: int, address: str, reason="scam", comment=""):
    c = app.test_client()
    page = c.get(f"/jobs/{job_id}/report").get_data(as_text=True)
    return c.post(f"/jobs/{job_id}/report", data={
        "csrf_token": csrf_token(page), "reason": reason, "comment": comment},
        environ_base={"REMOTE_ADDR": address})


def _report_as(app, email: str, job_id: int, address: str, reason="scam"):
    c = app.test_client()
    Browser(c).login(email)
    page = c.get(f"/jobs/{job_id}/report").get_data(as_text=True)
    return c.post(f"/jobs/{job_id}/report", data={
        "csrf_token": csrf_token(page), "reason": reason, "comment": ""},
        environ_base={"REMOTE_ADDR": address})


def test_reports_from_several_people_hide_a_job_until_an_admin_dismisses_them(
        app, browser, search):
    with app.app_context():
        job = make.job(make.employer(), title="Remote coder, pay a fee first")
        job_id, published, expires = job.id, job.published_at, job.expires_at
        reporters = [make.coder(with_resume=False).email for _ in range(3)]
        admin = make.admin().email
    r = _report(app, job_id, "10.0.0.1", "other")
    assert r.status_code == 400 and "Tell us what is wrong" in r.get_data(as_text=True)
    assert _report(app, job_id, "10.0.0.1", comment="Asks for a fee").status_code == 302
    assert _report(app, job_id, "10.0.0.1", "pay").status_code == 302  # the same person again
    assert _report_as(app, reporters[0], job_id, "10.0.0.3").status_code == 302
    assert _report_as(app, reporters[1], job_id, "10.0.0.4", "not-coding").status_code == 302
    with app.app_context():
        assert db.session.get(Job, job_id).status == "published"  # 2 accounts so far
        assert moderation.open_report_count(job_id) == 3  # all reach the admin
        assert moderation.hiding_report_count(job_id) == 2
    assert _report_as(app, reporters[2], job_id, "10.0.0.5").status_code == 302
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.status == "pending" and job.review_reason == "reported"
        assert job_id not in indexed_ids()
        [hidden] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "job.hide"))
        assert hidden.actor_id is None  # the system did it
    assert app.test_client().get(f"/jobs/{job_id}").status_code == 404

    browser.login(admin)
    reports = browser.get("/admin/reports").get_data(as_text=True)
    assert "pay a fee first" in reports
    review = browser.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert "Misleading pay" in review and "Not a medical coding job" in review
    assert "Asks for a fee" in review  # the first report of the person who reported twice
    assert "open reports from 4 people" in review
    assert "Dismiss the reports and put it back" in review
    assert post(browser, f"/admin/jobs/{job_id}/approve").status_code == 302
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.status == "published" and job.published_at == published
        assert job.expires_at == expires and job_id in indexed_ids()
        assert moderation.open_report_count(job_id) == 0
        # Every report is kept, the same person's second one too (they counted once).
        assert db.session.scalar(select(func.count()).select_from(JobReport)) == 5


def test_throwaway_accounts_and_one_address_cannot_hide_a_job(app, search):
    """Two unconfirmed throwaway coders and one anonymous report from one address hid any
    job until an admin acted; two confirmed accounts behind one address count once. All of
    them still reach the admin's queue."""
    with app.app_context():
        job_id = make.job(make.employer()).id
        throwaways = [make.coder(with_resume=False) for _ in range(2)]
        for coder in throwaways:
            coder.email_verified_at = None
        confirmed = [make.coder(with_resume=False).email for _ in range(2)]
        db.session.commit()
        throwaways = [c.email for c in throwaways]
    assert _report(app, job_id, "203.0.113.9").status_code == 302
    for email in throwaways:  # they cannot even sign in to report
        c = app.test_client()
        page = c.get("/login").get_data(as_text=True)
        r = c.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                   "password": make.PASSWORD})
        assert r.status_code == 400
    with app.app_context():  # and a session from before would not count either
        for email in throwaways:
            user = db.session.scalar(select(User).where(User.email == email))
            moderation.report_job(db.session.get(Job, job_id), user, "203.0.113.9", "scam", "")
    for email in confirmed:
        assert _report_as(app, email, job_id, "203.0.113.9").status_code == 302
    with app.app_context():
        assert db.session.get(Job, job_id).status == "published"
        assert moderation.open_report_count(job_id) == 5
        assert moderation.hiding_report_count(job_id) == 1
    assert app.test_client().get(f"/jobs/{job_id}").status_code == 200


def test_a_draft_cannot_be_reported(app, client):
    with app.app_context():
        job_id = make.job(make.employer(), publish=False).id
    assert client.get(f"/jobs/{job_id}/report").status_code == 404


def test_reports_are_rate_limited_per_address(app):
    with app.app_context():
        job_id = make.job(make.employer()).id
    app.config["RATELIMIT_REPORT"] = "2 per hour"
    try:
        statuses = [_report(app, job_id, "10.9.9.9").status_code for _ in range(3)]
        assert statuses == [302, 302, 429]
    finally:
        app.config["RATELIMIT_REPORT"] = "10 per hour"


# ---------------------------------------------------------------- verification


@pytest.mark.parametrize("email, website, proves", [
    ("dana@riverbend.org", "https://riverbend.org", True),
    ("dana@riverbend.org", "https://www.riverbend.org/careers", True),
    ("dana@mail.riverbend.org", "https://riverbend.org", True),
    ("dana@riverbend.org", "https://jobs.riverbend.org", True),
    ("dana@gmail.com", "https://gmail.com", False),  # free mail proves nothing
    ("dana@riverbend.org", "https://riverbend-health.org", False),
    ("dana@riverbend.org", None, False),
    ("dana@org", "https://org", False),
])
def test_which_addresses_prove_a_company(email, website, proves):
    assert proves_company(email, website) is proves


def test_a_confirmed_address_at_the_website_domain_verifies_the_company_until_it_changes(
        app, mailbox, search):
    from jobboard.auth import services as auth
    from jobboard.employers.services import update_company
    with app.app_context():
        auth.register_employer("dana@summit-onc.org", "a long password", "Dana",
                               "Summit Oncology", "https://summit-onc.org")
        [mail] = mailbox.messages(to="dana@summit-onc.org")
        user, first = auth.verify_email(link_in(mail, "/verify/").rsplit("/", 1)[1])
        assert first and user.company.is_verified and user.company.verified_by == "email-domain"
        job = make.job(user)
        assert job.status == "published"
        update_company(user.company, user, "Summit Oncology", "https://elsewhere.org", "")
        assert not make.reload(user).company.is_verified
        assert make.job(make.reload(user)).status == "pending"
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["company.verify", "company.unverify"]


def test_a_verified_company_carries_the_badge_on_its_page_and_jobs(app, client, search):
    with app.app_context():
        verified = make.employer(company="Summit Oncology")
        make.job(verified, title="Oncology coder")
        slug = verified.company.slug
        other = make.employer(company="New Clinic", verified=False)
        other_slug = other.company.slug
    page = client.get(f"/companies/{slug}").get_data(as_text=True)
    assert "✓ Verified" in page and "Oncology coder" in page
    assert "✓ Verified" in client.get("/jobs").get_data(as_text=True)
    page = client.get(f"/companies/{other_slug}").get_data(as_text=True)
    assert "Not verified yet" in page and "has no open jobs" in page
    assert client.get("/companies/no-such-company").status_code == 404


# ---------------------------------------------------------------- suspension


def test_suspending_a_company_removes_all_its_jobs_at_once_and_locks_out_its_recruiters(
        app, browser, other_browser, search, mailbox):
    with app.app_context():
        employer = make.employer(company="Fake Health")
        jobs = [make.job(employer, title=f"Coder {i}").id for i in range(2)]
        draft = make.job(employer, publish=False).id
        coder = make.coder()
        make.apply(db.session.get(Job, jobs[0]), coder)
        admin = make.admin().email
        company_id, recruiter, coder_email = employer.company_id, employer.email, coder.email
        slug = employer.company.slug
        assert set(jobs) <= indexed_ids()
    other_browser.login(recruiter)  # a recruiter session that must end
    browser.login(admin)
    page = browser.get(f"/admin/companies/{company_id}/suspend").get_data(as_text=True)
    assert "takes its 2 published or waiting jobs off the site" in page
    r = browser.client.post(f"/admin/companies/{company_id}/suspend",
                            data={"csrf_token": csrf_token(page), "reason": ""})
    assert r.status_code == 400  # a reason is required
    r = browser.client.post(f"/admin/companies/{company_id}/suspend", data={
        "csrf_token": csrf_token(page), "reason": "Phishing for SSNs"})
    assert r.status_code == 302
    with app.app_context():
        assert not set(jobs) & indexed_ids()
        statuses = {j.id: j.status for j in db.session.scalars(select(Job))}
        assert statuses == {jobs[0]: "removed", jobs[1]: "removed", draft: "draft"}
    r = other_browser.get("/employer/")
    assert r.status_code == 302  # logged out, and told why
    told = other_browser.get(r.location).get_data(as_text=True)
    assert "Fake Health is suspended from CodeBoard" in told and "Phishing for SSNs" in told
    [suspended] = [m for m in mailbox.messages(to=recruiter) if "suspended" in m["Subject"]]
    assert suspended["Subject"] == "Fake Health is suspended from CodeBoard"
    assert "Phishing for SSNs" in suspended.text
    r = other_browser.submit("/login", {"email": recruiter, "password": make.PASSWORD})
    assert r.status_code == 400 and "Fake Health is suspended" in r.get_data(as_text=True)
    assert app.test_client().get(f"/companies/{slug}").status_code == 404
    assert app.test_client().get(f"/jobs/{jobs[0]}").status_code == 404
    [mail] = [m for m in mailbox.messages(to=coder_email) if "Application sent" not in m["Subject"]]
    assert "was removed" in mail["Subject"] and "identity documents" in mail.text

    page = browser.get(f"/admin/companies/{company_id}").get_data(as_text=True)
    r = browser.client.post(f"/admin/companies/{company_id}/reinstate", data={
        "csrf_token": csrf_token(page), "reinstate-reason": "Cleared after a call"})
    assert r.status_code == 302
    with app.app_context():
        assert set(jobs) <= indexed_ids()
        assert {db.session.get(Job, j).status for j in jobs} == {"published"}
        log = moderation.audit_page(1, subject=f"company:{company_id}").items
        assert [e.action for e in log] == ["company.reinstate", "company.suspend"]
        assert log[1].reason == "Phishing for SSNs"
    back = next(m for m in mailbox.messages(to=recruiter) if "is back" in m["Subject"])
    assert back["Subject"] == "Fake Health is back on CodeBoard"
    assert "Cleared after a call" in back.text and "/login" in back.text


# ---------------------------------------------------------------- registration spam


def test_banned_and_throwaway_domains_cannot_register(app, browser):
    with app.app_context():
        moderation.ban_domain("@Scam-Jobs.example", make.admin(), "Fake recruiters")
        assert registration_refusal("x@scam-jobs.example")
        assert registration_refusal("x@hr.scam-jobs.example")  # subdomains too
        assert registration_refusal("x@mailinator.com")
        assert registration_refusal("x@riverbend.org") is None
        with pytest.raises(InvalidInput, match="already banned"):
            moderation.ban_domain("scam-jobs.example", make.admin(), "again")
    for address, says in [("hr@hr.scam-jobs.example", "do not accept registrations"),
                          ("someone@mailinator.com", "throwaway mail service")]:
        r = browser.submit("/register/coder", {"name": "X", "email": address,
                                               "password": "a long password",
                                               "confirm": "a long password"})
        assert r.status_code == 400 and says in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.role == "coder")) == 0


def test_a_filled_honeypot_gets_the_usual_answer_and_creates_nothing(app, browser, mailbox):
    r = browser.submit("/register/coder", {"name": "Bot", "email": "bot@example.org",
                                           "password": "a long password",
                                           "confirm": "a long password",
                                           "nickname": "spammy"})
    assert r.status_code == 200 and "Check your inbox" in r.get_data(as_text=True)
    assert mailbox.messages() == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


# ---------------------------------------------------------------- admins and the log


def test_admins_are_made_on_the_command_line_only(app, runner):
    r = runner.invoke(args=["admin", "create", "Ops@Example.org", "--name", "Ops",
                            "--password", "a long admin password"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["admin", "create", "ops@example.org",
                            "--password", "a long admin password"])
    assert r.exit_code != 0 and "exists" in r.output
    with app.app_context():
        [admin] = db.session.scalars(select(User).where(User.role == "admin"))
        assert admin.email == "ops@example.org" and admin.is_verified
    # Registration has no way to ask for the role.
    from jobboard.auth.forms import CoderRegistrationForm, EmployerRegistrationForm
    assert "role" not in CoderRegistrationForm.__dict__ and "role" not in EmployerRegistrationForm.__dict__


def test_admin_pages_are_for_admins(app, browser, client):
    with app.app_context():
        coder, employer = make.coder().email, make.employer().email
    assert client.get("/admin/").status_code == 302
    for email in (coder, employer):
        b = app.test_client()
        page = b.get("/login").get_data(as_text=True)
        b.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                               "password": make.PASSWORD})
        assert b.get("/admin/").status_code == 403
        assert b.get("/admin/audit").status_code == 403


def test_the_audit_log_records_every_action_and_filters(app, browser):
    with app.app_context():
        admin = make.admin(email="mod@example.org")
        employer = make.employer(verified=False)
        job = make.job(employer, title="Coder")
        moderation.reject(job, admin, "Missing pay")
        moderation.admin_verify(employer.company, admin, "Called them")
        moderation.ban_domain("spam.example", admin, "Spam")
        moderation.unban_domain("spam.example", admin)
        company_id = employer.company_id
    browser.login("mod@example.org")
    page = browser.get("/admin/audit").get_data(as_text=True)
    for text in ("Sent back “Coder”", "Verified Health System", "Banned registrations from "
                 "spam.example", "Allowed registrations from spam.example", "Missing pay"):
        assert text in page
    page = browser.get("/admin/audit?action=domain.ban").get_data(as_text=True)
    assert "Banned registrations" in page and "Sent back" not in page
    page = browser.get(f"/admin/audit?subject=company:{company_id}").get_data(as_text=True)
    assert "Verified Health System" in page and "Banned registrations" not in page
    page = browser.get("/admin/audit?actor=system").get_data(as_text=True)
    assert "No entries" in page
    home = browser.get("/admin/").get_data(as_text=True)
    assert "4 moderator actions in the last 24 hours" in home
    account = browser.get("/account").get_data(as_text=True)  # an admin's settings
    assert "Change password" in account and "Job alerts" not in account


def test_a_live_job_with_no_open_report_offers_nothing_to_dismiss(app, browser):
    with app.app_context():
        job_id = make.job(make.employer()).id
        admin = make.admin().email
    browser.login(admin)
    review = browser.get(f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert "no open reports" in review
    assert "Dismiss the reports" not in review and "Take down and send back" in review


def test_the_company_about_text_renders_markdown_like_job_descriptions(app, client):
    with app.app_context():
        employer = make.employer(company="Lakeside Oncology")
        employer.company.profile = "We are **hiring**.\n\n- Remote first\n- CEUs paid\n\n<script>x</script>"
        db.session.commit()
        job_id = make.job(employer).id
        slug = employer.company.slug
    for url in (f"/companies/{slug}", f"/jobs/{job_id}"):
        html = client.get(url).get_data(as_text=True)
        about = html.split('class="company-profile">')[1].split("</div>")[0]
        assert "<strong>hiring</strong>" in about and "<li>CEUs paid</li>" in about
        assert "<script>" not in about and "**" not in about
