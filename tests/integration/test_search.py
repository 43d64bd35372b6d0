"""Job search against the real Meilisearch server started for the test session."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import Job, SearchOutbox, User
from jobboard.search import sync
from jobboard.search.client import client as meili
from jobboard.search.client import index_uid
from tests import factories as make


def post(employer=None, **overrides):
    return make.job(employer or make.employer(), **overrides)


def titles(client_, url) -> list[str]:
    return [hit["title"] for hit in client_.get(url).json["hits"]]


@pytest.fixture
def stem_cell_pair(app, search):
    with app.app_context():
        employer = make.employer(company="Summit Oncology")
        post(employer, title="Harvest coder", codes="38206, C92.00, J9035")
        post(employer, title="Transplant coder", codes="38207, C92.01, J9036")


def test_settings_are_applied_before_documents(app, search):
    with app.app_context():
        s = meili().index(index_uid("jobs")).get_settings()
    assert set(s["typoTolerance"]["disableOnAttributes"]) == {"codes", "credentials"}
    assert s["pagination"]["maxTotalHits"] >= 100_000
    assert "published_at" in s["sortableAttributes"]
    # nothing internal is served
    assert s["displayedAttributes"] == ["id", "title", "description", "codes", "code_prefixes",
                                        "code_meanings", "listing"]


@pytest.mark.parametrize("code, wanted", [
    ("38206", "Harvest coder"), ("38207", "Transplant coder"),
    ("J9035", "Harvest coder"), ("J9036", "Transplant coder"),
    ("C92.00", "Harvest coder"), ("C92.01", "Transplant coder"),
])
def test_codes_match_exactly_never_by_typo(client, stem_cell_pair, code, wanted):
    assert titles(client, f"/api/v1/jobs?q={code}") == [wanted]
    assert titles(client, f"/api/v1/jobs?code={code}") == [wanted]


def test_a_code_prefix_widens_to_the_family_and_says_so(client, stem_cell_pair):
    assert sorted(titles(client, "/api/v1/jobs?q=3820")) == ["Harvest coder", "Transplant coder"]
    html = client.get("/jobs?q=3820").get_data(as_text=True)
    assert "Jobs with codes starting 3820" in html


def test_the_page_names_the_code_and_links_to_its_reference(client, stem_cell_pair):
    html = client.get("/jobs?q=38206").get_data(as_text=True)
    assert 'Jobs tagged <a href="/codes/38206">38206</a>' in html
    assert "1 job<" in html


def test_words_keep_typo_tolerance_and_synonyms(app, client, search):
    with app.app_context():
        post(title="Coder", specialties=["hematology-oncology"])
        post(title="Professional coder", specialties=["evaluation-management"], codes="99214")
    assert titles(client, "/api/v1/jobs?q=hematalogy") == ["Coder"]
    assert titles(client, "/api/v1/jobs?q=heme/onc") == ["Coder"]
    assert titles(client, "/api/v1/jobs?q=E/M") == ["Professional coder"]


def test_remote_cpc_inpatient_finds_jobs_with_all_three(app, client, search):
    with app.app_context():
        post(title="Inpatient coder", setting="inpatient-facility", required_credentials=["CPC"],
             preferred_credentials=[], work_mode="remote")
        post(title="Onsite inpatient coder", setting="inpatient-facility",
             required_credentials=["CPC"], preferred_credentials=[], work_mode="onsite",
             city="Austin", state="TX")
        post(title="Remote pro-fee coder", setting="pro-fee", required_credentials=["CPC"],
             preferred_credentials=[], work_mode="remote")
    assert titles(client, "/api/v1/jobs?q=remote+CPC+inpatient") == ["Inpatient coder"]


@pytest.fixture(params=["meilisearch", "sql"])
def cardiology_and_radiology(request, app):
    """Three jobs, searched through Meilisearch and through the database (no server)."""
    if request.param == "meilisearch":
        request.getfixturevalue("search")
    with app.app_context():
        e = make.employer()
        post(e, title="A", specialties=["cardiology"], work_mode="onsite", city="Austin",
             state="TX", codes="93306")
        post(e, title="B", specialties=["cardiology"], work_mode="remote", codes="93306")
        post(e, title="C", specialties=["radiology"], work_mode="remote", codes="70553")


def test_facets_count_and_filters_narrow(client, cardiology_and_radiology):
    data = client.get("/api/v1/jobs").json
    assert data["total"] == 3
    assert data["facets"]["specialties"] == {"cardiology": 2, "radiology": 1}
    assert data["facets"]["codes"] == {"93306": 2, "70553": 1}
    assert sorted(titles(client, "/api/v1/jobs?specialty=cardiology")) == ["A", "B"]
    assert titles(client, "/api/v1/jobs?specialty=cardiology&work_mode=remote") == ["B"]
    assert sorted(titles(client, "/api/v1/jobs?specialty=cardiology&specialty=radiology"
                                 "&work_mode=remote")) == ["B", "C"]
    assert titles(client, "/api/v1/jobs?state=tx") == ["A"]
    html = client.get("/jobs?specialty=cardiology").get_data(as_text=True)
    assert 'aria-label="Remove filter Cardiology"' in html
    assert 'href="/jobs?specialty=cardiology&amp;specialty=radiology"' in html


def test_facet_groups_count_as_if_their_own_selection_were_absent(client,
                                                                   cardiology_and_radiology):
    facets = client.get("/api/v1/jobs?specialty=cardiology").json["facets"]
    # the specialty group still offers radiology, so the selection can be widened ...
    assert facets["specialties"] == {"cardiology": 2, "radiology": 1}
    # ... while every other group counts within the selection
    assert facets["work_mode"] == {"onsite": 1, "remote": 1}
    assert facets["codes"] == {"93306": 2}
    both = client.get("/api/v1/jobs?specialty=cardiology&work_mode=remote").json
    assert both["total"] == 1
    assert both["facets"]["work_mode"] == {"onsite": 1, "remote": 1}
    assert both["facets"]["specialties"] == {"cardiology": 1, "radiology": 1}


def test_salary_filter_compares_hourly_and_yearly_pay_on_one_scale(app, client, search):
    with app.app_context():
        post(title="Hourly", salary_min=Decimal("30"), salary_max=Decimal("35"),
             salary_period="hour")  # 72,800 a year
        post(title="Yearly", salary_min=Decimal("50000"), salary_max=Decimal("60000"))
    assert titles(client, "/api/v1/jobs?salary_min=65000") == ["Hourly"]
    assert titles(client, "/api/v1/jobs?sort=salary") == ["Hourly", "Yearly"]


def test_sort_newest_and_posted_within(app, client, search):
    with app.app_context():
        e = make.employer()
        old, new = post(e, title="Old", publish=False), post(e, title="New", publish=False)
        job_services.publish_job(old, e, now=utcnow() - timedelta(days=20))
        job_services.publish_job(new, e)
    assert titles(client, "/api/v1/jobs?sort=newest") == ["New", "Old"]
    assert titles(client, "/api/v1/jobs?posted_within=7") == ["New"]


def test_pagination_with_a_true_total(app, client, search):
    with app.app_context():
        e = make.employer()
        for i in range(5):
            post(e, title=f"Job {i}")
    page2 = client.get("/api/v1/jobs?per_page=2&page=2&sort=newest").json
    assert page2["total"] == 5 and page2["page"] == 2 and len(page2["hits"]) == 2
    assert client.get("/api/v1/jobs?per_page=2&page=3").json["hits"].__len__() == 1
    assert "Page 2 of 3" in client.get("/jobs?per_page=2&page=2").get_data(as_text=True)


def test_matches_are_highlighted_and_titles_stay_escaped(app, client, search):
    with app.app_context():
        post(title="Oncology <b>coder</b>")
    html = client.get("/jobs?q=oncology").get_data(as_text=True)
    assert "<mark>Oncology</mark> &lt;b&gt;coder&lt;/b&gt;" in html


def test_api_hit_shape(app, client, stem_cell_pair):
    hit = client.get("/api/v1/jobs?q=38206").json["hits"][0]
    assert hit["codes"][0] == {"system": "CPT", "code": "38206",
                               "url": "http://localhost/codes/38206"}
    assert hit["company"] == "Summit Oncology" and hit["salary_min"] == 60000.0
    assert hit["published_at"].endswith("+00:00") and hit["url"].endswith(f"/jobs/{hit['id']}")
    assert set(hit) >= {"id", "title", "specialties", "credentials", "work_mode", "city",
                        "state", "salary_max", "salary_period", "employment_type"}


@pytest.mark.parametrize("query", ["page=-1", "salary_min=abc", "specialty=astrology",
                                   "per_page=0", "sort=random", "code=XYZ"])
def test_bad_parameters_are_reported_never_a_500(client, search, query):
    page = client.get(f"/jobs?{query}")
    assert page.status_code == 200 and "Ignored" in page.get_data(as_text=True)
    api = client.get(f"/api/v1/jobs?{query}")
    assert api.status_code == 400 and api.json["errors"]


def test_per_page_is_capped_at_100_and_says_so(client, search):
    api = client.get("/api/v1/jobs?per_page=500")
    assert api.status_code == 200 and api.json["per_page"] == 100
    assert api.json["notes"] == ["per_page is at most 100; using 100."]
    assert "at most 100" in client.get("/jobs?per_page=500").get_data(as_text=True)


def test_closing_a_job_removes_it_and_editing_updates_it(app, client, search):
    with app.app_context():
        e = make.employer()
        job = post(e, title="Coder", codes="38206")
        job_services.update_job(job, e, make.fields(title="Senior coder", codes="38207"))
        job_id, employer_id = job.id, e.id
    assert titles(client, "/api/v1/jobs?q=38207") == ["Senior coder"]
    assert titles(client, "/api/v1/jobs?q=38206") == []
    with app.app_context():
        job_services.close_job(db.session.get(Job, job_id), db.session.get(User, employer_id))
    assert titles(client, "/api/v1/jobs") == []


def test_renaming_a_company_reindexes_its_jobs(app, client, search):
    from jobboard.employers.services import update_company
    with app.app_context():
        e = make.employer(company="Old Name Health")
        post(e, title="Coder")
        update_company(e.company, e, "Bright Path Health", None, "")
    assert client.get("/api/v1/jobs?q=bright+path").json["hits"][0]["company"] == \
        "Bright Path Health"


def test_every_change_is_pushed_and_marked_done_only_after_its_task(app, search):
    with app.app_context():
        post(title="Coder")
        rows = db.session.scalars(select(SearchOutbox)).all()
        assert rows and all(r.done_at is not None and r.task_uid is not None for r in rows)
        task = meili().get_task(rows[-1].task_uid)
        assert task.status == "succeeded"


def test_expired_jobs_leave_search_even_before_the_expiry_sweep(app, client, search):
    from jobboard.search.client import wait
    from jobboard.search.documents import document
    with app.app_context():
        job = post(title="Expiring coder")
        # Its time has come: the index holds it as published with the expiry passed, as it
        # does between the expiry and the sweep that marks it expired.
        job.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        index = meili().index(index_uid("jobs"))
        assert wait(index.add_documents([document(job)]).task_uid).status == "succeeded"
        assert index.search("")["hits"]  # still in the index
    assert titles(client, "/api/v1/jobs") == []
    assert "Expiring coder" not in client.get("/jobs").get_data(as_text=True)
    with app.app_context():
        job_services.expire_due_jobs()
        hits = meili().index(index_uid("jobs")).search("")["hits"]
    assert hits == []


def test_reindex_rebuilds_and_swaps_without_leaving_search_empty(app, client, search,
                                                                monkeypatch):
    with app.app_context():
        e = make.employer()
        post(e, title="Kept")
        lost = post(e, title="Lost from the index").id
        index = meili().index(index_uid("jobs"))
        from jobboard.search.client import wait
        wait(index.delete_document(lost).task_uid)
    assert titles(client, "/api/v1/jobs") == ["Kept"]
    during: list[list[str]] = []
    build = sync.document

    def document_and_look(job):
        if not during:  # mid-rebuild: search still answers, and a new job is published
            during.append(titles(app.test_client(), "/api/v1/jobs"))
            with app.app_context():
                post(make.employer(), title="Published during the rebuild")
        return build(job)

    monkeypatch.setattr(sync, "document", document_and_look)
    with app.app_context():
        count = sync.reindex()
        prefix = index_uid("")
        uids = [i.uid for i in meili().get_indexes({"limit": 1000})["results"]]
    assert count == 3  # the rebuild read the job published meanwhile too
    assert during == [["Kept"]]
    assert sorted(titles(client, "/api/v1/jobs")) == [
        "Kept", "Lost from the index", "Published during the rebuild"]
    # the rebuild index is gone; the coders index is untouched
    assert sorted(u for u in uids if u.startswith(prefix)) == [prefix + "coders", prefix + "jobs"]


def test_the_master_key_never_reaches_a_page(app, client, search):
    with app.app_context():
        post(title="Coder")
    for url in ("/jobs", "/jobs?q=coder", "/api/v1/jobs", "/healthz"):
        assert search.master_key not in client.get(url).get_data(as_text=True)


def test_healthz_reports_search_and_pending_updates(client, search):
    health = client.get("/healthz").json
    assert health["search"] == {"status": "ok", "pending_updates": 0}


def test_a_family_filter_shows_as_a_removable_chip(app, client, search):
    with app.app_context():
        post(title="Harvest", codes="38206")
    html = client.get("/jobs?family=382").get_data(as_text=True)
    assert 'aria-label="Remove filter Codes 382…"' in html and "codes starting 382" in html


def test_searches_use_a_key_that_can_search_and_nothing_else(app, client, search):
    import meilisearch
    from meilisearch.errors import MeilisearchApiError

    from jobboard.search import client as search_client
    with app.app_context():
        post(title="Stem cell coder", codes="38206")
        key = search_client.client().get_key(search_client.search_key_uid())
        assert key.actions == ["search"]
        assert sorted(key.indexes) == sorted([search_client.index_uid("jobs"),
                                              search_client.index_uid("codes"),
                                              search_client.index_uid("coders")])
        assert search_client.search_client().config.api_key == key.key  # what searches use
        restricted = meilisearch.Client(app.config["MEILI_URL"], key.key, timeout=5)
        jobs = search_client.index_uid("jobs")
        assert restricted.index(jobs).search("")["hits"]
        with pytest.raises(MeilisearchApiError) as refused:
            restricted.index(jobs).add_documents([{"id": 999999, "title": "planted"}])
        assert refused.value.status_code == 403
        with pytest.raises(MeilisearchApiError):
            restricted.get_keys()  # and it cannot read the other keys either
    assert titles(client, "/api/v1/jobs?q=38206") == ["Stem cell coder"]


def test_a_job_closed_while_search_was_unreachable_is_left_out_of_search(app, client, search):
    """The database is the truth for each hit: a job closed while the search server could
    not be reached still has its document in the index, its update waiting in the outbox; it
    is not served, on the API or the page. A job whose waiting update keeps it open is."""
    from jobboard.search.server import free_port
    from jobboard.search.sql import jobs_behind_index
    with app.app_context():
        employer = make.employer()
        post(employer, title="Kept coder", codes="38206")
        gone = post(employer, title="Closed coder", codes="38206")
        renewed = post(employer, title="Renewed coder", codes="38206")
        reachable = app.config["MEILI_URL"]
        app.config["MEILI_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        try:
            job_services.close_job(gone, employer)
            job_services.renew_job(renewed, employer)
        finally:
            app.config["MEILI_URL"] = reachable
        assert jobs_behind_index() == {gone.id, renewed.id}
        indexed = meili().index(index_uid("jobs")).search("38206")["hits"]
        assert gone.id in {h["id"] for h in indexed}  # the index is behind
    assert sorted(titles(client, "/api/v1/jobs?q=38206")) == ["Kept coder", "Renewed coder"]
    html = client.get("/jobs?q=38206").get_data(as_text=True)
    assert "Kept coder" in html and "Renewed coder" in html and "Closed coder" not in html
    with app.app_context():
        assert sync.drain(ignore_backoff=True).pushed == 2  # as `flask search sync` does
        assert jobs_behind_index() == set()
    assert sorted(titles(client, "/api/v1/jobs?q=38206")) == ["Kept coder", "Renewed coder"]


def test_with_an_outage_backlog_every_hit_is_checked(app, client, search):
    """Past BEHIND_MAX jobs waiting for their index updates (a long outage), the API no
    longer lists them while Meilisearch searches: it checks every hit against the database.
    The job closed here behind the outbox's back shows that every hit was checked."""
    from jobboard.search.sql import BEHIND_MAX, jobs_behind_index
    with app.app_context():
        employer = make.employer()
        post(employer, title="Kept coder", codes="38206")
        gone = post(employer, title="Closed coder", codes="38206")
        db.session.execute(update(Job).where(Job.id == gone.id).values(status="closed"))
        later = post(employer, title="Expired coder", codes="38206")
        db.session.execute(update(Job).where(Job.id == later.id)
                           .values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.add_all(SearchOutbox(job_id=10**6 + n) for n in range(BEHIND_MAX + 1))
        db.session.add(SearchOutbox(job_id=10**6, done_at=utcnow()))  # done rows do not count
        db.session.commit()
        assert jobs_behind_index() is None
        assert jobs_behind_index(BEHIND_MAX + 1) == {10**6 + n for n in range(BEHIND_MAX + 1)}
    assert titles(client, "/api/v1/jobs?q=38206") == ["Kept coder"]


def test_the_open_check_of_search_hits_follows_the_open_rule(app):
    from jobboard.search.sql import still_open
    with app.app_context():
        employer = make.employer()
        jobs = {name: post(employer, title=name) for name in
                ("open", "no expiry", "expired", "expires now", "closed", "filled")}
        jobs["draft"] = make.job(employer, publish=False)
        now = utcnow()
        jobs["no expiry"].expires_at = None
        jobs["expired"].expires_at = now - timedelta(seconds=1)
        jobs["expires now"].expires_at = now  # open until, not at, its expiry
        jobs["closed"].status, jobs["filled"].status = "closed", "filled"
        db.session.commit()
        ids = [job.id for job in jobs.values()] + [10**9]  # and one that does not exist
        assert still_open(ids, now) == {jobs["open"].id, jobs["no expiry"].id}
        # One rule, read three ways: the hits' check, SQL (Job.is_open) and Python.
        assert still_open(ids, now) == set(db.session.scalars(
            select(Job.id).where(Job.id.in_(ids), Job.is_open(now))))
        assert still_open(ids, now) == {j.id for j in jobs.values() if j.is_open(now)}
        assert still_open([], now) == set()


def test_a_reindex_reads_the_same_documents_as_a_single_update(app):
    """A full reindex reads jobs as plain rows in batches; a job's own update reads it
    through the ORM. Both must give the index the same document."""
    from jobboard.models import Company
    from jobboard.models.job import listing_loads
    from jobboard.search.documents import document, job_rows
    with app.app_context():
        employer, other = make.employer(), make.employer()
        post(employer, codes="38206, C92.00, J9035, 30233N1", title="Every system")
        post(employer, codes="99214", required_credentials=[], preferred_credentials=[],
             specialties=["emergency-department", "cardiology"], salary_min=Decimal("31.50"),
             salary_max=None, salary_period="hour", city=None, state=None)
        post(employer, codes="E11.9, Z79.4", required_credentials=["CRC", "CPC"],
             preferred_credentials=["CCS", "RHIT"], work_mode="onsite", city="Austin",
             state="TX", salary_min=None, salary_max=None, salary_period=None)
        post(other, codes="93306").expires_at = None
        db.session.get(Company, other.company_id).verified_at = None  # verified, then not
        make.job(employer, publish=False)  # a draft: in neither
        db.session.commit()
        now = utcnow()
        rows = job_rows(Job.is_open(now), 0, 100)
        by_orm = db.session.scalars(select(Job).where(Job.is_open(now)).order_by(Job.id)
                                    .options(*listing_loads())).all()
        assert [document(r) for r in rows] == [document(j) for j in by_orm]
        assert len(rows) == 4
        # In id order, from after the given id, at most the given number: how it pages.
        assert [r.id for r in job_rows(Job.is_open(now), rows[0].id, 2)] == \
            [rows[1].id, rows[2].id]
        # A run of closed jobs longer than a batch neither ends the paging nor leaves a job out.
        for _ in range(3):
            make.job(employer, publish=False)
        last = post(employer, codes="38207", title="After the drafts")
        db.session.commit()
        assert [r.id for r in job_rows(Job.is_open(now), rows[-1].id, 2)] == [last.id]


def test_search_links_built_once_per_request_are_url_fors_own(app):
    """Result pages link to themselves once per facet, chip and code tag: those links come
    from one url_for per request and must be exactly what url_for would write."""
    from flask import request, url_for
    from werkzeug.datastructures import MultiDict

    from jobboard.links import with_query
    from jobboard.templating import code_url
    with app.test_request_context("/jobs?q=38206,%2038207&specialty=cardiology"
                                  "&specialty=radiology&state=tx&note=a/b%20c%26%C3%A9"):
        args = MultiDict(request.args)
        assert with_query("jobs.browse", args) == \
            url_for("jobs.browse", **args.to_dict(flat=False))
        assert with_query("api.jobs", {**args.to_dict(flat=False), "page": 2}, external=True) \
            == url_for("api.jobs", **args.to_dict(flat=False), page=2, _external=True)
        assert with_query("jobs.browse", MultiDict()) == url_for("jobs.browse")
        for code in ("38206", "C92.00", "J9035", "0W9G3ZZ", "a b/c"):
            assert code_url(code) == url_for("codes.page", code=code)


def test_a_wait_that_gives_up_says_which_task_it_waited_for(app, search):
    """An operator (or a failed CI run) reading the error learns what was slow and how much
    was queued ahead of it, not only a task number."""
    from meilisearch.errors import MeilisearchTimeoutError

    from jobboard.search.client import wait
    with app.app_context():
        task = meili().index(index_uid("jobs")).update_settings({"rankingRules": ["words"]})
        with pytest.raises(MeilisearchTimeoutError) as gave_up:
            wait(task.task_uid, timeout_ms=0)
        message = str(gave_up.value)
        assert f"task {task.task_uid} (settingsUpdate on index {index_uid('jobs')}" in message
        assert "gave up after 0 s" in message and "enqueued or processing" in message
        assert wait(task.task_uid).status == "succeeded"  # its own deadline: long enough


@pytest.mark.parametrize("search_up", [True, False])
def test_a_chosen_sort_orders_the_whole_result_when_the_query_has_words(
        app, client, request, search_up):
    """q=coder&sort=newest listed Nov 25 ... Oct 31, then Dec 3 ...: words ranked first and the
    sort only broke ties. A sort the user chose orders everything, on Meilisearch and on the
    database alike."""
    if search_up:
        request.getfixturevalue("search")
    with app.app_context():
        e = make.employer()
        # The newest and best-paid jobs have the word only in their description, the oldest
        # in the title: by relevance they would come last.
        made = [("Coder", 30, 50_000), ("Coder lead", 20, 60_000),
                ("Abstraction reviewer", 10, 70_000), ("Chart specialist", 1, 90_000)]
        ids = {}
        for title, days_ago, pay in made:
            job = post(e, title=title, publish=False, salary_min=Decimal(pay - 5_000),
                       salary_max=Decimal(pay), salary_period="year",
                       description="Coder wanted: code stem cell cases daily.")
            job_services.publish_job(job, e, now=utcnow() - timedelta(days=days_ago))
            ids[title] = job.id
    newest = [t for t, _, _ in sorted(made, key=lambda m: m[1])]
    richest = [t for t, _, _ in sorted(made, key=lambda m: -m[2])]
    assert titles(client, "/api/v1/jobs?q=coder&sort=newest") == newest
    assert titles(client, "/api/v1/jobs?q=coder&sort=salary") == richest
    for sort, expected in (("newest", newest), ("salary", richest)):
        page = client.get(f"/jobs?q=coder&sort={sort}").get_data(as_text=True)
        shown = [int(i) for i in re.findall(r'href="/jobs/(\d+)"', page)]
        listed = list(dict.fromkeys(i for i in shown if i in ids.values()))
        assert listed == [ids[t] for t in expected], sort


def test_a_page_past_the_last_says_so_instead_of_no_jobs_match(app, client):
    """/jobs?q=38206&page=999 said "12 jobs", then "No jobs match ... try fewer filters"."""
    with app.app_context():
        e = make.employer()
        for i in range(3):
            post(e, title=f"Job {i}")
    page = client.get("/jobs?q=38206&per_page=2&page=999").get_data(as_text=True)
    assert "No jobs match" not in page and "No jobs on page 999" in page
    assert "This search has 3 jobs, on 2 pages." in page
    assert 'href="/jobs?q=38206&amp;per_page=2&amp;page=2">Go to page 2</a>' in page
