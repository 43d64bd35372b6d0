"""Hardening a public job board needs (issue 9, the part built so far)."""
import io
import statistics
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from jobboard.coders import services as coder_services
from jobboard.extensions import db
from jobboard.models import Resume
from tests import factories as make
from tests.conftest import csrf_token


def test_every_response_carries_the_security_headers(client):
    for url in ("/", "/jobs", "/healthz", "/api/v1/jobs", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers  # only when served over https


def test_https_adds_hsts_and_secure_cookies(make_app):
    app = make_app(TESTING=True, PREFERRED_URL_SCHEME="https")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert "max-age=31536000" in app.test_client().get("/").headers["Strict-Transport-Security"]


def test_a_session_cookie_copied_before_logout_no_longer_works(app, browser):
    with app.app_context():
        email = make.coder().email
    browser.login(email)
    stolen = browser.client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/coder/applications").status_code == 200  # the copy works ...
    browser.logout()
    assert thief.get("/coder/applications").status_code == 302  # ... until the owner logs out


def test_log_out_ends_this_session_only_and_log_out_everywhere_ends_them_all(
        app, browser, other_browser):
    with app.app_context():
        email = make.coder().email
    browser.login(email)
    other_browser.login(email)  # the same person on their phone
    r = browser.logout()
    assert r.status_code == 302
    assert "You are logged out." in browser.get("/").get_data(as_text=True)
    assert browser.get("/coder/applications").status_code == 302
    assert other_browser.get("/coder/applications").status_code == 200  # the phone stays in

    browser.login(email)
    page = other_browser.get("/account").get_data(as_text=True)
    assert "Log out everywhere" in page
    r = other_browser.client.post("/logout/everywhere", data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302
    assert browser.get("/coder/applications").status_code == 302
    assert other_browser.get("/coder/applications").status_code == 302


def test_a_remember_me_cookie_copied_before_logout_no_longer_works(app, client):
    with app.app_context():
        email = make.coder().email
    page = client.get("/login").get_data(as_text=True)
    r = client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                    "password": make.PASSWORD, "remember": "y"})
    assert r.status_code == 302
    remembered = client.get_cookie("remember_token").value
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered)  # no session cookie: the long-lived one
    assert thief.get("/coder/applications").status_code == 200
    page = client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(page)})
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert fresh.get("/coder/applications").status_code == 302


def test_login_takes_as_long_for_an_unknown_email_as_for_a_wrong_password(app, client):
    with app.app_context():
        email = make.coder().email
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token(page)

    def attempt(address):
        started = time.perf_counter()
        client.post("/login", data={"csrf_token": token, "email": address,
                                    "password": "not the password"})
        return time.perf_counter() - started
    known = [attempt(email) for _ in range(20)]
    unknown = [attempt("nobody@example.org") for _ in range(20)]
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.5 < ratio < 2, (statistics.median(known), statistics.median(unknown))


def test_a_post_from_another_site_is_refused(app, client, mailbox):
    page = client.get("/login").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "email": "a@b.org", "password": "x"}
    r = client.post("/login", data=data, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "another site" in r.get_data(as_text=True)
    assert client.post("/login", data=data, headers={"Origin": "http://localhost"}).status_code \
        == 400  # same site: the form's own answer (wrong password)
    with app.app_context():
        make.apply(make.job(make.employer()), make.coder())
    link = mailbox.messages()[0]["List-Unsubscribe"][1:-1].removeprefix("http://jobs.test")
    # One-click unsubscribe comes from the mail provider, from anywhere.
    assert client.post(link, headers={"Origin": "https://mail.example"}).status_code == 200


def test_after_withdrawing_the_employer_can_no_longer_download_the_resume(app, browser):
    with app.app_context():
        employer = make.employer()
        coder = make.coder()
        application = make.apply(make.job(employer), coder)
        resume_id, email = application.resume_id, employer.email
        coder_services.withdraw(application, coder)
    browser.login(email)
    assert browser.get(f"/resumes/{resume_id}").status_code == 404


def test_resume_names_lose_invisible_controls_and_replaced_resumes_are_deleted(app, ctx):
    coder = make.coder(with_resume=False)
    fields = coder_services.ProfileFields(credentials=["CPC"])
    coder_services.update_profile(coder, fields, (make.pdf_bytes(), "cv\u202efdp.pdf"))
    first = make.reload(coder).profile.resume
    assert first.filename == "cvfdp.pdf"
    first_file = Path(app.config["RESUME_DIR"]) / first.storage_key
    assert first_file.exists()
    coder_services.update_profile(make.reload(coder), fields, (make.pdf_bytes(), "new.pdf"))
    assert not first_file.exists() and db.session.get(Resume, first.id) is None

    # A resume an application sent stays with that application.
    coder = make.reload(coder)
    sent = coder.profile.resume
    make.apply(make.job(make.employer()), coder)
    coder_services.update_profile(make.reload(coder), fields, (make.pdf_bytes(), "newer.pdf"))
    assert db.session.get(Resume, sent.id) is not None
    assert (Path(app.config["RESUME_DIR"]) / sent.storage_key).exists()
    assert len(db.session.scalars(select(Resume)).all()) == 2


def test_production_refuses_to_start_without_a_secret_key(database_url, monkeypatch, tmp_path):
    import pytest

    import jobboard
    from jobboard import create_app
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CODEBOARD_DEV", raising=False)
    monkeypatch.setattr(jobboard, "INSTANCE", tmp_path)  # no key that `make run` generated
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def _flask_command(tmp_path, database_url, *args):
    import os
    import subprocess
    import sys

    from jobboard.config import ROOT
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "CODEBOARD_DEV", "HUEY_IMMEDIATE")}
    env.update(INSTANCE_PATH=str(tmp_path), DATABASE_URL=database_url)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def test_operator_commands_read_the_key_make_run_generated_or_say_what_to_set(
        app, database_url, tmp_path):
    """The README's commands (`flask --app app admin create ...`) stopped with a RuntimeError
    traceback in a checkout `make run` had set up. (`app` migrates the database.)"""
    missing = _flask_command(tmp_path, database_url, "admin", "create", "ops@example.org")
    assert missing.returncode != 0
    assert "Traceback" not in missing.stderr
    assert missing.stderr.strip() == ("CodeBoard cannot start: SECRET_KEY is not set. Set it "
                                      "to a long random string, the same on every host (`make "
                                      "run` generates one into instance/ for development).")
    from jobboard.config import SECRET_KEY_FILE
    (tmp_path / SECRET_KEY_FILE).write_text("k" * 64)  # as `make run` leaves it
    made = _flask_command(tmp_path, database_url, "admin", "create", "ops@example.org",
                          "--password", "a long enough password")
    assert made.returncode == 0, made.stderr
    assert "Traceback" not in made.stderr


def test_every_response_and_error_log_line_carries_the_request_id(make_app):
    import json
    import logging

    from jobboard.requestlog import log_handler
    app = make_app()

    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("a bug")

    client = app.test_client()
    given = client.get("/healthz", headers={"X-Request-ID": "proxy-id-12345"})
    assert given.headers["X-Request-ID"] == "proxy-id-12345"
    made = client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()  # not a usable id: a fresh one

    stream = io.StringIO()
    handler = log_handler("json", stream)
    logging.getLogger().addHandler(handler)
    try:
        response = client.get("/api/v1/boom", headers={"X-Request-ID": "req-for-the-bug"})
    finally:
        logging.getLogger().removeHandler(handler)
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "req-for-the-bug"
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["request_id"] == "req-for-the-bug" and "a bug" in error.get("exc_info", "")


def _login_posts(client, email, addresses):
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token(page)
    return [client.post("/login", data={"csrf_token": token, "email": email, "password": "x"},
                        environ_base={"REMOTE_ADDR": address}).status_code
            for address in addresses]


def test_one_account_cannot_be_guessed_from_many_addresses(app, client):
    app.config["RATELIMIT_ACCOUNT"] = "3 per minute"
    try:
        many = [f"203.0.113.{i}" for i in range(1, 6)]
        assert _login_posts(client, "target@example.org", many) == [400, 400, 400, 429, 429]
        # the same addresses may still log in to other accounts
        assert _login_posts(client, "someone.else@example.org", many[:1]) == [400]
    finally:
        app.config["RATELIMIT_ACCOUNT"] = "10000 per minute"


@pytest.mark.parametrize("store", ["redis", "default"])
def test_limits_hold_across_two_server_processes(app, database_url, tmp_path, store):
    """Each server process (a worker, or another host) has its own memory: only a shared
    store makes a limit hold. Two processes, served as `make run` serves the app, take the
    posts (and the searches) in turns: with Redis (several hosts) and with the default, a
    SQLite file every process of the host shares (under `make run` memory:// doubled every
    limit). (`app` migrates the database they use.)"""
    import os
    import secrets
    import signal
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    import redis
    import requests

    from jobboard import serving
    from jobboard.config import ROOT
    from jobboard.search.server import free_port
    from tests.conftest import require
    prefix = f"test-{secrets.token_hex(4)}"
    env = {k: v for k, v in os.environ.items()
           if k not in ("RATELIMIT_STORAGE_URI", "REDIS_URL", "HUEY_IMMEDIATE")}
    if store == "redis":
        try:
            redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping()
        except redis.RedisError as e:
            require(False, f"Redis is not reachable on 127.0.0.1:6379: {e}")
        env["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/15"
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": "x" * 32,
           "RATELIMIT_KEY_PREFIX": prefix,
           "RATELIMIT_AUTH": "5 per minute", "RATELIMIT_ACCOUNT": "1000 per minute",
           "RATELIMIT_SEARCH": "3 per minute", "INSTANCE_PATH": str(tmp_path)})
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen(serving.command(port, workers=1, log_level="warning"),
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for port in ports]
    try:
        session = requests.Session()
        for port in ports:
            for _ in range(100):  # waiting for the server to bind, at most 20 s
                try:
                    page = session.get(f"http://127.0.0.1:{port}/login", timeout=5)
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
            else:
                raise AssertionError(f"the server on port {port} did not start in 20 s")
            # no server software named (security.py)
            assert page.headers["Server"] == "CodeBoard"
        token = csrf_token(page.text)  # the session cookie is the same for both

        def post(i):
            return session.post(f"http://127.0.0.1:{ports[i % 2]}/login", timeout=30, data={
                "csrf_token": token, "email": f"user{i}@example.org", "password": "x"}
            ).status_code
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(post, range(16)))
        # five in all, not five a process (each took eight: counted alone, ten would pass)
        assert sorted(statuses) == [400] * 5 + [429] * 11, statuses
        assert 429 in statuses[0::2] and 429 in statuses[1::2]
        # searches too: three in all
        searches = [session.get(f"http://127.0.0.1:{ports[i % 2]}/jobs?q=38206",
                                timeout=30).status_code for i in range(6)]
        assert searches == [200] * 3 + [429] * 3, searches
        # the counters are in the shared store, where both processes read them
        if store == "redis":
            assert redis.Redis(host="127.0.0.1", port=6379, db=15).keys(f"*{prefix}*")
        else:
            assert (tmp_path / "limits.sqlite3").exists()
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:  # a stuck shutdown is not what this tests
                server.kill()
                server.wait()
        # The counters are left: each expires with its one-minute window, and the prefix is
        # this run's own.


def test_a_nul_character_in_a_query_is_a_400_that_says_so(client):
    """PostgreSQL refuses NUL in text: a search for `%00` reached it and answered 500
    (schemathesis found /api/v1/codes?q=%00 while the codes index was missing)."""
    for url in ("/api/v1/codes?q=%00", "/api/v1/jobs?q=%00", "/api/v1/jobs?state=T%00X",
                "/api/v1/insights/pay?state=%00"):
        r = client.get(url)
        assert r.status_code == 400 and r.mimetype == "application/problem+json", url
        assert "NUL" in r.json["detail"], url
    for url in ("/jobs?q=38206%00", "/codes?q=%00"):
        r = client.get(url)
        assert r.status_code == 400 and "NUL" in r.get_data(as_text=True), url
    # any control character, in any value of a repeated parameter (the feed's XML and the
    # database cannot hold them)
    r = client.get("/jobs?specialty=cardiology&specialty=%01")
    assert r.status_code == 400 and "U+0001" in r.get_data(as_text=True)
    assert client.get("/jobs?q=38206").status_code == 200  # and nothing else changed


def test_behind_a_proxy_limits_count_each_visitor_and_links_keep_the_public_address(
        app, make_app):
    """PROXIES=1 (one proxy in front): rate limits count the address the proxy forwards, not
    the proxy's, and absolute links carry the scheme and host the visitor used. With the
    default 0 the same headers are ignored: a client cannot pick the address it is counted
    under. (`app` migrates the database both apps use.)"""
    import secrets

    def posts(client, forwarded_for):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        return [client.post("/login", headers={"X-Forwarded-For": address},
                            environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the proxy
                            data={"csrf_token": token, "email": "nobody@example.org",
                                  "password": "x"}).status_code
                for address in forwarded_for]
    public = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "jobs.example.org"}

    behind = make_app(PROXIES=1, SITE_URL="https://jobs.example.org",  # a trusted host
                      RATELIMIT_AUTH="2 per minute",
                      RATELIMIT_ACCOUNT="100 per minute",
                      RATELIMIT_KEY_PREFIX=f"proxy-{secrets.token_hex(4)}")
    client = behind.test_client()
    assert posts(client, ["198.51.100.1"] * 3 + ["198.51.100.2"]) == [400, 400, 429, 400]
    docs = client.get("/api/v1/", headers=public).json["documentation"]
    assert docs == "https://jobs.example.org/api/docs"

    direct = make_app(RATELIMIT_AUTH="2 per minute", RATELIMIT_ACCOUNT="100 per minute",
                      RATELIMIT_KEY_PREFIX=f"direct-{secrets.token_hex(4)}")
    client = direct.test_client()
    # every post comes from 10.0.0.2, whatever the header claims
    assert posts(client, ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) == [400, 400, 429]
    assert client.get("/api/v1/", headers=public).json["documentation"].startswith(
        "http://localhost/")


def test_searches_are_limited_per_address_page_and_api_together_with_a_clear_answer(
        app, client):
    from jobboard.extensions import limiter
    app.config["RATELIMIT_SEARCH"] = "3 per minute"
    one, other = {"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.8"}
    try:
        assert [client.get(url, environ_base=one).status_code
                for url in ("/jobs?q=38206", "/api/v1/jobs?q=38206", "/jobs")] == [200] * 3
        page = client.get("/jobs?q=38207", environ_base=one)
        assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
        assert "Too many searches from your address" in page.get_data(as_text=True)
        api = client.get("/api/v1/jobs?q=38207", environ_base=one)
        assert api.status_code == 429 and api.mimetype == "application/problem+json"
        assert api.json["detail"].startswith("Too many searches from your address")
        # another address searches; the limited one still reads jobs and logs in
        assert client.get("/jobs?q=38207", environ_base=other).status_code == 200
        assert client.get("/", environ_base=one).status_code == 200
        assert client.get("/login", environ_base=one).status_code == 200
    finally:
        app.config["RATELIMIT_SEARCH"] = "100000 per minute"
        limiter.reset()


def test_searches_go_ahead_when_the_limit_store_fails(client, monkeypatch, caplog):
    """A limit's store that is down (Redis unreachable) is not the visitor's fault."""
    import redis

    from jobboard.extensions import limiter

    def down(*args):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379")
    monkeypatch.setattr(limiter.limiter, "hit", down)
    assert client.get("/jobs?q=38206").status_code == 200
    assert client.get("/api/v1/jobs?q=38206").status_code == 200
    assert "Failed to rate limit. Swallowing error" in caplog.text


@pytest.mark.parametrize("url", ["/api/v1/jobs", "/api/v1/jobs/{job}", "/api/v1/codes/38206",
                                 "/jobs", "/login"])
def test_a_host_header_of_an_attackers_choosing_is_refused_not_used_in_links(app, client, url):
    with app.app_context():
        job_id = make.job(make.employer()).id
    url = url.format(job=job_id)
    r = client.get(url, headers={"Host": "evil.example"})
    assert r.status_code == 400 and b"evil.example" not in r.data
    assert b"not served at that address" in r.data
    r = client.get(url, headers={"Host": "jobs.test"})  # SITE_URL's host
    assert r.status_code == 200 and b"evil.example" not in r.data
    if url.startswith("/api/"):
        assert b"http://jobs.test/" in r.data


def test_guesses_at_an_account_do_not_lock_its_owner_out_of_their_own_browser(app, monkeypatch):
    """After RATELIMIT_ACCOUNT wrong guesses from anywhere, the owner's right password got a
    429. Guesses still stop (from every address and device but the owner's), while a
    browser that signed in to the account before still gets in; right passwords do not
    count against the account."""
    from tests.conftest import Browser
    monkeypatch.setitem(app.config, "RATELIMIT_ACCOUNT", "3 per minute")
    with app.app_context():
        email = make.coder().email
    owner = Browser(app.test_client())
    owner.login(email)  # signs in, and this browser is now known for the account
    owner.logout()
    owner.login(email)  # a right password does not count: still far from the limit
    owner.logout()
    guesser = app.test_client()
    many = [f"198.51.100.{i}" for i in range(1, 6)]
    assert _login_posts(guesser, email, many) == [400, 400, 400, 429, 429]
    r = owner.submit("/login", {"email": email, "password": make.PASSWORD})
    assert r.status_code == 302  # the owner's own browser
    stranger = Browser(app.test_client())  # a new device must wait like the guesser
    r = stranger.submit("/login", {"email": email, "password": make.PASSWORD})
    assert r.status_code == 429
    assert "sign in from a browser you have signed in with before" in r.get_data(as_text=True)
