"""Nothing is lost when Meilisearch is down, and search keeps answering meanwhile."""
import secrets
from pathlib import Path

import pytest
from sqlalchemy import select

from jobboard.extensions import db
from jobboard.models import SearchOutbox, User
from jobboard.search import sync
from jobboard.search.server import MeiliServer
from tests import factories as make


@pytest.fixture
def own_server(app, meili_server, tmp_path):
    """A Meilisearch server of this test's own, which it may stop and start again."""
    server = MeiliServer(tmp_path / "meili", master_key=secrets.token_urlsafe(16)).start()
    app.config.update(MEILI_URL=server.url, MEILI_MASTER_KEY=server.master_key,
                      MEILI_INDEX_PREFIX="")
    with app.app_context():
        sync.setup()
    yield server
    server.stop()


def test_a_job_published_while_search_is_down_is_searchable_after_it_returns(
        app, client, runner, own_server):
    own_server.stop()
    with app.app_context():
        employer = make.employer()
        job = make.job(employer, title="Stem cell coder", codes="38206")  # must not fail
        assert job.status == "published"
        pending = db.session.scalars(select(SearchOutbox).where(SearchOutbox.done_at.is_(None)))
        rows = list(pending)
        assert rows and all(r.attempts >= 1 and r.last_error for r in rows)

    page = client.get("/jobs?q=38206")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Search is degraded" in html
    assert "Stem cell coder" in html  # answered from the database, filters and all
    api = client.get("/api/v1/jobs?code=38206").json
    assert api["degraded"] is True and [h["title"] for h in api["hits"]] == ["Stem cell coder"]
    assert client.get("/api/v1/jobs?code=38207").json["hits"] == []
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["status"] == "degraded"
    assert health.json["search"]["status"] == "unavailable"
    assert health.json["search"]["pending_updates"] == len(rows)

    own_server.start()
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "0 failed; 0 pending" in result.output, result.output
    api = client.get("/api/v1/jobs?q=38206").json
    assert api["degraded"] is False and [h["title"] for h in api["hits"]] == ["Stem cell coder"]
    assert client.get("/healthz").json["search"] == {"status": "ok", "pending_updates": 0}


def test_sync_reports_failure_with_a_nonzero_exit_while_search_is_down(app, runner, own_server):
    with app.app_context():
        job = make.job(make.employer(), publish=False)
        db.session.add(SearchOutbox(job_id=job.id))
        db.session.commit()
    own_server.stop()
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 1 and "failed" in result.output


def test_the_next_write_catches_up_what_an_outage_left_pending(app, client, own_server):
    own_server.stop()
    with app.app_context():
        employer = make.employer()
        make.job(employer, title="Written during the outage")
        employer_id = employer.id
    own_server.start()
    with app.app_context():
        employer = db.session.get(User, employer_id)
        # Backoff holds the failed row until its time; push as `search sync --watch` would
        # once it is due.
        db.session.execute(SearchOutbox.__table__.update().values(next_attempt_at=db.func.now()))
        db.session.commit()
        make.job(employer, title="Written after")
    titles = sorted(h["title"] for h in client.get("/api/v1/jobs").json["hits"])
    assert titles == ["Written after", "Written during the outage"]


def test_the_master_key_is_not_on_the_command_line_even_when_it_starts_with_a_dash(tmp_path):
    server = MeiliServer(tmp_path / "m", master_key="-sKey_" + secrets.token_urlsafe(16)).start()
    try:
        cmdline = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().decode()
        assert server.master_key not in cmdline
        import requests
        keys = requests.get(f"{server.url}/keys", timeout=5,
                            headers={"Authorization": f"Bearer {server.master_key}"})
        assert keys.status_code == 200  # the server runs with exactly that key
        assert requests.get(f"{server.url}/keys", timeout=5).status_code == 401
    finally:
        server.stop()


def test_the_breaker_lets_one_probe_through_after_the_cooldown():
    from jobboard.search.breaker import Breaker
    circuit = Breaker()
    assert circuit.allow(30) and not circuit.is_open
    circuit.failed()
    assert circuit.is_open and not circuit.allow(60)  # open: straight to the database
    assert circuit.allow(0)  # the cool-down is over, half-open: this caller probes
    assert not circuit.allow(0)  # ... and no other caller while the probe is out
    circuit.succeeded()
    assert not circuit.is_open and circuit.allow(0)


def test_a_probe_ends_whatever_it_raises(app, monkeypatch):
    """A probe that raised something other than a search error left the breaker half-open
    for good: every later search went to the database until a restart."""
    from jobboard.search.breaker import breaker, through
    monkeypatch.setitem(app.config, "MEILI_URL", "http://127.0.0.1:9")
    monkeypatch.setitem(app.config, "MEILI_COOLDOWN", 0)
    with app.app_context():
        circuit = breaker()
        circuit.failed()

        def buggy():
            raise KeyError("not a search error")
        with pytest.raises(KeyError):
            through(buggy, (OSError,))
        assert circuit.allow(0)  # the next request after the cool-down probes again
        circuit.succeeded()


def test_a_write_with_nothing_to_push_ends_its_probe(app, search, monkeypatch):
    """After a fault, a write whose updates were already pushed took the probe and never
    gave it back (nothing to push, so no verdict): searches stayed on the database."""
    from jobboard.search import outbox
    from jobboard.search.breaker import breaker
    monkeypatch.setitem(app.config, "MEILI_COOLDOWN", 0)
    with app.app_context():
        circuit = breaker()
        circuit.failed()
        outbox.push_pending()  # nothing pending: takes the probe, calls nothing
        assert circuit.allow(0), "the probe was never given back"
        circuit.succeeded()


def test_a_hung_server_is_skipped_after_one_failure_and_used_again_when_it_answers(
        app, client, own_server):
    import os
    import signal

    from jobboard.search.breaker import breaker
    with app.app_context():
        make.job(make.employer(), title="Stem cell coder", codes="38206")
    assert client.get("/api/v1/jobs?q=38206").json["degraded"] is False
    app.config.update(MEILI_TIMEOUT=0.5, MEILI_COOLDOWN=600)
    os.kill(own_server.process.pid, signal.SIGSTOP)  # hung: the port stays open
    try:
        first = client.get("/api/v1/jobs?q=38206").json  # waits one timeout, then SQL
        assert first["degraded"] is True and [h["title"] for h in first["hits"]] == \
            ["Stem cell coder"]
        with app.app_context():
            assert breaker().is_open
        for _ in range(3):  # the breaker is open: these never call the server
            again = client.get("/api/v1/jobs?q=38206").json
            assert again["degraded"] is True and again["total"] == 1
        health = client.get("/healthz").json
        assert health["status"] == "degraded" and health["search"]["circuit"] == "open"
    finally:
        os.kill(own_server.process.pid, signal.SIGCONT)
    # The cool-down is over: the next search probes (with the usual timeout: the resumed
    # server first finishes the requests it was holding).
    app.config.update(MEILI_TIMEOUT=2, MEILI_COOLDOWN=0)
    back = client.get("/api/v1/jobs?q=38206").json
    assert back["degraded"] is False and back["total"] == 1
    with app.app_context():
        assert not breaker().is_open
    app.config["MEILI_COOLDOWN"] = 30


def test_after_an_outage_the_worker_catches_up_at_its_next_tick(app, client, own_server):
    own_server.stop()
    with app.app_context():
        job = make.job(make.employer(), title="Stem cell coder", codes="38206")
        assert sync.catch_up() is None  # known down: nothing retried, nothing counted
        row = db.session.scalar(select(SearchOutbox).where(SearchOutbox.job_id == job.id))
        assert row.done_at is None and row.attempts == 1
        assert row.next_attempt_at > row.created_at  # backing off
    own_server.start()
    with app.app_context():
        result = sync.catch_up()  # the server answers /health: the backoff is ignored
        assert result.pushed >= 1 and result.failed == 0 and sync.pending_count() == 0
    assert client.get("/api/v1/jobs?q=38206").json["total"] == 1


def test_a_request_meilisearch_refuses_does_not_send_other_searches_to_the_database(
        app, client, search):
    """A 4xx (here: the code index was never built) is that request's problem; the server
    is up, so job searches keep going to Meilisearch."""
    from jobboard.search.breaker import breaker
    with app.app_context():
        make.job(make.employer(), codes="38206")
    assert client.get("/api/v1/codes?q=bone").json["degraded"]  # no codes index here
    with app.app_context():
        assert not breaker().is_open
    body = client.get("/api/v1/jobs?q=38206").json
    assert not body["degraded"] and body["total"] == 1


def test_a_restarted_server_is_searched_again_on_a_new_connection(app, client, own_server):
    """Searches keep their connection to Meilisearch alive; after a restart that connection
    is dead, and the next search opens a new one instead of failing over to the database
    for a whole cool-down."""
    from jobboard.search.breaker import breaker
    with app.app_context():
        make.job(make.employer(), title="Stem cell coder", codes="38206")
    assert client.get("/api/v1/jobs?q=38206").json["degraded"] is False
    own_server.stop()
    own_server.start()  # same port, new process: the kept connection is closed
    body = client.get("/api/v1/jobs?q=38206").json
    assert body["degraded"] is False and body["total"] == 1
    with app.app_context():
        assert not breaker().is_open


def test_the_clients_errors_keep_meilisearchs_code_and_name_a_refused_connection(
        app, search, monkeypatch):
    from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError

    from jobboard.search.client import client
    from jobboard.search.server import free_port
    with app.app_context():
        with pytest.raises(MeilisearchApiError) as refused:
            client().get_key("00000000-0000-0000-0000-000000000000")
        assert refused.value.status_code == 404 and refused.value.code == "api_key_not_found"
        monkeypatch.setitem(app.config, "MEILI_URL", f"http://127.0.0.1:{free_port()}")
        with pytest.raises(MeilisearchCommunicationError):
            client().get_keys()
