"""What operators rely on: health check, rate limits, error pages, migrations, demo data."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from jobboard import create_app
from jobboard.extensions import db, limiter
from jobboard.models import Application, Job, JobCode, MailOutbox, User
from jobboard.models.job import CODE_PREFIX_INDEX, SEARCH_TEXT_FTS_INDEX, SEARCH_VECTOR
from tests import factories as make


def test_healthz_reports_the_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json["database"]["status"] == "ok" and r.json["status"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "MEILI_URL": None,
                      "SQLALCHEMY_DATABASE_URI":
                          "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=1"})
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    assert r.json["database"]["status"] == "unavailable"


def _declared(obj, name, type_, reflected, compare_to):
    # PostgreSQL's full-text vector column and index, and its code prefix index, exist only
    # there (SQLite has none), so the models do not declare them; test_meanings and
    # test_query_forms check them instead.
    return not ((type_ == "index" and name in (SEARCH_TEXT_FTS_INDEX, CODE_PREFIX_INDEX))
                or (type_ == "column" and name == SEARCH_VECTOR))


def test_the_migrations_build_exactly_the_models_schema(ctx):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={
            "include_object": _declared}), db.metadata)
    assert diff == []


def test_login_and_registration_are_rate_limited(app, browser):
    app.config["RATELIMIT_AUTH"] = "3 per minute"
    try:
        responses = [browser.submit("/login", {"email": "a@b.org", "password": "nope"})
                     for _ in range(4)]
        assert [r.status_code for r in responses] == [400, 400, 400, 429]
        assert "Too many attempts" in responses[-1].get_data(as_text=True)
        assert browser.get("/login").status_code == 200  # reading the form is not limited
        signup = {"name": "x", "email": "x@y.org", "password": "p" * 12, "confirm": "p" * 12}
        assert [browser.submit("/register/coder", signup).status_code
                for _ in range(4)][-1] == 429
    finally:
        app.config["RATELIMIT_AUTH"] = "10000 per minute"
        limiter.reset()


def test_unknown_pages_get_a_friendly_404_and_api_paths_json(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "could not find that page" in r.get_data(as_text=True)
    assert client.get("/api/v1/nothing").json["status"] == 404


def test_seed_demo_is_deterministic_and_has_the_stem_cell_pair(runner, app):
    result = runner.invoke(args=["seed-demo", "--jobs", "30", "--seed", "7"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        first = [(j.title, j.salary_min, [c.code for c in j.codes])
                 for j in db.session.scalars(select(Job).order_by(Job.id))]
        codes = set(db.session.scalars(select(JobCode.code)))
        assert {"38206", "38207"} <= codes
        assert db.session.scalar(select(func.count()).select_from(Job)
                                 .where(Job.status == "published")) == 30
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0 and "already has users" in refused.output
    from tests.conftest import _clean
    _clean(app)
    runner.invoke(args=["seed-demo", "--jobs", "30", "--seed", "7"])
    with app.app_context():
        again = [(j.title, j.salary_min, [c.code for c in j.codes])
                 for j in db.session.scalars(select(Job).order_by(Job.id))]
    assert again == first


def test_demo_accounts_can_log_in(runner, browser, app):
    runner.invoke(args=["seed-demo", "--jobs", "3"])
    with app.app_context():
        email = db.session.scalar(select(User.email).where(User.role == "coder").limit(1))
    browser.login(email, "demo-password")


def test_the_demo_recruiter_has_applicants_at_every_stage_and_they_see_it(runner, browser,
                                                                         app):
    runner.invoke(args=["seed-demo", "--jobs", "30"])
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).join(User, User.id == Job.created_by_id)
                                   .where(User.email == "employer1@demo.example")
                                   .order_by(Job.id).limit(1))
    browser.login("employer1@demo.example", "demo-password")
    page = browser.get(f"/employer/jobs/{job_id}/applicants").get_data(as_text=True)
    for status in ("Submitted", "Reviewing", "Interview", "Offer", "Not selected"):
        assert f"<td>{status}</td>" in page
    assert "Findable Coder 1<" in page
    # Conversations to show on both sides: the demo coder wrote, the recruiter answered.
    inbox = browser.get("/messages").get_data(as_text=True)
    assert "You: Yes: it is remote anywhere in the US." in inbox
    # The recruiter answered the coder's question, so read it: nothing unread on their side.
    assert 'class="unread"' not in inbox
    with app.app_context():
        # No mail for what the seed made: the notifications are what the app sends.
        assert db.session.scalar(select(func.count()).select_from(MailOutbox)) == 0
        offer = db.session.scalar(select(Application).where(Application.status == "offer"))
        offer_id, resume_id = offer.id, offer.resume_id
    # Each application carries a resume, as the app's own do; the recruiter may read it.
    assert resume_id is not None
    resume = browser.get(f"/resumes/{resume_id}")
    assert resume.status_code == 200 and resume.data.startswith(b"%PDF-")
    resume.close()
    browser.logout()
    browser.login("findable1@demo.example", "demo-password")
    assert 'class="unread"' in browser.get("/messages").get_data(as_text=True)  # the answer
    mine = browser.get("/coder/applications").get_data(as_text=True)
    assert "Senior Stem Cell Transplant Coder" in mine and "Offer" in mine
    detail = browser.get(f"/coder/applications/{offer_id}")
    assert detail.status_code == 200
    assert "Findable Coder 1 resume.pdf" in detail.get_data(as_text=True)


def test_jobs_expire_command(runner, app):
    from datetime import timedelta

    from jobboard.database import utcnow
    with app.app_context():
        job = make.job(make.employer())
        job.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
        job_id = job.id
    result = runner.invoke(args=["jobs", "expire"])
    assert "Expired 1 jobs" in result.output
    with app.app_context():
        assert db.session.get(Job, job_id).status == "expired"


def test_an_unexpected_error_gets_a_friendly_500_page_and_json_for_the_api(database_url):
    app = create_app({"SECRET_KEY": "x", "MEILI_URL": None,
                      "SQLALCHEMY_DATABASE_URI": database_url})

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("a bug")

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500 and "Something went wrong" in page.get_data(as_text=True)
    assert "a bug" not in page.get_data(as_text=True)
    assert client.get("/api/v1/boom").json["status"] == 500


def _statements(app, client, url) -> int:
    from sqlalchemy import event
    count = 0

    def counter(*args):
        nonlocal count
        count += 1
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def test_a_job_page_costs_the_same_statements_whatever_its_number_of_codes(app, client,
                                                                           catalog):
    with app.app_context():
        employer = make.employer()
        # The same three systems: each system's ranges are read once, whatever the count.
        one = make.job(employer, codes="38206, C92.00, J9035").id
        many = make.job(employer, codes="38206, 38207, 38210, 38220, 38221, 38230, 38240, "
                        "C92.00, C92.01, C92.10, J9035, J9045, 99214").id
    assert _statements(app, client, f"/jobs/{one}") == \
        _statements(app, client, f"/jobs/{many}")
    assert _statements(app, client, f"/jobs/{many}") <= 12


def test_the_site_has_an_icon_and_a_web_app_manifest(client):
    import json
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert 'rel="manifest" href="/static/manifest.webmanifest"' in page
    assert client.get("/favicon.ico").location == "/static/favicon.svg"
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    with client.get("/static/manifest.webmanifest") as response:
        manifest = json.loads(response.get_data(as_text=True))
    assert manifest["short_name"] == "CodeBoard" and manifest["icons"]


def test_the_demo_data_shows_pay_figures_on_a_fresh_install(app, runner):
    from jobboard.insights.services import Slice, pay_insight
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert pay_insight(Slice(code="38206")).overall.enough
        assert pay_insight(Slice(credential="CPC")).overall.enough
        states = pay_insight(Slice(), ("state",)).groups["state"]
        assert sum(g.pay.enough for g in states) >= 3


def test_the_daily_chore_forgets_old_sent_mail_and_pushed_search_updates_but_nothing_waiting(
        ctx, app):
    from datetime import timedelta

    from jobboard import tasks
    from jobboard.database import utcnow
    from jobboard.models import MailOutbox, SearchOutbox

    now, day = utcnow(), timedelta(days=1)
    keep = app.config["MAIL_KEEP_DAYS"]

    def mail(subject, **ended):
        db.session.add(MailOutbox(kind="test", to_addr="jamie@example.org", subject=subject,
                                  text_body="-", html_body="-", created_at=now - 90 * day,
                                  **ended))
    mail("sent long ago", sent_at=now - (keep + 1) * day)
    mail("refused long ago", failed_at=now - (keep + 1) * day)
    mail("sent lately", sent_at=now - (keep - 1) * day)
    mail("still waiting")  # however old: it has not gone out yet
    db.session.add_all([SearchOutbox(job_id=1, done_at=now - 8 * day),
                        SearchOutbox(job_id=2, done_at=now - 6 * day),
                        SearchOutbox(job_id=3, created_at=now - 90 * day)])
    db.session.commit()

    tasks.daily()

    assert set(db.session.scalars(select(MailOutbox.subject))) == {"sent lately", "still waiting"}
    assert set(db.session.scalars(select(SearchOutbox.job_id))) == {2, 3}


def _make_run(instance, port):
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "INSTANCE_PATH": str(instance), "HOME": str(instance)}
    return subprocess.run([sys.executable, str(root / "scripts" / "run.py"), "--port", str(port)],
                          env=env, cwd=root, capture_output=True, text=True, timeout=60)


def test_a_second_make_run_in_the_same_folder_refuses_to_start(tmp_path):
    """Two would run two Meilisearch servers on one data folder, and granian shares its port,
    so both would serve without a word."""
    import fcntl
    with open(tmp_path / "run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write("4242")
        lock.flush()
        done = _make_run(tmp_path, 5999)
    assert done.returncode == 1
    assert "already running from this folder (process 4242)" in done.stderr
    assert not (tmp_path / "meili").exists()  # stopped before starting anything


def test_make_run_names_a_port_in_use_even_by_a_server_that_shares_it(tmp_path):
    import socket
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # as granian binds
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = _make_run(tmp_path, port)
    assert done.returncode == 1
    assert f"Port {port} on 127.0.0.1 is in use" in done.stderr
    assert f"PORT={port + 1} make run" in done.stderr
    assert not (tmp_path / "meili").exists()
