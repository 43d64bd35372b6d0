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


def test_a_database_that_went_away_is_a_503_to_try_again_never_a_500(make_app):
    from jobboard.search.server import free_port
    gone = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:"
                                            f"{free_port()}/gone")
    client = gone.test_client()
    page = client.get("/jobs")
    # Retry-After: ours (5 s), or the search limit's window when Flask-Limiter's is later.
    assert page.status_code == 503 and int(page.headers["Retry-After"]) >= 5
    assert "cannot reach its database for a moment" in page.get_data(as_text=True)
    api = client.get("/api/v1/jobs/1")
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert "try again in a few seconds" in api.json["detail"]
    assert client.get("/healthz").status_code == 503  # the load balancer takes it out


def test_the_database_failing_outside_a_view_is_the_same_503(make_app):
    """Where no view's handler sees it (an after-request hook loading the signed-in user
    when the database restarts), the 500 handler gives the same 503, drawn without it."""
    from sqlalchemy.exc import OperationalError
    app = make_app()

    @app.after_request
    def database_restarts(response):
        raise OperationalError("SELECT 1", {}, Exception("the database system is shutting down"))

    page = app.test_client().get("/")
    assert page.status_code == 503 and "Back in a moment" in page.get_data(as_text=True)


def test_a_signed_in_visitor_gets_the_same_503_when_the_database_goes(app, make_app, browser):
    """The user is loaded from the database on every page: with it gone the page is still
    the 503, not a 500 from loading the user to draw the navigation."""
    from jobboard.search.server import free_port
    with app.app_context():
        email = make.coder().email
    browser.login(email)
    cookie = browser.client.get_cookie("session").value
    gone = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:"
                                            f"{free_port()}/gone",
                    SECRET_KEY=app.config["SECRET_KEY"])
    client = gone.test_client()
    client.set_cookie("session", cookie)
    page = client.get("/coder/applications")
    assert page.status_code == 503 and "Back in a moment" in page.get_data(as_text=True)


def test_a_connection_that_dies_before_the_request_ends_does_not_spoil_the_answer(make_app):
    """The database restarting between a page's last query and the end of the request (seen
    in `make cluster-check`: a search answered, then closing its session's transaction
    failed): the page already drawn is sent, and the next request gets a new connection."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError
    app = make_app()
    with app.app_context():
        engine = db.engine
    died = []

    def connection_gone(conn):
        if not died:
            died.append(True)
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))
    event.listen(engine, "rollback", connection_gone)
    try:
        client = app.test_client()
        page = client.get("/jobs")  # its session is closed (rolled back) as the request ends
        assert died and page.status_code == 200
        assert client.get("/jobs").status_code == 200
    finally:
        event.remove(engine, "rollback", connection_gone)
