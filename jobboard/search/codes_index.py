"""The `codes` index: looking codes up by number or by words, with a database fallback."""
import logging
import re

from sqlalchemy import or_, select

from jobboard.codes import vocabulary
from jobboard.codes.formats import after_prefix, recognise
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
    """Codes for a number or words, ranked as a coder expects: (hits, degraded).

    An exact code first; then what the vocabulary says the words mean ("afib" is atrial
    fibrillation, I48; "Avastin" is J9035); then catalog entries whose title has the whole
    phrase, then every word whole, then the rest (a word inside another word, a typo: afib in
    afibrinogenemia never beats a whole-word match); within each, billable codes before
    headings. Each hit says why it matched (`why`)."""
    q = " ".join((q or "").split())[:100]
    if not q:
        return [], False
    degraded = False
    ref = recognise(q)
    wanted = limit if ref else min(100, max(limit * 3, 30))
    if not configured():
        hits = _sql_lookup(q, wanted)
    else:
        try:
            hits = through(lambda: _meili_lookup(q, wanted), (*SEARCH_ERRORS, TaskFailed))
        except CircuitOpen:  # known down: no timeout to wait for
            hits, degraded = _sql_lookup(q, wanted), True
        except (*SEARCH_ERRORS, TaskFailed) as e:
            log.warning("code lookup degraded to the database: %s", e)
            hits, degraded = _sql_lookup(q, wanted), True
    if ref:
        for hit in hits:
            hit["why"] = "the code itself" if hit["code"] == ref.code else "starts with it"
        if not any(h["code"] == ref.code for h in hits):
            # A well-formed code we have no entry for still has a page: say where it falls.
            from jobboard.codes.services import short_description
            hits.insert(0, {"system": ref.system, "code": ref.code, "kind": "code",
                            "title": short_description(ref), "why": "the code itself"})
        return hits[:limit], degraded
    by_words = rank_by_words(q, hits)
    if vocabulary.lookup(q) is not None:  # "UTI" is a term: "utilities" is only noise
        by_words = [h for h in by_words if h["grade"] < 2]
    ranked = [*vocabulary_hits(vocabulary.find(q)), *by_words]
    seen, unique = set(), []
    for hit in ranked:
        if (hit["system"], hit["code"]) not in seen:
            seen.add((hit["system"], hit["code"]))
            hit.pop("grade", None)
            unique.append(hit)
    return unique[:limit], degraded


PER_TARGET = 8  # codes shown for each code, category or range a vocabulary term names


def vocabulary_hits(found: list[vocabulary.Found]) -> list[dict]:
    """The codes the vocabulary's terms point at: for a category or PCS prefix its billable
    codes first, then the heading; for a CPT range the codes we describe in it, or the range
    itself."""
    hits: list[dict] = []
    for f in found:
        for target in f.term.targets:
            rows = _target_rows(target)
            hits += [{"system": r.system, "code": r.code, "title": _title(r), "kind": r.kind,
                      "why": f.reading} for r in rows]
            if not rows:  # a code or range the catalog does not describe: it still helps
                hits.append({"system": target.system, "code": target.code,
                             "kind": "range" if target.is_range else "code",
                             "title": f.term.means, "why": f.reading})
    return hits


def _target_rows(target: vocabulary.Target) -> list:
    stmt = select(CatalogCode).where(CatalogCode.system == target.system,
                                     CatalogCode.kind.in_((kinds.CODE, kinds.CATEGORY)))
    if target.is_range:
        low, high = target.code.split("-")
        stmt = stmt.where(CatalogCode.code.between(low, high), CatalogCode.kind == kinds.CODE)
    else:
        # The code and every code under it, within a range of the (system, code) index: a
        # LIKE prefix alone is not served by the index on SQLite (it read all 167,000).
        stmt = stmt.where(CatalogCode.code >= target.code,
                          CatalogCode.code.startswith(target.code, autoescape=True))
        if (after := after_prefix(target.code)) is not None:
            stmt = stmt.where(CatalogCode.code < after)
    return list(db.session.scalars(stmt.order_by(
        (CatalogCode.kind != kinds.CODE), CatalogCode.code).limit(PER_TARGET)))


def _whole(words: list[str], text: str) -> bool:
    return all(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text, re.IGNORECASE)
               for w in words)


def rank_by_words(q: str, hits: list[dict]) -> list[dict]:
    """Catalog hits for words, most exact first (see `lookup`), each with `why`."""
    words = q.split()

    def grade(hit) -> tuple[int, int]:
        text = hit.get("title") or ""
        if re.search(rf"(?<![\w]){re.escape(q)}(?![\w])", text, re.IGNORECASE):
            level, hit["why"] = 0, f"its title has “{q}”"
        elif _whole(words, text):
            level, hit["why"] = 1, "its title has each word"
        else:
            level, hit["why"] = 2, "close to the words (part of a word, or a spelling)"
        hit["grade"] = level
        return level, hit["kind"] != kinds.CODE

    return sorted(hits, key=grade)  # stable: the engine's order within a grade


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
        stmt = stmt.where(CatalogCode.code.startswith(q.upper(), autoescape=True))
    else:
        for word in q.split()[:6]:
            pattern = f"%{word.replace('%', '').replace('_', '')}%"
            stmt = stmt.where(or_(CatalogCode.title.ilike(pattern),
                                  CatalogCode.summary.ilike(pattern)))
        limit = SQL_CANDIDATES  # ranked by whole words after
    rows = db.session.scalars(stmt.order_by(CatalogCode.code).limit(limit)).all()
    return [{"system": r.system, "code": r.code, "title": _title(r), "kind": r.kind}
            for r in rows]


SQL_CANDIDATES = 300  # rows the database fallback ranks by whole words
