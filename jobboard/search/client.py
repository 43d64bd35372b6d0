"""Meilisearch through the official client's public methods: one client per thread (it is
not thread-safe), always with a timeout. Searches go through `rest.py` instead (Meilisearch's
documented search endpoints on a kept-alive connection), with the search-only key."""
import functools
import os
import threading
import uuid

import meilisearch
import requests
from flask import current_app
from meilisearch.errors import (
    MeilisearchError,
    MeilisearchTimeoutError,
)

from jobboard.search import rest

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
        if len(clients) >= 4:  # keys and servers changed (tests, setup): few clients kept
            clients.clear()
        clients[key] = meilisearch.Client(key[0], key[1], timeout=key[2])
    return clients[key]


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


def search_connection() -> rest.Connection:
    """This thread's kept-alive connection for searches, with the search-only key."""
    cfg = current_app.config
    return rest.connection(cfg["MEILI_URL"], search_key(), cfg["MEILI_TIMEOUT"])


def search(name: str, q: str, params: dict) -> dict:
    """One search of one of the app's indexes (POST /indexes/{uid}/search)."""
    return search_connection().start_post(rest.index_search_path(index_uid(name)),
                                          {"q": q, **params})()


def multi_search(queries: list[dict]):
    """Send several searches in one request now (POST /multi-search); returns a function
    that waits for their results."""
    return search_connection().start_post("multi-search", {"queries": queries})


def search_key() -> str | None:
    """The search-only key's value, looked up once per process and server (None on a server
    without keys: nothing to restrict)."""
    cfg = current_app.config
    if not cfg.get("MEILI_MASTER_KEY"):
        return None
    cache_key = (cfg["MEILI_URL"], search_key_uid())
    with _search_keys_lock:
        value = _search_keys.get(cache_key)
    if value is None:
        value = client().get_key(search_key_uid()).key
        with _search_keys_lock:
            _search_keys[cache_key] = value
    return value


def search_client() -> meilisearch.Client:
    """An official client with the search-only key (what searches are allowed to do)."""
    return client(search_key())
