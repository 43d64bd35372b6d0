"""The JSON API: job search with the same parameters as the search page, single jobs, codes.

Every route is described by the pydantic models in `models.py` (spectree turns them into the
OpenAPI document at /api/v1/openapi.json); parameters are read by the same code as the pages
(`parse_args`), so the API and the site cannot disagree. Errors are RFC 9457 problem details.
"""
import re
from dataclasses import asdict
from decimal import Decimal
from functools import wraps

from flask import Blueprint, abort, current_app, render_template, request, url_for
from pydantic import ValidationError
from spectree import Response, SpecTree
from spectree.models import SecureType, SecurityScheme, SecuritySchemeData
from spectree.utils import get_model_key

from jobboard.api import models as m
from jobboard.api import tokens
from jobboard.codes import case
from jobboard.codes import services as code_services
from jobboard.codes.formats import CodeRef, recognise
from jobboard.errors import Conflict, InvalidInput, problem
from jobboard.extensions import csrf, limiter
from jobboard.insights import services as insights
from jobboard.insights.routes import SECTIONS, slice_from
from jobboard.jobs import services as job_services
from jobboard.limits import search_limit
from jobboard.links import with_query, with_query_varying
from jobboard.markdown import render_markdown
from jobboard.numbers import read_whole
from jobboard.search import reading
from jobboard.search import service as search
from jobboard.search.codes_index import lookup
from jobboard.search.documents import listing
from jobboard.search.query import parse_args

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # writes take a bearer token, never the session cookie: nothing to forge
docs = Blueprint("api_docs", __name__)
PROBLEM_TYPE = "application/problem+json"
# Only the document is used; spectree serves no pages of its own (`path` names nothing that
# exists: spectree leaves routes under it out of the document).
def _schema_name(model) -> str:
    """A schema's name in the OpenAPI document is its model's (Job, Listing), without the
    hash of its module spectree adds by default: one module holds every model of the API."""
    return getattr(model, "__name__", None) or get_model_key(model)


spec = SpecTree(
    "flask", mode="strict", path="_spectree", page_templates={}, annotations=False,
    naming_strategy=_schema_name, nested_naming_strategy=lambda parent, child: child,
    title="CodeBoard API", version="1",
    security_schemes=[SecurityScheme(name="token", data=SecuritySchemeData(
        type=SecureType.HTTP, scheme="bearer",
        description="A recruiter's API token (My jobs → API tokens), for writes."))],
    description="Medical coding jobs, searchable by the codes the work involves (CPT, HCPCS, "
                "ICD-10-CM, ICD-10-PCS). Reads are open (CORS allowed for GET). Errors are "
                "RFC 9457 problem details (application/problem+json).")


def documented(tag: str, query=None, json=None, security=None, **responses):
    """Describe a route in the OpenAPI document. Parameters are checked by the app's own
    parser (the same as the pages'), so spectree only documents (skip_validation).

    The view's dict is serialised here: handed a dict, spectree walks all of it looking for
    pydantic models to dump (a fifth of a search's time in the app, profiled)."""
    def decorator(view):
        @wraps(view)
        def serialised(*args, **kwargs):
            rv = view(*args, **kwargs)
            if isinstance(rv, tuple) and rv and isinstance(rv[0], dict):
                return (current_app.json.response(rv[0]), *rv[1:])
            return current_app.json.response(rv) if isinstance(rv, dict) else rv
        return spec.validate(query=query, json=json, resp=Response(**responses), tags=[tag],
                             security=security, skip_validation=True)(serialised)
    return decorator


def api_hits(page) -> list[dict]:
    """The hits as the API serves them, from the stored listings or from rows: one shape."""
    listings = page.listings if page.listings is not None else [listing(j) for j in page.jobs]
    # url_for once per request, not per code tag: the prefixes are the same for every hit.
    # (templating.code_url does the same per tag through `g`; called for each of a search's
    # ~80 tags here it cost 0.4 ms of the API's 3.4 ms of CPU, measured, so not shared.)
    code_url = url_for("codes.page", code="0", _external=True)[:-1]
    job_url = url_for("jobs.detail", job_id=1, _external=True)[:-1]
    return [{**item, "codes": [{**c, "url": code_url + c["code"]} for c in item["codes"]],
             "url": f"{job_url}{item['id']}"} for item in listings]


@bp.get("/")
@documented("about", HTTP_200=m.Index)
def index():
    """The API's endpoints and where it is documented."""
    endpoints = []
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        view = current_app.view_functions[rule.endpoint]
        if rule.endpoint.startswith("api.") and view.__doc__:
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)  # OpenAPI's way
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                endpoints.append({"method": method, "path": path,
                                  "summary": view.__doc__.strip().splitlines()[0]})
    return {"name": "CodeBoard API", "version": "1",
            "documentation": url_for("api_docs.page", _external=True),
            "openapi": url_for("api.openapi", _external=True), "endpoints": endpoints}


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return document()


@docs.get("/api/docs")
def page():
    """The API's documentation, read from the OpenAPI document by Swagger UI (from npm)."""
    return render_template("api/docs.html")


def document() -> dict:
    """spectree's document, with the error responses typed as problem details."""
    doc = spec.spec
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status.startswith("4") and "application/json" in content:
                    answer["content"] = {PROBLEM_TYPE: content.pop("application/json")}
    return doc


@bp.get("/jobs")
@search_limit
@documented("jobs", query=m.JobsQuery, HTTP_200=m.JobsPage, HTTP_400=m.Problem,
            HTTP_429=m.Problem)
def jobs():
    """Search open jobs by code, specialty, credential, place, pay and words."""
    query = parse_args(request.args)
    if query.problems:
        return problem(400, "Some parameters are not valid; nothing was searched.",
                       errors=[{"parameter": p.param, "detail": p.message}
                               for p in query.problems])
    page = search.search_jobs(query, hydrate=False)
    read = reading.read(query, page.total)
    return {"hits": api_hits(page), "total": page.total, "page": page.page,
            "per_page": page.per_page, "facets": page.facets, "degraded": page.degraded,
            "notes": query.notes, "reading": reading_json(read, query),
            "links": page_links(query, page.page, page.per_page, page.total)}


def search_url(**args) -> str:
    return with_query("api.jobs", args, external=True)


def this_search_with(query, key: str):
    """This search, as read, with `key` set to each value given (search_url's twin)."""
    return with_query_varying("api.jobs", query.args.to_dict(flat=False), key, external=True)


def page_links(query, page: int, per_page: int, total: int) -> dict:
    last = max(1, -(-total // per_page))
    at = this_search_with(query, "page")
    return {"self": at(page), "first": at(1), "prev": at(page - 1) if page > 1 else None,
            "next": at(page + 1) if page < last else None, "last": at(last)}


def reading_json(read: reading.Reading, query) -> dict:
    """How the query was read, for API clients to show as the page does."""
    without = this_search_with(query, "q")
    return {
        "filters_from_words": [
            {"word": wf.word, "parameter": wf.filter.param, "value": wf.value,
             "label": wf.label,
             "search_the_word": with_query("api.jobs", query.args_searching_word(wf),
                                           external=True)}
            for wf in query.word_filters],
        "summary": read.headline_text,
        "parts": [{"kind": p.kind, "label": p.label, "code": p.code, "title": p.title,
                   "without": without(p.remove_q)}
                  for p in read.parts],
        "modifiers": read.modifiers,
        "meanings": [{"typed": m.found.typed, "means": m.found.term.means,
                      "codes": [{"system": t.system, "code": t.code}
                                for t in m.found.term.targets],
                      "reading": m.text,
                      "also": (f"the state {m.state[1]}" if m.state else m.found.term.also_text)}
                     for m in read.meanings],
        "suggestions": [{"message": s.message,
                         "did_you_mean": [{"code": code, "system": "ICD-10-CM",
                                           "url": search_url(q=q)}
                                          for code, q in s.options]}
                        for s in read.suggestions],
        "no_open_jobs_for": read.empty_codes,
        "nearest_family": {"prefix": read.nearest_family[0], "open_jobs": read.nearest_family[1],
                           "url": search_url(family=read.nearest_family[0])}
        if read.nearest_family else None,
    }


@bp.get("/jobs/<int:job_id>")
@documented("jobs", HTTP_200=m.Job, HTTP_404=m.Problem)
def job(job_id: int):
    """One job in full: any public job, and your own company's others with its token.

    Drafts, jobs waiting for review and removed jobs answer 404 to everyone else."""
    user = _bearer_user() if _bearer() else None
    found = job_services.visible_job(job_id, user)
    if found is None or not found.is_visible_to(user):
        abort(problem(404, f"There is no public job {job_id}: it may never have existed, or "
                           "is not published yet."))
    return _job_response(found)


def _job_response(found, status: int = 200):
    titles = code_services.titles_for([CodeRef(c.system, c.code) for c in found.codes])
    body = job_json(found, titles)
    response = current_app.json.response(body)
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("api.job", job_id=found.id, _external=True)
        return response
    response.last_modified = found.updated_at
    response.add_etag()  # of the body: a job changes its ETag when anything shown changes
    response.headers["Cache-Control"] = "no-cache"  # revalidate; cheap with the ETag
    return response.make_conditional(request) if request.method == "GET" else response


# What a listing (a search hit) and a full job both say: written once, by `listing`, which
# the search documents store; the full job adds the rest. The schema's JobFacts names them.
SHARED_FACTS = tuple(name for name in m.JobFacts.model_fields if name != "url")


def job_json(job, titles: dict[str, str]) -> dict:
    facts = listing(job)
    return {
        **{name: facts[name] for name in SHARED_FACTS},
        "status": job.display_status(), "open": job.is_open(),
        "company": {"name": job.company.name, "verified": job.company.is_verified,
                    "website": job.company.website,
                    "url": url_for("jobs.company", slug=job.company.slug, _external=True)},
        "description_markdown": job.description,
        "description_html": str(render_markdown(job.description)),
        "codes": [{"system": c.system, "code": c.code, "title": titles.get(c.code),
                   "url": url_for("codes.page", code=c.code, _external=True)}
                  for c in job.codes],
        "preferred_credentials": job.preferred_credentials,
        "salary_annual_min": job.annual_salary_min, "salary_annual_max": job.annual_salary_max,
        "min_years": job.min_years, "charts_per_day": job.charts_per_day,
        "accuracy_pct": _number(job.accuracy_pct), "updated_at": _iso(job.updated_at),
        "url": url_for("jobs.detail", job_id=job.id, _external=True),
        "apply_url": url_for("jobs.detail", job_id=job.id, _external=True) + "#apply",
    }


def _number(value):
    return float(value) if value is not None else None


def _iso(value):
    return value.isoformat() if value else None


@bp.get("/codes")
@documented("codes", query=m.CodesQuery, HTTP_200=m.CodeHits, HTTP_400=m.Problem)
def codes():
    """Look codes up by number or by words."""
    q = request.args.get("q", "")
    limit = request.args.get("limit", "10")
    errors = []
    if len(q) > 100:
        errors.append({"parameter": "q", "detail": "q is at most 100 characters."})
    if not (limit := read_whole(limit, longest=1000)):  # any size: clamped to 50 below
        errors.append({"parameter": "limit", "detail": "limit is a whole number from 1."})
    if errors:
        return problem(400, "Some parameters are not valid.", errors=errors)
    hits, degraded = lookup(q, limit=min(50, limit))
    for hit in hits:
        hit["url"] = url_for("codes.page", code=hit["code"], _external=True) \
            if recognise(hit["code"]) else None
    return {"hits": hits, "degraded": degraded}


@bp.post("/codes/case")
@documented("codes", json=m.CaseIn, HTTP_200=m.CaseCodes, HTTP_400=m.Problem,
            HTTP_422=m.Problem)
def case_codes():
    """Candidate codes for a short case note (plain text), per system, each with the phrase
    it came from and the open jobs needing it: codes to look up, not codes to bill. The note
    is sent in the body, never in the address."""
    body, error = _body(m.CaseIn)
    if error:
        return error
    if (bad := case.CASE_NOTE.problem(body.text)) is not None or not body.text.strip():
        return problem(422, "The case note is not valid.", errors=[
            {"pointer": "#/text", "detail": bad or "Send a case note of a few words."}])
    return case.as_json(case.read_case(body.text),
                        lambda code: url_for("codes.page", code=code, _external=True))


@bp.get("/codes/<code>")
@documented("codes", HTTP_200=m.Code, HTTP_404=m.Problem)
def code(code: str):
    """A code: what it is, where it sits, and how many open jobs need it."""
    ref = recognise(code)
    if ref is None:
        return problem(404, f'"{code[:40]}" is not a CPT, HCPCS, ICD-10-CM or ICD-10-PCS code.',
                       suggestions=[s.code for s in code_services.suggestions(code)])
    info = code_services.describe(ref)
    under = code_services.is_heading(info)  # C92: the jobs with codes under it
    return {
        "system": ref.system, "code": ref.code, "in_catalog": info.in_catalog,
        "kind": info.kind, "title": info.title, "summary": info.summary,
        "hierarchy": [{"code": c.code, "title": c.title, "kind": c.kind}
                      for c in info.breadcrumbs],
        "children": [{"code": c.code, "title": c.title} for c in info.children],
        "related": [{"code": c, "title": t} for c, t in info.related],
        "specialties": info.specialties, "notes": info.notes, "notice": info.notice,
        "reference_url": info.reference_url,
        "open_jobs": code_services.open_job_count(ref, under),
        "jobs_url": url_for("jobs.browse", **code_services.jobs_search(ref, under),
                            _external=True),
        "url": url_for("codes.page", code=ref.code, _external=True)}


# ---------------------------------------------------------------- writes, with a token


def _bearer() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _bearer_user():
    token = _bearer()
    return tokens.user_for_token(token) if token else None


def token_key() -> str:
    """Writes are limited per token (per address without one)."""
    token = _bearer()
    return "token:" + tokens.digest(token) if token else "addr:" + (request.remote_addr or "")


def token_limit() -> str:
    return current_app.config["RATELIMIT_API_TOKEN"]


def token_required(view):
    """A write: the recruiter whose live token came with the request is passed as `user`;
    without one, a 401. The session cookie is never looked at."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        user = _bearer_user()
        if user is None:
            return _unauthorized(tokens.refusal(_bearer()))
        return view(*args, user=user, **kwargs)
    return wrapped


def _unauthorized(detail: str):
    response = problem(401, detail)
    response.headers["WWW-Authenticate"] = 'Bearer realm="CodeBoard API"'
    return response


def _body(model):
    """The JSON body read into `model`, or a problem naming each bad member."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, problem(400, "Send a JSON object (Content-Type: application/json).")
    try:
        return model.model_validate(data), None
    except ValidationError as e:
        return None, problem(422, "Some fields are not valid; nothing was saved.", errors=[
            {"pointer": "#/" + "/".join(str(p) for p in err["loc"]), "detail": err["msg"]}
            for err in e.errors()])


def _invalid(e: InvalidInput):
    return problem(422, "Some fields are not valid; nothing was saved.", errors=[
        {"pointer": f"#/{name}", "detail": message}
        for name, messages in e.errors.items() for message in messages])


def _own_job(job_id: int, user):
    found = job_services.visible_job(job_id, user)
    if found is None or not found.is_managed_by(user):
        # another company's job answers like a missing one
        abort(problem(404, f"Your company has no job {job_id}."))
    return found


WRITE_ERRORS = dict(HTTP_400=m.Problem, HTTP_401=m.Problem, HTTP_404=m.Problem,
                    HTTP_409=m.Problem, HTTP_422=m.Problem, HTTP_429=m.Problem)


LIST_MEMBERS = ("specialties", "required_credentials", "preferred_credentials")


def _fields(data: dict) -> job_services.JobFields:
    """The body as the form's fields: null lists are empty, null codes are none (the rules
    then say what is missing), amounts are exact decimals."""
    money = {k: Decimal(str(v)) if v is not None else None
             for k, v in data.items() if k in ("salary_min", "salary_max", "accuracy_pct")}
    empty = {k: [] for k in LIST_MEMBERS if k in data and data[k] is None}
    if "codes" in data and data["codes"] is None:
        empty["codes"] = ""
    return job_services.JobFields(**{**data, **money, **empty})


@bp.post("/jobs")
@documented("jobs", json=m.JobIn, security={"token": []}, HTTP_201=m.Job,
            **{k: v for k, v in WRITE_ERRORS.items() if k != "HTTP_404"})
@limiter.limit(token_limit, key_func=token_key)
@token_required
def create_job(user):
    """Create a job as a draft, or publish it (`publish: true`); same rules as the form."""
    body, error = _body(m.JobIn)
    if error:
        return error
    data = body.model_dump(exclude={"publish"})
    try:
        made = job_services.create_job(user.company, user, _fields(data))
    except InvalidInput as e:
        return _invalid(e)
    if body.publish:
        try:
            job_services.publish_job(made, user)
        except Conflict as e:  # saved as a draft: the answer says why it is not published
            response = _job_response(made, 201)
            response.headers["Warning"] = "299 - " + str(e).replace('"', "'")[:200]
            return response
    return _job_response(made, 201)


@bp.patch("/jobs/<int:job_id>")
@documented("jobs", json=m.JobPatch, security={"token": []}, HTTP_200=m.Job, **WRITE_ERRORS)
@limiter.limit(token_limit, key_func=token_key)
@token_required
def update_job(job_id: int, user):
    """Change some fields of one of your company's jobs; the others keep their values."""
    found = _own_job(job_id, user)
    body, error = _body(m.JobPatch)
    if error:
        return error
    current = job_services.to_fields(found).__dict__
    changes = body.model_dump(exclude_unset=True)
    try:
        job_services.update_job(found, user, _fields({**current, **changes}))
    except InvalidInput as e:
        return _invalid(e)
    return _job_response(found)


@bp.post("/jobs/<int:job_id>/publish")
@documented("jobs", security={"token": []}, HTTP_200=m.Job, **WRITE_ERRORS)
@limiter.limit(token_limit, key_func=token_key)
@token_required
def publish_job(job_id: int, user):
    """Publish a draft (or put it in the review queue when your company's jobs are reviewed)."""
    found = _own_job(job_id, user)
    try:
        job_services.publish_job(found, user)
    except InvalidInput as e:
        return _invalid(e)
    except Conflict as e:
        return problem(409, str(e))
    return _job_response(found)


@bp.post("/jobs/<int:job_id>/close")
@documented("jobs", json=m.CloseIn, security={"token": []}, HTTP_200=m.Job, **WRITE_ERRORS)
@limiter.limit(token_limit, key_func=token_key)
@token_required
def close_job(job_id: int, user):
    """Close one of your company's published jobs (`outcome`: closed or filled)."""
    found = _own_job(job_id, user)
    if request.get_data():
        body, error = _body(m.CloseIn)
        if error:
            return error
    else:
        body = m.CloseIn()
    try:
        job_services.close_job(found, user, body.outcome)
    except Conflict as e:
        return problem(409, str(e))
    return _job_response(found)


@bp.get("/insights/pay")
@documented("insights", query=m.InsightsQuery, HTTP_200=m.PayInsight, HTTP_400=m.Problem)
def insights_pay():
    """What jobs pay, overall and by credential, specialty, state and setting."""
    s, ignored = slice_from(request.args)
    insight = insights.pay_insight(s, tuple(name for name, _ in SECTIONS))
    # The slices this endpoint reads never name a code (nor what is under one).
    return {"slice": {k: v for k, v in asdict(s).items() if k not in ("code", "under")},
            "min_jobs": insights.MIN_JOBS, "overall": asdict(insight.overall),
            "by": {name: [asdict(g) for g in groups] for name, groups in insight.groups.items()},
            "ignored": ignored}
