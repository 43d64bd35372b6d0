"""A company's logo (checked, resized, served only as a PNG) and benefits, on its page and
its jobs."""
import io

from PIL import Image
from sqlalchemy import select

from jobboard.extensions import db
from jobboard.models import Company, CompanyLogo
from tests import factories as make
from tests.conftest import csrf_token


def _image(size=(1000, 500), fmt="PNG", mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(out, fmt)
    return out.getvalue()


def _save(browser, **fields):
    page = browser.get("/employer/company").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "company_name": "Lakeside Oncology",
            "website": "", "profile": "We code oncology.", "benefits": ""}
    data.update(fields)
    return browser.client.post("/employer/company", data=data,
                               content_type="multipart/form-data")


def _company(app, employer_email):
    with app.app_context():
        return db.session.scalar(select(Company).join(Company.members).where(
            make.User.email == employer_email))


def test_a_logo_is_resized_served_only_as_a_png_and_shown_on_the_company_and_its_jobs(
        app, browser, client):
    with app.app_context():
        employer = make.employer(company="Lakeside Oncology")
        job_id, email, slug = make.job(employer).id, employer.email, employer.company.slug
    browser.login(email)
    r = _save(browser, logo=(io.BytesIO(_image()), "logo.png"))
    assert r.status_code == 302
    company = _company(app, email)
    page = client.get(f"/companies/{slug}").get_data(as_text=True)
    src = page.split('class="company-logo" src="')[1].split('"')[0]
    assert src.startswith(f"/companies/{slug}/logo.png?v=") and 'alt="Lakeside Oncology logo"' in page
    assert 'class="company-logo"' in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    logo = client.get(src)
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    assert logo.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert Image.open(io.BytesIO(logo.data)).size == (256, 128)

    r = _save(browser, remove_logo="y")
    assert r.status_code == 302
    assert client.get(src).status_code == 404
    with app.app_context():
        assert db.session.get(CompanyLogo, company.id) is None


def test_anything_but_an_image_is_refused_next_to_the_field_and_nothing_is_kept(app, browser):
    with app.app_context():
        email = make.employer(company="Lakeside Oncology").email
    browser.login(email)
    cases = [(b"<html><script>alert(1)</script></html>", "not a PNG, JPEG, WebP or GIF"),
             (_image(size=(100, 50), fmt="BMP"), "That is a BMP file"),
             (_image(size=(6000, 6000), mode="1"), "6000 x 6000 px"),
             (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "not a PNG, JPEG, WebP or GIF")]
    for data, error in cases:
        r = _save(browser, logo=(io.BytesIO(data), "logo.png"), profile="Changed")
        html = r.get_data(as_text=True)
        assert r.status_code == 400 and 'id="logo-error"' in html, error
        assert error in html.split('id="logo-error"')[1][:300], error
    company = _company(app, email)
    assert company.logo_version is None and company.profile == "We hire coders."


def test_a_gif_carrying_a_script_is_served_as_pixels_only(app, browser, client):
    with app.app_context():
        employer = make.employer(company="Lakeside Oncology")
        email, slug = employer.email, employer.company.slug
    browser.login(email)
    polyglot = _image(size=(40, 40), fmt="GIF", mode="P") + b"<script>alert(document.cookie)</script>"
    assert _save(browser, logo=(io.BytesIO(polyglot), "logo.gif")).status_code == 302
    page = client.get(f"/companies/{slug}").get_data(as_text=True)
    logo = client.get(page.split('class="company-logo" src="')[1].split('"')[0])
    assert logo.data.startswith(b"\x89PNG") and b"<script" not in logo.data


def test_benefits_are_listed_on_the_company_page_and_its_jobs(app, browser, client):
    with app.app_context():
        employer = make.employer(company="Lakeside Oncology")
        job_id, email, slug = make.job(employer).id, employer.email, employer.company.slug
    browser.login(email)
    too_many = "\n".join(f"Benefit {i}" for i in range(13))
    r = _save(browser, benefits=too_many)
    assert r.status_code == 400 and "List at most 12 benefits (this has 13)." in \
        r.get_data(as_text=True)
    r = _save(browser, benefits="- Paid CEUs and AAPC dues\n\n• Remote from any state\n")
    assert r.status_code == 302
    for url in (f"/companies/{slug}", f"/jobs/{job_id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<li>Paid CEUs and AAPC dues</li>" in html
        assert "<li>Remote from any state</li>" in html
    form = browser.get("/employer/company").get_data(as_text=True)
    assert "Paid CEUs and AAPC dues\nRemote from any state" in form
