"""Words find jobs by what their codes mean, through Meilisearch and through the database
(PostgreSQL full-text search in the PostgreSQL run)."""
from urllib.parse import quote

import pytest
from sqlalchemy import delete, select, text

from jobboard.extensions import db
from jobboard.models import CatalogCode, Job
from jobboard.models.job import SEARCH_TEXT_FTS_INDEX
from jobboard.search.sql import words_condition
from tests import factories as make

DESCRIPTION = "Abstract cases for our registry, remote, full time."


@pytest.fixture(params=["meilisearch", "sql"])
def engine(request, app, catalog):
    if request.param == "meilisearch":
        request.getfixturevalue("search")
    with app.app_context():
        employer = make.employer()
        for title, codes in (("Registry abstractor", "C92.00"), ("Transplant team coder", "38206"),
                             ("Infusion coder", "J9035"), ("Office visit coder", "99214"),
                             ("Breast oncology coder", "J9395"), ("Outpatient lab coder", "80053"),
                             ("Colorectal surgery coder", "44206"), ("Hand surgery coder", "26055")):
            make.job(employer, title=title, codes=codes, description=DESCRIPTION,
                     specialties=[], required_credentials=[], preferred_credentials=[])
    return request.param


def _titles(client, q):
    body = client.get(f"/api/v1/jobs?q={quote(q)}").json
    return {h["title"] for h in body["hits"]}


def test_words_find_jobs_by_what_their_codes_mean(engine, client):
    assert _titles(client, "leukemia") == {"Registry abstractor"}
    assert _titles(client, "myeloid leukemia") == {"Registry abstractor"}
    assert _titles(client, "bone marrow") == {"Transplant team coder"}
    assert _titles(client, "stem cell") == {"Transplant team coder"}
    assert _titles(client, "chemotherapy drugs") == {"Infusion coder", "Breast oncology coder"}
    # our own HCPCS titles and CPT summaries
    assert _titles(client, "bevacizumab") == {"Infusion coder"}
    assert _titles(client, "apheresis") == {"Transplant team coder"}
    assert _titles(client, "established patient") == {"Office visit coder"}
    assert _titles(client, "metabolic panel") == {"Outpatient lab coder"}
    assert _titles(client, "Hartmann") == {"Colorectal surgery coder"}  # words of no vocabulary
    assert _titles(client, "trigger finger") == {"Hand surgery coder"}


def test_words_joined_by_a_slash_are_found_one_by_one(engine, app, client):
    """Coders write "hematology/oncology" and "CPC/CCS". PostgreSQL's full-text parser reads
    such a pair as one token (a file path), so the degraded search found neither word."""
    with app.app_context():
        make.job(make.employer(), title="Service line coder", codes="J9035",
                 description="Our hematology/oncology service line wants a CPC/CCS holder.",
                 specialties=[], required_credentials=[], preferred_credentials=[])
        make.job(make.employer(), title="Visit coder", codes="99214",
                 description="E/M leveling for clinic visits.", specialties=[],
                 required_credentials=[], preferred_credentials=[])
    for q in ("hematology", "oncology line", "CCS holder", "hematology/oncology"):
        assert "Service line coder" in _titles(client, q), (engine, q)
    assert "Visit coder" in _titles(client, "E/M leveling")
    assert "Service line coder" not in _titles(client, "E/M")  # no E/M code, no "E/M"


def test_a_hit_found_by_its_codes_meaning_says_why(engine, client):
    html = client.get("/jobs?q=leukemia").get_data(as_text=True)
    assert "Matched C92.00: Acute myeloblastic leukemia, not having achieved remission" in html
    plain = client.get("/jobs?q=registry").get_data(as_text=True)
    assert "Matched " not in plain  # found by its own words: nothing to explain


def test_abbreviations_coders_write_work_as_synonyms(app, client, catalog, search):
    with app.app_context():
        employer = make.employer()
        make.job(employer, title="Registry abstractor", codes="C92.00", description=DESCRIPTION)
        make.job(employer, title="Transplant team coder", codes="38206", description=DESCRIPTION)
    assert _titles(client, "aml") == {"Registry abstractor"}
    assert _titles(client, "leukemai") == {"Registry abstractor"}  # words keep typo tolerance
    assert _titles(client, "bmt") == {"Transplant team coder"}
    assert _titles(client, "sct") == {"Transplant team coder"}


@pytest.fixture
def imported_hcpcs(app, tmp_path):
    """A licensed HCPCS file to import; the session's shared catalog is restored after."""
    rows = tmp_path / "hcpcs.csv"
    rows.write_text("code,title\nJ9395,\"Injection, fulvestrant (teva), 25 mg\"\n")
    yield rows
    with app.app_context():
        db.session.execute(delete(CatalogCode).where(CatalogCode.system == "HCPCS",
                                                     CatalogCode.code == "J9395"))
        db.session.commit()


def test_licensed_titles_imported_later_reach_the_jobs(engine, app, client, runner,
                                                       imported_hcpcs):
    # The vocabulary knows J9395 as fulvestrant (Faslodex); the licensed title's own words
    # ("Injection, fulvestrant (teva), 25 mg") reach the job only with the import.
    assert _titles(client, "fulvestrant") == {"Breast oncology coder"}
    assert _titles(client, "teva") == set()
    result = runner.invoke(args=["codes", "import", str(imported_hcpcs), "--system", "HCPCS"])
    assert result.exit_code == 0, result.output
    assert "Updated the code meanings of 2 jobs" in result.output  # the HCPCS-tagged ones
    if engine == "meilisearch":
        with app.app_context():
            from jobboard.search import sync
            assert sync.pending_count() == 0  # pushed, and done only after its task succeeded
    assert _titles(client, "teva") == {"Breast oncology coder"}


def test_the_search_text_is_indexed_for_full_text_search_on_postgresql(ctx):
    if db.engine.dialect.name == "postgresql":
        found = db.session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
                                  {"n": SEARCH_TEXT_FTS_INDEX})
        assert found and "gin" in found
        # The query's expression is the index's: PostgreSQL uses the index for it.
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text("EXPLAIN " + str(
            select(Job.id).where(words_condition("oncology")).compile(
                db.engine, compile_kwargs={"literal_binds": True})))))
        assert SEARCH_TEXT_FTS_INDEX in plan, plan
    else:  # SQLite has no GIN index: the degraded search scans search_text
        assert db.session.scalar(text("SELECT name FROM sqlite_master WHERE name = :n"),
                                 {"n": SEARCH_TEXT_FTS_INDEX}) is None
    job = make.job(make.employer(), codes="C92.00", description=DESCRIPTION)
    assert "Acute myeloblastic leukemia" in db.session.scalar(
        select(Job.search_text).where(Job.id == job.id))
