"""Candidate search for employers: findable profiles in the coders index, invitations."""
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from jobboard.auth import services as auth_services
from jobboard.candidates import services as candidates
from jobboard.coders import services as coder_services
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.models import Invitation, User
from jobboard.search.client import client, index_uid
from tests import factories as make

PROFILE = {"headline": "Heme/onc coder, 6 years", "credentials": ["CPC", "CHONC"],
           "specialties": ["hematology-oncology"], "years_experience": "6", "city": "Tampa",
           "state": "FL", "remote_preference": "remote", "codes": "38206, c92.00",
           "availability": "now"}


def _findable(**overrides) -> User:
    """A coder whose profile is in candidate search."""
    coder = make.coder()
    values = {**PROFILE, "years_experience": 6, "codes": "38206, C92.00", "findable": True,
              **overrides}
    coder_services.update_profile(coder, coder_services.ProfileFields(**values))
    return coder


def _ids(page_html: str) -> list[str]:
    return re.findall(r'id="candidate-(\d+)"', page_html)


def _indexed_ids() -> set[int]:
    docs = client().index(index_uid("coders")).get_documents({"limit": 100}).results
    return {d.id for d in docs}


def test_a_coder_turns_findability_on_and_off_and_the_index_follows_at_once(
        app, browser, other_browser, search):
    with app.app_context():
        coder = make.coder()
        hidden = _findable(headline="Not looking", findable=False)
        coder_id, email, hidden_id = coder.id, coder.email, hidden.id
        recruiter = make.employer().email
    browser.login(email)
    page = browser.get("/coder/profile").get_data(as_text=True)
    assert 'name="findable"' in page and "checked" not in page.split('name="findable"')[1][:40]
    r = browser.submit("/coder/profile", {**PROFILE, "findable": "y"})
    assert r.status_code == 302
    with app.app_context():
        assert _indexed_ids() == {coder_id}  # pushed in the request, not later
    other_browser.login(recruiter)
    found = other_browser.get("/employer/candidates?code=C92").get_data(as_text=True)
    assert _ids(found) == [str(coder_id)] and "Heme/onc coder, 6 years" in found
    assert str(hidden_id) not in _ids(other_browser.get("/employer/candidates").get_data(
        as_text=True))
    # Turned off: gone from the index before the employer's next search.
    browser.submit("/coder/profile", {**PROFILE})
    with app.app_context():
        assert _indexed_ids() == set()
    assert _ids(other_browser.get("/employer/candidates?code=C92").get_data(as_text=True)) == []


def test_filters_read_codes_families_credentials_work_mode_and_years(app, ctx, search):
    employer = make.employer()
    onc = _findable()
    cardio = _findable(headline="Cardiology pro-fee coder", credentials=["CCC"],
                       specialties=["cardiology"], codes="93000, I48.91", state="TX",
                       remote_preference="any", years_experience=2, availability="open")
    onsite = _findable(headline="Onsite inpatient coder", credentials=["CCS"],
                       specialties=[], codes="", remote_preference="onsite",
                       years_experience=12, availability="later")

    def found(**args):
        query, problems = candidates.parse_query(MultiDict(args))
        assert problems == {}
        page = candidates.search(query, employer.company_id)
        assert not page.degraded
        return [c.profile.user_id for c in page.candidates]

    assert found(code="C92") == [onc.id]  # a family finds a coder listing C92.00
    assert found(code="38207") == [] and found(q="38207") == []  # no neighbour by typo
    assert sorted(found(credential=["CCC", "CCS"])) == sorted([cardio.id, onsite.id])
    assert sorted(found(work_mode="remote")) == sorted([onc.id, cardio.id])  # "any" accepts it
    assert found(min_years="10") == [onsite.id]
    assert found(state="TX") == [cardio.id]
    assert found(availability=["now"]) == [onc.id]
    assert found(q="cardiology") == [cardio.id]
    assert found(sort="years") == [onsite.id, onc.id, cardio.id]


def test_without_the_search_server_the_same_filters_answer_from_the_database(ctx):
    employer = make.employer()
    onc = _findable()
    _findable(headline="Cardiology coder", credentials=["CCC"], codes="93000",
              remote_preference="onsite")
    _findable(headline="Hidden", findable=False)
    query, _ = candidates.parse_query(MultiDict({"code": "C92", "work_mode": "remote",
                                                 "credential": "CPC", "q": "heme"}))
    page = candidates.search(query, employer.company_id)
    assert [c.profile.user_id for c in page.candidates] == [onc.id] and page.total == 1


@pytest.mark.parametrize("with_search", [True, False], ids=["meilisearch", "database"])
def test_candidate_search_reads_codes_and_meanings_as_job_search_does(
        app, ctx, catalog, request, with_search):
    """382 is a family, 38206-38215 a range, C9200 offers C92.00 (and finds no one until
    chosen, rather than everyone), leukemia and hem/onc find the coder by what their codes
    and specialty mean; the same answers with and without Meilisearch."""
    if with_search:
        request.getfixturevalue("search")
    employer = make.employer()
    onc = _findable()  # 38206, C92.00, hematology/oncology
    cardio = _findable(headline="Cardiology pro-fee coder", credentials=["CCC"],
                       specialties=["cardiology"], codes="93000, I48.91, E11.9")

    def found(**args):
        query, problems = candidates.parse_query(MultiDict(args))
        assert problems == {}
        page = candidates.search(query, employer.company_id)
        assert page.degraded is False
        return [c.profile.user_id for c in page.candidates]

    assert found(code="382") == [onc.id]
    assert found(q="382") == [onc.id]  # a code in the words box is read as a code
    assert found(code="38200-38215") == [onc.id] and found(code="38220-38230") == []
    assert found(q="CPT 38206") == [onc.id] and found(q="cpt38206") == [onc.id]
    assert found(q="leukemia") == [onc.id]
    assert found(q="hem/onc") == [onc.id]
    assert found(q="fibrillation") == [cardio.id]
    # what coders write for their codes, from the one vocabulary (issue 25)
    assert found(q="afib") == [cardio.id] and found(q="aml") == [onc.id]
    assert found(q="bone marrow transplant") == [onc.id]
    assert found(q="C92 leukemia") == [onc.id] and found(q="93000 leukemia") == []
    for typed, dotted in (("C9200", "C92.00"), ("E119", "E11.9")):
        # C9200 has a HCPCS code's shape (searched as such, no coder lists it); E119 has
        # no other reading, so it is not searched: no one is found rather than everyone.
        query, _ = candidates.parse_query(MultiDict({"code": typed}))
        assert query.reads_as_nothing == (typed == "E119")
        assert candidates.search(query, employer.company_id).total == 0
        [suggestion] = candidates.dotted_suggestions(query, MultiDict({"code": typed}))
        assert suggestion == (typed, dotted, {"code": [dotted]})
        assert found(code=dotted) == [onc.id if typed == "C9200" else cardio.id]
    query, problems = candidates.parse_query(MultiDict({"code": "382 banana"}))
    assert problems == {"code": '"banana" is not a valid code. Use CPT (38206), HCPCS '
                                '(J9035), ICD-10-CM with its dot (C92.00) or ICD-10-PCS '
                                '(0DTJ4ZZ).'}


def test_the_candidate_page_offers_the_dotted_code_and_shows_how_it_read_the_codes(
        app, catalog, browser):
    with app.app_context():
        _findable()
        recruiter = make.employer().email
    browser.login(recruiter)
    html = browser.get("/employer/candidates?code=C9200").get_data(as_text=True)
    assert "0 coders found" in html
    assert "Did you mean" in html and 'href="/employer/candidates?code=C92.00"' in html
    html = browser.get("/employer/candidates?q=382+leukemia").get_data(as_text=True)
    assert "Coders who list 382 or a code under it · matching leukemia." in html
    assert "1 coder found" in html


def test_employers_never_see_name_email_or_resume_until_the_coder_applies(
        app, browser, other_browser, mailbox):
    with app.app_context():
        coder = _findable()
        employer = make.employer(company="Sunrise Oncology")
        job_id = make.job(employer, title="Stem cell coder").id
        coder_id, name, email = coder.id, coder.name, coder.email
        employer_email = employer.email
    browser.login(employer_email)
    for url in ("/employer/candidates", f"/employer/candidates/{coder_id}/invite"):
        html = browser.get(url).get_data(as_text=True)
        assert "Heme/onc coder, 6 years" in html
        assert name not in html and email not in html and "my resume.pdf" not in html
    r = browser.submit(f"/employer/candidates/{coder_id}/invite",
                       {"job": str(job_id), "message": "Your C92 work fits our BMT unit."})
    assert r.status_code == 302 and r.location.endswith("/employer/invitations")
    sent = browser.get("/employer/invitations").get_data(as_text=True)
    assert "Waiting for an answer" in sent and name not in sent
    [mail] = mailbox.messages(to=email)
    assert mail["Subject"] == "Sunrise Oncology invites you to apply: Stem cell coder"
    assert "Your C92 work fits our BMT unit." in mail.text and "/coder/invitations" in mail.text
    # The coder applies: the invitation is answered and the employer sees who it is.
    other_browser.login(email)
    assert "Stem cell coder" in other_browser.get("/coder/invitations").get_data(as_text=True)
    job_page = other_browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Sunrise Oncology invited you to apply: “Your C92 work fits our BMT unit.”" in job_page
    r = other_browser.submit(f"/jobs/{job_id}", {"cover_letter": "Happy to."},
                             action=f"/jobs/{job_id}/apply")
    assert r.status_code == 302
    sent = browser.get("/employer/invitations").get_data(as_text=True)
    assert "Applied" in sent and name in sent and "/employer/applications/" in sent


def test_one_invitation_per_coder_per_job_and_a_daily_limit_per_company(app, ctx):
    app.config["INVITATIONS_PER_COMPANY_PER_DAY"] = 2
    employer = make.employer()
    jobs = [make.job(employer, title=f"Coder {n}") for n in range(3)]
    coder, other, third = _findable(), _findable(), _findable()
    candidates.invite(employer, coder.id, jobs[0].id, "")
    with pytest.raises(Conflict, match="already invited"):
        candidates.invite(employer, coder.id, jobs[0].id, "")
    candidates.invite(employer, other.id, jobs[0].id, "")
    with pytest.raises(Conflict, match="2 invitations in the last 24 hours"):
        candidates.invite(employer, third.id, jobs[1].id, "")
    assert db.session.scalar(select(db.func.count()).select_from(Invitation)) == 2
    # Another company's job, a closed one, and a coder who is not findable are refused.
    rival = make.employer()
    with pytest.raises(InvalidInput):
        candidates.invite(rival, third.id, jobs[2].id, "")
    with pytest.raises(NotAllowed):
        candidates.invite(employer, _findable(findable=False).id, jobs[2].id, "")


def test_a_coder_declines_and_only_the_coder_may(app, browser, other_browser):
    with app.app_context():
        employer = make.employer()
        job = make.job(employer, title="Auditor")
        coder, someone_else = _findable(), _findable()
        invitation = candidates.invite(employer, coder.id, job.id, "")
        ids = (invitation.id, coder.email, someone_else.email, employer.email)
    invitation_id, email, other_email, employer_email = ids
    other_browser.login(other_email)
    assert other_browser.get(f"/coder/invitations/{invitation_id}/decline").status_code == 404
    browser.login(email)
    r = browser.submit(f"/coder/invitations/{invitation_id}/decline", {})
    assert r.status_code == 302
    assert "Declined" in browser.get("/coder/invitations").get_data(as_text=True)
    browser.logout()
    browser.login(employer_email)
    assert "Declined" in browser.get("/employer/invitations").get_data(as_text=True)


def test_candidate_search_needs_a_verified_company_and_is_not_for_coders(app, browser):
    with app.app_context():
        unverified = make.employer(verified=False).email
        coder = _findable()
        coder_email, coder_id = coder.email, coder.id
    browser.login(unverified)
    r = browser.get("/employer/candidates")
    assert r.status_code == 403 and "once your company is verified" in r.get_data(as_text=True)
    assert browser.get(f"/employer/candidates/{coder_id}/invite").status_code == 403
    browser.logout()
    browser.login(coder_email)
    assert browser.get("/employer/candidates").status_code == 403


def test_profile_codes_are_checked_and_a_deleted_account_leaves_the_index(
        app, browser, search):
    with app.app_context():
        coder = make.coder()
        email, coder_id = coder.email, coder.id
    browser.login(email)
    r = browser.submit("/coder/profile", {**PROFILE, "findable": "y", "codes": "38206, banana"})
    assert r.status_code == 400 and "&#34;banana&#34; is not a valid code" in r.get_data(
        as_text=True)
    with app.app_context():
        assert _indexed_ids() == set()  # nothing half-saved
    browser.submit("/coder/profile", {**PROFILE, "findable": "y"})
    with app.app_context():
        assert _indexed_ids() == {coder_id}
        auth_services.delete_account(db.session.get(User, coder_id), make.PASSWORD)
        assert _indexed_ids() == set()


def test_a_profile_saved_while_search_is_down_is_findable_once_it_is_back(app, ctx, search):
    from jobboard.search import sync
    url = app.config["MEILI_URL"]
    app.config["MEILI_URL"] = "http://127.0.0.1:9"  # nothing listens there
    coder = _findable()
    app.config["MEILI_URL"] = url
    from jobboard.search import breaker
    breaker._breakers.clear()
    assert _indexed_ids() == set() and sync.pending_count() >= 1
    sync.drain(ignore_backoff=True)
    assert _indexed_ids() == {coder.id}


def test_a_rebuild_of_the_coders_index_holds_exactly_the_findable_profiles(app, ctx, search):
    from jobboard.search import sync
    from jobboard.search.client import wait
    shown, hidden = _findable(), _findable(findable=False)
    wait(client().index(index_uid("coders")).delete_all_documents().task_uid)  # data lost
    assert _indexed_ids() == set()
    assert sync.reindex_coders() == 1
    assert _indexed_ids() == {shown.id} and hidden.id not in _indexed_ids()
    prefix = index_uid("")
    uids = [i.uid for i in client().get_indexes({"limit": 1000})["results"]]
    assert sorted(u for u in uids if u.startswith(prefix)) == [prefix + "coders", prefix + "jobs"]
