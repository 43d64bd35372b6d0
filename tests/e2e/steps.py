"""Steps of the journeys that several browser tests take."""
import re

from playwright.sync_api import expect

from tests import factories as make


def register_employer(page, email="dana@summit.example", website="https://summit.example",
                      company="Summit Oncology Partners"):
    """Register and confirm the address from the mail, which signs the recruiter in. An
    address at the website's domain verifies the company: its jobs go live at once."""
    page.goto("/register/employer")
    page.get_by_label("Your name").fill("Dana Reyes")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("a long password")
    page.get_by_label("Repeat password").fill("a long password")
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Company website").fill(website)
    page.get_by_role("button", name="Create company account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    confirm_address(page, email)
    expect(page.get_by_role("heading", name=re.compile(f"{company}: jobs"))).to_be_visible()


def confirm_address(page, email: str):
    open_mail(page, email, "Confirm your email address")
    page.get_by_role("link", name=re.compile(r"verify")).click()
    expect(page.get_by_text(f"Thank you: {email} is confirmed.")).to_be_visible()


def open_mail(page, to: str, subject: str):
    """Open the newest message to `to` with this subject in the development mailbox."""
    page.goto("/dev/mail/")
    row = page.get_by_role("row").filter(has_text=to).filter(has_text=subject).first
    row.get_by_role("link", name=subject).click()
    expect(page.get_by_role("heading", name=subject)).to_be_visible()


def post_job(page, title="Stem Cell Transplant Coder", codes="38206, C92.00", review=False):
    page.get_by_role("link", name="Post a job").first.click()
    page.get_by_label("Job title").fill(title)
    page.get_by_role("textbox", name="Codes").fill(codes)
    page.get_by_label("Description").fill("Code stem cell harvests (38206) for our BMT unit.")
    page.get_by_label("Hematology/oncology").check()
    page.get_by_role("group", name="Required credentials").get_by_label("CPC", exact=True).check()
    page.get_by_label("Coding setting").select_option("pro-fee")
    page.get_by_label("Employment type").select_option("full-time")
    page.get_by_label("Remote").check()
    page.get_by_label("Pay from").fill("31")
    page.get_by_label("Pay up to").fill("38")
    page.get_by_label("Pay period").select_option("hour")
    page.get_by_role("button", name="Save draft and preview").click()
    expect(page.get_by_text("Draft saved")).to_be_visible()
    if review:
        page.get_by_role("button", name="Submit for review").click()
        expect(page.get_by_text("Submitted for review.")).to_be_visible()
    else:
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("Published.")).to_be_visible()


def register_coder(page, name="Jamie Coder", email="jamie@example.org"):
    page.goto("/register/coder")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("another long password")
    page.get_by_label("Repeat password").fill("another long password")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    confirm_address(page, email)
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()


def apply_with_resume(page, resume_path, cover_letter: str, title: str) -> None:
    """On a job's page: attach a PDF resume, write a cover letter, send, see it sent."""
    resume_path.write_bytes(make.pdf_bytes(resume_path.stem))
    page.get_by_label("Cover letter").fill(cover_letter)
    page.get_by_label("Resume").set_input_files(str(resume_path))
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text(f"Your application to {title} was sent.")).to_be_visible()
