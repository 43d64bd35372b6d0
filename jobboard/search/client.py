"""Meilisearch clients: one per thread (the client is not thread-safe), always with a timeout."""
import contextlib
import functools
import http.client
import json
import os
import threading
import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

import meilisearch
import orjson
import requests
from flask import current_app
from meilisearch._httprequests import HttpRequests
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchError,
    MeilisearchTimeoutError,
)

_local = threading.local()

# What a failed call to the search server can raise: its own errors and transport failures.
SEARCH_ERRORS = (MeilisearchError, requests.RequestException)


def configured() -> bool:
    return bool(current_app.config.get("MEILI_URL"))


def client(api_key: str | None = None) -> meilisearch.Client:
    """A client with the master key (setup, indexing, reindex), or with `api_key`."""
    cfg = current_app.config
    key = (cfg["MEILI_URL"], api_key or cfg.get("MEILI_MASTER_KEY"), cfg["MEILI_TIMEOUT"])
    clients = getattr(_local, "clients", None)
    if clients is None or _local.pid != os.getpid():  # a forked child opens its own sockets
        clients = _local.clients = {}
        _local.pid = os.getpid()
    if key not in clients:
        if len(clients) >= 4:  # keys and servers changed (tests, setup): keep few sockets open
            for old in clients.values():
                old.http.close()
            clients.clear()
        made = meilisearch.Client(key[0], key[1], timeout=key[2])
        made.http = _KeptAliveRequests(made.config)
        clients[key] = made
    return clients[key]


class _KeptAliveRequests(HttpRequests):
    """The official client's transport for client-level calls (multi-search, keys, swaps),
    over one kept-alive connection per client (the standard library's http.client) instead
    of a new `requests` session and connection per call. HttpRequests is the client's own
    (private) transport: requirements.txt pins the client, and the search tests exercise
    this path on every run.

    Measured on 20,000 postings (bench/README.md): the same multi-search took 5.9 ms through
    `requests` on a new connection, about 4.4 ms here; the app's own CPU for it went from
    1.1 ms through urllib3 to 0.6 ms. Replies are asked for uncompressed: gzip makes
    Meilisearch stream a chunked reply, and a kept-alive connection then waits ~40 ms for
    the delayed ACK before its last chunk; on loopback compression only costs time."""

    def __init__(self, config):
        super().__init__(config)
        url = urlsplit(config.url)
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        self._connect = functools.partial(kind, url.hostname, url.port, timeout=config.timeout)
        self._prefix = url.path.rstrip("/") + "/"
        self._headers = {**self.headers, "Accept-Encoding": "identity"}
        self._idle: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._idle is not None:
            self._idle.close()
            self._idle = None

    __del__ = close  # a client dropped with its thread closes its connection

    def _send(self, method: str, target: str, data: bytes | None, headers: dict):
        """The request sent on the kept-alive connection (a new one if none is idle)."""
        conn, self._idle = self._idle or self._connect(), None
        try:
            conn.request(method, target, body=data, headers=headers)
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

    def _begin(self, method: str, path: str, data: bytes | None, headers: dict):
        """Send the request now; what is returned waits for the reply and decodes it."""
        target = self._prefix + path
        reused = self._idle is not None
        with _as_search_errors(method, path):
            try:
                conn = self._send(method, target, data, headers)
            except _CLOSED:
                if not reused:
                    raise
                conn, reused = self._send(method, target, data, headers), False

        def reply():
            with _as_search_errors(method, path):
                try:
                    status, payload = self._receive(conn)
                except _CLOSED:
                    if not reused:
                        raise
                    # The server closed the kept-alive connection (it restarted): once more,
                    # on a new one. Never after a timeout, so a hung server costs one timeout
                    # a call.
                    status, payload = self._receive(self._send(method, target, data, headers))
                result = orjson.loads(payload) if payload and status < 400 else None
            if status >= 400:
                raise MeilisearchApiError(f"{status} from {method} {path}", SimpleNamespace(
                    status_code=status, text=payload.decode("utf-8", "replace")))
            # An empty reply (a 204 for a deleted key): the client reads its status code.
            return result if payload else SimpleNamespace(status_code=status)
        return reply

    def start_post(self, path: str, body: dict):
        """POST `body` as JSON and return at once with a function that waits for the decoded
        reply (or raises as the client's calls do), so the caller can work while Meilisearch
        does: the search's database check runs during the search."""
        return self._begin("POST", path, orjson.dumps(body),
                           {**self._headers, "Content-Type": "application/json"})

    def send_request(self, http_method, path, body=None, content_type=None, *,
                     serializer=None):
        method = http_method.__name__.upper()
        headers = {**self._headers, "Content-Type": content_type} if content_type \
            else self._headers
        data = None
        if method != "GET":  # the body the client itself would send
            if isinstance(body, bytes):
                data = body
            elif isinstance(body, (bool, dict)) or body:
                data = (json.dumps(body, cls=serializer).encode() if serializer
                        else orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS))
            else:
                data = b"" if body == "" else b"null"
        return self._begin(method, path, data, headers)()


# A kept-alive connection the server closed (it restarted) fails with one of these.
_CLOSED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@contextlib.contextmanager
def _as_search_errors(method: str, path: str):
    """Transport failures raised as the client's own errors (callers catch SEARCH_ERRORS)."""
    try:
        yield
    except TimeoutError as err:
        raise MeilisearchTimeoutError(str(err)) from err
    except (OSError, http.client.HTTPException, orjson.JSONDecodeError) as err:
        raise MeilisearchCommunicationError(f"{method} {path}: {err!r}") from err


def index_uid(name: str) -> str:
    return current_app.config.get("MEILI_INDEX_PREFIX", "") + name


def wait(task_uid: int, timeout_ms: int | None = None):
    """The finished task. Waits MEILI_TASK_TIMEOUT seconds unless told (the client's default,
    5 s, is too short for a busy 2-core machine, where a task may queue behind others); when
    it gives up, the error says which task it waited for and what it was doing."""
    if timeout_ms is None:
        timeout_ms = int(current_app.config["MEILI_TASK_TIMEOUT"] * 1000)
    try:
        return client().wait_for_task(task_uid, timeout_in_ms=timeout_ms, interval_in_ms=20)
    except MeilisearchTimeoutError as e:
        raise MeilisearchTimeoutError(
            f"gave up after {timeout_ms / 1000:g} s waiting for Meilisearch task {task_uid} "
            f"({_task_state(task_uid)})") from e


def _task_state(task_uid: int) -> str:
    """What a task is and where it stands, for an error message; never raises."""
    try:
        task = client().get_task(task_uid)
        queued = client().get_tasks({"statuses": ["enqueued", "processing"], "limit": 1}).total
    except SEARCH_ERRORS as e:
        return f"its state could not be read: {e}"
    return (f"{task.type} on index {task.index_uid}, {task.status}; "
            f"{queued} task(s) enqueued or processing on the server")


# Searches use a key that can only search the app's indexes, so a leak through the search
# path cannot write. Its uid is fixed per index prefix, so `search setup` is idempotent and
# every process finds the same key.
_search_keys: dict[tuple[str, str], str] = {}
_search_keys_lock = threading.Lock()


SEARCHED = ("jobs", "codes", "coders")


def search_key_uid() -> str:
    return _search_key_uid(current_app.config.get("MEILI_INDEX_PREFIX", ""))


@functools.cache
def _search_key_uid(prefix: str) -> str:
    # A key's indexes cannot change: the list is part of the uid, so adding an index makes
    # `search setup` create a new key (the old one is left unused).
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"codeboard-search:{prefix}:{','.join(SEARCHED)}"))


def search_key_options() -> dict:
    return {"uid": search_key_uid(), "name": "codeboard search",
            "description": "Search only, on CodeBoard's jobs, codes and coders indexes.",
            "actions": ["search"], "indexes": [index_uid(name) for name in SEARCHED],
            "expiresAt": None}


def ensure_search_key() -> str:
    """Create the search-only key if it does not exist; returns its value (setup only)."""
    c = client()
    try:
        return c.get_key(search_key_uid()).key
    except MeilisearchError as e:
        if getattr(e, "code", None) != "api_key_not_found":
            raise
    return c.create_key(search_key_options()).key


def search_index(name: str):
    """One of the app's indexes, to search with the search-only key over the client's
    kept-alive connection (an index of the official client otherwise sends each call
    through a new `requests` session and connection)."""
    found = search_client()
    index = found.index(index_uid(name))
    index.http = found.http
    return index


def search_client() -> meilisearch.Client:
    """A client with the search-only key, looked up once per process and server."""
    cfg = current_app.config
    if not cfg.get("MEILI_MASTER_KEY"):  # a server without keys: nothing to restrict
        return client()
    cache_key = (cfg["MEILI_URL"], search_key_uid())
    with _search_keys_lock:
        value = _search_keys.get(cache_key)
    if value is None:
        value = client().get_key(search_key_uid()).key
        with _search_keys_lock:
            _search_keys[cache_key] = value
    return client(value)
