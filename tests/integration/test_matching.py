"""Jobs I qualify for: the match rules with the page's wording, and "Jobs for me"."""
from jobboard.coders import services as coder_services
from jobboard.coders.matching import match
from jobboard.extensions import db
from jobboard.models import CoderProfile, User
from tests import factories as make


def _profile(**values) -> CoderProfile:
    defaults = dict(credentials=["CPC"], specialties=[], years_experience=2, state=None,
                    remote_preference="any")
    return CoderProfile(**{**defaults, **values})


def test_required_credentials_years_and_preferred_in_the_pages_words(ctx):
    employer = make.employer()
    job = make.job(employer, required_credentials=["CCS", "CIC"], preferred_credentials=["CPC"],
                   min_years=3)
    m = match(job, _profile(credentials=["CPC"], years_experience=1))
    assert not m.meets
    assert m.missing == ["needs CCS or CIC", "3 years required, you have 1"]
    assert m.summary == "Needs CCS or CIC; 3 years required, you have 1"
    assert m.preferred_held == ["CPC"]
    ok = match(job, _profile(credentials=["CIC", "CPC"], years_experience=3))
    assert ok.meets and ok.summary == "You meet the requirements" and ok.preferred_held == ["CPC"]
    open_to_all = make.job(employer, required_credentials=[], preferred_credentials=[],
                           min_years=0)
    assert match(open_to_all, _profile(credentials=[], years_experience=0)).meets


def test_fit_counts_preferred_specialties_work_mode_and_state(ctx):
    employer = make.employer()
    job = make.job(employer, required_credentials=[], preferred_credentials=["CHONC"],
                   specialties=["hematology-oncology"], work_mode="hybrid", city="Tampa",
                   state="FL", min_years=0)
    plain = match(job, _profile(credentials=[]))
    best = match(job, _profile(credentials=["CHONC"], specialties=["hematology-oncology"],
                               remote_preference="hybrid", state="FL"))
    assert (plain.score, best.score) == (0, 3 + 2 + 2 + 1)


def test_cards_and_job_pages_tell_a_coder_how_they_match(app, browser):
    with app.app_context():
        employer = make.employer()
        job_id = make.job(employer, title="Inpatient coder", required_credentials=["CCS"],
                          preferred_credentials=["CPC"], min_years=3).id
        email = make.coder().email  # CPC, 0 years
    browser.login(email)
    page = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "✗ Needs CCS; 3 years required, you have 0 · you hold preferred CPC" in page
    assert "Needs CCS" in browser.get("/jobs").get_data(as_text=True)
    browser.logout()
    assert "Needs CCS" not in browser.get(f"/jobs/{job_id}").get_data(as_text=True)


def test_jobs_for_me_lists_only_jobs_i_qualify_for_best_fit_first(app, browser, search):
    with app.app_context():
        employer = make.employer()
        make.job(employer, title="Needs CCS", required_credentials=["CCS"],
                 preferred_credentials=[], min_years=0)
        make.job(employer, title="Too senior", required_credentials=["CPC"],
                 preferred_credentials=[], min_years=10)
        make.job(employer, title="Plain CPC job", required_credentials=["CPC"],
                 preferred_credentials=[], min_years=0, specialties=["cardiology"])
        make.job(employer, title="Oncology CPC job", required_credentials=["CPC"],
                 preferred_credentials=["CHONC"], min_years=1,
                 specialties=["hematology-oncology"])
        make.job(employer, title="Open to anyone", required_credentials=[],
                 preferred_credentials=[], min_years=0, specialties=["cardiology"])
        coder = make.coder()
        coder_services.update_profile(coder, coder_services.ProfileFields(
            credentials=["CPC", "CHONC"], specialties=["hematology-oncology"],
            years_experience=2))
        email = db.session.get(User, coder.id).email
    browser.login(email)
    page = browser.get("/jobs/for-me").get_data(as_text=True)
    titles = [t for t in ("Oncology CPC job", "Plain CPC job", "Open to anyone", "Needs CCS",
                          "Too senior") if f">{t}<" in page]
    assert titles == ["Oncology CPC job", "Plain CPC job", "Open to anyone"]
    assert page.index(">Oncology CPC job<") < page.index(">Plain CPC job<")  # best fit first
    assert "3 jobs you qualify for" in page and "How these jobs are chosen" in page
    narrowed = browser.get("/jobs/for-me?q=oncology").get_data(as_text=True)
    assert ">Oncology CPC job<" in narrowed and ">Plain CPC job<" not in narrowed
    assert browser.get("/jobs/for-me").status_code == 200
    browser.logout()
    assert browser.get("/jobs/for-me").status_code == 302  # coders only
