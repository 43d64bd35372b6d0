"""Meilisearch clients: one per thread (the client is not thread-safe), always with a timeout."""
import threading

import meilisearch
import requests
from flask import current_app
from meilisearch.errors import MeilisearchError

_local = threading.local()

# What a failed call to the search server can raise: its own errors and transport failures.
SEARCH_ERRORS = (MeilisearchError, requests.RequestException)


def configured() -> bool:
    return bool(current_app.config.get("MEILI_URL"))


def client() -> meilisearch.Client:
    cfg = current_app.config
    key = (cfg["MEILI_URL"], cfg.get("MEILI_MASTER_KEY"), cfg["MEILI_TIMEOUT"])
    clients = getattr(_local, "clients", None)
    if clients is None:
        clients = _local.clients = {}
    if key not in clients:
        # The client opens a connection per call. Measured here: a kept-alive session waited
        # ~44 ms per call for the end of Meilisearch's chunked reply (delayed ACK), a new
        # connection 1.5 ms. So no session is added.
        clients[key] = meilisearch.Client(key[0], key[1], timeout=key[2])
    return clients[key]


def index_uid(name: str) -> str:
    return current_app.config.get("MEILI_INDEX_PREFIX", "") + name


def wait(task_uid: int, timeout_ms: int = 30_000):
    """The finished task; raises if it did not finish in time (the client's default is 5 s)."""
    return client().wait_for_task(task_uid, timeout_in_ms=timeout_ms, interval_in_ms=20)
