"""Background work: one Huey instance that runs the outboxes and the periodic chores.

The database outboxes (mail_outbox, search_outbox) are the record of what must happen; these
tasks only run them, so a task lost with a crashed worker costs a delay, never a message.
Storage: SQLite under instance/ by default, Redis when REDIS_URL is set. `flask worker` runs
the consumer; every task here is also an idempotent CLI command.
"""
import logging
import os
from functools import wraps

from flask import Flask, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab

from jobboard.config import INSTANCE

log = logging.getLogger(__name__)
HEARTBEAT = "worker"


def _make_huey():
    if os.environ.get("HUEY_IMMEDIATE") == "1":
        # The test suite: tasks run at once, in the caller's thread, on the real code path.
        return MemoryHuey("codeboard", immediate=True)
    if os.environ.get("REDIS_URL"):
        return RedisHuey("codeboard", url=os.environ["REDIS_URL"])
    path = os.environ.get("HUEY_DB") or str(INSTANCE / "huey.sqlite3")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return SqliteHuey("codeboard", filename=path)


huey = _make_huey()
_app: Flask | None = None


def init_app(app: Flask) -> None:
    """The app whose configuration and database the tasks use in a worker thread."""
    global _app
    _app = app


def in_app_context(fn):
    @wraps(fn)
    def run(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        if _app is None:
            raise RuntimeError("tasks.init_app(app) was not called")
        with _app.app_context():
            return fn(*args, **kwargs)
    return run


@huey.task(name="mail.deliver")
@in_app_context
def deliver_mail() -> dict:
    from jobboard.mail import delivery
    return vars(delivery.deliver())


@huey.task(name="accounts.password_reset")
@in_app_context
def password_reset_requested(email: str) -> bool:
    from jobboard.auth.services import send_password_reset
    return send_password_reset(email)


@huey.periodic_task(crontab(minute="*"), name="every_minute")
@in_app_context
def every_minute() -> None:
    """Heartbeat, mail due for a retry, search updates that failed, instant alerts."""
    from flask import current_app

    from jobboard.alerts import services as alerts
    from jobboard.mail import delivery
    from jobboard.models.alert import INSTANT
    from jobboard.workers import beat

    beat(HEARTBEAT)
    _guarded(delivery.deliver)
    if current_app.config.get("MEILI_URL"):
        from jobboard.search import sync
        _guarded(sync.catch_up)
    _guarded(alerts.send_alerts, INSTANT)


@huey.periodic_task(crontab(minute="7"), name="hourly")
@in_app_context
def hourly() -> None:
    from jobboard.jobs.services import expire_due_jobs
    _guarded(expire_due_jobs)


@huey.periodic_task(crontab(hour="13", minute="0"), name="daily")
@in_app_context
def daily() -> None:
    """Once a day (13:00 UTC, morning in the US): alerts, digests, expiry reminders, and the
    outboxes' old done rows deleted."""
    from jobboard.alerts import services as alerts
    from jobboard.mail import delivery
    from jobboard.models.alert import DAILY
    from jobboard.notifications import services as notify
    from jobboard.search import outbox
    _guarded(alerts.send_alerts, DAILY)
    _guarded(notify.send_application_digests)
    _guarded(notify.send_expiry_reminders)
    _guarded(delivery.prune)
    _guarded(outbox.prune_done)


@huey.periodic_task(crontab(day_of_week="1", hour="13", minute="0"), name="weekly")
@in_app_context
def weekly() -> None:
    from jobboard.alerts import services as alerts
    from jobboard.models.alert import WEEKLY
    _guarded(alerts.send_alerts, WEEKLY)


def _guarded(job, *args) -> None:
    """One chore failing (a server down) must not stop the others in the same tick."""
    from jobboard.extensions import db
    try:
        job(*args)
    except Exception:
        db.session.rollback()
        log.exception("background job %s failed; it runs again at its next tick", job.__name__)
