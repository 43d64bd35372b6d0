"""The moderation lifecycle in a real browser: a new company's job waits for an admin, reports
hide it, and suspension takes every job of the company out of search at once."""
import re

from playwright.sync_api import expect

from jobboard.admin.services import approve
from jobboard.extensions import db
from jobboard.models import Company, User
from tests import factories as make
from tests.e2e.steps import post_job, register_employer


def log_in(page, email: str, password: str = make.PASSWORD):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def search_count(page, q: str) -> str:
    page.goto(f"/jobs?q={q}")
    return page.get_by_role("status").filter(has_text=re.compile(r"^\d[\d,]* jobs?$")).inner_text()


def report(page, job_url: str, reason: str):
    page.goto(job_url)
    page.get_by_role("link", name="Report it to our moderators").click()
    page.get_by_label(reason).check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you: our moderators will look at this job.")).to_be_visible()


def test_new_company_job_is_reviewed_reported_hidden_and_removed_with_its_company(
        new_page, app, search, monkeypatch):
    # Every browser here comes from 127.0.0.1, and reports hide a job only from as many
    # addresses as the threshold (test_moderation.py covers that rule): here one is enough.
    monkeypatch.setitem(app.config, "REPORT_HIDE_THRESHOLD", 1)
    with app.app_context():
        admin = make.admin().email
        coder = make.coder(with_resume=False).email

    # A new employer whose address is not at its website's domain: not verified.
    employer = new_page()
    register_employer(employer, email="dana@newclinic.example",
                      website="https://another-site.example", company="New Clinic Coding")
    expect(employer.get_by_text("New Clinic Coding is not verified yet")).to_be_visible()
    post_job(employer, title="Stem Cell Transplant Coder", codes="38206", review=True)
    expect(employer.get_by_text("Status: Waiting for review")).to_be_visible()
    visitor = new_page()
    assert search_count(visitor, "38206") == "0 jobs"

    # The admin approves it from the queue; it is searchable.
    moderator = new_page()
    log_in(moderator, admin)
    moderator.get_by_role("link", name="Review queue").click()
    moderator.get_by_role("link", name="Stem Cell Transplant Coder").click()
    moderator.get_by_role("button", name="Approve and publish").click()
    expect(moderator.get_by_text("Approved: “Stem Cell Transplant Coder” is live.")).to_be_visible()
    assert search_count(visitor, "38206") == "1 job"
    visitor.get_by_role("link", name="Stem Cell Transplant Coder").click()
    job_url = visitor.url

    # An anonymous report reaches the moderators but does not hide it; a confirmed
    # account's report does.
    report(visitor, job_url, "Scam or phishing (asks for money or personal data)")
    assert search_count(visitor, "38206") == "1 job"
    page = new_page()
    log_in(page, coder)
    report(page, job_url, "Misleading pay")
    assert search_count(visitor, "38206") == "0 jobs"
    moderator.get_by_role("link", name="Reports").click()
    moderator.get_by_role("link", name="Stem Cell Transplant Coder").click()
    expect(moderator.get_by_text("Hidden after reports from several people")).to_be_visible()
    moderator.get_by_role("button", name="Dismiss the reports and put it back").click()
    assert search_count(visitor, "38206") == "1 job"

    # Suspension takes every job of the company out of search at once.
    with app.app_context():
        company = db.session.scalar(db.select(Company).where(Company.name == "New Clinic Coding"))
        by = db.session.scalar(db.select(User).where(User.email == admin))
        approve(make.job(company.members[0], title="Second oncology coder", codes="38206"), by)
        company_id = company.id
    assert search_count(visitor, "38206") == "2 jobs"
    moderator.goto(f"/admin/companies/{company_id}")
    moderator.get_by_role("button", name="Suspend…").click()
    expect(moderator.get_by_text("takes its 2 published or waiting jobs off the site")).to_be_visible()
    moderator.get_by_label("Reason").fill("Asked applicants for a deposit")
    moderator.get_by_role("button", name="Suspend New Clinic Coding").click()
    expect(moderator.get_by_text("New Clinic Coding is suspended: 2 jobs left the site")).to_be_visible()
    assert search_count(visitor, "38206") == "0 jobs"
    employer.reload()
    expect(employer.get_by_role("link", name="Log in")).to_be_visible()  # logged out
    moderator.get_by_role("link", name="Audit log").click()
    expect(moderator.get_by_text("Asked applicants for a deposit")).to_be_visible()
