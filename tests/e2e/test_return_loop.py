"""The return loop in a real browser: an alert brings a coder back, and the employer hears."""
import re

from playwright.sync_api import expect

from jobboard import tasks
from tests.e2e.steps import (
    apply_with_resume,
    open_mail,
    post_job,
    register_coder,
    register_employer,
)


def test_alert_for_38206_brings_the_coder_back_to_apply_and_the_employer_hears(
        new_page, app, search, tmp_path):
    coder = new_page()
    register_coder(coder)  # confirmed from the mail, signed in

    coder.get_by_role("link", name="Find jobs").click()
    coder.get_by_label("Search by code, specialty or words").fill("38206")
    coder.get_by_role("button", name="Search").click()
    expect(coder.get_by_role("heading", name="Jobs tagged 38206")).to_be_visible()
    coder.get_by_text("Email me new jobs for this search").click()
    coder.get_by_label("Email me new jobs").select_option("instant")
    coder.get_by_role("button", name="Create job alert").click()
    expect(coder.get_by_text("Job alert “38206” saved")).to_be_visible()

    employer = new_page()
    register_employer(employer)
    post_job(employer, title="Stem Cell Transplant Coder", codes="38206, C92.00")

    with app.app_context():
        tasks.every_minute()  # the worker's tick: instant alerts, mail delivery

    open_mail(coder, "jamie@example.org", "1 new job for “38206”")
    coder.get_by_role("link", name=re.compile(r"jobs.\d+$")).first.click()
    expect(coder.get_by_role("heading", name="Stem Cell Transplant Coder")).to_be_visible()
    apply_with_resume(coder, tmp_path / "Jamie resume.pdf",
                      "Your alert found me: I code 38206 every week.", "Stem Cell Transplant Coder")

    open_mail(employer, "dana@summit.example", "New application: Stem Cell Transplant Coder")
    employer.get_by_role("link", name=re.compile(r"employer.applications.\d+$")).click()
    expect(employer.get_by_role("heading", name="Jamie Coder")).to_be_visible()
    expect(employer.get_by_text("Your alert found me")).to_be_visible()
