"""A circuit breaker in front of Meilisearch, one per process and server.

A hung server (process stopped, port open) would cost every search the full client timeout.
After a failure the breaker opens: searches go straight to the database for a cool-down;
then one request at a time probes the server (half-open) while the others keep using the
database, and the first success closes the breaker. So a hung server costs one timeout per
cool-down per process.
"""
import threading
import time

from flask import current_app

_breakers: dict[str, "Breaker"] = {}
_lock = threading.Lock()


class Breaker:
    def __init__(self):
        self._lock = threading.Lock()
        self._failed_at: float | None = None  # monotonic seconds of the last failure
        self._probing = False

    def allow(self, cooldown: float) -> bool:
        """May this call try the server? (Open: no. Half-open: the first caller, alone.)"""
        with self._lock:
            if self._failed_at is None:
                return True
            if time.monotonic() < self._failed_at + cooldown or self._probing:
                return False
            self._probing = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._failed_at, self._probing = None, False

    def failed(self) -> None:
        with self._lock:
            self._failed_at, self._probing = time.monotonic(), False

    def release(self) -> None:
        """End a probe that gave no verdict (it raised something else, or made no call): the
        next request after the cool-down probes again. Every caller of allow() calls this
        (or succeeded/failed) whatever happens, or the breaker would stay half-open for good
        with every search sent to the database."""
        with self._lock:
            self._probing = False

    @property
    def is_open(self) -> bool:
        """Open or half-open: the server failed and has not answered since."""
        return self._failed_at is not None


class CircuitOpen(Exception):
    """The server failed a moment ago: the call was not tried."""


def through(call, errors: tuple):
    """call() if the breaker allows it, keeping the breaker up to date with the outcome.

    Raises CircuitOpen when the call is skipped, and re-raises the call's own `errors`.
    """
    circuit = breaker()
    if not circuit.allow(cooldown()):
        raise CircuitOpen
    try:
        result = call()
    except errors as e:
        if server_answered(e):
            circuit.succeeded()  # a refused request (a missing index): the server is up
        else:
            circuit.failed()
        raise
    except BaseException:
        circuit.release()  # not the server's answer (a bug, an interrupt): no verdict
        raise
    circuit.succeeded()
    return result


def server_answered(error: Exception) -> bool:
    """Meilisearch answered with a 4xx: that request was wrong, the server is healthy, and
    other searches must not be sent to the database for a cool-down."""
    status = getattr(error, "status_code", None)
    return isinstance(status, int) and 400 <= status < 500


def breaker() -> Breaker:
    url = current_app.config["MEILI_URL"]
    with _lock:
        return _breakers.setdefault(url, Breaker())


def cooldown() -> float:
    return current_app.config["MEILI_COOLDOWN"]
