"""Meilisearch clients: one per thread (the client is not thread-safe), always with a timeout."""
import threading
import uuid

import meilisearch
import requests
from flask import current_app
from meilisearch._httprequests import HttpRequests
from meilisearch.errors import MeilisearchError

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
    if clients is None:
        clients = _local.clients = {}
    if key not in clients:
        made = meilisearch.Client(key[0], key[1], timeout=key[2])
        made.http = _SessionRequests(made.config, _session())
        clients[key] = made
    return clients[key]


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy lookup in the environment on every call (profiled)
    # A new connection per call, as the client makes by itself. Measured here: kept alive,
    # each call waited ~44 ms for the end of Meilisearch's reply (delayed ACK); a new
    # connection costs about 1.5 ms.
    session.headers["Connection"] = "close"
    return session


class _SessionRequests(HttpRequests):
    """The official client's requests (client-level calls such as multi-search), sent through
    one session per client instead of a new `requests` session per call. HttpRequests is the
    client's own (private) transport: requirements.txt pins the client, and the search tests
    exercise this path on every run."""

    def __init__(self, config, session: requests.Session):
        super().__init__(config)
        self._session = session

    def send_request(self, http_method, *args, **kwargs):
        return super().send_request(getattr(self._session, http_method.__name__), *args,
                                    **kwargs)


def index_uid(name: str) -> str:
    return current_app.config.get("MEILI_INDEX_PREFIX", "") + name


def wait(task_uid: int, timeout_ms: int = 30_000):
    """The finished task; raises if it did not finish in time (the client's default is 5 s)."""
    return client().wait_for_task(task_uid, timeout_in_ms=timeout_ms, interval_in_ms=20)


# Searches use a key that can only search the app's indexes, so a leak through the search
# path cannot write. Its uid is fixed per index prefix, so `search setup` is idempotent and
# every process finds the same key.
_search_keys: dict[tuple[str, str], str] = {}
_search_keys_lock = threading.Lock()


SEARCHED = ("jobs", "codes", "coders")


def search_key_uid() -> str:
    # A key's indexes cannot change: the list is part of the uid, so adding an index makes
    # `search setup` create a new key (the old one is left unused).
    prefix = current_app.config.get("MEILI_INDEX_PREFIX", "")
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
