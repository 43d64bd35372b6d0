from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.jobs import services
from jobboard.models import Job, JobCode, SearchOutbox
from tests import factories as make


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_new_job_is_a_draft_with_its_codes_stored_with_their_systems(ctx):
    employer = make.employer()
    job = services.create_job(employer.company, employer,
                              make.fields(codes="38206, 38207, C92.00, J9035, 0DTJ4ZZ"))
    assert job.status == "draft" and not job.is_open()
    assert [(c.system, c.code) for c in make.reload(job).codes] == [
        ("CPT", "38206"), ("CPT", "38207"), ("ICD-10-CM", "C92.00"), ("HCPCS", "J9035"),
        ("ICD-10-PCS", "0DTJ4ZZ")]


def test_a_malformed_code_is_named_and_nothing_is_saved(ctx):
    employer = make.employer()
    with pytest.raises(InvalidInput) as e:
        services.create_job(employer.company, employer, make.fields(codes="38206, 3820X"))
    assert '"3820X"' in e.value.errors["codes"][0]
    db.session.rollback()
    assert count(Job) == 0 and count(JobCode) == 0


def test_salary_minimum_above_maximum_is_refused(ctx):
    employer = make.employer()
    with pytest.raises(InvalidInput) as e:
        services.create_job(employer.company, employer,
                            make.fields(salary_min=Decimal("80000"), salary_max=Decimal("70000")))
    assert "at least the minimum" in e.value.errors["salary_max"][0]
    db.session.rollback()
    assert count(Job) == 0


@pytest.mark.parametrize("overrides, field", [
    ({"title": " "}, "title"),
    ({"codes": ""}, "codes"),
    ({"setting": "spaceship"}, "setting"),
    ({"work_mode": "onsite", "city": ""}, "city"),
    ({"work_mode": "onsite", "city": "Austin", "state": "XX"}, "state"),
    ({"specialties": ["astrology"]}, "specialties"),
    ({"required_credentials": ["CPC"], "preferred_credentials": ["CPC"]},
     "preferred_credentials"),
    ({"salary_period": None}, "salary_period"),
    ({"accuracy_pct": Decimal("120")}, "accuracy_pct"),
])
def test_each_rule_reports_on_its_own_field(ctx, overrides, field):
    employer = make.employer()
    with pytest.raises(InvalidInput) as e:
        services.create_job(employer.company, employer, make.fields(**overrides))
    assert field in e.value.errors


def test_publishing_opens_the_job_for_the_configured_lifetime(ctx):
    employer = make.employer()
    job = make.job(employer, publish=False)
    before = utcnow()
    services.publish_job(job, employer)
    assert job.status == "published" and job.is_open()
    assert job.expires_at - job.published_at == timedelta(days=60)
    assert job.published_at >= before
    with pytest.raises(Conflict):
        services.publish_job(job, employer)


def test_another_company_can_neither_edit_publish_nor_close_a_job(ctx):
    owner, stranger = make.employer(), make.employer()
    job = make.job(owner, publish=False)
    with pytest.raises(NotAllowed):
        services.update_job(job, stranger, make.fields(title="Hijacked"))
    with pytest.raises(NotAllowed):
        services.publish_job(job, stranger)
    with pytest.raises(NotAllowed):
        services.close_job(job, stranger)
    db.session.rollback()
    job = make.reload(job)
    assert job.title == "Hematology/Oncology Coder" and job.status == "draft"


def test_a_coder_cannot_post_jobs(ctx):
    employer, coder = make.employer(), make.coder()
    with pytest.raises(NotAllowed):
        services.create_job(employer.company, coder, make.fields())


def test_editing_replaces_the_code_tags(ctx):
    employer = make.employer()
    job = make.job(employer, codes="38206, C92.00")
    services.update_job(job, employer, make.fields(codes="38207, C92.00, J9035"))
    assert [c.code for c in make.reload(job).codes] == ["38207", "C92.00", "J9035"]


def test_close_or_fill_stops_applications(ctx):
    employer = make.employer()
    closed, filled = make.job(employer), make.job(employer)
    services.close_job(closed, employer)
    services.close_job(filled, employer, outcome="filled")
    assert (closed.status, filled.status) == ("closed", "filled")
    assert not closed.is_open() and not filled.is_open()


def test_expiry_marks_due_jobs_expired_and_renewal_reopens_them(ctx):
    employer = make.employer()
    due, fresh = make.job(employer), make.job(employer)
    due.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert not due.is_open() and due.display_status() == "expired"
    assert services.expire_due_jobs() == 1
    assert make.reload(due).status == "expired" and make.reload(fresh).status == "published"
    services.renew_job(due, employer)
    assert due.status == "published" and due.is_open()
    assert due.expires_at > utcnow() + timedelta(days=59)


def test_every_listing_change_writes_an_outbox_row_in_the_same_transaction(ctx):
    employer = make.employer()
    job = make.job(employer, publish=False)
    rows = count(SearchOutbox)
    services.publish_job(job, employer)
    services.update_job(job, employer, make.fields(title="Senior Oncology Coder"))
    services.close_job(job, employer)
    assert count(SearchOutbox) == rows + 3
    assert set(db.session.scalars(select(SearchOutbox.job_id))) == {job.id}


def test_renewal_is_offered_near_expiry_not_on_a_job_published_a_moment_ago(app, browser):
    with app.app_context():
        employer = make.employer()
        fresh, ending = make.job(employer), make.job(employer)
        ending.expires_at = utcnow() + timedelta(days=5)
        db.session.commit()
        assert not fresh.renewal_due() and ending.renewal_due()
        email, fresh_id, ending_id = employer.email, fresh.id, ending.id
    browser.login(email)
    assert "Renew for" not in browser.get(f"/employer/jobs/{fresh_id}").get_data(as_text=True)
    assert "Renew for 60 days" in browser.get(f"/employer/jobs/{ending_id}").get_data(as_text=True)
