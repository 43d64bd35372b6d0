"""Code lookup benchmark at the full catalog size: ICD-10-CM, ICD-10-PCS and our CPT/HCPCS
entries, looked up by codes, by what coders write (afib, NSTEMI, Avastin) and by phrases.

One run, on this machine: the lookup as the app serves it (`codes_index.lookup`, with the
vocabulary and the whole-word ranking) against the raw Meilisearch search of the same words,
and the database fallback. Also the codes index's size. Nothing is asserted: measured.
"""
import argparse
import json
import secrets
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import click
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search import summary  # noqa: E402
from jobboard import create_app  # noqa: E402
from jobboard.search.server import MeiliServer  # noqa: E402

MIX = {
    "codes": ["38206", "C92.00", "0DTJ4ZZ", "J9035", "I21.4", "99214"],
    "abbreviations": ["afib", "NSTEMI", "CABG", "UTI", "Avastin", "CKD 3", "TKA", "hem/onc"],
    "phrases": ["heart attack", "kidney stones", "acute myeloid leukemia",
                "high blood pressure", "resection of appendix", "stem cell harvest"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "bench/results"))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-lookup-"))
    key = secrets.token_urlsafe(24)
    meili = MeiliServer(tmp / "meili", master_key=key).start()
    db_url = f"sqlite:///{tmp / 'lookup.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "MEILI_URL": meili.url,
                      "MEILI_MASTER_KEY": key, "MEILI_INDEX_PREFIX": "bench_",
                      "SECRET_KEY": "bench", "MEILI_TIMEOUT": 30})
    result: dict = {"when": datetime.now(timezone.utc).isoformat(), "rounds": args.rounds}
    try:
        with app.app_context():
            from flask_migrate import upgrade

            from jobboard.codes import catalog
            from jobboard.search import codes_index, sync
            from jobboard.search.client import index_uid
            upgrade()
            sync.setup()  # the indexes and the search key, as `make run` sets them up
            catalog.load_reference_data()
            with click.progressbar(length=catalog.ICD10CM_ENTRIES,
                                   label="Loading ICD-10-CM") as bar:
                catalog.load_icd10cm(progress=bar.update)
            with click.progressbar(length=catalog.PCS_CODES, label="Loading ICD-10-PCS") as bar:
                catalog.load_icd10pcs(progress=bar.update)
            t = time.perf_counter()
            entries = codes_index.index_all()
            result["index"] = {"entries": entries, "seconds": round(time.perf_counter() - t, 1)}
            session = requests.Session()
            session.headers.update({"Authorization": f"Bearer {key}",
                                    "Accept-Encoding": "identity"})
            stats = session.get(f"{meili.url}/indexes/{index_uid('codes')}/stats",
                                timeout=30).json()
            result["index"].update({
                "documents": stats.get("numberOfDocuments"),
                "raw_document_db_mb": round(stats.get("rawDocumentDbSize", 0) / 2**20, 1),
                "avg_document_bytes": stats.get("avgDocumentSize"),
                "meili_database_mb": round(
                    session.get(f"{meili.url}/stats", timeout=30).json()["databaseSize"]
                    / 2**20, 1)})

            def timed(fn, q) -> float:
                t = time.perf_counter()
                fn(q)
                return (time.perf_counter() - t) * 1000

            def raw(q):
                session.post(f"{meili.url}/indexes/{index_uid('codes')}/search",
                             json={"q": q, "limit": 30}, timeout=30).raise_for_status()

            def degraded(q):
                app.config["MEILI_URL"] = None
                try:
                    codes_index.lookup(q, limit=20)
                finally:
                    app.config["MEILI_URL"] = meili.url

            paths = {"app": lambda q: codes_index.lookup(q, limit=20), "meili": raw,
                     "degraded": degraded}
            for queries in MIX.values():  # untimed: caches and pages warm
                for q in queries:
                    for fn in paths.values():
                        fn(q)
            times = {(mix, path): [] for mix in MIX for path in paths}
            total = args.rounds * sum(len(q) for q in MIX.values()) * len(paths)
            with click.progressbar(length=total, label="Timing lookups") as bar:
                for _ in range(args.rounds):
                    for mix, queries in MIX.items():
                        for q in queries:
                            for path, fn in paths.items():
                                times[mix, path].append(timed(fn, q))
                                bar.update(1)
            result["latency"] = {f"{mix}/{path}": summary(ms) for (mix, path), ms in times.items()}
    finally:
        meili.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"lookup-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"\ncodes index: {result['index']['entries']:,} entries indexed in "
          f"{result['index']['seconds']} s; {result['index']['raw_document_db_mb']} MB of "
          f"documents, Meilisearch database {result['index']['meili_database_mb']} MB")
    print(f"{'mix':15}{'path':10}{'p50 ms':>9}{'p95 ms':>9}")
    for name, s in result["latency"].items():
        mix, p = name.split("/")
        print(f"{mix:15}{p:10}{s['p50_ms']:>9}{s['p95_ms']:>9}")
    worst = max(s["p95_ms"] for n, s in result["latency"].items() if n.endswith("/app"))
    print(f"lookup at full catalog size: app p95 {worst} ms at worst over {len(MIX)} mixes; "
          f"written to {path}")


if __name__ == "__main__":
    main()
