"""Candidate search in a real browser: a coder opts in, an employer finds and invites them,
the coder reads the mail and applies."""
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


def test_a_findable_coder_is_found_by_code_invited_and_applies(new_page, app, search,
                                                               tmp_path):
    coder = new_page()
    register_coder(coder)
    coder.goto("/coder/profile")
    coder.get_by_label("Headline").fill("Stem cell transplant coder, 6 years")
    coder.get_by_label("Codes you work with").fill("38206, c92.00")
    coder.get_by_label("Let employers find my profile").check()
    coder.get_by_role("button", name="Save profile").click()
    expect(coder.get_by_text("Profile saved.")).to_be_visible()

    employer = new_page()
    register_employer(employer)
    post_job(employer, title="Stem Cell Transplant Coder", codes="38206, C92.00")
    employer.get_by_role("link", name="Find coders").first.click()
    employer.get_by_label("Codes they work with").fill("C92")
    employer.get_by_role("button", name="Search coders").click()
    expect(employer.get_by_role("heading", name="1 coder found")).to_be_visible()
    expect(employer.get_by_text("Jamie Coder")).to_have_count(0)  # no name before applying
    employer.get_by_role("button", name=re.compile("Invite to apply")).click()
    employer.get_by_label("Message").fill("Your C92 work fits our transplant unit.")
    employer.get_by_role("button", name="Send the invitation").click()
    expect(employer.get_by_role("cell", name="Waiting for an answer")).to_be_visible()

    with app.app_context():
        tasks.every_minute()  # the worker's tick: mail delivery
    open_mail(coder, "jamie@example.org",
              "Summit Oncology Partners invites you to apply: Stem Cell Transplant Coder")
    coder.get_by_role("link", name=re.compile(r"jobs.\d+$")).first.click()
    expect(coder.get_by_text("Summit Oncology Partners invited you to apply")).to_be_visible()
    apply_with_resume(coder, tmp_path / "Jamie resume.pdf", "Glad to.",
                      "Stem Cell Transplant Coder")

    employer.reload()
    expect(employer.get_by_role("cell", name="Applied")).to_be_visible()
    expect(employer.get_by_role("link", name="Jamie Coder")).to_be_visible()
