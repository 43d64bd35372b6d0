"""Fixtures: one app, database, Meilisearch and SMTP server per session; clean tables per test."""
import os

# Background tasks run at once in the caller's thread (Huey's immediate mode): the real task
# code, without a consumer process. test_worker.py runs a real consumer as well.
os.environ["HUEY_IMMEDIATE"] = "1"
import logging
import re
import secrets
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text

from jobboard import create_app
from jobboard.extensions import db
from jobboard.mail import devserver
from jobboard.search.server import MeiliServer, MeiliUnavailable
from tests import factories

CI = os.environ.get("CI") == "true"


def require(ok: bool, reason: str) -> None:
    """Skip a test that lacks a service here; under CI nothing may skip, so fail instead."""
    if not ok:
        if CI:
            pytest.fail(f"{reason} (CI=true: nothing may be skipped)")
        pytest.skip(reason=reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    admin = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"jobboard_test_{uuid.uuid4().hex[:10]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as e:
        require(False, f"PostgreSQL is not reachable at {url}: {e}")
    yield admin.set(database=name).render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error as e:  # a cleanup never decides the run; the name says what to drop
        logging.getLogger(__name__).warning("the test database %s was left: %s", name, e)


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory):
    """A real SMTP server (aiosmtpd) for the whole session, keeping messages as files."""
    directory = tmp_path_factory.mktemp("mail")
    controller = devserver.start(directory)
    yield MailServer(controller, directory)
    try:
        controller.stop()
    except Exception as e:  # a cleanup never decides the run; the process ends anyway
        logging.getLogger(__name__).warning("the test SMTP server did not stop: %s", e)


def link_in(mail, path_part: str) -> str:
    """The site-relative path of the one link in a mail's text that contains path_part."""
    [url] = [u for u in re.findall(r"https?://\S+", mail.text) if path_part in u]
    return url.removeprefix("http://jobs.test")


class MailServer:
    def __init__(self, controller, directory):
        self.controller, self.directory = controller, directory

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def messages(self, to: str | None = None) -> list:
        """What the server received, oldest first (optionally only to one address)."""
        found = list(reversed(devserver.messages(self.directory)))
        return [m for m in found if to is None or m["To"] == to]

    def clear(self) -> None:
        for path in self.directory.glob("*.eml"):
            path.unlink()


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory, smtp_server):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RESUME_DIR": str(tmp_path_factory.mktemp("resumes")),
        # Flask-Limiter's on/off switch lives on the shared extension, so it stays on and
        # tests get a limit they never reach; test_login_is_rate_limited tightens it.
        "RATELIMIT_AUTH": "10000 per minute",
        "RATELIMIT_ACCOUNT": "10000 per minute",
        "RATELIMIT_SEARCH": "100000 per minute",
        # The default storage, shared by every process of a host (limitstore.py).
        "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path_factory.mktemp('limits') / 'limits.sqlite3'}",
        "MEILI_URL": None,
        # Tasks queue behind every other test's indexing on one server: a generous deadline
        # for a busy 2-core machine (a give-up says which task it waited for: client.wait).
        "MEILI_TASK_TIMEOUT": 120,
        "SERVER_NAME": None,
        "MAIL_URL": smtp_server.url,
        "MAIL_DIR": str(smtp_server.directory),
        "MAIL_DEV_INBOX": True,
        "SITE_URL": "http://jobs.test",
    })
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()  # the real migrations build the test schema, on SQLite and PostgreSQL
    # No context stays pushed: each request must get its own, as in production (a shared
    # one would carry the logged-in user in `g` from one request to the next).
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


KEPT_TABLES = {"catalog_code"}  # reference data, loaded once per session by `catalog`


def _clean(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)
                  if t.name not in KEPT_TABLES]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                quoted = ", ".join(f'"{t}"' for t in tables)
                conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            else:
                for t in tables:
                    conn.execute(text(f'DELETE FROM "{t}"'))


@pytest.fixture
def app(_app, smtp_server):
    """The session app with empty tables. Tests use `with app.app_context()` for data setup,
    so that each test-client request runs in its own context, as in production."""
    timeout = _app.config["MEILI_TIMEOUT"]
    yield _app
    _app.config["MEILI_TIMEOUT"] = timeout  # some tests shorten it
    from jobboard.insights.services import clear_cache
    with _app.app_context():
        clear_cache()  # pay figures are cached per slice: not across tests
    from jobboard.codes import cached
    cached.forget()  # what searches read of the catalog: some tests change the catalog
    _app.config["MEILI_URL"] = None
    _app.config["MEILI_MASTER_KEY"] = None
    _app.config["MEILI_INDEX_PREFIX"] = ""
    _app.config["MAIL_URL"] = smtp_server.url
    _clean(_app)


@pytest.fixture(scope="session")
def catalog(_app):
    """The real code catalog, loaded twice by the real loader (it must be idempotent)."""
    from jobboard.codes import catalog as loader
    with _app.app_context():
        first = (loader.load_reference_data(), loader.load_icd10cm())
        second = (loader.load_reference_data(), loader.load_icd10cm())
        pcs = loader.load_icd10pcs()  # once: test_codes.py reloads some of its tables
    return {"first": first, "second": second, "pcs": pcs}


@pytest.fixture
def make_app(database_url, _app):
    """Another app on the session's database (and rate-limit store) with other settings; its
    connections are closed after the test (psycopg warns about any left open)."""
    made = []

    def build(**config):
        built = create_app({"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": database_url,
                            "MEILI_URL": None,
                            "RATELIMIT_STORAGE_URI": _app.config["RATELIMIT_STORAGE_URI"],
                            **config})
        made.append(built)
        return built
    yield build
    for built in made:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def mailbox(app, smtp_server):
    """The session's SMTP server, emptied for this test."""
    smtp_server.clear()
    yield smtp_server
    smtp_server.clear()


@pytest.fixture
def ctx(app):
    """An app context for service-level tests."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    return factories


# ---------------------------------------------------------------- Meilisearch


@pytest.fixture(scope="session")
def meili_server(tmp_path_factory):
    try:
        server = MeiliServer(tmp_path_factory.mktemp("meili"),
                             master_key=secrets.token_urlsafe(24)).start()
    except MeiliUnavailable as e:
        require(False, f"Meilisearch could not start: {e}")
    yield server
    server.stop()


@pytest.fixture
def search(app, meili_server, request):
    """Point the app at the session's Meilisearch with indexes of this test's own."""
    prefix = "t" + re.sub(r"\W", "", request.node.name)[:40] + secrets.token_hex(3) + "_"
    app.config.update(MEILI_URL=meili_server.url, MEILI_MASTER_KEY=meili_server.master_key,
                      MEILI_INDEX_PREFIX=prefix)
    with app.app_context():
        from jobboard.search import sync
        sync.setup()
    yield meili_server
    from jobboard.search import breaker
    breaker._breakers.clear()  # a test's failed calls must not send the next test to SQL
    # Nothing is deleted: the session's Meilisearch is thrown away at the end, and every test
    # has indexes of its own, so what a test leaves behind is never read again. Cleaning up
    # used to wait for index and key deletions, and on this 2-core machine a deletion queued
    # behind other tests' indexing passed even a 30 s timeout and failed whole CI runs: a
    # cleanup must never decide a run.


# ---------------------------------------------------------------- forms


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'type="hidden" name="csrf_token" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    m = CSRF.search(html)
    assert m, "no CSRF token on the page"
    return next(g for g in m.groups() if g)


class Browser:
    """The Flask test client used like a person: open a page, submit its form with its token."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def submit(self, page_url: str, data: dict, action: str | None = None, **kw):
        page = self.client.get(page_url)
        assert page.status_code == 200, page.status_code
        data = {"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
        return self.client.post(action or page_url, data=data, **kw)

    def login(self, email: str, password: str = factories.PASSWORD):
        response = self.submit("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        page = self.client.get("/")
        return self.client.post("/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def other_browser(app):
    return Browser(app.test_client())


FIXTURES = Path(__file__).parent / "fixtures"
