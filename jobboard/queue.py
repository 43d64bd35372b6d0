"""The task queue: one Huey instance, at the bottom of the project's imports.

A module that hands work to the worker defines its task next to the work (mail delivery in
`mail/delivery.py`, password resets in `auth/services.py`, search pushes in `search/outbox.py`),
so nothing calls back up into a module that imports it. `tasks.py` holds only the periodic
schedule and imports those modules, which registers their tasks in the worker.
Storage: SQLite under instance/ by default, Redis when REDIS_URL is set.
"""
import os
from functools import wraps

from flask import Flask, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey

from jobboard.config import INSTANCE


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
            raise RuntimeError("queue.init_app(app) was not called")
        with _app.app_context():
            return fn(*args, **kwargs)
    return run
