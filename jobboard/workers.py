"""The worker's heartbeat, kept in the database so /healthz sees it from any host."""
from datetime import datetime

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import WorkerHeartbeat

HEARTBEAT = "worker"  # the name the worker's periodic tick beats under


def beat(name: str) -> None:
    row = db.session.get(WorkerHeartbeat, name) or WorkerHeartbeat(name=name)
    row.beat_at = utcnow()
    db.session.add(row)
    db.session.commit()


def last_beat(name: str) -> datetime | None:
    row = db.session.get(WorkerHeartbeat, name)
    return row.beat_at if row else None
