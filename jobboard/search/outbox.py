"""The write side of search sync: record which jobs changed, push after commit, and forget
what was pushed long ago."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import SearchOutbox


def enqueue(job_id: int) -> None:
    """Record, in the caller's transaction, that this job's listing must be re-synced."""
    db.session.add(SearchOutbox(job_id=job_id))


def enqueue_coder(user_id: int) -> None:
    """Record, in the caller's transaction, that this coder's candidate document must be
    re-synced (added, updated, or removed when no longer findable)."""
    db.session.add(SearchOutbox(coder_id=user_id))


def push_pending() -> None:
    """After a commit: push what is pending now, if a search server is configured.

    A failure here never fails the user's action; the rows stay pending for the next push
    or for `flask search sync`.
    """
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
