"""No state on a web host: what one host writes, another serves (deploy/README.md)."""
import io

from sqlalchemy import func, select

from jobboard.extensions import db
from jobboard.models import Resume, ResumeFile
from tests import factories as make
from tests.conftest import Browser, csrf_token


def test_a_resume_uploaded_through_one_host_downloads_through_another(app, make_app,
                                                                      tmp_path):
    with app.app_context():
        employer = make.employer()
        job_id, employer_email = make.job(employer).id, employer.email
        coder_email = make.coder(with_resume=False).email
    hosts = [make_app(RESUME_STORE="database", RESUME_DIR=str(tmp_path / f"host{n}"))
             for n in (1, 2)]
    coder = Browser(hosts[0].test_client())
    coder.login(coder_email)
    resume = make.pdf_bytes("Jamie Rivera, CPC: 38206 every week")
    page = coder.get(f"/jobs/{job_id}").get_data(as_text=True)
    r = coder.client.post(f"/jobs/{job_id}/apply", data={
        "csrf_token": csrf_token(page), "cover_letter": "Hello",
        "resume": (io.BytesIO(resume), "Jamie resume.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    assert not (tmp_path / "host1").exists() or not any((tmp_path / "host1").iterdir())

    employer_browser = Browser(hosts[1].test_client())  # the other host
    employer_browser.login(employer_email)
    with app.app_context():
        resume_id = db.session.scalar(select(Resume.id).order_by(Resume.id.desc()))
    download = employer_browser.get(f"/resumes/{resume_id}")
    assert download.status_code == 200 and download.data == resume
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()

    # The coder deletes their account: the bytes go with it, from the database.
    page = coder.get("/account/delete").get_data(as_text=True)
    r = coder.client.post("/account/delete", data={"csrf_token": csrf_token(page),
                                                   "password": make.PASSWORD})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResumeFile)) == 0
