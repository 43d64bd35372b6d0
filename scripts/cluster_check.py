"""`make cluster-check`: the production topology of deploy/ built on this machine (loopback
only), loaded for a bounded time while things are broken on purpose, then checked for loss
and duplicates.

Each "host" is a process tree with its own working folder and nothing shared on disk:
PostgreSQL (its own cluster), Redis, Meilisearch, the SMTP server, two web hosts (granian)
behind HAProxy, two workers. First, searches per second straight to one web host and
through HAProxy to one and to two, with the CPU each server spends per search. Then, during
the load, one at a time: SIGKILL a web host and start it
again; SIGKILL a worker during a mail batch; restart Redis; restart PostgreSQL; SIGSTOP
Meilisearch for 20 s. Afterwards, from the database, the SMTP server's store and the index:
every application that got a success reply exists once, with its resume downloadable
through either web host; every mail due was delivered exactly once; every published job is
searchable and no closed one. One summary line; exit 1 on any loss or duplicate.
"""
import argparse
import email
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobboard import serving  # noqa: E402
from jobboard.search.server import MeiliServer, free_port  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
CODES = ["38206", "99214", "J9035", "C92.00", "93306", "E11.9", "0DTJ4ZZ"]
PASSWORD = "cluster check password"
WORKER_THREADS = 2  # each worker's (flask worker --workers)


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# ---------------------------------------------------------------- the processes


class Processes:
    """Everything started, each in its own process group, stopped whatever happens."""

    def __init__(self):
        self.procs: list[subprocess.Popen] = []
        self.stops: list = []

    def start(self, cmd, **kw) -> subprocess.Popen:
        proc = subprocess.Popen(cmd, start_new_session=True,
                                stdout=kw.pop("stdout", subprocess.DEVNULL),
                                stderr=kw.pop("stderr", subprocess.STDOUT), **kw)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for stop in reversed(self.stops):
            try:
                stop()
            except Exception as e:  # keep stopping the rest
                print(f"stopping: {e}", file=sys.stderr)
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()


def wait_http(url: str, seconds: float = 60, ok=(200,)) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code in ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds:.0f} s")


class Postgres:
    """A PostgreSQL cluster of this run's own (Debian's binaries), so restarting it touches
    nothing else on the machine."""

    def __init__(self, folder: Path, procs: Processes):
        self.folder, self.port = folder, free_port()
        self.data, self.socket = folder / "data", folder / "socket"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.mkdir(parents=True)
        self.socket.mkdir()
        if self.as_user:
            shutil.chown(folder, "postgres")
            shutil.chown(self.socket, "postgres")
        subprocess.run([*self.as_user, str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust",
                        "-U", "postgres", "--no-sync"], check=True, capture_output=True)
        procs.stops.append(self.stop)

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.as_user, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w",
                        "-l", str(self.folder / "log"), "-o",
                        f"-p {self.port} -k {self.socket} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off -c max_connections=200", *args], check=True,
                       capture_output=True)

    def start(self) -> "Postgres":
        self._ctl("start")
        subprocess.run([*self.as_user, str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p",
                        str(self.port), "-U", "postgres", "codeboard"], check=True,
                       capture_output=True)
        return self

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "immediate", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/codeboard"


class Redis:
    def __init__(self, folder: Path, procs: Processes):
        self.folder, self.port, self.procs = folder, free_port(), procs
        folder.mkdir(parents=True)
        self.proc = None

    def start(self) -> "Redis":
        self.proc = self.procs.start(["redis-server", "--port", str(self.port), "--bind",
                                      "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                                      str(self.folder)])
        deadline = time.monotonic() + 20
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"],
                             capture_output=True, text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not start")
            time.sleep(0.1)
        return self

    def restart(self) -> None:
        self.proc.terminate()
        self.proc.wait()
        self.start()


@dataclass
class Host:
    """A web host or a worker: its own folder (instance/), its own process tree."""
    name: str
    folder: Path
    cmd: list[str]
    env: dict
    procs: Processes
    port: int | None = None
    proc: subprocess.Popen | None = None

    def start(self) -> "Host":
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "log", "ab") as log:  # the child keeps its own descriptor
            self.proc = self.procs.start(self.cmd, cwd=self.folder, env=self.env, stdout=log)
        if self.port:
            wait_http(f"http://127.0.0.1:{self.port}/healthz")
        return self

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


# ---------------------------------------------------------------- the load


@dataclass
class Outcome:
    started: float
    ms: float
    kind: str
    ok: bool
    error: str = ""


@dataclass
class Ledger:
    """What the clients were told: the facts the checks hold the system to."""
    outcomes: list[Outcome] = field(default_factory=list)
    applied: list[tuple[str, int]] = field(default_factory=list)  # (coder email, job id)
    published: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)  # application ids moved with a message
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started, kind, ok, error=""):
        with self.lock:
            self.outcomes.append(Outcome(started, (time.monotonic() - started) * 1000, kind,
                                         ok, error))


def _token(html: str) -> str:
    m = CSRF.search(html)
    if not m:
        raise RuntimeError("no CSRF token on the page")
    return next(g for g in m.groups() if g)


def login(base: str, email_: str) -> requests.Session:
    s = requests.Session()
    for _ in range(30):
        try:
            page = s.get(f"{base}/login", timeout=10)
            r = s.post(f"{base}/login", data={"csrf_token": _token(page.text), "email": email_,
                                              "password": PASSWORD},
                       allow_redirects=False, timeout=10)
            if r.status_code == 302:
                return s
        except (requests.RequestException, RuntimeError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{email_} could not log in")


def call(ledger: Ledger, kind: str, method, url: str, **kw):
    """One request, its outcome in the ledger: None when it got no answer."""
    started = time.monotonic()
    try:
        r = method(url, **kw)
    except requests.RequestException as e:
        ledger.record(started, kind, False, type(e).__name__)
        return None
    ok = r.status_code < 500
    ledger.record(started, kind, ok, "" if ok else str(r.status_code))
    return r


def searcher(base, ledger, stop, rng):
    s = requests.Session()
    while not stop.is_set():
        code = rng.choice(CODES)
        call(ledger, "search", s.get, f"{base}/api/v1/jobs", params={"q": code}, timeout=15)
        call(ledger, "code page", s.get, f"{base}/codes/{code}", timeout=15)


def applicant(base, ledger, stop, rng, coders, job_ids, resume):
    sessions = {}
    while not stop.is_set():
        coder = rng.choice(coders)
        if coder not in sessions:
            sessions[coder] = login(base, coder)
        s = sessions[coder]
        with ledger.lock:
            candidates = list(job_ids)
        job_id = rng.choice(candidates)
        page = call(ledger, "job page", s.get, f"{base}/jobs/{job_id}", timeout=15)
        if page is None or page.status_code != 200 or "Send application" not in page.text:
            continue
        r = call(ledger, "apply", s.post, f"{base}/jobs/{job_id}/apply",
                 data={"csrf_token": _token(page.text), "cover_letter": "Cluster check"},
                 files={"resume": ("resume.pdf", resume, "application/pdf")},
                 allow_redirects=False, timeout=20)
        if r is not None and r.status_code == 302 and "/coder/applications/" in \
                r.headers.get("Location", ""):
            with ledger.lock:
                ledger.applied.append((coder, job_id))


def publisher(base, ledger, stop, rng, token, job_ids):
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    n = 0
    while not stop.is_set():
        n += 1
        body = {"title": f"Cluster coder {n} {secrets.token_hex(3)}",
                "description": "Code stem cell harvests for the cluster check.",
                "codes": [rng.choice(CODES[:4])], "setting": "pro-fee", "work_mode": "remote",
                "employment_type": "full-time", "publish": True}
        r = call(ledger, "publish", s.post, f"{base}/api/v1/jobs", json=body, timeout=20)
        if r is not None and r.status_code == 201:
            with ledger.lock:
                ledger.published.append(r.json()["id"])
                job_ids.append(r.json()["id"])
        if n % 4 == 0 and ledger.published:
            victim = ledger.published[-1]
            r = call(ledger, "close", s.post, f"{base}/api/v1/jobs/{victim}/close",
                     json={"outcome": "filled"}, timeout=20)
            if r is not None and r.status_code == 200:
                with ledger.lock:
                    ledger.closed.append(victim)
                    if victim in job_ids:
                        job_ids.remove(victim)
        stop.wait(0.5)


def mover(base, ledger, stop, employer, pending_ids, burst):
    s = login(base, employer)
    while not stop.is_set():
        if not burst.is_set():
            stop.wait(0.2)
            continue
        ids = pending_ids()
        for app_id in ids[:12]:
            page = call(ledger, "application", s.get, f"{base}/employer/applications/{app_id}",
                        timeout=15)
            if page is None or page.status_code != 200 or "reviewing" not in page.text:
                continue
            r = call(ledger, "move", s.post, f"{base}/employer/applications/{app_id}", data={
                "csrf_token": _token(page.text), "status": "reviewing",
                "message": "We are reviewing your application."},
                allow_redirects=False, timeout=20)
            if r is not None and r.status_code == 302:
                with ledger.lock:
                    ledger.moved.append(app_id)
        burst.clear()


# ---------------------------------------------------------------- the run


def haproxy_command(sock: Path, command: str) -> str:
    """One command to HAProxy's runtime API (the admin socket of the generated config)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(sock))
        s.sendall(command.encode() + b"\n")
        return s.recv(65536).decode()


def searches_per_second(url: str, seconds: int = 10, connections: int = 16) -> float:
    """wrk's requests per second for one search; a run with failed answers counts as 0."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
                         capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses|Socket errors", out):
        say(f"  wrk saw errors on {url}:\n{out}")
        return 0.0
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by a process and every process below it."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree = {root}
    for _ in range(4):  # a few levels: runuser -> postgres -> its backends
        tree |= {pid for pid, (ppid, _) in stats.items() if ppid in tree}
    total = sum(stats[pid][1] for pid in tree if pid in stats)
    return total / os.sysconf("SC_CLK_TCK")


def scaling(base: str, web1: str, sock: Path, servers: dict[str, int]) -> list[str]:
    """Searches per second straight to one web host, then through HAProxy to two hosts and
    to one (the other disabled through the runtime API, and enabled again); and what each
    server spent of the CPU per 1,000 searches with two hosts."""
    path = "/api/v1/jobs?q=38206"
    searches_per_second(base + path, seconds=3)  # warm both hosts' processes and caches
    before = {name: cpu_seconds(pid) for name, pid in servers.items()}
    two = searches_per_second(base + path)
    spent = {name: cpu_seconds(pid) - before[name] for name, pid in servers.items()}
    haproxy_command(sock, "disable server web/web2")
    one = searches_per_second(base + path)
    haproxy_command(sock, "enable server web/web2")
    direct = searches_per_second(web1 + path)
    per_1000 = ", ".join(f"{name} {seconds / max(two * 10, 1) * 1000:.2f} s"
                         for name, seconds in spent.items())
    return [f"scaling (wrk, 16 connections, 10 s, {path}): one web host direct {direct:.0f}/s, "
            f"through HAProxy one host {one:.0f}/s, two hosts {two:.0f}/s "
            f"(x{two / one if one else 0:.2f}; {os.cpu_count()} cores shared by every server)",
            f"CPU per 1,000 searches with two hosts: {per_1000}"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (a granian host's workers)."""
    pids = [pid, *map(int, subprocess.run(["pgrep", "-g", str(pid)], capture_output=True,
                                          text=True).stdout.split())]
    total = 0
    for p in set(pids):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def longest_outage(outcomes: list[Outcome], start: float, end: float) -> float:
    """The longest stretch (ms) within [start, end] in which every request failed."""
    window = sorted((o for o in outcomes if start <= o.started <= end), key=lambda o: o.started)
    longest, failing_since = 0.0, None
    for o in window:
        if not o.ok and failing_since is None:
            failing_since = o.started
        elif o.ok and failing_since is not None:
            longest = max(longest, (o.started - failing_since) * 1000)
            failing_since = None
    if failing_since is not None:
        longest = max(longest, (end - failing_since) * 1000)
    return longest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=80, help="length of the load (at least 60)")
    ap.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = ap.parse_args()
    for tool in ("haproxy", "wrk", "redis-server", str(PG_BIN / "initdb")):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: run `make cluster-check` (it installs "
                             "haproxy and wrk), or apt-get install haproxy wrk redis-server "
                             "postgresql.")
    tmp = Path(tempfile.mkdtemp(prefix="cluster-"))
    os.chmod(tmp, 0o755)
    procs = Processes()
    rng = random.Random(7)
    failures: list[str] = []
    try:
        say("starting PostgreSQL, Redis, Meilisearch, SMTP ...")
        pg = Postgres(tmp / "postgres", procs).start()
        redis = Redis(tmp / "redis", procs).start()
        key = secrets.token_urlsafe(24)
        meili = MeiliServer(tmp / "meili", master_key=key).start()
        procs.stops.append(meili.stop)
        smtp_port = free_port()
        procs.start([sys.executable, "-m", "jobboard.mail.devserver", "--dir", str(tmp / "mail"),
                     "--port", str(smtp_port)], cwd=ROOT)
        lb_port = free_port()
        base = f"http://127.0.0.1:{lb_port}"
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "TEST_"))},
               "PYTHONPATH": str(ROOT), "DATABASE_URL": pg.url,
               "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
               "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis.port}/1",
               "MEILI_URL": meili.url, "MEILI_MASTER_KEY": key, "SECRET_KEY": secrets.token_hex(32),
               "SITE_URL": base, "TRUSTED_HOSTS": "127.0.0.1,localhost", "PROXIES": "1",
               "RESUME_STORE": "database", "MAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
               "RATELIMIT_SEARCH": "100000 per minute", "RATELIMIT_AUTH": "100000 per minute",
               "RATELIMIT_ACCOUNT": "100000 per minute", "RATELIMIT_API_TOKEN": "100000 per minute",
               "JOBS_PER_COMPANY_PER_DAY": "100000", "LOG_LEVEL": "WARNING"}
        flask = [sys.executable, "-m", "flask", "--app", "app"]
        setup = tmp / "setup"
        setup.mkdir()
        for command in (["db", "upgrade"], ["search", "setup"]):
            subprocess.run([*flask, *command], cwd=setup, env={**env, "INSTANCE_PATH": str(setup)},
                           check=True, capture_output=True)
        say("seeding: an employer with an API token, 20 coders, 40 jobs ...")
        seeded = subprocess.run([sys.executable, str(Path(__file__).with_name("cluster_seed.py")),
                                 PASSWORD], cwd=setup, env={**env, "INSTANCE_PATH": str(setup)},
                                check=True, capture_output=True, text=True).stdout.split()
        token, employer, coders = seeded[0], seeded[1], seeded[2:22]
        job_ids = [int(x) for x in seeded[22:]]

        webs = [Host(f"web{n}", tmp / f"web{n}", serving.command(port, workers=1,
                                                               log_level="warning"),
                     {**env, "INSTANCE_PATH": str(tmp / f"web{n}" / "instance")}, procs, port)
                for n, port in ((1, free_port()), (2, free_port()))]
        workers = [Host(f"worker{n}", tmp / f"worker{n}",
                        [*flask, "worker", "--workers", str(WORKER_THREADS)],
                        {**env, "INSTANCE_PATH": str(tmp / f"worker{n}" / "instance")}, procs)
                   for n in (1, 2)]
        for host in (*webs, *workers):
            host.start()
        cfg = tmp / "haproxy.cfg"
        cfg.write_text((ROOT / "deploy/haproxy/haproxy.cfg").read_text()
                       .replace("    log /dev/log local0\n", "")
                       .replace("    user haproxy\n    group haproxy\n    daemon\n",
                                f"    stats socket {tmp}/haproxy.sock mode 600 level admin\n")
                       .replace("bind :80", f"bind 127.0.0.1:{lb_port}")
                       .replace("inter 2s fall 2 rise 3", "inter 500ms fall 2 rise 2")
                       .replace("hdr Host jobs.example.org", "hdr Host 127.0.0.1")
                       .replace("10.0.0.11:8000", f"127.0.0.1:{webs[0].port}")
                       .replace("10.0.0.12:8000", f"127.0.0.1:{webs[1].port}"))
        haproxy = procs.start(["haproxy", "-f", str(cfg), "-db"])
        wait_http(f"{base}/healthz")
        say("two web hosts behind HAProxy, two workers: searches per second with one and two")
        postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
        for line in scaling(base, f"http://127.0.0.1:{webs[0].port}", tmp / "haproxy.sock",
                            {"web1": webs[0].proc.pid,
                             "web2": webs[1].proc.pid, "Meilisearch": meili.process.pid,
                             "PostgreSQL": postmaster, "Redis": redis.proc.pid,
                             "HAProxy": haproxy.pid}):
            say(line)
        say(f"mixed load through HAProxy on {base} for {args.seconds} s, with faults")

        from sqlalchemy import create_engine, text
        engine = create_engine(pg.url, pool_pre_ping=True)

        def pending_applications() -> list[int]:
            try:
                with engine.connect() as c:
                    return [r[0] for r in c.execute(text(
                        "SELECT id FROM application WHERE status = 'submitted' ORDER BY id"))]
            except Exception:
                return []

        ledger, stop, burst = Ledger(), threading.Event(), threading.Event()
        resume = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        threads = [threading.Thread(target=searcher, args=(base, ledger, stop, random.Random(i)))
                   for i in range(2)]
        threads += [threading.Thread(target=applicant, args=(base, ledger, stop,
                                                             random.Random(10 + i), coders,
                                                             job_ids, resume)) for i in range(2)]
        threads.append(threading.Thread(target=publisher, args=(base, ledger, stop, rng, token,
                                                                job_ids)))
        threads.append(threading.Thread(target=mover, args=(base, ledger, stop, employer,
                                                            pending_applications, burst)))
        t0 = time.monotonic()
        for t in threads:
            t.start()
        faults: dict[str, tuple[float, float]] = {}

        def at(seconds):
            stop.wait(max(0, t0 + seconds - time.monotonic()))

        at(6)
        say("fault: SIGKILL web1, then start it again")
        f = time.monotonic()
        webs[0].kill()
        time.sleep(2)
        webs[0].start()
        faults["web host killed"] = (f, time.monotonic() + 3)
        at(16)
        say("fault: SIGKILL worker1 during a mail batch")
        burst.set()
        while burst.is_set() and time.monotonic() < t0 + 30:
            time.sleep(0.05)
        f = time.monotonic()
        workers[0].kill()
        time.sleep(2)
        workers[0].start()
        faults["worker killed"] = (f, time.monotonic() + 3)
        at(30)
        say("fault: restart Redis")
        f = time.monotonic()
        redis.restart()
        faults["Redis restarted"] = (f, time.monotonic() + 5)
        at(40)
        say("fault: restart PostgreSQL")
        f = time.monotonic()
        pg.restart()
        faults["PostgreSQL restarted"] = (f, time.monotonic() + 5)
        at(50)
        say("fault: SIGSTOP Meilisearch for 20 s")
        f = time.monotonic()
        os.kill(meili.process.pid, signal.SIGSTOP)
        time.sleep(20)
        os.kill(meili.process.pid, signal.SIGCONT)
        faults["Meilisearch stopped 20 s"] = (f, time.monotonic() + 3)
        burst.set()  # one more batch of status mails after everything came back
        at(max(args.seconds, 60))
        stop.set()
        for t in threads:
            t.join(timeout=60)
        say(f"load done: {len(ledger.outcomes)} requests; waiting for the outboxes to drain")
        say("memory after the load: " + ", ".join(
            f"{h.name} {rss_mb(h.proc.pid)} MB" for h in (*webs, *workers))
            + f", meilisearch {rss_mb(meili.process.pid)} MB")

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with engine.connect() as c:
                mail_left = c.execute(text("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL"
                                           " AND failed_at IS NULL")).scalar()
                search_left = c.execute(text("SELECT count(*) FROM search_outbox "
                                             "WHERE done_at IS NULL")).scalar()
            if not mail_left and not search_left:
                break
            time.sleep(1)
        else:
            failures.append(f"outboxes did not drain: {mail_left} mail, {search_left} search")

        # ---- checks
        lost = duplicated = 0
        with engine.connect() as c:
            rows = c.execute(text("SELECT u.email, a.job_id, a.resume_id FROM application a "
                                  "JOIN \"user\" u ON u.id = a.coder_id")).all()
        counts = Counter((e, j) for e, j, _ in rows)
        for pair in ledger.applied:
            if counts[pair] == 0:
                lost += 1
                failures.append(f"application {pair} was confirmed but is missing")
        doubled = {pair: n for pair, n in counts.items() if n > 1}
        duplicated += sum(n - 1 for n in doubled.values())
        if doubled:
            failures.append(f"applications recorded more than once: {list(doubled.items())[:5]}")
        sessions = [login(f"http://127.0.0.1:{w.port}", employer) for w in webs]
        for _email, _job, resume_id in rows:
            for w, s in zip(webs, sessions, strict=True):
                r = s.get(f"http://127.0.0.1:{w.port}/resumes/{resume_id}", timeout=15)
                if r.status_code != 200 or r.content != resume:
                    lost += 1
                    failures.append(f"resume {resume_id} not downloadable through {w.name}")
        with engine.connect() as c:
            outbox = c.execute(text("SELECT headers, sent_at FROM mail_outbox")).all()
        due = {(h if isinstance(h, dict) else json.loads(h))["Message-ID"] for h, _ in outbox}
        delivered, arrivals = Counter(), {}
        for path in (tmp / "mail").glob("*.eml"):
            msg = email.message_from_bytes(path.read_bytes())
            delivered[msg["Message-ID"]] += 1
            # the store names each file by the nanosecond it arrived
            at_s = int(path.stem.split("-")[0]) / 1e9 - (time.time() - time.monotonic()) - t0
            arrivals.setdefault(msg["Message-ID"], []).append(at_s)
        lost += len(due - set(delivered))
        if due - set(delivered):
            failures.append(f"{len(due - set(delivered))} mails never delivered")
        # SMTP has no two-phase commit: a worker killed after the relay said "250 accepted"
        # and before the database recorded it cannot know the message went, and sends it
        # again (the same Message-ID) once its lease runs out; losing it instead would be
        # worse. Such a copy is reported as "resent in doubt", never as a duplicate, only if
        # its first copy arrived in the instant of the kill and the second after the lease,
        # and for no more messages than the killed worker has threads.
        killed_at = faults["worker killed"][0] - t0

        def in_flight_at_the_kill(message_id: str) -> bool:
            first, *rest = sorted(arrivals[message_id])
            return (len(rest) == 1 and killed_at - 0.5 <= first <= killed_at + 0.05
                    and rest[0] >= killed_at + 50)
        twice = [m for m, n in delivered.items() if n > 1]
        in_doubt = [m for m in twice if in_flight_at_the_kill(m)][:WORKER_THREADS]
        twice = [m for m in twice if m not in in_doubt]
        duplicated += sum(delivered[m] - 1 for m in twice)
        if twice:
            failures.append(f"{len(twice)} mails delivered more than once: {twice[:3]}")
        window = {n: (round(a - t0, 1), round(b - t0, 1)) for n, (a, b) in faults.items()}
        for m in (twice + in_doubt)[:3]:
            print(f"  {m} arrived at {sorted(round(a, 1) for a in arrivals[m])} s; "
                  f"faults at {window}")
        import meilisearch
        index = meilisearch.Client(meili.url, key).index("jobs")
        with engine.connect() as c:
            open_ids = {r[0] for r in c.execute(text(
                "SELECT id FROM job WHERE status = 'published' AND expires_at > now()"))}
        indexed = set()
        offset = 0
        while True:
            page = index.get_documents({"fields": ["id"], "limit": 1000, "offset": offset})
            indexed |= {d.id if hasattr(d, "id") else d["id"] for d in page.results}
            offset += 1000
            if offset >= page.total:
                break
        missing, stale = open_ids - indexed, indexed - open_ids
        lost += len(missing)
        if missing:
            failures.append(f"{len(missing)} published jobs not searchable: {sorted(missing)[:5]}")
        if stale:
            failures.append(f"{len(stale)} closed jobs still searchable: {sorted(stale)[:5]}")
        closed_found = set(ledger.closed) & indexed
        errors = Counter(o.error or o.kind for o in ledger.outcomes if not o.ok)
        for o in ledger.outcomes:  # a 500 is a defect wherever it happens: say where
            if o.error == "500":
                print(f"  a 500 answered a {o.kind} request at {o.started - t0:.1f} s")
        outages = {name: longest_outage(ledger.outcomes, a, b) for name, (a, b) in faults.items()}
        by_kind = ", ".join(f"{k} {v}" for k, v in errors.most_common()) or "none"
        summary = (f"cluster-check: {len(ledger.outcomes)} requests in {args.seconds} s, "
                   f"{sum(errors.values())} errors ({by_kind}); {len(ledger.applied)} "
                   f"applications, {len(ledger.published)} published, {len(ledger.closed)} "
                   f"closed, {len(due)} mails; lost {lost}, duplicated {duplicated}"
                   + (f" (resent in doubt {len(in_doubt)}: in flight at the worker's SIGKILL)"
                      if in_doubt else "") + "; longest unavailability: "
                   + ", ".join(f"{name} {ms / 1000:.1f} s" for name, ms in outages.items()))
        for problem in failures:
            print(f"  ✗ {problem}")
        if closed_found:
            print(f"  ✗ closed jobs in the index: {sorted(closed_found)[:5]}")
        print(summary)
        return 1 if lost or duplicated or failures else 0
    except subprocess.CalledProcessError as e:
        print(f"cluster-check: a setup step failed: {' '.join(map(str, e.cmd))}\n{e.stderr or ''}"
              f"\n{e.stdout or ''}", file=sys.stderr)
        return 2
    finally:
        procs.stop_all()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")


if __name__ == "__main__":
    sys.exit(main())
