"""The code catalog, code pages, lookup, licensed imports and structured data."""
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from jobboard.codes import catalog as catalog_module
from jobboard.codes.formats import recognise
from jobboard.codes.services import describe
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import CatalogCode, Job, LoadedData
from tests import factories as make


def test_catalog_load_is_complete_and_idempotent(ctx, catalog):
    assert catalog["first"] == catalog["second"]
    reference, icd = catalog["first"]
    # 193 sections and ranges, 1,370 CPT summaries and 89 HCPCS titles of our own
    assert reference == 193 + 1370 + 89 and icd == catalog_module.ICD10CM_ENTRIES  # as the bar says
    counts = dict(db.session.execute(select(CatalogCode.system, func.count())
                                     .group_by(CatalogCode.system)).all())
    assert counts["ICD-10-CM"] == icd
    chapters = db.session.scalar(select(func.count()).select_from(CatalogCode).where(
        CatalogCode.system == "ICD-10-CM", CatalogCode.kind == "chapter"))
    assert chapters == 22


@pytest.mark.parametrize("code, crumbs", [
    ("38206", ["10004-69990", "38100-38999", "38204-38243"]),
    ("38207", ["10004-69990", "38100-38999", "38204-38243"]),
    ("C92.00", ["2", "C81-C96", "C92", "C92.0"]),
    ("J9035", ["J0000-J9999", "J9000-J9999"]),
    ("0DTJ4ZZ", ["0000000-0ZZZZZZ"]),
    ("0042T", ["0042T-0999T"]),
])
def test_hierarchy(ctx, catalog, code, crumbs):
    assert [c.code for c in describe(recognise(code)).breadcrumbs] == crumbs


def test_cpt_shows_our_range_description_never_a_descriptor(client, catalog):
    html = client.get("/codes/38206").get_data(as_text=True)
    assert "Surgery" in html and "Hemic and lymphatic systems" in html
    assert "38204-38243: Stem cell and bone marrow services" in html
    assert "copyright AMA" in html and "Hematology/oncology" in html
    assert 'href="https://www.aapc.com/codes/cpt-codes/38206"' in html


def test_icd10cm_page_has_title_notes_children_and_siblings(client, catalog):
    html = client.get("/codes/C92.0").get_data(as_text=True)
    assert "Acute myeloblastic leukemia" in html
    assert 'href="/codes/C92.00"' in html and 'href="/codes/C92.01"' in html  # children
    sibling = client.get("/codes/C92.00").get_data(as_text=True)
    assert 'href="/codes/C92.01"' in sibling  # related: the same parent
    assert "copyright AMA" not in sibling
    notes = client.get("/codes/E11").get_data(as_text=True)
    assert "Use additional code" in notes


def test_the_dot_tells_icd10cm_from_hcpcs_on_the_pages(client, catalog):
    icd = client.get("/codes/A01.00").get_data(as_text=True)
    assert "Typhoid fever, unspecified" in icd and "ICD-10-CM" in icd
    hcpcs = client.get("/codes/A0100").get_data(as_text=True)
    assert "HCPCS" in hcpcs and "Transportation" in hcpcs and "Typhoid" not in hcpcs
    r = client.get("/codes/ICD-10-CM/A0100")
    assert r.status_code == 301 and r.location.endswith("/codes/A01.00")
    assert client.get("/codes/HCPCS/A0100").location.endswith("/codes/A0100")


def test_a_valid_code_missing_from_the_catalog_says_so(client, catalog):
    html = client.get("/codes/C92.0X").get_data(as_text=True)
    assert "not in our catalog" in html and "Acute myeloblastic leukemia" in html
    # Nothing is claimed about a code the catalog lacks: it is not "a heading", and the
    # category it falls in, which has no summary of ours, prints none.
    assert "Billable" not in html and "Not billable" not in html
    assert "<p>None</p>" not in html


def test_malformed_codes_get_a_helpful_404(client, catalog):
    r = client.get("/codes/C92.0000000")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "not a code we recognise" in html and 'href="/codes/C92' in html
    api = client.get("/api/v1/codes/hello")
    assert api.status_code == 404 and api.json["status"] == 404


def test_a_code_page_lists_exactly_the_open_jobs_tagged_with_it(app, client, catalog):
    with app.app_context():
        e = make.employer()
        make.job(e, title="Open harvest coder", codes="38206")
        closed = make.job(e, title="Closed harvest coder", codes="38206")
        job_services.close_job(closed, e)
        expired = make.job(e, title="Expired harvest coder", codes="38206")
        expired.expires_at = utcnow()
        db.session.commit()
        make.job(e, title="Draft harvest coder", codes="38206", publish=False)
        make.job(e, title="Transplant coder", codes="38207")
    html = client.get("/codes/38206").get_data(as_text=True)
    listed = re.findall(r'<h3><a href="/jobs/\d+">([^<]+)</a>', html)
    assert listed == ["Open harvest coder"]
    api = client.get("/api/v1/codes/38206").json
    assert api["open_jobs"] == 1 and api["system"] == "CPT" and api["title"] is None
    assert [h["code"] for h in api["hierarchy"]] == ["10004-69990", "38100-38999", "38204-38243"]
    assert "38207" in [r["code"] for r in api["related"]]  # tagged in the same range


def test_a_category_page_lists_the_open_jobs_with_codes_under_it(app, client, catalog):
    """No job is tagged C92 (a heading; claims need a code under it): its page lists the jobs
    tagged C92.00 or C92.01, once each, and its links search for them."""
    with app.app_context():
        e = make.employer()
        make.job(e, title="AML coder", codes="C92.00, C92.01")
        make.job(e, title="CML coder", codes="C92.10")
        make.job(e, title="ALL coder", codes="C91.00")
        make.job(e, title="Injection coder", codes="C9257")  # HCPCS: only starts alike
    html = client.get("/codes/C92").get_data(as_text=True)
    assert "Open jobs with codes under C92" in html
    assert re.findall(r'<h3><a href="/jobs/\d+">([^<]+)</a>', html) == ["CML coder", "AML coder"]
    assert 'href="/jobs?q=C92">Search jobs with codes under C92</a>' in html
    assert 'href="/jobs.atom?q=C92"' in html
    api = client.get("/api/v1/codes/C92").json
    assert api["open_jobs"] == 2 and api["jobs_url"].endswith("/jobs?q=C92")
    found = client.get("/api/v1/jobs?q=C92").json
    assert {h["title"] for h in found["hits"]} == {"AML coder", "CML coder"}
    # A code on a claim lists the jobs tagged with it exactly.
    assert client.get("/api/v1/codes/C92.00").json["open_jobs"] == 1
    assert 'href="/jobs?code=C92.00">Search jobs tagged C92.00</a>' in client.get(
        "/codes/C92.00").get_data(as_text=True)


def test_the_family_link_finds_jobs_across_the_range(app, client, catalog):
    with app.app_context():
        e = make.employer()
        make.job(e, title="Harvest", codes="38206")
        make.job(e, title="Transplant", codes="38241")
        make.job(e, title="Cardiology", codes="93306")
    assert 'href="/jobs?family=382"' in client.get("/codes/38206").get_data(as_text=True)
    titles = sorted(h["title"] for h in client.get("/api/v1/jobs?family=382").json["hits"])
    assert titles == ["Harvest", "Transplant"]


@pytest.mark.parametrize("q, expected", [("C92.00", "C92.00"), ("stem cell", "38204-38243"),
                                         ("A0100", "A0100")])
def test_lookup_by_number_and_by_words_from_the_database(client, catalog, q, expected):
    hits = client.get(f"/api/v1/codes?q={q}").json["hits"]
    assert expected in [h["code"] for h in hits]


def test_lookup_by_words_from_the_database_matches_titles(client, catalog):
    hits = client.get("/api/v1/codes?q=myeloid+leukemia").json["hits"]
    assert hits and all("leukemia" in h["title"].lower() for h in hits)


def test_lookup_through_meilisearch_is_typo_tolerant_on_words_and_exact_on_codes(
        app, client, catalog, search):
    with app.app_context():
        from jobboard.search.codes_index import index_all
        assert index_all() > 98_000
    words = client.get("/api/v1/codes?q=leukemai").json
    assert words["degraded"] is False
    assert any("leukemia" in (h["title"] or "").lower() for h in words["hits"])
    exact = [h["code"] for h in client.get("/api/v1/codes?q=C92.00").json["hits"]]
    assert exact == ["C92.00"]
    page = client.get("/codes?q=stem+cell").get_data(as_text=True)
    assert "Stem cell and bone marrow services" in page


@pytest.fixture
def licensed_rows(app):
    yield
    with app.app_context():
        db.session.execute(delete(CatalogCode).where(CatalogCode.source == "test-licence.csv"))
        db.session.commit()
        catalog_module.load_reference_data()  # our summaries of those codes come back


def test_importing_a_licensed_cpt_file_reports_rows_and_shows_descriptors(
        client, runner, catalog, tmp_path, licensed_rows):
    path = tmp_path / "test-licence.csv"
    path.write_text("code,title\n38206,Licensed descriptor text for 38206\n"
                    "3820X,bad code\n99214,\nJ9035,not CPT\n")
    result = runner.invoke(args=["codes", "import", str(path), "--system", "CPT"])
    assert result.exit_code == 0, result.output
    assert "Loaded 1 CPT codes; rejected 3." in result.output
    assert "line 3: 3820X: not a CPT code" in result.output
    assert "line 4: 99214: no title" in result.output
    assert "line 5: J9035: not a CPT code" in result.output
    html = client.get("/codes/38206").get_data(as_text=True)
    assert "Licensed descriptor text for 38206" in html
    assert "displayed under the licence" in html


def test_an_import_file_without_the_columns_is_refused(runner, catalog, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("number,words\n38206,x\n")
    result = runner.invoke(args=["codes", "import", str(path), "--system", "CPT"])
    assert result.exit_code != 0 and "needs the columns code and title" in result.output


def test_the_posting_form_previews_each_code_with_its_system_and_title(client, catalog):
    html = client.get("/codes/preview?codes=38206,+C92.00,+3820X,+leuk").get_data(as_text=True)
    assert "CPT" in html and "Stem cell and bone marrow services" in html
    assert "Acute myeloblastic leukemia, not having achieved remission" in html
    assert "“3820X” is not a valid code" in html
    assert "Codes matching “leuk”" in html


def test_job_pages_carry_schema_org_job_posting(app, client, catalog):
    from decimal import Decimal
    with app.app_context():
        e = make.employer()
        remote = make.job(e, title="Remote coder", salary_min=Decimal("30"),
                          salary_max=Decimal("38"), salary_period="hour").id
        onsite = make.job(e, title="Onsite coder", work_mode="onsite", city="Denver",
                          state="CO", min_years=0).id
        closed = make.job(e)
        job_services.close_job(closed, e)
        closed_id = closed.id

    def ld(job_id):
        html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
        found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        return [json.loads(f) for f in found]

    [data] = ld(remote)
    assert data["@type"] == "JobPosting" and data["title"] == "Remote coder"
    for key in ("description", "datePosted", "validThrough", "hiringOrganization",
                "employmentType", "identifier", "directApply", "educationRequirements",
                "experienceRequirements", "baseSalary"):
        assert key in data
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "US"}
    assert data["baseSalary"]["value"] == {"@type": "QuantitativeValue", "unitText": "HOUR",
                                           "minValue": 30.0, "maxValue": 38.0}
    assert data["educationRequirements"][0]["credentialCategory"] == "professional certificate"
    assert data["experienceRequirements"]["monthsOfExperience"] == 24
    [onsite_data] = ld(onsite)
    assert onsite_data["jobLocation"]["address"]["addressLocality"] == "Denver"
    assert "jobLocationType" not in onsite_data
    assert ld(closed_id) == []


def test_job_descriptions_cannot_break_out_of_the_json_ld(app, client, catalog):
    with app.app_context():
        job_id = make.job(make.employer(),
                          description="Evil </script><script>alert(1)</script> text here").id
    html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_specialties_list_the_most_specific_first(ctx, catalog):
    assert describe(recognise("38206")).specialties == ["hematology-oncology", "general-surgery"]


def test_codes_load_if_empty_rebuilds_a_missing_lookup_index(app, runner, catalog, search):
    result = runner.invoke(args=["codes", "load", "--if-empty"])
    assert "already loaded" in result.output and "Indexed" in result.output
    again = runner.invoke(args=["codes", "load", "--if-empty"])
    assert "Indexed" not in again.output and "updated" not in again.output


def test_codes_load_if_empty_brings_our_reference_data_up_to_date(app, runner, catalog):
    """An install made before a release's new summaries gets them at the next `make run`."""
    with app.app_context():
        employer = make.employer()
        job = make.job(employer, codes="38206")
        db.session.execute(delete(CatalogCode).where(CatalogCode.system == "CPT",
                                                     CatalogCode.code == "38206"))
        job_services.refresh_meanings([job.id])
        assert "apheresis" not in make.reload(job).search_text
    result = runner.invoke(args=["codes", "load", "--if-empty"])
    assert "our reference data was updated" in result.output, result.output
    with app.app_context():
        assert describe(recognise("38206")).summary.startswith("Collecting a patient's own")
        assert "apheresis" in make.reload(job).search_text  # the job's meanings follow


def test_codes_load_if_empty_brings_job_meanings_up_to_a_changed_vocabulary(app, runner,
                                                                           catalog):
    """A release that adds "afib" to the vocabulary reaches the jobs of an existing install at
    its next `make run`, not only new jobs."""
    with app.app_context():
        job = make.job(make.employer(), codes="I48.91")
        db.session.merge(LoadedData(name="vocabulary.csv", digest="an older vocabulary"))
        job.code_meanings = ["I48.91: Unspecified atrial fibrillation"]  # before "afib"
        job.search_text = "unspecified atrial fibrillation"
        db.session.commit()
        job_id = job.id
    result = runner.invoke(args=["codes", "load", "--if-empty"])
    assert "The clinical vocabulary changed" in result.output, result.output
    with app.app_context():
        refreshed = db.session.get(Job, job_id)
        assert any(line.startswith("I48.91: afib") for line in refreshed.code_meanings)
        assert "afib" in refreshed.search_text
    again = runner.invoke(args=["codes", "load", "--if-empty"])
    assert "vocabulary" not in again.output, again.output


def test_a_code_page_lists_the_codes_often_posted_with_it(app, client):
    with app.app_context():
        employer = make.employer()
        make.job(employer, codes="38206, C92.00, J9035")
        make.job(employer, codes="38206, C92.00")
        make.job(employer, codes="38206, 38208", publish=False)  # a draft: not counted
        old = make.job(employer, codes="38206, 38207")
        job_services.close_job(old, employer)
        old.published_at = utcnow() - timedelta(days=400)  # closed and over a year old
        db.session.commit()
    page = client.get("/codes/38206").get_data(as_text=True)
    section = page.split("Often posted with 38206")[1].split("</section>")[0]
    assert section.index(">C92.00<") < section.index(">J9035<")
    assert "2 jobs" in section and "1 job" in section
    assert ">38208<" not in section and ">38207<" not in section
    # and back: C92.00's page lists 38206
    assert ">38206<" in client.get("/codes/C92.00").get_data(as_text=True).split(
        "Often posted with C92.00")[1].split("</section>")[0]


def test_every_demo_code_and_every_visit_code_has_our_words(ctx, catalog):
    from jobboard.codes.formats import CPT, HCPCS
    from jobboard.demo import PROFILES
    demo = {recognise(c) for _, codes, _, _ in PROFILES.values() for c in codes}
    visits = [str(c) for c in (*range(99202, 99206), *range(99211, 99216), *range(99221, 99224),
                               *range(99231, 99237), 99238, 99239, *range(99281, 99286))]
    wanted = {r for r in demo if r.system in (CPT, HCPCS)} | {recognise(c) for c in visits}
    rows = {(r.system, r.code): r for r in db.session.scalars(select(CatalogCode).where(
        CatalogCode.code.in_([r.code for r in wanted])))}
    missing = sorted(r.code for r in wanted if not (
        (row := rows.get((r.system, r.code))) and (row.summary if r.system == CPT else row.title)))
    assert missing == []
    # and every "use instead" note points at a code we describe too
    targets = {code for row in db.session.scalars(select(CatalogCode).where(
        CatalogCode.system == CPT, CatalogCode.kind == "code"))
        for code, _ in (row.notes or {}).get("use_instead", [])}
    described = set(db.session.scalars(select(CatalogCode.code).where(
        CatalogCode.system == CPT, CatalogCode.code.in_(targets), CatalogCode.summary.is_not(None))))
    assert targets - described == set()


def test_a_cpt_page_explains_the_code_in_our_words_and_lists_its_range(client, catalog):
    page = client.get("/codes/38206").get_data(as_text=True)
    plain = page.split("38206 in plain words")[1].split("</section>")[0]
    assert "own blood-forming stem cells" in plain and "not the AMA's descriptor" in plain
    instead = page.split("Not the code you need?")[1].split("</section>")[0]
    assert 'href="/codes/38205"' in instead and "from a donor" in instead
    codes = page.split("Other codes we know in 38204-38243")[1].split("</section>")[0]
    for code in ("38204", "38205", "38207", "38222", "38240", "38241", "38243"):
        assert f">{code}<" in codes
    assert "38500" not in codes  # the next range is a neighbour, not a member
    assert "Next to it:" in page and "38500-38999 Lymph nodes" in page


def test_a_hcpcs_page_has_our_title_and_an_icd_page_says_whether_it_is_billable(client, catalog):
    page = client.get("/codes/J9035").get_data(as_text=True)
    assert "Bevacizumab injection, 10 mg" in page and "not in our catalog" not in page
    assert "Title and summary in our own words" in page
    leaf = client.get("/codes/C92.00").get_data(as_text=True)
    assert "Billable:" in leaf and "Not billable" not in leaf
    # the category's Excludes1 applies to the code under it
    assert "Excludes1 (never coded together), from" in leaf and "personal history of leukemia" in leaf
    header = client.get("/codes/C92.0").get_data(as_text=True)
    assert "Not billable:" in header and 'href="/codes/C92.00"' in header.split(
        "Codes under C92.0")[1]


def test_licensed_descriptors_keep_our_summary_and_notes_through_a_reload(
        app, runner, catalog, tmp_path, licensed_rows):
    rows = tmp_path / "test-licence.csv"
    rows.write_text("code,title\n38207,Licensed descriptor text\n")
    assert runner.invoke(args=["codes", "import", str(rows), "--system", "CPT"]).exit_code == 0
    with app.app_context():
        catalog_module.load_reference_data()
        info = describe(recognise("38207"))
        assert info.title == "Licensed descriptor text" and info.ours
        assert "Freezing collected stem cells" in info.summary
        assert [c for c, _ in info.use_instead] == ["88240", "38208"]
