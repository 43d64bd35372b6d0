"""Rate-limit counters in a SQLite file, shared by every process of one host.

Flask-Limiter's `memory://` storage is per process: under `make run` (two server processes)
every limit was doubled. Redis shares counters between hosts and is used when configured
(RATELIMIT_STORAGE_URI or REDIS_URL); without it, this storage keeps `make run` and any
single host honest with no extra server. It is a `limits` storage backend (the library's
documented extension point: a Storage subclass registered under its URI scheme), so
Flask-Limiter and the search limit use it through their public API: `sqlite:///path`.

Each counter is one row, incremented by a single UPSERT, which SQLite runs atomically across
processes; WAL mode lets readers and the writer go on together. Counters past their window
are deleted now and then by the writer.
"""
import os
import sqlite3
import threading
import time

from limits.storage import Storage

_PRUNE_EVERY = 1000  # increments per connection between deletions of expired counters
# Flask-Limiter reads a counter back right after counting a hit (for the X-RateLimit headers
# of the same response): within this many seconds a thread answers from what its own
# increment returned, instead of two more statements (measured: 270 us of a search's SQLite
# work, a third of it those two reads).
_READ_BACK_S = 0.05


class SqliteStorage(Storage):
    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # As SQLAlchemy spells it: sqlite:////abs/path, or sqlite:///relative/path.
        self.path = uri.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        self._local = threading.local()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        """This thread's connection (a forked process opens its own)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # counters need no fsync per hit
            conn.execute("CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, "
                         "value INTEGER NOT NULL, expires_at REAL NOT NULL)")
            self._local.conn, self._local.pid, self._local.hits = conn, os.getpid(), 0
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._db()
        value, expires_at = conn.execute(
            "INSERT INTO counter (key, value, expires_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (key) DO UPDATE SET "
            "value = CASE WHEN expires_at <= ?4 THEN excluded.value ELSE value + ?2 END, "
            "expires_at = CASE WHEN expires_at <= ?4 THEN excluded.expires_at "
            "ELSE expires_at END RETURNING value, expires_at",
            (key, amount, now + expiry, now)).fetchone()
        self._local.last = (key, value, expires_at, now)
        self._local.hits += 1
        if self._local.hits % _PRUNE_EVERY == 0:
            conn.execute("DELETE FROM counter WHERE expires_at <= ?", (now,))
        return value

    def _just_counted(self, key: str):
        last = getattr(self._local, "last", None)
        now = time.time()
        if last is not None and last[0] == key and now - last[3] < _READ_BACK_S \
                and last[2] > now:
            return last
        return None

    def get(self, key: str) -> int:
        if (last := self._just_counted(key)) is not None:
            return last[1]
        row = self._db().execute("SELECT value FROM counter WHERE key = ? AND expires_at > ?",
                                 (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        if (last := self._just_counted(key)) is not None:
            return last[2]
        now = time.time()
        row = self._db().execute("SELECT expires_at FROM counter WHERE key = ? AND "
                                 "expires_at > ?", (key, now)).fetchone()
        return row[0] if row else now

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        self._local.last = None
        return self._db().execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        self._local.last = None
        self._db().execute("DELETE FROM counter WHERE key = ?", (key,))
