"""No page scrolls sideways on a phone (390 px), logged out, as a coder, as an employer."""
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
        coder_email, employer_email, job_id = make.coder().email, employer.email, job.id
    pages = {None: ["/", "/jobs", "/jobs?q=38206", f"/jobs/{job_id}", "/codes/38206",
                    "/codes/C92.00"],
             coder_email: ["/", "/jobs?q=38206", f"/jobs/{job_id}", "/account", "/alerts",
                           "/saved", "/coder/applications"],
             employer_email: ["/employer/", f"/employer/jobs/{job_id}", "/account"]}
    too_wide = []
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
        context.close()
    assert too_wide == []
