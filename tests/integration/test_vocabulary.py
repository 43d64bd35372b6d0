"""Codes found by what they mean: the clinical vocabulary, ICD-10-PCS titles, the lookup's
ranking and case to codes, through Meilisearch and through the database."""
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from jobboard.codes import catalog as loader
from jobboard.codes import vocabulary
from jobboard.codes.formats import PATTERNS, recognise
from jobboard.extensions import db
from jobboard.models import CatalogCode
from jobboard.search.codes_index import index_all, rank_by_words
from tests import factories as make

# What a coder types into the lookup, and the code a coder expects first (issue 25's examples);
# "appendectomy" names the CPT range 44950-44979, whose first code we describe comes first.
LOOKUPS = [
    ("afib", "I48"), ("UTI", "N39.0"), ("heart attack", "I21"), ("high blood pressure", "I10"),
    ("kidney stones", "N20.0"), ("strep throat", "J02.0"), ("appendectomy", "44950"),
    ("Avastin", "J9035"), ("NSTEMI", "I21.4"), ("Keytruda", "J9271"), ("Toradol", "J1885"),
]


def test_every_code_the_vocabulary_names_exists(ctx, catalog):
    """A term pointing at a code that does not exist would send coders to nothing."""
    forms = [form for entry in vocabulary.entries() for form in entry.terms]
    assert len(forms) == len(set(forms)), "a written form belongs to one entry"
    assert len(vocabulary.entries()) >= 400
    for entry in vocabulary.entries():
        for target in entry.targets:
            if target.system in ("ICD-10-CM", "ICD-10-PCS"):
                found = db.session.scalar(select(func.count()).where(
                    CatalogCode.system == target.system,
                    CatalogCode.code.startswith(target.code)))
                assert found, (entry.terms, target)
            else:
                for code in target.code.split("-"):
                    assert PATTERNS[target.system].match(code), (entry.terms, target)


@pytest.fixture(params=["meilisearch", "sql"])
def engine(request, app, catalog):
    if request.param == "meilisearch":
        request.getfixturevalue("search")
        with app.app_context():
            assert index_all() > 160_000  # ICD-10-CM and PCS
    return request.param


def _codes(client, q):
    return [h["code"] for h in client.get(f"/api/v1/codes?q={quote(q)}&limit=20").json["hits"]]


def test_the_lookup_reads_what_coders_write_first(engine, client):
    for q, expected in LOOKUPS:
        hits = client.get(f"/api/v1/codes?q={quote(q)}&limit=20").json["hits"]
        assert hits and hits[0]["code"].startswith(expected), (engine, q, hits[:3])
        assert hits[0]["why"].lower().startswith(q.lower() + ", read as"), (q, hits[0])
    # a word inside another word never beats a whole-word match
    afib = _codes(client, "afib")
    assert not any(c.startswith("O46.01") for c in afib[:afib.index("I48.91") + 1])
    assert not any(c.startswith("Z59") for c in _codes(client, "UTI")[:3])  # utilities
    assert "38206" not in _codes(client, "high blood pressure")[:3]
    assert "0DTJ4ZZ" in _codes(client, "appendectomy")
    page = client.get("/codes?q=afib").get_data(as_text=True)
    assert "afib, read as atrial fibrillation (I48)" in page


def test_whole_words_and_billable_codes_rank_first(ctx):
    hits = [{"code": "O46.01", "title": "Antepartum hemorrhage with afibrinogenemia",
             "kind": "category"},
            {"code": "X1", "title": "Afib in other words", "kind": "category"},
            {"code": "X2", "title": "afib as the whole title", "kind": "code"}]
    ranked = rank_by_words("afib", hits)
    assert [h["code"] for h in ranked] == ["X2", "X1", "O46.01"]
    assert ranked[-1]["why"].startswith("close to the words")


def test_an_icd10pcs_code_page_explains_its_seven_characters(client, catalog):
    page = client.get("/codes/0DTJ4ZZ").get_data(as_text=True)
    assert "Resection of Appendix, Percutaneous Endoscopic Approach" in page
    for value in ("Medical and Surgical", "Gastrointestinal System", "Resection", "Appendix",
                  "Percutaneous Endoscopic", "No Device", "No Qualifier"):
        assert f"<td>{value}</td>" in page, value
    assert "Cutting out or off, without replacement, all of a body part" in page
    # the other approaches of the same operation on the same body part
    assert 'href="/codes/0DTJ0ZZ">0DTJ0ZZ</a> Open' in page
    assert 'href="/codes/0DTJ8ZZ">' in page
    obstetric = client.get("/codes/10D00Z1").get_data(as_text=True)
    assert "Extraction" in obstetric and "Products of Conception" in obstetric


def test_a_pcs_code_of_a_section_not_loaded_says_so_and_lists_its_jobs(app, client, catalog):
    with app.app_context():
        make.job(make.employer(), title="Imaging coder", codes="BW03ZZZ")
    page = client.get("/codes/BW03ZZZ").get_data(as_text=True)
    assert "section B" in page and "are not loaded" in page and "flask codes import" in page
    assert "Imaging coder" in page


def test_reloading_pcs_tables_is_idempotent(ctx, catalog):
    count = select(func.count()).where(CatalogCode.system == "ICD-10-PCS")
    before = db.session.scalar(count)
    assert before >= 68_672
    assert loader.load_icd10pcs(tables=("0DT",)) == loader.load_icd10pcs(tables=("0DT",)) > 100
    assert db.session.scalar(count) == before


@pytest.fixture
def jobs_by_meaning(engine, app):
    with app.app_context():
        employer = make.employer()
        for title, codes in (("Inpatient coder", "0DTJ4ZZ"), ("Cardiology coder", "I48.91"),
                             ("Infusion coder", "J9035"), ("Heart coder", "I21.4")):
            make.job(employer, title=title, codes=codes, description="Code the cases of our hospital.",
                     specialties=[], required_credentials=[], preferred_credentials=[])
    return engine


def _titles(client, q):
    return {h["title"] for h in client.get(f"/api/v1/jobs?q={quote(q)}").json["hits"]}


def test_jobs_are_found_by_what_coders_write_for_their_codes(jobs_by_meaning, client):
    assert _titles(client, "appendectomy") == {"Inpatient coder"}  # tagged only 0DTJ4ZZ
    assert _titles(client, "afib") == {"Cardiology coder"}
    assert _titles(client, "Avastin") == {"Infusion coder"}
    assert _titles(client, "heart attack") == {"Heart coder"}
    assert _titles(client, "nstemi") == {"Heart coder"}
    reading = client.get("/api/v1/jobs?q=afib").json["reading"]["meanings"]
    assert reading[0]["reading"] == "afib, read as atrial fibrillation (I48)"
    page = client.get("/jobs?q=afib").get_data(as_text=True)
    assert "afib, read as atrial fibrillation (I48)" in page


def test_a_short_form_that_also_names_a_state_offers_the_state(jobs_by_meaning, client):
    page = client.get("/jobs?q=MI+coder").get_data(as_text=True)
    assert "MI, read as myocardial infarction" in page
    assert 'href="/jobs?q=coder&amp;state=MI">jobs in Michigan instead</a>' in page
    assert client.get("/api/v1/jobs?q=MI").json["reading"]["meanings"][0]["also"] == \
        "the state Michigan"


def test_a_state_after_in_is_read_as_the_place(jobs_by_meaning, app, client):
    """Context decides: "coder in MI" is a place; "MI coder" is the diagnosis, with the state
    offered. Either way the other reading is one link away."""
    with app.app_context():
        make.job(make.employer(), title="Detroit coder", work_mode="hybrid", city="Detroit",
                 state="MI", specialties=[], required_credentials=[], preferred_credentials=[])
    body = client.get("/api/v1/jobs?q=" + quote("coder in MI")).json
    assert {h["title"] for h in body["hits"]} == {"Detroit coder"}
    assert body["reading"]["meanings"] == []  # not myocardial infarction
    [as_filter] = body["reading"]["filters_from_words"]
    assert (as_filter["parameter"], as_filter["value"]) == ("state", "MI")
    assert "q=coder+%22MI%22" in as_filter["search_the_word"]
    page = client.get("/jobs?q=" + quote("coder in Michigan")).get_data(as_text=True)
    assert "“Michigan” is read as the filter state: Michigan" in page
    # a postal code that is also a word people write stays a word unless typed in capitals
    assert client.get("/api/v1/jobs?q=" + quote("coder in or")).json["reading"][
        "filters_from_words"] == []


NOTE = "65 y/o M with NSTEMI, s/p PCI with DES to LAD, hx HTN, CKD 3"


def test_case_to_codes_suggests_codes_with_their_phrase_and_jobs(app, client, catalog, browser):
    with app.app_context():
        make.job(make.employer(), title="Heart coder", codes="I21.4")
    r = client.post("/api/v1/codes/case", json={"text": NOTE})
    assert r.status_code == 200
    body = r.json
    assert "not codes to bill" in body["disclaimer"]
    found = {c["code"]: c for s in body["systems"] for c in s["candidates"]}
    assert found["I21.4"]["phrase"] == "NSTEMI" and found["I21.4"]["open_jobs"] == 1
    assert found["I21.4"]["url"].endswith("/codes/I21.4")
    assert found["I21.4"]["title"].startswith("Non-ST elevation (NSTEMI) myocardial infarction")
    assert found["N18.30"]["phrase"] == "CKD 3" or found["N18.3"]["phrase"] == "CKD 3"
    assert found["I10"]["phrase"] == "HTN"
    assert "92920-92944" in found or any(c.startswith("9292") for c in found)
    assert "027034Z" in found  # DES: dilation with a drug-eluting device
    assert [s["system"] for s in body["systems"]][:2] == ["ICD-10-CM", "ICD-10-PCS"]
    assert "hx, read as history of" in body["understood"]
    # the page: posted, never in the address
    form = client.get("/codes/case").get_data(as_text=True)
    assert "not codes to bill" in form
    page = browser.submit("/codes/case", {"note": NOTE}).get_data(as_text=True)
    assert 'href="/codes/I21.4">I21.4</a>' in page and "From “NSTEMI”" in page


def test_case_to_codes_refuses_what_is_not_a_note(client, catalog, browser):
    assert client.post("/api/v1/codes/case", json={"text": ""}).status_code == 422
    bad = client.post("/api/v1/codes/case", json={"text": "a\x00b"})
    assert bad.status_code == 422 and bad.json["errors"][0]["pointer"] == "#/text"
    assert client.post("/api/v1/codes/case", json={"text": "x" * 2001}).status_code == 422
    assert client.post("/api/v1/codes/case", data="nope").status_code == 400
    page = browser.submit("/codes/case", {"note": ""}).get_data(as_text=True)
    assert "Write or paste a short case note." in page
    assert recognise("I21.4")  # the example's code is a code


def test_cms_pcs_text_file_fills_a_section_the_package_lacks(app, client, runner, catalog,
                                                            tmp_path):
    """CMS's own code file, a code and its long title a line, imported by an operator."""
    path = tmp_path / "icd10pcs_codes_2026.txt"
    path.write_text("BW03ZZZ Plain Radiography of Chest\nBW0IZZZ bad code here\n")
    try:
        result = runner.invoke(args=["codes", "import", str(path), "--system", "ICD-10-PCS"])
        assert result.exit_code == 0, result.output
        assert "Loaded 1 ICD-10-PCS codes; rejected 1." in result.output
        assert "line 2: BW0IZZZ: not a ICD-10-PCS code" in result.output
        page = client.get("/codes/BW03ZZZ").get_data(as_text=True)
        assert "Plain Radiography of Chest" in page and "are not loaded" not in page
    finally:
        with app.app_context():
            db.session.execute(CatalogCode.__table__.delete().where(
                CatalogCode.code == "BW03ZZZ"))
            db.session.commit()
