"""Phones (390 px): no page scrolls sideways, logged out or in any role; the navigation folds
into a menu; search results come before the filters; pay charts show their bars and pay
tables their figures."""
from decimal import Decimal

from playwright.sync_api import expect

from jobboard.api import tokens
from jobboard.candidates import services as candidates
from jobboard.coders.services import ProfileFields, update_profile
from jobboard.messages import services as conversations
from tests import factories as make

PHONE = {"width": 390, "height": 844}


def _login(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_no_page_scrolls_sideways_at_390_px(chromium, live_server, app):
    with app.app_context():
        employer = make.employer(company="Riverbend Health System of the Greater Tampa Bay Area")
        job = make.job(employer, title="Senior Hematology/Oncology Stem Cell Transplant Coder",
                       codes="38206, 38207, C92.00, C92.01, J9035", work_mode="onsite",
                       city="Tampa", state="FL")
        coder = make.coder()
        update_profile(coder, ProfileFields(headline="Heme/onc coder", credentials=["CPC"],
                                            codes="38206, 38207, C92.00", findable=True))
        candidates.invite(employer, coder.id, job.id, "Your stem cell work fits our unit.")
        application = make.apply(job, coder)
        application_id = application.id
        # A long unbroken word (a pasted link) in a message must wrap, not widen the page.
        conversations.post(application, employer, "Our portal: https://careers.riverbend"
                           "health.example/apply/hematology-oncology-stem-cell-coder-2026")
        conversations.post(application, coder, "Thank you, **applied** there too.")
        tokens.create_token(employer, "Applicant tracking system (Greenhouse) integration")
        coder_email, employer_email, job_id = coder.email, employer.email, job.id
        admin_email, company_id = make.admin().email, employer.company_id
        for _ in range(5):  # pay figures and charts on the code page and insights
            make.job(employer, codes="38206")
    pages = {None: ["/", "/jobs", "/jobs?q=38206", f"/jobs/{job_id}", "/codes/38206",
                    "/codes/C92.00", "/insights"],
             coder_email: ["/", "/jobs?q=38206", f"/jobs/{job_id}", "/account", "/alerts",
                           "/saved", "/coder/applications", "/jobs/for-me",
                           "/coder/invitations", "/coder/profile",
                           f"/coder/applications/{application_id}", "/messages"],
             employer_email: ["/employer/", f"/employer/jobs/{job_id}", "/account",
                              "/employer/api-tokens", "/employer/candidates",
                              "/employer/invitations", "/employer/jobs/new",
                              f"/employer/jobs/{job_id}/edit",
                              f"/employer/jobs/{job_id}/applicants",
                              f"/employer/applications/{application_id}",
                              "/employer/company", "/messages"],
             admin_email: ["/admin/", "/admin/queue", f"/admin/jobs/{job_id}", "/admin/audit",
                           f"/admin/companies/{company_id}", "/admin/domains"]}
    too_wide, scrolled = [], []
    for who, paths in pages.items():
        context = chromium.new_context(base_url=live_server, viewport=PHONE)
        page = context.new_page()
        if who:
            _login(page, who)
        for path in paths:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((who or "anonymous", path, width))
            # Tables scroll inside their own box rather than the page; coders' and
            # employers' tables fit without it (admins' may scroll: they work at desks).
            if who != admin_email:
                scrolled += [(who or "anonymous", path, box) for box in page.evaluate(
                    "[...document.querySelectorAll('.overflow-auto')]"
                    ".filter(b => b.scrollWidth > b.clientWidth)"
                    ".map(b => b.querySelector('th')?.innerText)")]
        context.close()
    assert too_wide == []
    assert scrolled == []


def test_on_a_phone_the_menu_folds_and_results_come_before_the_filters(chromium, live_server,
                                                                      app, search):
    with app.app_context():
        employer = make.employer()
        for i in range(2):
            make.job(employer, title=f"Stem cell coder {i}", codes="38206")
        coder_email = make.coder().email
    context = chromium.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    _login_phone(page, coder_email)
    expect(page.get_by_role("link", name="Saved jobs")).to_be_hidden()  # folded
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Saved jobs").click()
    expect(page.get_by_role("heading", name="Saved jobs", exact=True)).to_be_visible()

    page.goto("/jobs?q=38206")
    first_result = page.get_by_role("link", name="Stem cell coder 0")
    filters = page.get_by_text("Filters", exact=True)
    expect(first_result).to_be_visible()
    expect(page.get_by_text("Work mode")).to_be_hidden()  # behind "Filters"
    assert filters.bounding_box()["y"] < first_result.bounding_box()["y"]
    filters.click()
    page.get_by_text("Work mode").click()
    page.get_by_role("link", name="Remote").click()
    expect(page.get_by_role("link", name="Remove filter Remote")).to_be_visible()
    context.close()

    wide = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = wide.new_page()
    page.goto("/jobs?q=38206")
    expect(page.get_by_text("Work mode")).to_be_visible()  # beside the results
    expect(page.get_by_text("Filters", exact=True)).to_be_hidden()
    wide.close()


def test_on_a_phone_a_pay_chart_shows_every_bar_on_the_screen(chromium, live_server, app):
    """Labels beside the bars leave too little room at 390 px: the bars (pay near $60k on a
    scale from $0) were off the screen, in a chart that had to be scrolled sideways."""
    with app.app_context():
        employer = make.employer()
        for i, mode in enumerate(["remote"] * 5 + ["onsite"] * 5):
            make.job(employer, codes="38206", work_mode=mode, city="Tampa", state="FL",
                     salary_period="year", salary_min=Decimal(50000 + 2000 * i),
                     salary_max=Decimal(60000 + 2000 * i))
    for viewport, shown, hidden in ((PHONE, "narrow", "wide"),
                                    ({"width": 1280, "height": 900}, "wide", "narrow")):
        context = chromium.new_context(base_url=live_server, viewport=viewport)
        page = context.new_page()
        page.goto("/codes/38206")
        chart = page.locator(f"#pay-h ~ figure svg.{shown}")
        expect(chart).to_be_visible()
        expect(page.locator(f"#pay-h ~ figure svg.{hidden}")).to_be_hidden()
        bars = chart.locator("line[stroke-width='10']")
        assert bars.count() == 2  # remote and onsite
        for i in range(2):
            box = bars.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (shown, box)
        context.close()


def test_on_a_phone_a_pay_table_shows_every_figure_without_scrolling(chromium, live_server,
                                                                     app):
    """Five columns with "25th percentile" headings were wider than 390 px: the median and
    the 75th percentile were off the screen, inside a table that had to be scrolled."""
    with app.app_context():
        employer = make.employer()
        for i in range(6):
            make.job(employer, codes="38206", salary_period="year",
                     specialties=["hematology-oncology", "cdi"],
                     salary_min=Decimal(150000 + 2000 * i), salary_max=Decimal(190000))
    context = chromium.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.goto("/insights")
    tables = page.locator(".pay-table")
    assert tables.count() >= 2  # by credential, by specialty ...
    for i in range(tables.count()):
        box = tables.nth(i).locator("xpath=..")  # the box that would scroll
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), i
    median = page.get_by_role("columnheader", name="Median").first
    assert median.bounding_box()["x"] + median.bounding_box()["width"] <= PHONE["width"]
    # Short headings on the screen, the full ones for screen readers.
    expect(page.get_by_role("columnheader", name="25th percentile").first).to_be_attached()
    expect(tables.first.get_by_text("25th", exact=True)).to_be_visible()
    last = tables.first.locator("tbody tr").first.locator("td").last  # the 75th percentile
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= PHONE["width"]
    context.close()


def _login_phone(page, email):
    _login(page, email)
    expect(page.get_by_text("Menu")).to_be_visible()
