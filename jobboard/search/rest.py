"""The search hot path: Meilisearch's documented REST API (`POST /multi-search`,
`POST /indexes/{uid}/search`) over one kept-alive connection per thread and key.

Everything else (indexing, tasks, settings, keys) goes through the official client's public
methods (`client.py`). Searches come here because a connection kept between calls is most of
their speed: measured on 20,000 postings (bench/README.md), the same multi-search took 5.9 ms
through a new `requests` connection and about 4.4 ms on a kept one, and the app's own CPU for
it 1.1 ms through urllib3 against 0.6 ms through the standard library's http.client.
Replies are asked for uncompressed: gzip makes Meilisearch stream a chunked reply, and a
kept-alive connection then waits ~40 ms for the delayed ACK before its last chunk.

Failures are raised as the official client's public errors (`meilisearch.errors`), so every
caller catches one family (`client.SEARCH_ERRORS`).
"""
import contextlib
import http.client
import os
import threading
from collections.abc import Callable
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import orjson
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)

_local = threading.local()
# A kept-alive connection the server closed (it restarted) fails with one of these.
_CLOSED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Connection:
    """One server and key, one kept-alive HTTP connection (used by one thread at a time)."""

    def __init__(self, url: str, key: str | None, timeout: float):
        parts = urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else \
            http.client.HTTPConnection
        self._connect = lambda: kind(parts.hostname, parts.port, timeout=timeout)
        self._prefix = parts.path.rstrip("/") + "/"
        self._headers = {"Content-Type": "application/json", "Accept-Encoding": "identity",
                         "User-Agent": "codeboard"}
        if key:
            self._headers["Authorization"] = f"Bearer {key}"
        self._idle: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._idle is not None:
            self._idle.close()
            self._idle = None

    __del__ = close  # a connection dropped with its thread closes its socket

    def _send(self, target: str, data: bytes):
        conn, self._idle = self._idle or self._connect(), None
        try:
            conn.request("POST", target, body=data, headers=self._headers)
        except BaseException:
            conn.close()
            raise
        return conn

    def _receive(self, conn) -> tuple[int, bytes]:
        try:
            reply = conn.getresponse()
            payload = reply.read()
        except BaseException:
            conn.close()
            raise
        if reply.will_close:
            conn.close()
        else:
            self._idle = conn
        return reply.status, payload

    def start_post(self, path: str, body: dict) -> Callable[[], dict]:
        """Send `body` as JSON now and return a function that waits for the decoded reply,
        so the caller can work while Meilisearch does (the API's database check runs during
        the search)."""
        target, data = self._prefix + path, orjson.dumps(body)
        reused = self._idle is not None
        with _as_search_errors(path):
            try:
                conn = self._send(target, data)
            except _CLOSED:
                if not reused:
                    raise
                conn, reused = self._send(target, data), False

        def reply() -> dict:
            with _as_search_errors(path):
                try:
                    status, payload = self._receive(conn)
                except _CLOSED:
                    if not reused:
                        raise
                    # The server closed the kept-alive connection (it restarted): once more,
                    # on a new one. Never after a timeout: a hung server costs one timeout.
                    status, payload = self._receive(self._send(target, data))
                result = orjson.loads(payload) if status < 400 else None
            if status >= 400:
                raise MeilisearchApiError(f"{status} from POST {path}", SimpleNamespace(
                    status_code=status, text=payload.decode("utf-8", "replace")))
            return result
        return reply


@contextlib.contextmanager
def _as_search_errors(path: str):
    """Transport failures raised as the official client's errors."""
    try:
        yield
    except TimeoutError as err:
        raise MeilisearchTimeoutError(str(err)) from err
    except (OSError, http.client.HTTPException, orjson.JSONDecodeError) as err:
        raise MeilisearchCommunicationError(f"POST {path}: {err!r}") from err


def connection(url: str, key: str | None, timeout: float) -> Connection:
    """This thread's connection to the server with this key (a forked child makes its own)."""
    conns = getattr(_local, "conns", None)
    if conns is None or _local.pid != os.getpid():
        conns = _local.conns = {}
        _local.pid = os.getpid()
    found = conns.get((url, key, timeout))
    if found is None:
        if len(conns) >= 4:  # servers and keys changed (tests, setup): keep few sockets open
            for old in conns.values():
                old.close()
            conns.clear()
        found = conns[(url, key, timeout)] = Connection(url, key, timeout)
    return found


def index_search_path(index_uid: str) -> str:
    return f"indexes/{quote(index_uid, safe='')}/search"
