"""The `codes` index: looking codes up by number or by words, with a database fallback."""
import logging

from sqlalchemy import or_, select

from jobboard.codes.formats import recognise
from jobboard.extensions import db
from jobboard.models import CatalogCode
from jobboard.models import code as kinds
from jobboard.search.breaker import CircuitOpen, through
from jobboard.search.client import (
    SEARCH_ERRORS,
    client,
    configured,
    index_uid,
    search,
    wait,
)
from jobboard.search.sync import TaskFailed, check_task, index_exists

log = logging.getLogger(__name__)
SETTINGS = {
    "searchableAttributes": ["code", "code_compact", "title", "summary"],
    "displayedAttributes": ["id", "system", "code", "title", "kind"],
    "filterableAttributes": ["system", "kind", "code", "code_compact"],
    "typoTolerance": {"disableOnAttributes": ["code", "code_compact"], "disableOnNumbers": True},
    "pagination": {"maxTotalHits": 1000},
}
LOOKUP_KINDS = (kinds.CODE, kinds.CATEGORY, kinds.RANGE, kinds.SECTION, kinds.BLOCK)


def _doc(row) -> dict:
    return {"id": f"{row.system}_{row.code}".replace(".", "_"), "system": row.system,
            "code": row.code, "code_compact": row.code.replace(".", ""),
            # a CPT descriptor is only ours to show when a licensed file was imported; else
            # our own summary stands in for it
            "title": row.title if row.system != "CPT" or row.licensed or row.kind != kinds.CODE
            else row.summary, "summary": row.summary, "kind": row.kind}


def index_all(batch: int = 10_000) -> int:
    """Put the whole catalog in the codes index (after `codes load` or `codes import`)."""
    uid = index_uid("codes")
    c = client()
    if not index_exists(uid):
        check_task(wait(c.create_index(uid, {"primaryKey": "id"}).task_uid))
    check_task(wait(c.index(uid).update_settings(SETTINGS).task_uid, 60_000))
    rows = db.session.execute(select(CatalogCode.system, CatalogCode.code, CatalogCode.title,
                                     CatalogCode.summary, CatalogCode.kind,
                                     CatalogCode.licensed)).all()
    tasks = [c.index(uid).add_documents([_doc(r) for r in rows[i:i + batch]], primary_key="id")
             .task_uid for i in range(0, len(rows), batch)]
    for task in tasks:
        check_task(wait(task, 600_000))
    return len(rows)


def _title(row) -> str | None:
    return _doc(row)["title"]


def lookup(q: str, limit: int = 20) -> tuple[list[dict], bool]:
    """Codes matching a number or words: (hits, degraded)."""
    q = " ".join((q or "").split())[:100]
    if not q:
        return [], False
    degraded = False
    if not configured():
        hits = _sql_lookup(q, limit)
    else:
        try:
            hits = through(lambda: _meili_lookup(q, limit), (*SEARCH_ERRORS, TaskFailed))
        except CircuitOpen:  # known down: no timeout to wait for
            hits, degraded = _sql_lookup(q, limit), True
        except (*SEARCH_ERRORS, TaskFailed) as e:
            log.warning("code lookup degraded to the database: %s", e)
            hits, degraded = _sql_lookup(q, limit), True
    ref = recognise(q)
    if ref and not any(h["code"] == ref.code for h in hits):
        # A well-formed code we have no entry for still has a page: say where it falls.
        from jobboard.codes.services import short_description
        hits.insert(0, {"system": ref.system, "code": ref.code,
                        "title": short_description(ref), "kind": "code"})
    return hits, degraded


def _meili_lookup(q: str, limit: int) -> list[dict]:
    ref = recognise(q)
    if ref:  # a whole code: exactly that code, never a neighbour by typo
        result = search("codes", "", {"filter": f'code = "{ref.code}"', "limit": limit})
    else:
        result = search("codes", q, {"limit": limit})
    return [{"system": h["system"], "code": h["code"], "title": h.get("title"),
             "kind": h["kind"]} for h in result["hits"]]


def _sql_lookup(q: str, limit: int) -> list[dict]:
    ref = recognise(q)
    stmt = select(CatalogCode).where(CatalogCode.kind.in_(LOOKUP_KINDS))
    if ref:
        stmt = stmt.where(CatalogCode.code == ref.code)
    elif q.replace(".", "").isalnum() and any(ch.isdigit() for ch in q):
        stmt = stmt.where(CatalogCode.code.startswith(q.upper()))
    else:
        for word in q.split()[:6]:
            pattern = f"%{word.replace('%', '').replace('_', '')}%"
            stmt = stmt.where(or_(CatalogCode.title.ilike(pattern),
                                  CatalogCode.summary.ilike(pattern)))
    rows = db.session.scalars(stmt.order_by(CatalogCode.code).limit(limit)).all()
    return [{"system": r.system, "code": r.code, "title": _title(r), "kind": r.kind}
            for r in rows]
