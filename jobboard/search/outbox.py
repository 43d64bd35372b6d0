"""The write side of search sync: record which jobs changed, hand the push to the worker
after commit, and forget what was pushed long ago."""
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import SearchOutbox
from jobboard.queue import huey, in_app_context

log = logging.getLogger(__name__)


def enqueue(job_id: int) -> None:
    """Record, in the caller's transaction, that this job's listing must be re-synced."""
    db.session.add(SearchOutbox(job_id=job_id))


def enqueue_coder(user_id: int) -> None:
    """Record, in the caller's transaction, that this coder's candidate document must be
    re-synced (added, updated, or removed when no longer findable)."""
    db.session.add(SearchOutbox(coder_id=user_id))


def push_pending() -> None:
    """After a commit: ask the worker to push what is pending now, if a search server is
    configured. The web request only enqueues a task; the worker sends the documents and
    waits for Meilisearch's task.

    A failure here never fails the user's action: when the task queue cannot be reached, the
    push runs here instead; when Meilisearch cannot, the rows stay pending for the worker's
    minutely catch-up or `flask search sync`.
    """
    if not current_app.config.get("MEILI_URL"):
        return
    try:
        push_search()
    except Exception as e:  # the queue's storage (SQLite file or Redis) is unreachable
        log.warning("could not hand the search push to the worker; pushing here: %s", e)
        push_now()


@huey.task(name="search.push")
@in_app_context
def push_search() -> None:
    push_now()


def push_now() -> None:
    """Push what is pending, unless the search server is known to be down."""
    if not current_app.config.get("MEILI_URL"):
        return
    from jobboard.search import sync  # the search client is only loaded when configured
    from jobboard.search.breaker import breaker, cooldown

    circuit = breaker()
    if not circuit.allow(cooldown()):
        return  # known down: the worker catches up once the server answers again
    try:
        sync.drain(max_rows=200, quiet=True)  # records success or failure when it calls
    finally:
        circuit.release()  # nothing was pending, or it raised: the probe still ends


# Done rows are kept this long for an operator tracing an update (done_at, task_uid), then
# deleted: every edit adds a row, and nothing reads them after.
DONE_KEPT = timedelta(days=7)


def prune_done(now: datetime | None = None) -> int:
    """Delete rows done more than DONE_KEPT ago (the daily chore); pending rows stay, whatever
    their age. Returns how many rows went."""
    before = (now or utcnow()) - DONE_KEPT
    gone = db.session.execute(delete(SearchOutbox).where(SearchOutbox.done_at < before)).rowcount
    db.session.commit()
    return gone
