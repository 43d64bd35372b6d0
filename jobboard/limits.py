"""Limits: what a company may do in any 24 hours, counted in the database (so they hold across
processes), and how many searches an address may run a minute."""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from jobboard.extensions import db, limiter

DAY = timedelta(days=1)


def next_free_slot(stamp, conditions, limit: int, now: datetime) -> datetime | None:
    """None when another may go now; else when the oldest of the last `limit` rows (whose
    time is the column `stamp`, among those matching `conditions`) turns 24 hours old."""
    times = db.session.scalars(select(stamp).where(*conditions, stamp > now - DAY)
                               .order_by(stamp)).all()
    return times[len(times) - limit] + DAY if len(times) >= limit else None


SEARCH_MESSAGE = "Too many searches from your address. Please wait a minute and try again."


# Searches per address, the search page's and the API's together (RATELIMIT_SEARCH): far
# above what people searching need (an office shares one address), below what one scraper
# could take of the server's threads, above all while searches answer from the database
# (90-500 ms each). A 429 with Retry-After past it. Through Flask-Limiter's public API, in
# its storage (Redis for several hosts, the host's SQLite file otherwise); a storage that
# fails lets the search go ahead, logged (RATELIMIT_SWALLOW_ERRORS): a limit's store must not
# take search down.
search_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_SEARCH"],
                                    scope="search", error_message=SEARCH_MESSAGE)
