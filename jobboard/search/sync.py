"""Keeping the jobs index in step with the database: setup, outbox drain, full reindex."""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from flask import current_app
from sqlalchemy import func, select, update

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import Job, SearchOutbox
from jobboard.models.job import listing_loads
from jobboard.search import settings
from jobboard.search.breaker import breaker, cooldown
from jobboard.search.client import SEARCH_ERRORS, client, ensure_search_key, index_uid, wait
from jobboard.search.documents import document, job_rows

log = logging.getLogger(__name__)
BATCH = 1000
MAX_BACKOFF = timedelta(minutes=30)


class TaskFailed(RuntimeError):
    pass


def check_task(task) -> None:
    if task.status != "succeeded":
        error = task.error or {}
        raise TaskFailed(f"task {task.uid} {task.status}: {error.get('code')}: "
                         f"{error.get('message')}")


def apply_settings(uid: str, index_settings: dict | None = None) -> None:
    """Create the index if needed and apply the settings (the jobs index's by default);
    idempotent."""
    c = client()
    if not index_exists(uid):
        check_task(wait(c.create_index(uid, {"primaryKey": "id"}).task_uid))
    check_task(wait(c.index(uid).update_settings(index_settings or settings.JOBS).task_uid,
                    60_000))


def index_exists(uid: str) -> bool:
    try:
        client().get_index(uid)
        return True
    except SEARCH_ERRORS as e:
        if getattr(e, "code", None) == "index_not_found":
            return False
        raise


def setup() -> None:
    """The jobs and coders indexes and their settings, and the search-only key searches use."""
    from jobboard.search import coders_index
    apply_settings(index_uid("jobs"))
    apply_settings(index_uid("coders"), coders_index.SETTINGS)
    if current_app.config.get("MEILI_MASTER_KEY"):
        ensure_search_key()


def pending_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(SearchOutbox).where(SearchOutbox.done_at.is_(None))) or 0


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** min(attempts, 12)), MAX_BACKOFF)


@dataclass
class DrainResult:
    pushed: int = 0
    failed: int = 0
    error: str | None = None


PUSH_LOCK = 0x636F6465  # the search push's advisory lock key on PostgreSQL ("code")


def _pending_rows(limit: int, ignore_backoff: bool, now: datetime) -> list[SearchOutbox]:
    stmt = select(SearchOutbox).where(SearchOutbox.done_at.is_(None))
    if not ignore_backoff:
        stmt = stmt.where(SearchOutbox.next_attempt_at <= now)
    stmt = stmt.order_by(SearchOutbox.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        # Several workers drain at once. One at a time reads the jobs and hands Meilisearch
        # their documents (a lock held until this transaction ends, after the task is
        # enqueued): else a worker that read a job open could enqueue its document after
        # another, which read it closed a moment later, enqueued the deletion, and the index
        # would keep a closed job (seen by `make cluster-check`).
        db.session.execute(select(func.pg_advisory_xact_lock(PUSH_LOCK)))
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.session.scalars(stmt))


def replace_documents(uid: str, docs: list[dict], gone: list[int]) -> int | None:
    """Add or update `docs` and delete the ids in `gone`; the last task's uid."""
    index = client().index(uid)
    last_uid = None
    if docs:
        task = wait(index.add_documents(docs, primary_key="id").task_uid)
        check_task(task)
        last_uid = task.uid
    if gone:
        # Deleting by id list is deprecated in the client; the id filter does the same.
        task = wait(index.delete_documents(filter=f"id IN [{', '.join(map(str, gone))}]").task_uid)
        check_task(task)
        last_uid = task.uid
    return last_uid


def push_rows(rows: list[SearchOutbox], now: datetime) -> None:
    """Bring the rows' jobs and coders up to date in their indexes; rows are done only if the
    tasks succeeded."""
    from jobboard.search import coders_index
    last_uid = None
    if ids := sorted({r.job_id for r in rows if r.job_id is not None}):
        jobs = db.session.scalars(
            select(Job).where(Job.id.in_(ids), Job.is_open(now))
            .options(*listing_loads())).all()
        last_uid = replace_documents(index_uid("jobs"), [document(j) for j in jobs],
                                     sorted(set(ids) - {j.id for j in jobs}))
    if ids := sorted({r.coder_id for r in rows if r.coder_id is not None}):
        docs = coders_index.documents(ids)
        last_uid = replace_documents(index_uid("coders"), docs,
                                     sorted(set(ids) - {d["id"] for d in docs})) or last_uid
    for r in rows:
        r.done_at, r.task_uid, r.last_error = now, last_uid, None


def drain(max_rows: int | None = None, ignore_backoff: bool = False,
          quiet: bool = False) -> DrainResult:
    """Push pending outbox rows in batches until none are left (or max_rows were taken)."""
    result = DrainResult()
    while max_rows is None or result.pushed + result.failed < max_rows:
        now = utcnow()
        limit = BATCH if max_rows is None else min(BATCH, max_rows - result.pushed - result.failed)
        rows = _pending_rows(limit, ignore_backoff, now)
        if not rows:
            break
        try:
            push_rows(rows, now)
        except (*SEARCH_ERRORS, TaskFailed) as e:
            db.session.rollback()
            rows = _pending_rows(limit, ignore_backoff, now)
            for r in rows:
                r.attempts += 1
                r.last_error = f"{type(e).__name__}: {e}"[:2000]
                r.next_attempt_at = now + _backoff(r.attempts)
            db.session.commit()
            result.failed += len(rows)
            result.error = str(e)
            breaker().failed()
            (log.info if quiet else log.warning)("search sync failed, %d rows wait: %s",
                                                  len(rows), e)
            break
        db.session.commit()
        result.pushed += len(rows)
        breaker().succeeded()
    return result


def open_job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job)
                             .where(Job.is_open(utcnow()))) or 0


def reindex(batch: int = BATCH, progress=None) -> int:
    """Rebuild the index into a new one and swap it in: search is never empty meanwhile."""
    c = client()
    live = index_uid("jobs")
    if not index_exists(live):
        apply_settings(live)
    started = utcnow()
    mark = db.session.scalar(select(func.max(SearchOutbox.id))) or 0
    fresh = f"{live}_rebuild_{int(started.timestamp())}"
    apply_settings(fresh)
    count, last_id, tasks = 0, 0, []
    index = c.index(fresh)
    while batch_rows := job_rows(Job.is_open(started), last_id, batch):
        # Enqueue without waiting: Meilisearch indexes one batch while the next is read.
        # orjson: the standard library's encoder took a tenth of the reindex's Python time.
        tasks.append(index.add_documents_json(
            orjson.dumps([document(j) for j in batch_rows]), primary_key="id").task_uid)
        count += len(batch_rows)
        last_id = batch_rows[-1].id
        if progress:
            progress(len(batch_rows))
    swap_in(live, fresh, tasks)
    # Rows up to the mark are reflected in the rebuilt index; later changes may not be,
    # so they are pushed again.
    jobs_only = SearchOutbox.job_id.is_not(None)  # the coders index was not rebuilt
    db.session.execute(update(SearchOutbox).where(jobs_only, SearchOutbox.id <= mark,
                                                  SearchOutbox.done_at.is_(None))
                       .values(done_at=utcnow()))
    db.session.execute(update(SearchOutbox).where(jobs_only, SearchOutbox.id > mark)
                       .values(done_at=None, next_attempt_at=utcnow()))
    db.session.commit()
    drain(ignore_backoff=True)
    return count


def reindex_coders() -> int:
    """Rebuild the coders index from the findable profiles and swap it in."""
    from jobboard.search import coders_index
    c = client()
    live = index_uid("coders")
    if not index_exists(live):
        apply_settings(live, coders_index.SETTINGS)
    fresh = f"{live}_rebuild_{int(utcnow().timestamp())}"
    apply_settings(fresh, coders_index.SETTINGS)
    count, tasks = 0, []
    for docs in coders_index.all_documents():
        tasks.append(c.index(fresh).add_documents(docs, primary_key="id").task_uid)
        count += len(docs)
    swap_in(live, fresh, tasks)
    return count


def swap_in(live: str, fresh: str, tasks: list[int]) -> None:
    """Once the rebuild's indexing tasks succeeded, make the fresh index the live one and drop
    the old: searches never see an empty index."""
    c = client()
    for uid in tasks:
        check_task(wait(uid, 600_000))
    check_task(wait(c.swap_indexes([{"indexes": [live, fresh]}]).task_uid))
    check_task(wait(c.delete_index(fresh).task_uid))


def available() -> bool:
    try:
        return client().health().get("status") == "available"
    except SEARCH_ERRORS:
        return False


def catch_up() -> DrainResult | None:
    """The worker's tick: while the server is down, nothing is retried (the rows wait);
    once it answers /health again, every pending update is pushed at once, whatever its
    backoff, so the index catches up within a tick of the server's return."""
    if not available():
        return None
    breaker().succeeded()
    return drain(ignore_backoff=True, quiet=True)


def status() -> dict:
    """For /healthz: can we reach the search server, and how far behind is the index."""
    info: dict = {"pending_updates": pending_count()}
    circuit = breaker()
    if circuit.is_open and not circuit.allow(cooldown()):
        info.update(status="unavailable", circuit="open")  # no call: it would hang too
        return info
    try:
        health = client().health()
        info["status"] = "ok" if health.get("status") == "available" else "unavailable"
    except SEARCH_ERRORS as e:
        info["status"] = "unavailable"
        info["error"] = type(e).__name__
    except BaseException:
        circuit.release()
        raise
    if info["status"] == "ok":
        circuit.succeeded()
    else:
        circuit.failed()
    return info
