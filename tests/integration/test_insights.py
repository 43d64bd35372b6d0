"""Pay insights: percentiles computed by the database (PostgreSQL's percentile_cont, SQLite
in Python), checked against figures worked out by hand; the 5-job floor; one annual scale."""
from decimal import Decimal

from jobboard.extensions import db
from jobboard.insights import services as insights
from jobboard.insights.services import Slice
from jobboard.jobs import services as job_services
from jobboard.models import Job, User
from tests import factories as make

# Yearly ranges with these middles, and one hourly job at $30-$40 (35 x 2,080 = 72,800).
YEARLY = [(45000, 55000), (50000, 60000), (60000, 64000), (75000, 85000), (85000, 95000)]


def _jobs(employer, codes="38206", **extra):
    for low, high in YEARLY:
        make.job(employer, codes=codes, salary_min=Decimal(low), salary_max=Decimal(high),
                 salary_period="year", **extra)
    make.job(employer, codes=codes, salary_min=Decimal(30), salary_max=Decimal(40),
             salary_period="hour", work_mode="hybrid", city="Tampa", state="FL", **extra)


def test_percentiles_match_the_hand_computed_slice_on_one_annual_scale(ctx):
    employer = make.employer()
    _jobs(employer)
    make.job(employer, codes="38206", salary_min=None, salary_max=None)  # no pay: left out
    make.job(employer, codes="99214", salary_min=Decimal(200000), salary_max=Decimal(200000),
             salary_period="year")  # another code: another slice
    pay = insights.pay_insight(Slice(code="38206")).overall
    # sorted: 50,000 55,000 62,000 72,800 80,000 90,000; linear interpolation at (n-1)q
    assert (pay.count, pay.p25, pay.median, pay.p75) == (6, 56750, 67400, 78200)


def test_fewer_than_five_jobs_give_a_count_and_no_figure(ctx):
    employer = make.employer()
    for low, high in YEARLY[:4]:
        make.job(employer, codes="38207", salary_min=Decimal(low), salary_max=Decimal(high),
                 salary_period="year")
    pay = insights.pay_insight(Slice(code="38207")).overall
    assert (pay.count, pay.median, pay.p25, pay.p75) == (4, None, None, None)
    assert not pay.enough


def test_splits_windows_and_closed_jobs(ctx):
    employer = make.employer()
    _jobs(employer)
    insight = insights.pay_insight(Slice(), ("work_mode", "state", "credential"))
    by_mode = {g.key: g.pay for g in insight.groups["work_mode"]}
    assert by_mode["remote"].count == 5 and by_mode["remote"].median == 62000
    assert by_mode["hybrid"].count == 1 and not by_mode["hybrid"].enough
    assert [(g.key, g.pay.count) for g in insight.groups["state"]] == [("FL", 1)]
    assert insight.groups["credential"][0].key == "CPC"  # the factory's required credential
    job = make.job(employer, codes="38206", salary_min=Decimal(1000000),
                   salary_max=Decimal(1000000), salary_period="year")
    job_services.close_job(job, employer)  # no cache clearing: the change starts new figures
    assert insights.pay_insight(Slice()).overall.count == 6  # closed: not open
    assert insights.pay_insight(Slice(window="year")).overall.count == 7  # but of the year


def test_pay_figures_are_shared_by_processes_through_redis_and_follow_every_change(
        app, make_app, monkeypatch):
    """Two app processes (or hosts) on one Redis: a figure one computed, the other serves
    without computing it; a job closed through the other starts new figures in both."""
    import secrets

    import redis

    from jobboard.extensions import cache
    from tests.conftest import require
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping()
    except redis.RedisError as e:
        require(False, f"Redis is not reachable on 127.0.0.1:6379: {e}")
    shared = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:6379/15",
              "CACHE_KEY_PREFIX": f"test-{secrets.token_hex(4)}:"}
    one, two = make_app(**shared), make_app(**shared)
    with one.app_context():
        employer = make.employer()
        _jobs(employer)
        assert insights.pay_insight(Slice(code="38206")).overall.count == 6
        job_id, employer_id = db.session.scalar(db.select(Job.id).limit(1)), employer.id

    def not_computed(*args):
        raise AssertionError("computed again: the other process's figure was not shared")
    with two.app_context(), monkeypatch.context() as patched:
        patched.setattr(insights, "_split_sqlite", not_computed)
        patched.setattr(insights, "_grouped", not_computed)
        assert insights.pay_insight(Slice(code="38206")).overall.count == 6
    with two.app_context():
        job_services.close_job(db.session.get(Job, job_id), db.session.get(User, employer_id))
    with one.app_context():
        assert insights.pay_insight(Slice(code="38206")).overall.count == 5
        cache.clear()  # this test's keys only (its own prefix)


def test_the_insights_page_and_api_show_the_same_figures(app, client):
    with app.app_context():
        _jobs(make.employer())
    page = client.get("/insights?credential=CPC").get_data(as_text=True)
    assert "<strong>$67,400</strong> a year is the median of 6 jobs" in page
    assert 'role="img"' in page and "<th scope=\"row\">CPC</th>" in page
    assert "Fewer than 5 jobs: no figure" in page  # the hybrid job's own group
    body = client.get("/api/v1/insights/pay?credential=CPC&state=ZZ").json
    assert body["overall"] == {"count": 6, "p25": 56750, "median": 67400, "p75": 78200}
    assert body["slice"]["credential"] == "CPC" and body["ignored"] == {"state": "ZZ"}
    assert body["by"]["setting"][0]["key"] == "pro-fee"


def test_a_code_page_shows_what_its_jobs_pay(app, client):
    with app.app_context():
        _jobs(make.employer())
    page = client.get("/codes/38206").get_data(as_text=True)
    assert "What work on 38206 pays" in page and "$67,400" in page
    assert "What work on" not in client.get("/codes/38207").get_data(as_text=True)


def test_the_search_page_shows_pay_when_it_lists_exactly_one_slice(app, client):
    with app.app_context():
        _jobs(make.employer())
    page = client.get("/jobs?q=38206").get_data(as_text=True)
    assert "Pay in these jobs: <strong>$67,400</strong> a year is the median of 6 jobs" in page
    assert 'href="/codes/38206#pay-h"' in page
    page = client.get("/jobs?work_mode=remote").get_data(as_text=True)
    assert "Pay in these jobs:" in page and "5 jobs with pay stated" in page  # below the floor
    # Words, or filters the figures cannot follow: no figure that describes other jobs.
    for other in ("/jobs?q=38206+harvest", "/jobs?q=38206&credential=CPC", "/jobs?q=38206,38207"):
        assert "Pay in these jobs" not in client.get(other).get_data(as_text=True), other


def test_a_category_shows_what_the_jobs_under_it_pay(app, client, catalog):
    """C92 is a heading (claims need a code under it): its page and the search q=C92 give the
    pay of the jobs with codes under it, not of the none tagged C92 itself."""
    with app.app_context():
        employer = make.employer()
        _jobs(employer, codes="C92.01")
        for codes in ("C9257", "C91.00"):  # HCPCS that only starts alike; another category
            make.job(employer, codes=codes, salary_min=Decimal(200000),
                     salary_max=Decimal(200000), salary_period="year")
    page = client.get("/codes/C92").get_data(as_text=True)
    assert "What work under C92 pays" in page
    assert "<strong>$67,400</strong> a year is the median of 6 jobs" in page
    assert "Open jobs with codes under C92 with pay stated" in page
    for q in ("C92", "C92.01"):
        page = client.get(f"/jobs?q={q}").get_data(as_text=True)
        assert "Pay in these jobs: <strong>$67,400</strong> a year is the median of 6 jobs" \
            in page, q
        assert f'href="/codes/{q}#pay-h"' in page
    assert "What work on C92.01 pays" in client.get("/codes/C92.01").get_data(as_text=True)


def test_a_job_counts_once_under_each_credential_it_requires_and_each_specialty(ctx):
    employer = make.employer()
    _jobs(employer, specialties=["hematology-oncology", "cardiology"],
          required_credentials=["CPC", "CCS"], preferred_credentials=["CRC"])
    insight = insights.pay_insight(Slice(), ("credential", "specialty"))
    by_credential = {g.key: g.pay for g in insight.groups["credential"]}
    by_specialty = {g.key: g.pay for g in insight.groups["specialty"]}
    assert set(by_credential) == {"CPC", "CCS"}  # CRC is only preferred
    assert set(by_specialty) == {"hematology-oncology", "cardiology"}
    assert (insight.overall.count, insight.overall.median) == (6, 67400)
    assert all(pay == insight.overall for pay in [*by_credential.values(),
                                                  *by_specialty.values()])


def test_the_pay_line_follows_a_job_published_or_closed_at_once(app, client):
    """Each process kept its own five-minute cache, cleared by nothing: "median of 12 jobs"
    or "of 11" depending on which process answered. Figures are now keyed by the newest
    change to any job, so every process starts new ones the moment a job changes."""
    with app.app_context():
        employer = make.employer()
        _jobs(employer)
        employer_id = employer.id
    assert "the median of 6 jobs" in client.get("/jobs?q=38206").get_data(as_text=True)
    with app.app_context():
        employer = db.session.get(User, employer_id)
        extra = make.job(employer, codes="38206", salary_min=Decimal("60000"),
                         salary_max=Decimal("70000"), salary_period="year").id
    assert "the median of 7 jobs" in client.get("/jobs?q=38206").get_data(as_text=True)
    with app.app_context():
        job_services.close_job(db.session.get(Job, extra), db.session.get(User, employer_id))
    assert "the median of 6 jobs" in client.get("/jobs?q=38206").get_data(as_text=True)
