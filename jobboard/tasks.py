"""The worker's schedule: the periodic chores, each an idempotent CLI command too.

The database outboxes (mail_outbox, search_outbox) are the record of what must happen; the
tasks only run them, so a task lost with a crashed worker costs a delay, never a message.
The queue itself is `jobboard.queue`; the tasks a request hands over live beside their work
and are imported here so that the worker knows them.
"""
import logging

from flask import current_app
from huey import crontab

from jobboard.alerts import services as alerts
from jobboard.auth.services import password_reset_requested  # noqa: F401 (registers the task)
from jobboard.extensions import db
from jobboard.jobs.services import expire_due_jobs
from jobboard.mail import delivery
from jobboard.mail.delivery import deliver_mail  # noqa: F401 (registers the task)
from jobboard.models.alert import DAILY, INSTANT, WEEKLY
from jobboard.notifications import services as notify
from jobboard.queue import huey, in_app_context, init_app  # noqa: F401 (the worker's entry)
from jobboard.search import outbox
from jobboard.search.outbox import push_search  # noqa: F401 (registers the task)
from jobboard.workers import HEARTBEAT, beat

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="*"), name="every_minute")
@in_app_context
def every_minute() -> None:
    """Heartbeat, mail due for a retry, search updates that failed, instant alerts."""
    beat(HEARTBEAT)
    _guarded(delivery.deliver)
    if current_app.config.get("MEILI_URL"):
        from jobboard.search import sync
        _guarded(sync.catch_up)
    _guarded(alerts.send_alerts, INSTANT)


@huey.periodic_task(crontab(minute="7"), name="hourly")
@in_app_context
def hourly() -> None:
    _guarded(expire_due_jobs)


@huey.periodic_task(crontab(hour="13", minute="0"), name="daily")
@in_app_context
def daily() -> None:
    """Once a day (13:00 UTC, morning in the US): alerts, digests, expiry reminders, and the
    outboxes' old done rows deleted."""
    _guarded(alerts.send_alerts, DAILY)
    _guarded(notify.send_application_digests)
    _guarded(notify.send_expiry_reminders)
    _guarded(delivery.prune)
    _guarded(outbox.prune_done)


@huey.periodic_task(crontab(day_of_week="1", hour="13", minute="0"), name="weekly")
@in_app_context
def weekly() -> None:
    _guarded(alerts.send_alerts, WEEKLY)


def _guarded(job, *args) -> None:
    """One chore failing (a server down) must not stop the others in the same tick."""
    try:
        job(*args)
    except Exception:
        db.session.rollback()
        log.exception("background job %s failed; it runs again at its next tick", job.__name__)
