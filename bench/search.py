"""Search benchmark on 100,000 postings: indexing, latency, freshness, memory.

Everything runs on this machine in one run, so the ratios compare like with like:
the app's /api/v1/jobs (as `make run` serves it) against the same search sent straight to
Meilisearch, against the app in degraded SQL mode, and against a bare Flask endpoint.
"""
import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import click
import orjson
import requests
from werkzeug.datastructures import MultiDict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobboard import create_app, serving  # noqa: E402
from jobboard.search.server import MeiliServer, free_port  # noqa: E402

QUERIES = {
    "code": [{"q": "38206"}, {"q": "99214"}, {"q": "J9035"}, {"q": "C92.00"}],
    "code+filters": [{"q": "38206", "work_mode": "remote"}, {"code": "93306", "state": "TX"},
                     {"q": "E11.9", "credential": "CRC", "salary_min": "50000"}],
    "words+facets": [{"q": "hematology"}, {"q": "remote cpc inpatient"},
                     {"q": "oncology coder", "specialty": "hematology-oncology"},
                     {"q": "cardiology", "sort": "newest"}],
}


# What issue 7 asks of the app against raw Meilisearch measured in the same run. Its p50
# target is a budget in milliseconds for the app's own work, counted above the relay (the hop
# every Python app in the path pays): issue 7's first target, x1.5 of raw p50, is still
# printed and written, but it moves with how fast Meilisearch is on the machine, not with
# the app (README, "The p50 target, decided").
TARGETS = {"app_above_relay_p50_max_ms": 3.0, "throughput_share_min": 0.25,
           "reindex_vs_raw_max": 1.2,
           # A published job is pushed to the index by the worker (the web request only
           # queues the task): found by search within a second at p95 (issue 24).
           "publish_to_searchable_p95_max_ms": 1000}
FIRST_RATIO = 1.5  # app/raw p50, reported beside the targets
WRK_SECONDS = 10  # each load run is bounded in time, on loopback only
WRK_CONNECTIONS = 8
WARM_UP = 3  # untimed passes per query before the timed rounds


def wrk(url: str, script: str | None = None) -> float:
    """Requests per second from a bounded wrk run (Debian's wrk; `make bench` installs it)."""
    cmd = ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "--latency"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(f"wrk printed no rate:\n{out}")


def wrk_post_script(path: Path, body: dict, key: str) -> str:
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(body))}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.headers["Accept-Encoding"] = "identity"\n'
        f'wrk.headers["Authorization"] = "Bearer {key}"\n')
    return str(path)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2),
            "p99_ms": round(pct(ms, 99), 2), "mean_ms": round(statistics.fmean(ms), 2)}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def serve(app_spec: str, env: dict, port: int, servers: list, probe: str,
          workers: int = 1) -> None:
    """The app served as `make run` serves it (jobboard/serving.py), with one worker
    process for the timed rounds (`make run` runs two) and both for the load run."""
    proc = subprocess.Popen(
        serving.command(port, workers=workers, app=app_spec, log_level="warning"),
        cwd=ROOT, env={**os.environ, **env})
    servers.append(proc)  # stopped in main's finally, whatever happens next
    wait_ready(port, probe)


def wait_ready(port: int, probe: str = "/healthz") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}{probe}", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.1)  # waiting for the server to bind
    raise RuntimeError(f"nothing answered on port {port}")


def timed_get(session, url, params=None) -> float:
    t = time.perf_counter()
    r = session.get(url, params=params, timeout=30)
    ms = (time.perf_counter() - t) * 1000
    r.raise_for_status()
    return ms


def timed_post(session, url, body) -> float:
    t = time.perf_counter()
    r = session.post(url, json=body, timeout=30)
    ms = (time.perf_counter() - t) * 1000
    r.raise_for_status()
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=25, help="passes over the query mix")
    ap.add_argument("--fresh", type=int, default=20, help="publish->searchable samples")
    ap.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    ap.add_argument("--out", default=str(ROOT / "bench/results"))
    args = ap.parse_args()
    if shutil.which("wrk") is None:  # before minutes of seeding, not after
        raise SystemExit("wrk is missing: run `make bench` (it installs Debian's wrk) or "
                         "`apt-get install wrk`.")

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    key = secrets.token_urlsafe(24)
    meili = MeiliServer(tmp / "meili", master_key=key).start()
    db_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    # The search limit per address is checked as in production, set so that the load run
    # from one address never reaches it.
    env = {"DATABASE_URL": db_url, "MEILI_URL": meili.url, "MEILI_MASTER_KEY": key,
           "MEILI_INDEX_PREFIX": "bench_", "SECRET_KEY": "bench", "RESUME_DIR": str(tmp),
           "RATELIMIT_SEARCH": "10000000 per minute", "HUEY_DB": str(tmp / "huey.sqlite3")}
    # This process queues tasks where the run's worker reads them (as the web processes do).
    from huey.storage import SqliteStorage

    from jobboard.queue import huey
    huey.storage = SqliteStorage("codeboard", filename=env["HUEY_DB"])
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "MEILI_URL": meili.url,
                      "MEILI_MASTER_KEY": key, "MEILI_INDEX_PREFIX": "bench_",
                      "SECRET_KEY": "bench", "RESUME_DIR": str(tmp), "MEILI_TIMEOUT": 30,
                      # the freshness samples publish more than a company's daily allowance
                      "JOBS_PER_COMPANY_PER_DAY": 1_000_000})
    result: dict = {"jobs": args.jobs, "seed": args.seed, "database": db_url.split(":")[0],
                    "when": datetime.now(timezone.utc).isoformat(), "cores": os.cpu_count()}
    servers: list[subprocess.Popen] = []
    try:
        with app.app_context():
            from flask_migrate import upgrade
            from sqlalchemy import select

            from jobboard import demo
            from jobboard.extensions import db
            from jobboard.models import Job
            from jobboard.search import sync
            from jobboard.search.client import client, index_uid, wait
            from jobboard.search.documents import document, job_rows
            from jobboard.search.settings import JOBS
            upgrade()
            t = time.perf_counter()
            with click.progressbar(length=args.jobs, label="Seeding postings") as bar:
                demo.seed(args.jobs, args.seed, "bench-password", progress=bar.update)
            result["seed_s"] = round(time.perf_counter() - t, 1)
            print(f"seeded {args.jobs} jobs in {result['seed_s']} s", flush=True)
            sync.setup()

            t = time.perf_counter()
            with click.progressbar(length=args.jobs, label="Reindexing") as bar:
                indexed = sync.reindex(progress=bar.update)
            reindex_s = time.perf_counter() - t

            # The same documents, built once, then added raw in the same batch size and
            # encoding (orjson, as the reindex sends them).
            t = time.perf_counter()
            docs: list[dict] = []
            while rows := job_rows(Job.status == "published", docs[-1]["id"] if docs else 0,
                                   sync.BATCH):
                docs += [document(j) for j in rows]
            build_s = time.perf_counter() - t
            raw = client().index("raw_jobs")
            wait(client().create_index("raw_jobs", {"primaryKey": "id"}).task_uid)
            wait(raw.update_settings(JOBS).task_uid, 60_000)
            t = time.perf_counter()
            uids = [raw.add_documents_json(orjson.dumps(docs[i:i + sync.BATCH]),
                                           primary_key="id").task_uid
                    for i in range(0, len(docs), sync.BATCH)]
            for uid in uids:
                assert wait(uid, 600_000).status == "succeeded"
            raw_s = time.perf_counter() - t
            wait(client().delete_index("raw_jobs").task_uid)
            db.session.remove()  # hold no database transaction while the servers run
            result["indexing"] = {
                "documents": indexed, "reindex_s": round(reindex_s, 1),
                "reindex_docs_per_s": round(indexed / reindex_s),
                "raw_add_documents_s": round(raw_s, 1),
                "raw_docs_per_s": round(len(docs) / raw_s),
                "build_documents_s": round(build_s, 1),
                "reindex_vs_raw": round(reindex_s / raw_s, 2)}
            print(json.dumps(result["indexing"]), flush=True)
            jobs_uid = index_uid("jobs")

        from jobboard.database import utcnow
        from jobboard.search.query import parse_args
        from jobboard.search.service import search_requests

        def multi_search(params: dict) -> list[dict]:
            """The multi-search the app's API sends for these parameters."""
            return search_requests(parse_args(MultiDict(params)), utcnow(), jobs_uid,
                                   listings=True)[0]
        bodies = {kind: [multi_search(params) for params in queries]
                  for kind, queries in QUERIES.items()}
        relayed = [body for kind in QUERIES for body in bodies[kind]]
        (tmp / "bodies.json").write_text(json.dumps(relayed))

        ports = {name: free_port() for name in ("app", "degraded", "bare", "app_load")}
        serve("app:app", env, ports["app"], servers, "/healthz")
        serve("app:app", {**env, "MEILI_URL": f"http://127.0.0.1:{free_port()}",
                          "MEILI_TIMEOUT": "1"}, ports["degraded"], servers, "/healthz")
        serve("bench.bare:app", {"BENCH_BODIES": str(tmp / "bodies.json"),
                                 "BENCH_MEILI_URL": meili.url, "BENCH_MEILI_KEY": key},
              ports["bare"], servers, "/ping")
        session = requests.Session()
        meili_session = requests.Session()
        total_requests = args.rounds * sum(len(q) for q in QUERIES.values())
        meili_session.headers["Authorization"] = f"Bearer {key}"
        # As the app calls it: the same multi-search (with the listings the API returns) on a
        # kept-alive connection, the reply uncompressed (gzip makes Meilisearch stream it in
        # chunks, and a kept-alive client then waits ~40 ms for its delayed ACK; see README).
        meili_session.headers["Accept-Encoding"] = "identity"
        latency: dict = {}
        app_url = f"http://127.0.0.1:{ports['app']}/api/v1/jobs"
        relay_url = f"http://127.0.0.1:{ports['bare']}/relay"

        def calls(kind: str) -> list[dict]:
            """Per query of the mix: the app's search, the same multi-search sent to
            Meilisearch, and through the relay."""
            first = sum(len(QUERIES[k]) for k in list(QUERIES)[:list(QUERIES).index(kind)])
            return [{"app": partial(timed_get, session, app_url, params),
                     "meili": partial(timed_post, meili_session, f"{meili.url}/multi-search",
                                      {"queries": body}),
                     "relay": partial(timed_get, session, relay_url, {"i": first + i})}
                    for i, (params, body) in enumerate(zip(QUERIES[kind], bodies[kind],
                                                           strict=True))]
        # Untimed first: each server's first searches fill its caches (compiled statements,
        # the catalog answers, Meilisearch's pages); the rounds measure the steady state.
        for kind, queries in QUERIES.items():
            for params, call in zip(queries, calls(kind), strict=True):
                for _ in range(WARM_UP):
                    for side in call.values():
                        side()
                timed_get(session, f"http://127.0.0.1:{ports['degraded']}/api/v1/jobs", params)
        bar = click.progressbar(length=total_requests, label="Timing searches")
        sides = ["app", "meili", "relay"]
        for kind, queries in QUERIES.items():
            timings: dict[str, list[float]] = {"app": [], "meili": [], "relay": [],
                                               "degraded": []}
            # The app, raw Meilisearch and the relay in turns, each first in its turn, so all
            # meet the same machine; the degraded rounds after them: a degraded search is
            # 50-500 ms of SQL, and timed just before the app's it slowed the app's (not raw's)
            # p50.
            for n in range(args.rounds):
                bar.update(len(queries))
                for call in calls(kind):
                    for side in sides[n % 3:] + sides[:n % 3]:
                        timings[side].append(call[side]())
            for _ in range(args.rounds):
                for params in queries:
                    timings["degraded"].append(timed_get(
                        session, f"http://127.0.0.1:{ports['degraded']}/api/v1/jobs", params))
            latency[kind] = {name: summary(ms) for name, ms in timings.items()}
            latency[kind]["app_vs_meili_p50"] = round(
                latency[kind]["app"]["p50_ms"] / latency[kind]["meili"]["p50_ms"], 2)
            # What the app's hop costs in milliseconds: unlike the ratio, it does not grow as
            # Meilisearch gets faster (a faster machine, a smaller index).
            latency[kind]["app_added_p50_ms"] = round(
                latency[kind]["app"]["p50_ms"] - latency[kind]["meili"]["p50_ms"], 2)
            # The floor of any Python app in between (a Flask endpoint relaying the same
            # multi-search unchanged), and what the app's own work adds above it.
            latency[kind]["relay_vs_meili_p50"] = round(
                latency[kind]["relay"]["p50_ms"] / latency[kind]["meili"]["p50_ms"], 2)
            latency[kind]["app_above_relay_p50_ms"] = round(
                latency[kind]["app"]["p50_ms"] - latency[kind]["relay"]["p50_ms"], 2)
        bar.render_finish()
        bare = [timed_get(session, f"http://127.0.0.1:{ports['bare']}/ping")
                for _ in range(args.rounds * 10)]
        latency["bare_endpoint"] = summary(bare)
        for kind in QUERIES:
            latency[kind]["app_vs_bare_p50"] = round(
                latency[kind]["app"]["p50_ms"] / latency["bare_endpoint"]["p50_ms"], 1)
        result["latency"] = latency

        # Pay insights: a slice not asked for yet runs the SQL aggregates (cold); asked again
        # it comes from the per-process cache. Ten states, each a new slice, then again.
        states = ["TX", "CA", "CO", "WA", "MA", "TN", "IL", "AZ", "GA", "OH"]
        insights_url = f"http://127.0.0.1:{ports['app']}/insights"
        cold = [timed_get(session, insights_url, {"state": s}) for s in states]
        cached = [timed_get(session, insights_url, {"state": s}) for s in states]
        everything = timed_get(session, insights_url, {"window": "year"})
        result["insights"] = {
            "cold": summary(cold), "cached": summary(cached), "all_jobs_year_ms": everything,
            "cold_vs_bare_p50": round(summary(cold)["p50_ms"]
                                      / latency["bare_endpoint"]["p50_ms"], 1)}

        # Throughput under load: the app as `make run` serves it (2 workers x 4 threads) and
        # Meilisearch alone, on the same query, each for WRK_SECONDS with the same wrk.
        serve("app:app", env, ports["app_load"], servers, "/healthz", workers=serving.WORKERS)
        params = {"q": "38206"}
        body = multi_search(params)
        print(f"load: {WRK_SECONDS} s of wrk against each ...", flush=True)
        app_rps = wrk(f"http://127.0.0.1:{ports['app_load']}/api/v1/jobs?q=38206")
        meili_rps = wrk(f"{meili.url}/multi-search",
                        wrk_post_script(tmp / "post.lua", {"queries": body}, key))
        result["throughput"] = {"query": params, "seconds": WRK_SECONDS,
                                "connections": WRK_CONNECTIONS,
                                "app_rps": round(app_rps), "meili_rps": round(meili_rps),
                                "app_share_of_meili": round(app_rps / meili_rps, 3)}

        # Freshness: from the employer pressing Publish to the job being found by search. The
        # publish queues the push; the worker, as `make run` starts it, sends it.
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "worker"],
                                  cwd=ROOT, env={**os.environ, **env},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(worker)
        fresh = []
        with app.app_context():
            from jobboard.jobs import services as job_services
            from jobboard.models import User
            employer = db.session.scalar(select(User).where(User.role == "employer").limit(1))
            for i in range(args.fresh + 1):  # the first waits for the worker to start: untimed
                word = f"freshness{i}x{secrets.token_hex(3)}"
                draft = job_services.create_job(employer.company, employer, job_services.JobFields(
                    title=f"Coder {word}", description="Measuring publish to searchable.",
                    codes="38206", setting="pro-fee", work_mode="remote",
                    employment_type="full-time"))
                t = time.perf_counter()
                job_services.publish_job(draft, employer)
                while not session.get(f"http://127.0.0.1:{ports['app']}/api/v1/jobs",
                                      params={"q": word}, timeout=30).json()["hits"]:
                    if time.perf_counter() - t > 30:
                        raise RuntimeError("a published job did not become searchable in 30 s:"
                                           " is the worker running (flask worker)?")
                fresh.append((time.perf_counter() - t) * 1000)
        result["freshness"] = summary(fresh[1:])

        app_master = servers[0]
        workers = [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(app_master.pid)], capture_output=True, text=True).stdout.split()]
        result["memory_mb"] = {"app_worker_rss": [rss_mb(p) for p in workers],
                               "bare_worker_rss": [rss_mb(int(p)) for p in subprocess.run(
                                   ["pgrep", "-P", str(servers[2].pid)], capture_output=True,
                                   text=True).stdout.split()],
                               "meilisearch_rss": rss_mb(meili.process.pid)}
        stats = requests.get(f"{meili.url}/stats", timeout=10,
                             headers={"Authorization": f"Bearer {key}"}).json()
        # used, not allocated: the raw copy's pages were freed when it was deleted
        result["index"] = {"database_mb": round(stats["usedDatabaseSize"] / 2**20, 1),
                           "documents": stats["indexes"][jobs_uid]["numberOfDocuments"]}
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait()
        meili.stop()
        # The run's Meilisearch data and SQLite database: about 1 GB at 100,000 postings.
        shutil.rmtree(tmp, ignore_errors=True)

    worst_p50 = max(result["latency"][k]["app_vs_meili_p50"] for k in QUERIES)
    worst_above = max(result["latency"][k]["app_above_relay_p50_ms"] for k in QUERIES)
    result["targets"] = {
        **TARGETS,
        "app_above_relay_p50_worst_ms": worst_above,
        "app_vs_meili_p50_worst": worst_p50,
        "app_vs_meili_p50_first_target": FIRST_RATIO,
        "met": {"latency_above_relay": worst_above <= TARGETS["app_above_relay_p50_max_ms"],
                "freshness": result["freshness"]["p95_ms"]
                <= TARGETS["publish_to_searchable_p95_max_ms"],
                "throughput": result["throughput"]["app_share_of_meili"]
                >= TARGETS["throughput_share_min"],
                "reindex": result["indexing"]["reindex_vs_raw"] <= TARGETS["reindex_vs_raw_max"]}}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"search-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print_table(result)
    print(f"\nwritten to {path}")


def print_table(r: dict) -> None:
    i = r["indexing"]
    print(f"\n{r['jobs']:,} postings ({r['database']}), {r['cores']} cores")
    print(f"reindex {i['reindex_s']} s ({i['reindex_docs_per_s']:,} docs/s) vs raw add_documents "
          f"{i['raw_add_documents_s']} s ({i['raw_docs_per_s']:,} docs/s): x{i['reindex_vs_raw']}")
    print(f"\n{'query mix':<14}{'path':<10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in QUERIES:
        for name in ("app", "meili", "relay", "degraded"):
            s = r["latency"][kind][name]
            print(f"{kind:<14}{name:<10}{s['p50_ms']:>9}{s['p95_ms']:>9}{s['p99_ms']:>9}")
        k = r["latency"][kind]
        print(f"{'':<14}app/meili p50 x{k['app_vs_meili_p50']} (+{k['app_added_p50_ms']} ms), "
              f"relay/meili x{k['relay_vs_meili_p50']}, app above relay "
              f"+{k['app_above_relay_p50_ms']} ms, app/bare x{k['app_vs_bare_p50']}")
    b = r["latency"]["bare_endpoint"]
    print(f"{'bare flask':<24}{b['p50_ms']:>9}{b['p95_ms']:>9}{b['p99_ms']:>9}")
    ins = r["insights"]
    print(f"{'/insights':<14}{'cold':<10}{ins['cold']['p50_ms']:>9}"
          f"{ins['cold']['p95_ms']:>9}{ins['cold']['p99_ms']:>9}")
    print(f"{'':<14}{'cached':<10}{ins['cached']['p50_ms']:>9}{ins['cached']['p95_ms']:>9}"
          f"{ins['cached']['p99_ms']:>9}")
    print(f"{'':<14}every job of the year: {round(ins['all_jobs_year_ms'])} ms; "
          f"cold/bare p50 x{ins['cold_vs_bare_p50']}")
    f = r["freshness"]
    print(f"\npublish -> searchable p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms")
    m = r["memory_mb"]

    def each(sizes: list[float]) -> str:  # one figure per worker process
        return " and ".join(str(x) for x in sizes) or "?"
    print(f"memory: app worker {each(m['app_worker_rss'])} MB, bare worker "
          f"{each(m['bare_worker_rss'])} MB, meilisearch {m['meilisearch_rss']} MB")
    if "index" in r:
        print(f"index: {r['index']['documents']:,} jobs, a {r['index']['database_mb']} MB "
              "Meilisearch database")
    t = r["throughput"]
    print(f"throughput ({t['seconds']} s, {t['connections']} connections, q=38206): app "
          f"{t['app_rps']:,}/s, Meilisearch {t['meili_rps']:,}/s: "
          f"{t['app_share_of_meili']:.0%} of raw")
    g, met = r["targets"], r["targets"]["met"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"
    print(f"targets: the app's own work above the relay +{g['app_above_relay_p50_worst_ms']} ms "
          f"p50 at worst (<= {g['app_above_relay_p50_max_ms']} ms: "
          f"{verdict(met['latency_above_relay'])}); throughput {t['app_share_of_meili']:.0%} "
          f"(>= {g['throughput_share_min']:.0%}: {verdict(met['throughput'])}); reindex "
          f"x{r['indexing']['reindex_vs_raw']} (<= x{g['reindex_vs_raw_max']}: "
          f"{verdict(met['reindex'])}); publish -> searchable p95 "
          f"{r['freshness']['p95_ms']} ms (<= {g['publish_to_searchable_p95_max_ms']} ms: "
          f"{verdict(met['freshness'])})")
    print(f"for reference: app/raw p50 x{g['app_vs_meili_p50_worst']} at worst (issue 7's "
          f"first target was x{g['app_vs_meili_p50_first_target']}; see bench/README.md)")


if __name__ == "__main__":
    main()
