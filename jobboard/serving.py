"""The HTTP server the app runs under, in one place for `make run`, the benchmark and the tests.

granian (a kept HTTP server written in Rust) serves the WSGI app: it reads requests and writes
replies outside Python, and each worker runs the app in a few Python threads. Measured against
gunicorn's threaded worker on the same searches (issue 7, 20,000 postings): 0.4-0.7 ms less
p50 a search, the same app. It names itself in a Server header unless the app sets one, which
the app does (security.py).

In production run the same command behind the site's proxy (and set PROXIES, config.py), with
more workers if the host has the cores; the workers keep no state of their own (DESIGN.md,
"When one machine is not enough").
"""
import sys

WORKERS = 2  # processes
THREADS = 4  # Python threads a process runs the app in (the app's calls wait on I/O)


def command(port: int, host: str = "127.0.0.1", workers: int = WORKERS, threads: int = THREADS,
            app: str = "app:app", access_log: bool = False,
            log_level: str = "info") -> list[str]:
    return [sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", host, "--port", str(port), "--workers", str(workers),
            "--blocking-threads", str(threads),
            # One Rust thread does each worker's network I/O; single-threaded mode, which
            # granian picks by itself only for its own interface, measured 0.1-0.2 ms faster.
            "--runtime-mode", "st", "--no-ws", "--log-level", log_level,
            *(["--access-log"] if access_log else []), app]
