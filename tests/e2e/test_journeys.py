"""The journeys users make, in a real browser."""
import re

from playwright.sync_api import expect

from tests import factories as make
from tests.e2e.steps import (
    apply_with_resume,
    open_mail,
    post_job,
    register_coder,
    register_employer,
)


def test_employer_posts_coder_applies_employer_moves_to_interview(new_page, tmp_path, search):
    employer = new_page()
    register_employer(employer)
    post_job(employer)
    expect(employer.get_by_role("link", name="38206")).to_have_attribute("href", "/codes/38206")

    coder = new_page()
    register_coder(coder)

    coder.get_by_role("link", name="Find jobs").click()
    coder.get_by_label("Search by code, specialty or words").fill("38206")
    coder.get_by_role("button", name="Search").click()
    coder.get_by_role("link", name="Stem Cell Transplant Coder").click()
    expect(coder.get_by_role("heading", name="Stem Cell Transplant Coder")).to_be_visible()

    # Sent without a resume, the page comes back where the form is, with the reason in view.
    coder.get_by_role("button", name="Send application").click()
    expect(coder.get_by_text("Attach a resume (PDF or DOCX)")).to_be_in_viewport()
    apply_with_resume(coder, tmp_path / "Jamie Coder resume.pdf",
                      "I abstract 38206 harvests every week.", "Stem Cell Transplant Coder")
    expect(coder.get_by_text("Status: Submitted")).to_be_visible()

    employer.get_by_role("link", name="My jobs").click()
    employer.get_by_role("link", name="1 applicant").click()
    employer.get_by_role("link", name="Jamie Coder").click()
    with employer.expect_download() as download:
        employer.get_by_role("link", name=re.compile("Download Jamie Coder resume.pdf")).click()
    assert download.value.suggested_filename == "Jamie Coder resume.pdf"
    employer.get_by_label("Move to").select_option("interview")
    employer.get_by_label("Message to the coder").fill("Can you talk Tuesday at 10?")
    employer.get_by_role("button", name="Update status").click()
    expect(employer.get_by_text("Moved to Interview.")).to_be_visible()

    # The coder hears by mail, answers on the board; the employer reads it from the inbox.
    open_mail(coder, "jamie@example.org", "Your application for Stem Cell Transplant Coder")
    coder.get_by_role("link", name=re.compile(r"coder.applications.\d+")).click()
    expect(coder.get_by_text("Status: Interview")).to_be_visible()
    expect(coder.get_by_text("Can you talk Tuesday at 10?")).to_be_visible()
    coder.get_by_label("Your message").fill("Tuesday at 10 works for me.")
    coder.get_by_role("button", name="Send message").click()
    expect(coder.get_by_text("Message sent.")).to_be_visible()

    employer.get_by_role("link", name="My jobs").click()
    employer.get_by_role("link", name="Messages 1 unread").click()
    employer.get_by_role("link", name=re.compile("Jamie Coder")).click()
    expect(employer.get_by_text("Tuesday at 10 works for me.")).to_be_visible()
    open_mail(employer, "dana@summit.example", "New message from Jamie Coder")
    expect(employer.get_by_text("Tuesday at 10 works for me.")).to_be_visible()


def test_a_malformed_code_is_pointed_out_on_the_form(new_page):
    page = new_page()
    register_employer(page)
    page.get_by_role("link", name="Post a job").first.click()
    page.get_by_label("Job title").fill("Coder")
    page.get_by_role("textbox", name="Codes").fill("38206, 99999X")
    page.get_by_role("button", name="Save draft and preview").click()
    codes = page.get_by_role("textbox", name="Codes")
    expect(codes).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#codes-error")).to_contain_text('"99999X" is not a valid code')


def test_search_by_code_pick_a_facet_open_the_job_follow_its_code(new_page, app, search):
    with app.app_context():
        employer = make.employer(company="Summit Oncology")
        make.job(employer, title="Remote stem cell coder", codes="38206, C92.00")
        make.job(employer, title="Onsite stem cell coder", codes="38206", work_mode="onsite",
                 city="Denver", state="CO")
        make.job(employer, title="Transplant coder", codes="38207")
    page = new_page()
    page.goto("/jobs")
    facets = page.get_by_role("complementary", name="Narrow the results")
    work_mode = facets.locator("#filters details").filter(
        has=page.locator("summary", has_text="Work mode"))
    page.get_by_label("Search by code, specialty or words").fill("38206")
    facets.get_by_text("Work mode").click()  # opened while the live search is on its way
    expect(page.get_by_role("heading", name="Jobs tagged 38206")).to_be_visible()
    expect(work_mode).to_have_attribute("open", "")  # the redrawn filters keep it open
    expect(page).to_have_url(re.compile(r"/jobs\?q=38206$"))  # no empty parameters
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/jobs\?q=38206$"))
    expect(page.get_by_text("2 jobs", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Transplant coder")).to_have_count(0)

    facets.get_by_text("Work mode").click()
    facets.get_by_role("link", name="Remote").click()
    expect(page.get_by_text("1 job", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Remove filter Remote")).to_be_visible()

    page.get_by_role("link", name="Remote stem cell coder").click()
    expect(page.get_by_role("heading", name="Remote stem cell coder")).to_be_visible()
    page.get_by_role("link", name="38206").first.click()
    expect(page).to_have_url(re.compile(r"/codes/38206$"))
    expect(page.get_by_role("link", name="Remote stem cell coder")).to_be_visible()


def test_job_code_tag_leads_to_the_code_page_and_back_to_open_jobs(new_page, app, catalog):
    with app.app_context():
        employer = make.employer(company="Summit Oncology")
        make.job(employer, title="Leukemia abstractor", codes="C92.00, 38206")
        make.job(employer, title="Cardiology coder", codes="93306")
    page = new_page()
    page.goto("/jobs")
    page.get_by_role("link", name="Leukemia abstractor").click()
    expect(page.get_by_text("Acute myeloblastic leukemia, not having achieved remission")).to_be_visible()
    page.get_by_role("list").get_by_role("link", name="C92.00").click()
    expect(page).to_have_url(re.compile(r"/codes/C92\.00$"))
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs).to_contain_text("Myeloid leukemia")
    open_jobs = page.get_by_role("region", name="Open jobs that need C92.00")
    expect(open_jobs.get_by_role("link", name="Cardiology coder")).to_have_count(0)
    open_jobs.get_by_role("link", name="Leukemia abstractor").click()
    expect(page.get_by_role("heading", name="Leukemia abstractor")).to_be_visible()


def test_typing_a_pay_amount_and_applying_the_filters_narrows_the_results(new_page, app, search):
    with app.app_context():
        employer = make.employer(company="Summit Oncology")
        make.job(employer, title="Well paid hourly coder", codes="38206", salary_min=30,
                 salary_max=40, salary_period="hour")  # 83,200 a year at the top
        make.job(employer, title="Modest yearly coder", codes="38206", salary_min=45000,
                 salary_max=50000, salary_period="year")
    page = new_page()
    page.goto("/jobs?q=38206")
    expect(page.get_by_text("2 jobs", exact=True)).to_be_visible()
    page.get_by_text("Pay, date posted and sort").click()
    page.get_by_label("Pay at least, per year").fill("55000")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_text("1 job", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Well paid hourly coder")).to_be_visible()
    expect(page.get_by_role("link", name="Modest yearly coder")).to_have_count(0)
    expect(page.get_by_role("link", name="Remove filter Pay from $55,000/yr")).to_be_visible()


def test_a_live_search_past_the_limit_says_so_and_keeps_the_last_results(new_page, app, search):
    from jobboard.extensions import limiter
    with app.app_context():
        employer = make.employer()
        make.job(employer, title="Stem Cell Harvest Coder", codes="38206")
        make.job(employer, title="Office Visit Coder", codes="99214")
    page = new_page()
    page.goto("/jobs")
    box = page.get_by_label("Search by code, specialty or words")
    alert = page.locator("#live-search-error")
    app.config["RATELIMIT_SEARCH"] = "1 per minute"  # a new limit counts afresh
    try:
        box.fill("38206")
        expect(page.get_by_role("heading", name="Jobs tagged 38206")).to_be_visible()
        expect(alert).to_be_hidden()
        box.fill("99214")  # the second search in the minute: refused
        expect(alert).to_have_text(re.compile(r"^Too many searches from your address\."))
        expect(page.get_by_role("link", name="Stem Cell Harvest Coder")).to_be_visible()
    finally:
        app.config["RATELIMIT_SEARCH"] = "100000 per minute"
        limiter.reset()
    box.fill("99214 ")  # allowed again: the message goes with the new results
    expect(page.get_by_role("link", name="Office Visit Coder")).to_be_visible()
    expect(alert).to_be_hidden()
