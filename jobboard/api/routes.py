"""The JSON API: job search with the same parameters as the search page."""
from flask import Blueprint, jsonify, request, url_for

from jobboard.codes import services as code_services
from jobboard.codes.formats import recognise
from jobboard.search import reading
from jobboard.search import service as search
from jobboard.search.codes_index import lookup
from jobboard.search.documents import listing
from jobboard.search.query import parse_args

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def api_hits(page) -> list[dict]:
    """The hits as the API serves them, from the stored listings or from rows: one shape."""
    listings = page.listings if page.listings is not None else [listing(j) for j in page.jobs]
    # url_for once per request, not per code tag: the prefixes are the same for every hit.
    code_url = url_for("codes.page", code="0", _external=True)[:-1]
    job_url = url_for("jobs.detail", job_id=1, _external=True)[:-1]
    return [{**item, "codes": [{**c, "url": code_url + c["code"]} for c in item["codes"]],
             "url": f"{job_url}{item['id']}"} for item in listings]


@bp.get("/jobs")
def jobs():
    query = parse_args(request.args)
    if query.problems:
        return jsonify(error={"status": 400, "title": "Bad Request",
                              "message": "Some parameters are not valid; nothing was searched.",
                              "problems": query.problems}), 400
    page = search.search_jobs(query, hydrate=False)
    read = reading.read(query, page.total)
    return jsonify(hits=api_hits(page), total=page.total, page=page.page,
                   per_page=page.per_page, facets=page.facets, degraded=page.degraded,
                   notes=query.notes, reading=reading_json(read))


def reading_json(read: reading.Reading) -> dict:
    """How the query was read, for API clients to show as the page does."""
    return {
        "summary": read.headline_text,
        "parts": [{"kind": p.kind, "label": p.label, "code": p.code, "title": p.title,
                   "without": url_for("api.jobs", **{**request.args.to_dict(flat=False),
                                                     "q": p.remove_q}, _external=True)}
                  for p in read.parts],
        "modifiers": read.modifiers,
        "suggestions": [{"message": s.message,
                         "did_you_mean": [{"code": code, "system": "ICD-10-CM",
                                           "url": url_for("api.jobs", q=q, _external=True)}
                                          for code, q in s.options]}
                        for s in read.suggestions],
        "no_open_jobs_for": read.empty_codes,
        "nearest_family": {"prefix": read.nearest_family[0], "open_jobs": read.nearest_family[1],
                           "url": url_for("api.jobs", family=read.nearest_family[0],
                                          _external=True)} if read.nearest_family else None,
    }


@bp.get("/codes")
def codes():
    q = request.args.get("q", "")
    if len(q) > 100:
        return jsonify(error={"status": 400, "title": "Bad Request",
                              "message": "q is at most 100 characters."}), 400
    hits, degraded = lookup(q, limit=min(50, max(1, request.args.get("limit", 10, type=int))))
    for hit in hits:
        hit["url"] = url_for("codes.page", code=hit["code"], _external=True) \
            if recognise(hit["code"]) else None
    return jsonify(hits=hits, degraded=degraded)


@bp.get("/codes/<code>")
def code(code: str):
    ref = recognise(code)
    if ref is None:
        return jsonify(error={"status": 404, "title": "Not Found",
                              "message": f'"{code}" is not a CPT, HCPCS, ICD-10-CM or '
                                         "ICD-10-PCS code.",
                              "suggestions": [s.code for s in code_services.suggestions(code)]}), 404
    info = code_services.describe(ref)
    return jsonify(
        system=ref.system, code=ref.code, in_catalog=info.in_catalog, kind=info.kind,
        title=info.title, summary=info.summary,
        hierarchy=[{"code": c.code, "title": c.title, "kind": c.kind} for c in info.breadcrumbs],
        children=[{"code": c.code, "title": c.title} for c in info.children],
        related=[{"code": c, "title": t} for c, t in info.related],
        specialties=info.specialties, notes=info.notes, notice=info.notice,
        reference_url=info.reference_url,
        open_jobs=code_services.open_job_count(ref),
        jobs_url=url_for("jobs.browse", code=ref.code, _external=True),
        url=url_for("codes.page", code=ref.code, _external=True))
