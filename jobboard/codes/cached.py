"""What a search asks the catalog, kept per process for a minute.

Reading a code search ("Codes under C92: Myeloid leukemia", "Did you mean C92.00?") asks
whether each typed code is in the catalog and what it is called. The catalog changes only
when `codes load` or `codes import` runs, and those lookups cost a search such as `J9035` or
`C92.00` 0.8–1.5 ms of its 2–2.8 ms of the app's CPU (measured on 20,000 postings), so each
worker keeps the answers for CATALOG_SECONDS. A load or import in this
process forgets them at once (`forget`, called by the loaders); other workers see the change
within CATALOG_SECONDS.
"""
import threading
from dataclasses import dataclass

from cachetools import TTLCache
from sqlalchemy import select

from jobboard.extensions import db
from jobboard.models import CatalogCode

CATALOG_SECONDS = 60
_answers: TTLCache = TTLCache(maxsize=10_000, ttl=CATALOG_SECONDS)
_lock = threading.Lock()  # cachetools caches are not thread-safe; workers run threads
_MISSING = object()


@dataclass(frozen=True)
class Known:
    kind: str  # chapter | block | category | code ... (models.code)
    title: str | None


def _cached(key: tuple, read):
    with _lock:
        answer = _answers.get(key, _MISSING)
    if answer is _MISSING:
        answer = read()  # outside the lock: a slow statement must not hold up other threads
        with _lock:
            _answers[key] = answer
    return answer


def known(system: str, code: str) -> Known | None:
    """The catalog's entry for a code (its kind and title), or None if it has none."""
    def read():
        row = db.session.execute(select(CatalogCode.kind, CatalogCode.title).where(
            CatalogCode.system == system, CatalogCode.code == code)).first()
        return Known(row.kind, row.title) if row else None
    return _cached(("code", system, code), read)


def loaded(system: str) -> bool:
    """Whether the catalog has any entry of this system (ICD-10-CM is loaded by a command)."""
    return _cached(("loaded", system), lambda: db.session.scalar(
        select(CatalogCode.id).where(CatalogCode.system == system).limit(1)) is not None)


def forget() -> None:
    with _lock:
        _answers.clear()
