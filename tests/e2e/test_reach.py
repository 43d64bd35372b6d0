"""What is within reach: Apply near the top of a job page (and at the bottom of a phone's
screen), saving a job without losing one's place, and touch targets of at least 24 px."""
from playwright.sync_api import expect

from tests import factories as make

PHONE = {"width": 390, "height": 844}
LONG = "\n\n".join(f"Paragraph {i}: abstract 38206 harvests and C92.00 encounters daily, "
                   "query physicians, and keep accuracy above 95%." for i in range(30))


def _login(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_apply_is_in_view_at_the_top_of_a_long_job_page_on_a_phone_and_wide(
        chromium, live_server, app):
    with app.app_context():
        job_id = make.job(make.employer(), title="Stem cell coder", description=LONG).id
        email = make.coder().email
    for viewport, name in ((PHONE, "Apply to this job"), ({"width": 1280, "height": 800}, "Apply")):
        context = chromium.new_context(base_url=live_server, viewport=viewport)
        page = context.new_page()
        _login(page, email)
        page.goto(f"/jobs/{job_id}")
        button = page.get_by_role("button", name=name, exact=True)
        expect(button).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollHeight") > 2 * viewport["height"]
        button.click()
        expect(page.get_by_label("Cover letter")).to_be_in_viewport()
        context.close()


def test_saving_a_job_keeps_the_page_where_it_was(chromium, live_server, app):
    with app.app_context():
        employer = make.employer()
        for i in range(12):
            make.job(employer, title=f"Coder {i:02d}")
        email = make.coder().email
    context = chromium.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    _login(page, email)
    page.goto("/jobs")
    save = page.get_by_role("button", name="Save Coder 00")
    save.scroll_into_view_if_needed()
    page.evaluate("window.notReloaded = true")
    before = page.evaluate("window.scrollY")
    assert before > 0
    save.click()
    expect(page.get_by_role("button", name="Saved: remove Coder 00")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # no new page
    assert abs(page.evaluate("window.scrollY") - before) < 5
    page.get_by_role("button", name="Saved: remove Coder 00").click()
    expect(page.get_by_role("button", name="Save Coder 00")).to_be_visible()
    page.goto("/saved")
    expect(page.get_by_text("Coder 00")).to_have_count(0)
    context.close()


def test_filter_headings_and_checkboxes_are_at_least_24_px(chromium, live_server, app):
    with app.app_context():
        make.job(make.employer(), codes="38206")
        email = make.coder().email
    context = chromium.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.goto("/jobs?q=38206")
    page.get_by_text("Filters").first.click()
    for summary in page.locator(".facets details details > summary").all():
        box = summary.bounding_box()
        assert box["height"] >= 24, (summary.inner_text(), box)
    _login(page, email)
    page.goto("/coder/profile")
    boxes = [c.bounding_box() for c in page.locator("input[type=checkbox]").all()]
    assert boxes and all(b["width"] >= 24 and b["height"] >= 24 for b in boxes), boxes
    context.close()
