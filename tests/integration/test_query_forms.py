"""Every way coders type codes, through the page and the API, with Meilisearch and without.

One set of jobs a test, with near misses around each code, range and category: a range or a
category must never return a job tagged just outside it."""
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy import delete

from jobboard.codes import catalog as catalog_module
from jobboard.extensions import db
from jobboard.models import CatalogCode
from tests import factories as make

JOBS = {  # title: (codes, work mode)
    "Harvest coder": ("38206", "remote"),
    "Storage coder": ("38207", "onsite"),
    "Range end coder": ("38215", "remote"),
    "Just above coder": ("38216", "remote"),
    "Just below coder": ("38205", "remote"),
    "Both codes coder": ("38207, 38206", "remote"),
    "AML coder": ("C92.00", "remote"),
    "AML remission coder": ("C92.01", "remote"),
    "CML coder": ("C92.10", "remote"),
    "ALL coder": ("C91.00", "remote"),
    "Bevacizumab coder": ("J9035", "remote"),
    "Office visit coder": ("99214", "remote"),
}

FORMS = [  # query, the titles it must find (and nothing else)
    ("CPT 38206", {"Harvest coder", "Both codes coder"}),
    ("cpt 38206", {"Harvest coder", "Both codes coder"}),
    ("ICD-10 C92.00", {"AML coder"}),
    ("HCPCS J9035", {"Bevacizumab coder"}),
    ("j9035", {"Bevacizumab coder"}),
    ("c92.00", {"AML coder"}),
    ("38206, 38207", {"Harvest coder", "Storage coder", "Both codes coder"}),
    ("38206 38207", {"Harvest coder", "Storage coder", "Both codes coder"}),
    ("38206;J9035", {"Harvest coder", "Both codes coder", "Bevacizumab coder"}),
    ("38206-38215", {"Harvest coder", "Storage coder", "Range end coder", "Both codes coder"}),
    ("C92", {"AML coder", "AML remission coder", "CML coder"}),
    ("C92.", {"AML coder", "AML remission coder", "CML coder"}),
    ("C92.0", {"AML coder", "AML remission coder"}),
    ("99214-25", {"Office visit coder"}),
    ("99214 25", {"Office visit coder"}),
    ("38206 remote", {"Harvest coder", "Both codes coder"}),
    ("38207 remote", {"Both codes coder"}),
    ("ICD-10 C9200", {"AML coder"}),
    # typed together, or with a space in the HCPCS code: found, not "nothing" or "9035..."
    ("cpt38206", {"Harvest coder", "Both codes coder"}),
    ("HCPCS:J9035", {"Bevacizumab coder"}),
    ("j 9035", {"Bevacizumab coder"}),
    ("icd10C92.00", {"AML coder"}),
]


@pytest.fixture(params=["meilisearch", "sql"])
def board(request, app, catalog):
    if request.param == "meilisearch":
        request.getfixturevalue("search")
    with app.app_context():
        employer = make.employer()
        for title, (codes, mode) in JOBS.items():
            extra = {"city": "Denver", "state": "CO"} if mode != "remote" else {}
            make.job(employer, title=title, codes=codes, work_mode=mode, **extra)
    return request.param


def _api(client, q: str, more: str = "") -> dict:
    response = client.get(f"/api/v1/jobs?q={quote(q)}&per_page=50{more}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def _page(client, q: str) -> str:
    response = client.get(f"/jobs?q={quote(q)}&per_page=50")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _titles_on_page(html: str) -> set[str]:
    results = html.split('aria-label="Results"', 1)[1]
    return set(re.findall(r'<h3><a href="/jobs/\d+">([^<]+)</a></h3>', results))


def test_every_way_of_typing_codes_finds_exactly_its_jobs(board, client):
    for q, wanted in FORMS:
        body = _api(client, q)
        assert {h["title"] for h in body["hits"]} == wanted, (board, q)
        assert body["total"] == len(wanted), (board, q)
        assert _titles_on_page(_page(client, q)) == wanted, (board, q)


def test_a_list_says_so_and_ranks_jobs_with_more_of_its_codes_first(board, client):
    body = _api(client, "38206, 38207")
    assert body["reading"]["summary"] == "Jobs tagged 38206 or 38207"
    if board == "meilisearch":  # the degraded mode sorts by date only
        assert body["hits"][0]["title"] == "Both codes coder"
    html = _page(client, "38206 38207")
    assert ('Jobs tagged <a href="/codes/38206">38206</a> or '
            '<a href="/codes/38207">38207</a>') in html


def test_categories_are_labelled_with_their_catalog_title(board, client):
    body = _api(client, "C92")
    assert body["reading"]["summary"] == "Jobs with codes under C92"
    assert body["reading"]["parts"][0]["title"] == "Myeloid leukemia"
    assert "Codes under C92: Myeloid leukemia" in _page(client, "C92")
    assert _api(client, "38206-38215")["reading"]["summary"] == "Jobs with CPT 38206–38215"


def test_codes_and_words_are_read_into_removable_parts(board, client):
    body = _api(client, "38206 harvest")
    assert body["reading"]["summary"] == "Jobs tagged 38206 · matching harvest"
    parts = {p["label"]: parse_qs(urlsplit(p["without"]).query) for p in body["reading"]["parts"]}
    assert parts["Jobs tagged 38206"]["q"] == ["harvest"]
    assert parts["matching harvest"]["q"] == ["38206"]
    html = _page(client, "38206 harvest")
    assert 'href="/jobs?q=harvest&amp;per_page=50"' in html
    assert 'aria-label="Remove Jobs tagged 38206 from the search"' in html


def test_a_word_that_names_a_filter_is_offered_as_that_filter_and_can_be_searched_instead(
        app, board, client):
    """`38206 remote` filters by work mode (a hybrid job whose text says remote-friendly is
    not a remote job); the filter is shown, can be unticked like any other, and the word can
    be searched as a word instead. Same reading on the page, the API, and both search paths."""
    with app.app_context():
        make.job(make.employer(), title="Hybrid friendly coder", codes="38206",
                 work_mode="hybrid", city="Denver", state="CO",
                 description="Two days in the office; otherwise remote-friendly hours.")
    body = _api(client, "38206 remote")
    assert {h["title"] for h in body["hits"]} == {"Harvest coder", "Both codes coder"}
    [read] = body["reading"]["filters_from_words"]
    assert (read["word"], read["parameter"], read["value"]) == ("remote", "work_mode", "remote")
    assert body["reading"]["summary"] == "Jobs tagged 38206"  # the word is not searched
    instead = parse_qs(urlsplit(read["search_the_word"]).query)
    assert instead["q"] == ['38206 "remote"'] and "work_mode" not in instead
    self_link = parse_qs(urlsplit(body["links"]["self"]).query)
    assert self_link["q"] == ["38206"] and self_link["work_mode"] == ["remote"]
    # Searched as a word, "remote" finds the hybrid job's text too.
    assert {h["title"] for h in _api(client, '38206 "remote"')["hits"]} == {
        "Harvest coder", "Both codes coder", "Hybrid friendly coder"}

    html = _page(client, "38206 remote")
    assert _titles_on_page(html) == {"Harvest coder", "Both codes coder"}
    assert "“remote” is read as the filter work mode: Remote" in html
    assert ('href="/jobs?q=38206+%22remote%22&amp;per_page=50">Search the word “remote” '
            'instead</a>') in html
    # The filter's chip removes the filter, and the word does not bring it back.
    assert ('href="/jobs?q=38206&amp;per_page=50" aria-label="Remove filter Remote"') in html
    assert len(_titles_on_page(client.get("/jobs?q=38206&per_page=50").get_data(
        as_text=True))) == 3
    assert 'value="38206"' in html.split('name="q"', 1)[1][:40]  # the box shows what is searched
    # A credential is read the same way: jobs a CPC holder qualifies for.
    assert _api(client, "38206 CPC")["reading"]["filters_from_words"][0]["parameter"] == \
        "credential"


def test_a_modifier_is_named_not_dropped(board, client):
    body = _api(client, "99214-25")
    assert body["reading"]["modifiers"][0].startswith("Modifier 25 on 99214 is noted")
    assert "Modifier 25 on 99214 is noted" in _page(client, "99214 25")


def test_a_dotless_or_unknown_code_gets_an_explanation_and_did_you_mean(board, client):
    body = _api(client, "C9200")  # searched as the HCPCS code it also is
    [suggestion] = body["reading"]["suggestions"]
    assert [d["code"] for d in suggestion["did_you_mean"]] == ["C92.00"]
    assert "Did you mean <a href=\"/jobs?q=C92.00&amp;per_page=50\">C92.00 (ICD-10-CM)</a>?" \
        in _page(client, "C9200")

    body = _api(client, "E119")
    assert body["reading"]["suggestions"][0]["did_you_mean"][0]["code"] == "E11.9"
    # Read as nothing searchable: no job, rather than every job on the board, and no alert
    # for a search that cannot find anything (the same with a filter beside it).
    assert body["total"] == 0 and body["hits"] == []
    assert _api(client, "E119", "&work_mode=remote")["total"] == 0
    page = _page(client, "E119")
    assert "Did you mean" in page and "Email me new jobs" not in page
    assert "Email me new jobs" in _page(client, "E11.9")

    body = _api(client, "Z99.999")  # well formed, not in ICD-10-CM: nothing is under it
    assert body["reading"]["summary"] == "Jobs tagged Z99.999"
    [suggestion] = body["reading"]["suggestions"]
    assert suggestion["message"] == "Z99.999 is not an ICD-10-CM code."
    assert suggestion["did_you_mean"] and all(d["code"].startswith("Z99")
                                              for d in suggestion["did_you_mean"])


def test_a_code_imported_into_the_catalog_reads_as_known_on_the_next_search(
        app, catalog, client, tmp_path):
    """Workers keep what searches read of the catalog (codes/cached.py); an import in the
    process forgets it, so the next search reads the new entry."""
    assert _api(client, "C9200")["reading"]["suggestions"]  # HCPCS C9200 is not in our list
    licence = tmp_path / "hcpcs-licence.csv"
    licence.write_text("code,title\nC9200,A HCPCS code for this test\n")
    try:
        with app.app_context():
            assert catalog_module.import_descriptors(licence, "HCPCS", "test-licence.csv").loaded
        assert _api(client, "C9200")["reading"]["suggestions"] == []
    finally:
        with app.app_context():
            db.session.execute(delete(CatalogCode).where(CatalogCode.source == "test-licence.csv"))
            db.session.commit()


def test_a_code_with_no_open_jobs_links_its_page_and_the_nearest_family_with_jobs(board, client):
    body = _api(client, "C92.02")
    assert body["total"] == 0
    assert body["reading"]["no_open_jobs_for"] == ["C92.02"]
    assert body["reading"]["nearest_family"]["prefix"] == "C92.0"
    assert body["reading"]["nearest_family"]["open_jobs"] == 2
    html = _page(client, "C92.02")
    assert '<a href="/codes/C92.02">C92.02</a> right now' in html
    assert '<a href="/jobs?family=C92.0">2 open jobs with codes under C92.0</a>' in html
    # The link finds the jobs it counts (the family filter kept to three characters once, and
    # read C92.0 as "C920": no job).
    assert _titles_on_page(client.get("/jobs?family=C92.0&per_page=50").get_data(as_text=True)) \
        == {"AML coder", "AML remission coder"}
    family = client.get(body["reading"]["nearest_family"]["url"]).json
    assert {h["title"] for h in family["hits"]} == {"AML coder", "AML remission coder"}
    assert client.get("/api/v1/jobs?family=C920").json["total"] == 2  # its dot left out
    assert _api(client, "38208")["reading"]["nearest_family"]["prefix"] == "3820"


def test_under_an_icd_category_is_never_a_hcpcs_code_that_starts_alike(board, app, client):
    """C92 is ICD-10-CM's myeloid leukemia; the HCPCS code C9257 only starts the same way.
    The index files HCPCS codes under their letter, and the database reads "under" alike."""
    with app.app_context():
        make.job(make.employer(), title="Injection coder", codes="C9257", work_mode="remote")
    leukemia = {"AML coder", "AML remission coder", "CML coder"}
    for query in ("q=C92", "family=C92"):
        hits = client.get(f"/api/v1/jobs?{query}&per_page=50").json["hits"]
        assert {h["title"] for h in hits} == leukemia, (board, query)
    assert "Injection coder" in {h["title"] for h in client.get(
        "/api/v1/jobs?family=C&per_page=50").json["hits"]}
    problem = client.get("/api/v1/jobs?family=38").json["errors"][0]
    assert problem["parameter"] == "family" and "a CPT family (382, 3820)" in problem["detail"]


def test_the_nearest_family_stays_in_the_codes_own_system(board, client):
    body = _api(client, "C9200")  # HCPCS C9200: the C92 jobs are ICD-10-CM, no relatives
    assert body["total"] == 0 and body["reading"]["nearest_family"] is None
    html = _page(client, "38207 38206")
    assert "✓ 38206" not in html  # typed codes are parts of the query, not ticked facets


def test_what_is_under_a_prefix_is_read_through_an_index(ctx):
    """Counting a code's nearest family, the family filter and the degraded search ask for the
    codes under a prefix: an index serves it on both databases, not a scan of every code."""
    from sqlalchemy import select, text

    from jobboard.models import JobCode
    from jobboard.models.job import CODE_PREFIX_INDEX
    from jobboard.search.sql import code_under
    statement = str(select(JobCode.job_id).where(code_under("C92.0")).compile(
        db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text("EXPLAIN " + statement)))
        assert CODE_PREFIX_INDEX in plan, plan
    else:
        plan = " ".join(row[-1] for row in db.session.execute(
            text("EXPLAIN QUERY PLAN " + statement)))
        assert "USING INDEX ix_job_code_system_code (system=? AND code>? AND code<?)" in plan, \
            plan
