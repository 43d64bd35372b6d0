"""The public API: its OpenAPI document, problem details, single jobs with validators, CORS,
and a fuzz run of every read endpoint against the document (schemathesis)."""
import hypothesis
import schemathesis
from openapi_spec_validator import validate

from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import Job, User
from tests import factories as make


def test_the_openapi_document_is_valid_and_lists_every_endpoint(client):
    r = client.get("/api/v1/openapi.json")
    doc = r.json
    validate(doc)  # raises on an invalid OpenAPI 3.1 document
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {"/api/v1/", "/api/v1/jobs", "/api/v1/jobs/{job_id}",
                                 "/api/v1/jobs/{job_id}/publish", "/api/v1/jobs/{job_id}/close",
                                 "/api/v1/codes", "/api/v1/codes/{code}", "/api/v1/codes/case",
                                 "/api/v1/insights/pay"}
    assert doc["paths"]["/api/v1/jobs"]["post"]["security"] == [{"token": []}]
    assert doc["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    bad = doc["paths"]["/api/v1/jobs"]["get"]["responses"]["400"]["content"]
    assert list(bad) == ["application/problem+json"]
    params = {p["name"] for p in doc["paths"]["/api/v1/jobs"]["get"]["parameters"]}
    assert {"q", "code", "specialty", "credential", "state", "salary_min", "page"} <= params
    # Schemas are named as the API's models are, without spectree's hash of their module.
    assert {"Job", "Listing", "JobsPage", "Reading", "Problem"} <= set(doc["components"]["schemas"])
    assert not [name for name in doc["components"]["schemas"] if "." in name]
    # The enums of the filter parameters come from the one filter table.
    from jobboard.search.filters import BY_PARAM
    modes = doc["components"]["schemas"]["JobsQuery"]["properties"]["work_mode"]["anyOf"][0]
    assert modes["items"]["enum"] == list(BY_PARAM["work_mode"].vocabulary)
    index = client.get("/api/v1/").json
    assert {"method": "GET", "path": "/api/v1/jobs/{job_id}",
            "summary": "One job in full: any public job, and your own company's others with "
                       "its token."} in index["endpoints"]
    assert {"method": "PATCH", "path": "/api/v1/jobs/{job_id}",
            "summary": "Change some fields of one of your company's jobs; the others keep "
                       "their values."} in index["endpoints"]
    assert index["openapi"].endswith("/api/v1/openapi.json")


def test_the_docs_page_reads_the_document_with_swagger_ui_from_npm(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert 'data-spec="/api/v1/openapi.json"' in page
    assert "/vendor/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    with client.get("/vendor/swagger-ui-bundle.js") as bundle:
        assert bundle.status_code == 200
    assert 'href="/api/docs"' in client.get("/").get_data(as_text=True)  # footer link


def test_errors_are_problem_details_naming_each_bad_parameter(client):
    r = client.get("/api/v1/jobs?page=0&state=ZZ&sort=best")
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    body = r.json
    assert body["title"] == "Bad Request" and body["status"] == 400 and "hits" not in body
    assert {e["parameter"] for e in body["errors"]} == {"page", "state", "sort"}
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = client.get("/api/v1/codes/NOTACODE")
    assert r.status_code == 404 and r.json["detail"].startswith('"NOTACODE" is not a CPT')
    r = client.get("/api/v1/codes?limit=0")
    assert r.status_code == 400 and r.json["errors"][0]["parameter"] == "limit"
    r = client.get("/api/v1/jobs?per_page=500")  # clamped: a 200 that says so
    assert r.status_code == 200 and r.json["per_page"] == 100
    assert r.json["notes"] == ["per_page is at most 100; using 100."]
    # However long (schemathesis found a 32-digit one refused while the document allowed it)
    r = client.get("/api/v1/jobs?salary_min=36789212295738007786339958784000")
    assert r.status_code == 200 and r.json["notes"] == [
        "salary_min is at most 10,000,000; using 10,000,000."]


def test_a_job_in_full_with_validators_and_404_unless_public(app, client, catalog):
    with app.app_context():
        employer = make.employer(company="Summit Oncology")
        job = make.job(employer, title="Stem cell coder", codes="38206, C92.00",
                       description="Code **stem cell** harvests for our BMT unit daily.")
        draft = make.job(employer, publish=False)
        pending = make.job(make.employer(verified=False))
        job_id, draft_id, pending_id = job.id, draft.id, pending.id
        employer_id = employer.id
    r = client.get(f"/api/v1/jobs/{job_id}")
    body = r.json
    assert r.status_code == 200 and body["open"] and body["status"] == "published"
    assert body["company"] == {"name": "Summit Oncology", "verified": True, "website": None,
                               "url": body["company"]["url"]}
    assert "<strong>stem cell</strong>" in body["description_html"]
    assert body["description_markdown"].startswith("Code **stem cell**")
    assert [(c["system"], c["code"]) for c in body["codes"]] == [("CPT", "38206"),
                                                                 ("ICD-10-CM", "C92.00")]
    assert body["codes"][1]["title"].startswith("Acute myeloblastic leukemia")
    assert body["codes"][0]["title"].startswith("in 38204-38243")  # our range, no AMA text
    assert body["apply_url"].endswith(f"/jobs/{job_id}#apply")
    etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
    assert client.get(f"/api/v1/jobs/{job_id}", headers={"If-None-Match": etag}).status_code == 304
    assert client.get(f"/api/v1/jobs/{job_id}",
                      headers={"If-Modified-Since": modified}).status_code == 304
    with app.app_context():
        job = db.session.get(Job, job_id)
        job_services.update_job(job, db.session.get(User, employer_id),
                                make.fields(title="Senior coder"))
    r = client.get(f"/api/v1/jobs/{job_id}", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.json["title"] == "Senior coder" and r.headers["ETag"] != etag
    for hidden in (draft_id, pending_id, 10**9):
        r = client.get(f"/api/v1/jobs/{hidden}")
        assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_a_search_hit_and_the_full_job_say_the_same_facts(app, client, search):
    """One serializer: the facts a listing and a full job share are written once, so the
    hit a search returns and the job's own address agree on every one of them."""
    from jobboard.api import models as m
    with app.app_context():
        make.job(make.employer(), title="Cardiology coder", codes="93000", work_mode="hybrid",
                 city="Austin", state="TX", salary_min=30, salary_max=40, salary_period="hour")
    [hit] = client.get("/api/v1/jobs?q=93000").json["hits"]
    full = client.get(f"/api/v1/jobs/{hit['id']}").json
    shared = set(m.JobFacts.model_fields)
    assert {k: hit[k] for k in shared} == {k: full[k] for k in shared}
    assert full["salary_annual_max"] == 40 * 2080 and hit["salary_period"] == "hour"


def test_search_pages_link_to_their_neighbours(app, client):
    with app.app_context():
        employer = make.employer()
        for i in range(3):
            make.job(employer, title=f"Coder {i}")
    body = client.get("/api/v1/jobs?per_page=1&page=2").json
    links = body["links"]
    assert body["total"] == 3
    assert links["prev"].endswith("page=1") and links["next"].endswith("page=3")
    assert links["first"].endswith("page=1") and links["last"].endswith("page=3")
    assert client.get("/api/v1/jobs?per_page=1&page=3").json["links"]["next"] is None


def test_any_site_may_read_the_api_but_not_write_or_read_pages(client):
    origin = {"Origin": "https://ats.example"}
    assert client.get("/api/v1/jobs", headers=origin).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/jobs", headers={
        **origin, "Access-Control-Request-Method": "POST"})
    assert "POST" not in preflight.headers.get("Access-Control-Allow-Methods", "")
    assert "Access-Control-Allow-Origin" not in client.get("/jobs", headers=origin).headers
    assert "Access-Control-Allow-Origin" not in client.get("/account", headers=origin).headers


# ---------------------------------------------------------------- fuzzing against the document


def test_every_endpoint_answers_as_documented(app, search):
    """Schemathesis generates requests from the document for every operation, the writes
    with a recruiter's token: no 5xx, and every status, content type, header and body as the
    document says. (Its pytest plugin does not run under pytest 9, so the operations are
    driven through Hypothesis here.) For the writes, a body the document allows may still
    break a rule it cannot state (a code missing from the catalog): that is a 422 with the
    field named, so "schema-valid data is accepted" is not asked of them."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    from jobboard.api.tokens import create_token
    with app.app_context():
        employer = make.employer()
        make.job(employer, codes="38206, C92.00, J9035")
        make.job(employer, codes="99214", salary_period="hour", salary_min=30, salary_max=40)
        assert make.job(make.employer(verified=False)).status == "pending"
        token = create_token(employer, "fuzz")[1]
    app.config["RATELIMIT_API_TOKEN"] = "100000 per minute"
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11

    try:
        for operation in operations:
            writes = operation.method.upper() != "GET"
            options = {"headers": {"Authorization": f"Bearer {token}"},
                       "excluded_checks": [positive_data_acceptance]} if writes else {}
            conformance_test(operation, options)()
    finally:
        app.config["RATELIMIT_API_TOKEN"] = "120 per minute"


def conformance_test(operation, options: dict):
    """A Hypothesis test of one operation: generated requests, each answer checked."""
    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(max_examples=30, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    def conforms(case):
        case.call_and_validate(**options)
    return conforms
