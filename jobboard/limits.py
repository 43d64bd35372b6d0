"""Limits: what a company may do in any 24 hours, counted in the database (so they hold across
processes), and how many searches an address may run a minute."""
import logging
import math
import time
from datetime import datetime, timedelta
from functools import lru_cache, wraps

from flask import current_app, request
from limits import RateLimitItem, parse
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests

from jobboard.extensions import db, limiter

log = logging.getLogger(__name__)

DAY = timedelta(days=1)


def next_free_slot(stamp, conditions, limit: int, now: datetime) -> datetime | None:
    """None when another may go now; else when the oldest of the last `limit` rows (whose
    time is the column `stamp`, among those matching `conditions`) turns 24 hours old."""
    times = db.session.scalars(select(stamp).where(*conditions, stamp > now - DAY)
                               .order_by(stamp)).all()
    return times[len(times) - limit] + DAY if len(times) >= limit else None


class TooManySearches(TooManyRequests):
    description = "Too many searches from your address. Please wait a minute and try again."


@lru_cache(maxsize=8)
def _parsed(text: str) -> RateLimitItem:
    return parse(text)


def search_limit(view):
    """Searches per address, the search page's and the API's together (RATELIMIT_SEARCH): far
    above what people searching need (an office shares one address), below what one scraper
    could take of the server's threads, above all while searches answer from the database
    (90-500 ms each). A 429 with Retry-After past it.

    Counted by `limits`, the library Flask-Limiter is built on, in Flask-Limiter's storage
    (memory, or Redis for several processes), without Flask-Limiter's per-request machinery,
    which cost the hottest route 0.1 ms a request in-process (issue 7); this check costs
    20-60 us. If the storage fails, the search goes ahead (logged): a limit's store must not
    take search down."""
    @wraps(view)
    def limited(*args, **kwargs):
        if limiter.enabled:
            limit = _parsed(current_app.config["RATELIMIT_SEARCH"])
            key = (current_app.config["RATELIMIT_KEY_PREFIX"], "search",
                   request.remote_addr or "")
            try:
                allowed = limiter.limiter.hit(limit, *key)
                reset = None if allowed else limiter.limiter.get_window_stats(limit, *key).reset_time
            except Exception as e:  # the storage's own errors (Redis down): not the visitor's
                log.warning("search limit not checked, its storage failed: %s", e)
                allowed = True
            if not allowed:
                raise TooManySearches(retry_after=max(1, math.ceil(reset - time.time())))
        return view(*args, **kwargs)
    return limited
