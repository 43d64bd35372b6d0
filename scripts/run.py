"""`make run`: migrate, seed on first run, start Meilisearch (unless MEILI_URL), serve the app."""
import argparse
import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobboard import serving  # noqa: E402
from jobboard.config import INSTANCE, instance_secret  # noqa: E402
from jobboard.search.server import MeiliServer, free_port  # noqa: E402


def flask(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                   check=True)


@contextlib.contextmanager
def holding_the_folder():
    """One `make run` per checkout: a second one would start a second Meilisearch on the same
    data folder and, as granian shares its port, serve beside the first without a word."""
    with open(INSTANCE / "run.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            pid = lock.read().strip() or "unknown"
            sys.exit(f"CodeBoard is already running from this folder (process {pid}). Stop it "
                     "(Ctrl-C in its terminal, or kill that process) or use another checkout.")
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        yield  # the lock lasts until the board stops


def check_port(host: str, port: int) -> None:
    with socket.socket() as probe:  # no SO_REUSEPORT: fails if anything listens there
        try:
            probe.bind((host, port))
        except OSError as e:
            sys.exit(f"Port {port} on {host} is in use ({e.strerror}). Stop what uses it, or "
                     f"pick another port: PORT={port + 1} make run")


def _stop_on_signal(signum, frame):
    raise KeyboardInterrupt  # the same clean shutdown as Ctrl-C


def main() -> None:
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("CODEBOARD_DEV", "1")  # development: a SECRET_KEY generated into instance/
    INSTANCE.mkdir(parents=True, exist_ok=True)
    with holding_the_folder():
        check_port(args.host, args.port)
        serve(args, env)


def serve(args, env: dict) -> None:
    meili = None
    if not env.get("MEILI_URL"):
        key = instance_secret("meili_master_key")
        port = int(env["MEILI_PORT"]) if env.get("MEILI_PORT") else None  # else a free one
        meili = MeiliServer(INSTANCE / "meili", port=port,
                            master_key=key).start()
        env.update(MEILI_URL=meili.url, MEILI_MASTER_KEY=key)
        print(f"Meilisearch 1.21 on {meili.url} (data in instance/meili)")
    site = f"http://{args.host}:{args.port}"
    env.setdefault("SITE_URL", site)
    smtp = None
    if not env.get("MAIL_URL"):
        # A real SMTP server that keeps each message under instance/mail/ for /dev/mail.
        smtp_port = free_port()
        smtp = subprocess.Popen([sys.executable, "-m", "jobboard.mail.devserver", "--dir",
                                 str(INSTANCE / "mail"), "--port", str(smtp_port)], cwd=ROOT)
        env.update(MAIL_URL=f"smtp://127.0.0.1:{smtp_port}", MAIL_DEV_INBOX="1",
                   MAIL_DIR=str(INSTANCE / "mail"))
    worker = server = None
    try:
        flask("db", "upgrade", env=env)
        flask("search", "setup", env=env)
        flask("seed-demo", "--if-empty", env=env)
        flask("codes", "load", "--if-empty", env=env)
        flask("jobs", "expire", env=env)
        flask("search", "sync", env=env)
        # Mail, alerts, reminders, expiry and search catch-up, on their schedules.
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"],
                                  cwd=ROOT, env=env)
        print(f"CodeBoard on {site}  (Ctrl-C stops everything)")
        if smtp:
            print(f"Mail sent by the app: {site}/dev/mail/")
        server = subprocess.Popen(serving.command(args.port, args.host, access_log=True),
                                  cwd=ROOT, env=env)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for proc in (server, worker, smtp):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM if proc is not worker else signal.SIGINT)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if meili:
            meili.stop()


if __name__ == "__main__":
    main()
