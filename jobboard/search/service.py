"""Job search for the web layer: Meilisearch when it answers, the database when it does not."""
import logging
from dataclasses import replace
from datetime import timedelta

from markupsafe import Markup, escape
from sqlalchemy import select

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import Job
from jobboard.models.job import listing_loads
from jobboard.search import client as search_client
from jobboard.search import sql
from jobboard.search.breaker import CircuitOpen, cooldown, through
from jobboard.search.filters import FILTERS, any_of
from jobboard.search.query import JobQuery
from jobboard.search.results import SearchPage
from jobboard.search.settings import FACETS

log = logging.getLogger(__name__)
# A list of codes is ranked in the app over this many matches (a list of specific codes
# rarely matches more; beyond it, the order is newest first).
RANKED_WINDOW = 1000
_PRE, _POST = "\x02", "\x03"  # markers that cannot occur in a title, swapped for <mark>


def _highlight(formatted: str) -> Markup:
    return Markup(str(escape(formatted)).replace(_PRE, "<mark>").replace(_POST, "</mark>"))


def code_filter(query: JobQuery) -> str | None:
    """Every code part of the query, any of them: exact codes, what is under an ICD-10-CM
    code or a family, CPT ranges."""
    ors = []
    if query.codes:
        ors.append(any_of("codes", query.codes))
    if query.prefixes:
        ors.append(any_of("code_prefixes", query.prefixes))
    ors += [f"cpt_numbers {low} TO {high}" for low, high in query.ranges]
    return f"({' OR '.join(ors)})" if ors else None


def meili_filter(query: JobQuery, now) -> list[str]:
    # Expired jobs leave the index when `jobs expire` runs; until then this keeps them out.
    clauses = [f"expires_at > {int(now.timestamp())}"]
    if codes := code_filter(query):
        clauses.append(codes)
    if query.family:
        clauses.append(any_of("code_prefixes", [query.family]))
    for f in FILTERS:
        if values := query.filters.get(f.param):
            clauses.append(any_of(f.attribute, values))
    if query.salary_min:
        clauses.append(f"salary_annual_max >= {query.salary_min}")
    if query.posted_within:
        since = now - timedelta(days=query.posted_within)
        clauses.append(f"published_at >= {int(since.timestamp())}")
    if query.published_after:
        # The index keeps whole seconds; the caller drops what it has seen already.
        clauses.append(f"published_at >= {int(query.published_after.timestamp())}")
    return clauses


def search_params(query: JobQuery, now) -> dict:
    """The Meilisearch search body for a query (the benchmark sends the same one raw)."""
    params = {
        "q": query.words,
        "matchingStrategy": "all",
        "filter": meili_filter(query, now),
        "facets": list(FACETS),
        "page": query.page,
        "hitsPerPage": query.per_page,
        "attributesToRetrieve": ["id"],
        "attributesToHighlight": ["title"],
        "highlightPreTag": _PRE,
        "highlightPostTag": _POST,
        "showMatchesPosition": bool(query.words),
    }
    if query.ranked_by_codes:
        # Ranked here by how many of the codes each job has: fetch the window, newest first.
        params.update(page=1, hitsPerPage=RANKED_WINDOW, sort=["published_at:desc"],
                      attributesToRetrieve=["id", "codes", "code_prefixes"])
    elif query.sort == "newest" or (query.sort == "relevance" and not query.words):
        params["sort"] = ["published_at:desc"]
    elif query.sort == "salary":
        params["sort"] = ["salary_annual_max:desc", "published_at:desc"]
    return params


def search_requests(query: JobQuery, now, uid: str,
                    listings: bool = False) -> tuple[list[dict], list[str]]:
    """The multi-search the app sends: the search itself, then for each filter group in use
    its counts as if that group were not selected, so a coder can widen Cardiology to
    Cardiology or Radiology (disjunctive facets). With `listings` (the API) the hits carry
    their stored listings. Returns (queries, the facet each extra query counts)."""
    queries = [{"indexUid": uid, **search_params(query, now)}]
    if listings:
        # The API serves the stored listing as it is: no highlighted title, no matched
        # meanings, so Meilisearch is not asked to work them out.
        for unused in ("attributesToHighlight", "highlightPreTag", "highlightPostTag",
                       "showMatchesPosition"):
            queries[0].pop(unused)
        queries[0]["attributesToRetrieve"] = [*queries[0]["attributesToRetrieve"], "listing"]
    attributes = []
    for f in FILTERS:
        if query.filters.get(f.param):
            without = replace(query, filters={**query.filters, f.param: []})
            attributes.append(f.attribute)
            queries.append({"indexUid": uid, "q": query.words, "matchingStrategy": "all",
                            "filter": meili_filter(without, now), "facets": [f.attribute],
                            "limit": 0})
    return queries, attributes


def meili_search(query: JobQuery, hydrate: bool = True) -> SearchPage:
    now = utcnow()
    queries, attributes = search_requests(query, now, search_client.index_uid("jobs"),
                                          listings=not hydrate)
    reply = search_client.multi_search(queries)
    # While Meilisearch searches, the API reads which jobs' documents may be behind the
    # database (the page loads each hit's row after the reply instead).
    behind = sql.jobs_behind_index() if not hydrate else None
    results = reply()["results"]
    result = results[0]
    for attribute, counts in zip(attributes, results[1:], strict=True):
        result.setdefault("facetDistribution", {})[attribute] = \
            counts.get("facetDistribution", {}).get(attribute, {})
    hits = result["hits"]
    if query.ranked_by_codes:
        hits = sorted(hits, key=lambda h: -query.codes_matched(set(h.get("codes", [])),
                                                               set(h.get("code_prefixes", []))))
        start = (query.page - 1) * query.per_page
        hits = hits[start:start + query.per_page]
    ids = [hit["id"] for hit in hits]
    page = SearchPage(jobs=[], total=result.get("totalHits", len(hits)), page=query.page,
                      per_page=query.per_page, facets=result.get("facetDistribution", {}))
    if not hydrate and all("listing" in hit for hit in hits):  # else: indexed before listings
        # The database is the truth: a hit whose job closed a moment ago (its index update
        # still pending) is dropped, without loading the rows. Only the hits behind the index
        # are checked; all of them when too many jobs are behind to list.
        suspects = ids if behind is None else [i for i in ids if i in behind]
        closed = set(suspects) - sql.still_open(suspects, now)
        page.listings = [hit["listing"] for hit in hits if hit["id"] not in closed]
        return page
    by_id = {job.id: job for job in db.session.scalars(
        select(Job).where(Job.id.in_(ids))
        .options(*listing_loads()))}
    # The database is the truth: a hit whose job closed a moment ago is left out.
    page.jobs = [by_id[i] for i in ids if i in by_id and by_id[i].is_open(now)]
    page.highlights = {hit["id"]: {"title": _highlight(hit["_formatted"]["title"])}
                       for hit in hits if _PRE in hit.get("_formatted", {}).get("title", "")}
    page.reasons = _reasons(hits, by_id)
    return page


def _reasons(hits: list[dict], by_id: dict[int, Job]) -> dict[int, str]:
    """For hits found only through what their codes mean, the meaning that matched."""
    reasons = {}
    for hit in hits:
        matched = hit.get("_matchesPosition") or {}
        job = by_id.get(hit["id"])
        if job is None or set(matched) != {"code_meanings"}:
            continue
        position = matched["code_meanings"][0]
        meanings = job.code_meanings or []
        index = (position.get("indices") or [0])[0]
        if index >= len(meanings):
            continue
        # Meilisearch names one matching line; the job's own code comes before its ancestors,
        # so the first line with the same word is the most specific explanation.
        word = meanings[index][position["start"]:position["start"] + position["length"]].lower()
        reasons[job.id] = next((m for m in meanings if word and word in m.lower()),
                               meanings[index])
    return reasons


def search_jobs(query: JobQuery, hydrate: bool = True) -> SearchPage:
    """Meilisearch when it answers, else the database. hydrate=False (the API) may answer
    with the stored listings instead of rows (`page.listings`)."""
    if query.reads_as_nothing:  # "E119": the reading offers E11.9 instead of every job
        return SearchPage(jobs=[], total=0, page=query.page, per_page=query.per_page,
                          listings=None if hydrate else [])
    if not search_client.configured():
        return sql.search_jobs(query)
    try:
        return through(lambda: meili_search(query, hydrate), search_client.SEARCH_ERRORS)
    except CircuitOpen:
        pass  # known down: no timeout to wait for
    except search_client.SEARCH_ERRORS as e:
        log.warning("search unavailable, answering from the database for %ss: %s",
                    cooldown(), e)
    return sql.search_jobs(query, degraded=True)


def browse_latest(n: int) -> list[Job]:
    return sql.search_jobs(JobQuery(sort="newest", per_page=n), facets=False).jobs
