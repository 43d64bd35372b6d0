"""The pages with charts pass axe-core's WCAG 2 A/AA checks in Chromium."""
from decimal import Decimal

from axe_playwright_python.sync_playwright import Axe

from tests import factories as make

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_the_insights_page_and_a_code_page_chart_have_no_axe_violations(new_page, app):
    with app.app_context():
        employer = make.employer()
        for i, mode in enumerate(["remote"] * 5 + ["onsite"] * 5):
            make.job(employer, codes="38206", work_mode=mode, city="Tampa", state="FL",
                     salary_min=Decimal(50000 + 2000 * i), salary_max=Decimal(60000 + 2000 * i),
                     salary_period="year")
    page = new_page()
    axe = Axe()
    for path in ("/insights", "/codes/38206", "/jobs?q=38206"):
        page.goto(path)
        assert page.locator("svg[role=img]").count() >= 1 or path.startswith("/jobs")
        results = axe.run(page, options=WCAG)
        assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"


def test_candidate_search_and_invitations_have_no_axe_violations(new_page, app):
    from jobboard.candidates import services as candidates
    from jobboard.coders.services import ProfileFields, update_profile
    with app.app_context():
        employer = make.employer()
        job = make.job(employer)
        coder = make.coder()
        update_profile(coder, ProfileFields(headline="Heme/onc coder", credentials=["CPC"],
                                            codes="38206, C92.00", findable=True))
        candidates.invite(employer, coder.id, job.id, "Your 38206 work fits.")
        logins = {employer.email: ["/employer/candidates",
                                   f"/employer/candidates/{coder.id}/invite",
                                   "/employer/invitations"],
                  coder.email: ["/coder/invitations", "/coder/profile", f"/jobs/{job.id}"]}
    _no_violations_when_logged_in(new_page, logins)


def test_an_applications_conversation_review_tools_and_the_inbox_have_no_axe_violations(new_page, app):
    from jobboard.messages import services as conversations
    with app.app_context():
        employer = make.employer()
        coder = make.coder()
        application = make.apply(make.job(employer), coder)
        conversations.post(application, employer, "Can you send your **CPC** number?")
        conversations.post(application, coder, "Yes: it is on my resume.")
        logins = {employer.email: [f"/employer/applications/{application.id}", "/messages",
                                   f"/employer/jobs/{application.job_id}/applicants"],
                  coder.email: [f"/coder/applications/{application.id}", "/messages"]}
    _no_violations_when_logged_in(new_page, logins)


def _no_violations_when_logged_in(new_page, logins: dict[str, list[str]]) -> None:
    """Log in as each address and run axe on each of its pages."""
    axe = Axe()
    for email, paths in logins.items():
        page = new_page()
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(make.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        for path in paths:
            page.goto(path)
            results = axe.run(page, options=WCAG)
            assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"


def test_the_api_documentation_has_no_axe_violations_closed_or_opened(new_page):
    page = new_page()
    page.goto("/api/docs")
    page.wait_for_selector(".opblock")
    axe = Axe()
    results = axe.run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    operations = page.locator(".opblock-summary-control")
    for i in range(operations.count()):  # every operation opened: parameters and examples
        operations.nth(i).click()
    page.wait_for_selector(".highlight-code pre[tabindex]")
    results = axe.run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
