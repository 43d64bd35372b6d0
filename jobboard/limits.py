"""Limits counted in the database (so they hold across processes): at most N in any 24 hours."""
from datetime import datetime, timedelta

from sqlalchemy import select

from jobboard.extensions import db

DAY = timedelta(days=1)


def next_free_slot(stamp, conditions, limit: int, now: datetime) -> datetime | None:
    """None when another may go now; else when the oldest of the last `limit` rows (whose
    time is the column `stamp`, among those matching `conditions`) turns 24 hours old."""
    times = db.session.scalars(select(stamp).where(*conditions, stamp > now - DAY)
                               .order_by(stamp)).all()
    return times[len(times) - limit] + DAY if len(times) >= limit else None
