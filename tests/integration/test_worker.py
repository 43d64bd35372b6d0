"""The real background worker: `flask worker` in its own process, fed through Huey's queue."""
import os
import signal
import subprocess
import sys
import time

import pytest
from huey.storage import SqliteStorage

from jobboard import tasks
from jobboard.config import ROOT
from tests import factories as make
from tests.conftest import csrf_token


@pytest.fixture
def worker(app, database_url, smtp_server, tmp_path):
    """A `flask worker` process and this app's tasks queued to its SQLite queue, not run inline."""
    queue = tmp_path / "huey.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("HUEY_IMMEDIATE", "REDIS_URL")}
    env.update(HUEY_DB=str(queue), DATABASE_URL=database_url, MAIL_URL=smtp_server.url,
               SITE_URL="http://jobs.test", SECRET_KEY=app.config["SECRET_KEY"],
               INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("MEILI_URL", None)
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker",
                                    "--workers", "1"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    process.log = log
    tasks.huey.immediate = False
    tasks.huey.storage = SqliteStorage("codeboard", filename=str(queue))
    try:
        yield process
    finally:
        tasks.huey.immediate = True  # back to the in-memory storage of the rest of the suite
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_mail(mailbox, to: str, seconds: float = 30):
    """Poll the SMTP server's store: the worker is another process, with no task to wait on."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = mailbox.messages(to=to)
        if found:
            return found
        time.sleep(0.2)
    return []


def test_a_reset_mail_is_delivered_by_the_worker_within_seconds(worker, client, app, mailbox):
    with app.app_context():
        email = make.coder().email
    page = client.get("/password/forgot").get_data(as_text=True)
    started = time.monotonic()
    r = client.post("/password/forgot", data={"csrf_token": csrf_token(page), "email": email})
    assert r.status_code == 200
    found = _wait_for_mail(mailbox, email)
    elapsed = time.monotonic() - started
    assert found, "the worker did not deliver the reset mail: " + worker.log.read_text()[-3000:]
    assert found[0]["Subject"] == "Reset your CodeBoard password"
    print(f"reset mail delivered by the worker {elapsed:.2f} s after the request")

