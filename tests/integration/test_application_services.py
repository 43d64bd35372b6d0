import os

import pytest
from sqlalchemy import func, select

from jobboard.coders import services
from jobboard.employers import services as employer_services
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.models import Application, CoderProfile, Resume
from jobboard.resumes.services import can_read
from tests import factories as make


def resume_files(app) -> set[str]:
    return set(os.listdir(app.config["RESUME_DIR"]))


def test_apply_with_an_uploaded_pdf(ctx):
    job, coder = make.job(make.employer()), make.coder(with_resume=False)
    application = services.apply(job, coder, "Five years of heme/onc.",
                                 (make.pdf_bytes(), "cv.pdf"))
    assert application.status == "submitted"
    assert application.resume.content_type == "application/pdf"
    assert [e.to_status for e in application.events] == ["submitted"]


def test_apply_with_the_profile_resume_when_nothing_is_uploaded(ctx):
    job, coder = make.job(make.employer()), make.coder()
    application = services.apply(job, coder, "")
    assert application.resume_id == coder.profile.resume_id


def test_a_docx_resume_is_accepted(ctx):
    job, coder = make.job(make.employer()), make.coder(with_resume=False)
    application = services.apply(job, coder, "", (make.docx_bytes(), "cv.docx"))
    assert application.resume.filename == "cv.docx"


def test_applying_without_any_resume_asks_for_one(ctx):
    job, coder = make.job(make.employer()), make.coder(with_resume=False)
    with pytest.raises(InvalidInput) as e:
        services.apply(job, coder, "")
    assert "resume" in e.value.errors


def test_a_fake_pdf_is_refused_and_nothing_is_kept(ctx):
    job, coder = make.job(make.employer()), make.coder(with_resume=False)
    files = resume_files(ctx)
    with pytest.raises(InvalidInput) as e:
        services.apply(job, coder, "", (b"MZ\x90\x00 this is an executable", "resume.pdf"))
    assert "not a PDF or Word" in e.value.errors["resume"][0]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0
    assert db.session.scalar(select(func.count()).select_from(Resume)) == 0
    assert resume_files(ctx) == files


def test_a_zip_that_is_not_a_word_document_is_refused(ctx):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("payload.txt", "hi")
    job, coder = make.job(make.employer()), make.coder(with_resume=False)
    with pytest.raises(InvalidInput):
        services.apply(job, coder, "", (buffer.getvalue(), "resume.docx"))


def test_an_oversized_resume_is_refused(ctx):
    job, coder = make.job(make.employer()), make.coder(with_resume=False)
    big = make.pdf_bytes() + b"0" * (5 * 1024 * 1024)
    with pytest.raises(InvalidInput) as e:
        services.apply(job, coder, "", (big, "big.pdf"))
    assert "at most 5 MB" in e.value.errors["resume"][0]


def test_applying_twice_is_refused_and_keeps_one_application(ctx):
    job, coder = make.job(make.employer()), make.coder()
    services.apply(job, coder, "first")
    with pytest.raises(Conflict, match="already applied"):
        services.apply(job, coder, "second")
    db.session.rollback()
    letters = db.session.scalars(select(Application.cover_letter)).all()
    assert letters == ["first"]


def test_closed_jobs_take_no_applications(ctx):
    employer = make.employer()
    job, coder = make.job(employer), make.coder()
    job_services.close_job(job, employer)
    with pytest.raises(Conflict, match="no longer taking"):
        services.apply(job, coder, "")


def test_draft_jobs_take_no_applications(ctx):
    job, coder = make.job(make.employer(), publish=False), make.coder()
    with pytest.raises(Conflict):
        services.apply(job, coder, "")


def test_an_employer_cannot_apply(ctx):
    job = make.job(make.employer())
    with pytest.raises(NotAllowed):
        services.apply(job, make.employer(), "")


def test_withdraw_is_recorded_and_final(ctx):
    job, coder = make.job(make.employer()), make.coder()
    application = services.apply(job, coder, "")
    services.withdraw(application, coder)
    assert application.status == "withdrawn"
    assert [e.to_status for e in application.events] == ["submitted", "withdrawn"]
    with pytest.raises(Conflict):
        services.withdraw(application, coder)


def test_after_withdrawing_a_coder_may_apply_once_more_and_no_third_time(ctx):
    job, coder = make.job(make.employer()), make.coder()
    first = services.apply(job, coder, "first")
    services.withdraw(first, coder)
    second = services.apply(job, coder, "second, with a better resume")
    assert (second.attempt, second.status) == (2, "submitted")
    assert services.existing_application(job, coder) == second
    with pytest.raises(Conflict, match="already applied"):
        services.apply(job, coder, "third")
    services.withdraw(second, coder)
    with pytest.raises(Conflict, match="twice and withdrawn; you cannot apply again"):
        services.apply(job, coder, "third")
    db.session.rollback()
    letters = db.session.scalars(select(Application.cover_letter).order_by(Application.id)).all()
    assert letters == ["first", "second, with a better resume"]


def test_a_coder_cannot_read_or_withdraw_another_coders_application(ctx):
    job, alice, bob = make.job(make.employer()), make.coder(), make.coder()
    application = services.apply(job, alice, "")
    with pytest.raises(NotAllowed):
        services.get_own_application(application.id, bob)
    with pytest.raises(NotAllowed):
        services.withdraw(application, bob)
    assert make.reload(application).status == "submitted"


def test_employer_moves_an_application_through_its_statuses_with_history(ctx):
    employer = make.employer()
    job, coder = make.job(employer), make.coder()
    application = services.apply(job, coder, "")
    for status in ("reviewing", "interview", "offer", "hired"):
        employer_services.move_application(application, employer, status)
    assert [e.to_status for e in make.reload(application).events] == [
        "submitted", "reviewing", "interview", "offer", "hired"]
    assert [e.actor_id for e in application.events[1:]] == [employer.id] * 4


def test_an_impossible_move_is_refused(ctx):
    employer = make.employer()
    application = services.apply(make.job(employer), make.coder(), "")
    with pytest.raises(Conflict):
        employer_services.move_application(application, employer, "hired")
    with pytest.raises(InvalidInput):
        employer_services.move_application(application, employer, "promoted")


def test_another_company_cannot_see_or_move_an_application(ctx):
    owner, stranger = make.employer(), make.employer()
    application = services.apply(make.job(owner), make.coder(), "")
    with pytest.raises(NotAllowed):
        employer_services.get_application_for_employer(application.id, stranger)
    with pytest.raises(NotAllowed):
        employer_services.move_application(application, stranger, "reviewing")
    assert make.reload(application).status == "submitted"


def test_a_resume_is_readable_by_its_owner_and_employers_applied_to_only(ctx):
    owner, stranger = make.employer(), make.employer()
    coder, other_coder = make.coder(), make.coder()
    resume = coder.profile.resume
    assert can_read(resume, coder)
    assert not can_read(resume, owner)  # not applied yet
    services.apply(make.job(owner), coder, "")
    assert can_read(resume, owner)
    assert not can_read(resume, stranger)
    assert not can_read(resume, other_coder)


def test_profile_rejects_unknown_values_and_keeps_the_old_profile(ctx):
    coder = make.coder()
    with pytest.raises(InvalidInput) as e:
        services.update_profile(coder, services.ProfileFields(credentials=["CPC", "XYZ"],
                                                              state="ZZ"))
    assert set(e.value.errors) == {"credentials", "state"}
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(CoderProfile, coder.id).credentials == ["CPC"]


def test_an_employer_can_move_an_application_back_a_stage_and_it_is_recorded(ctx):
    from jobboard.employers import services as employer_services
    employer, coder = make.employer(), make.coder()
    application = services.apply(make.job(employer), coder, "")
    employer_services.move_application(application, employer, "interview")
    employer_services.move_application(application, employer, "reviewing",
                                       "Moved to interview by mistake.")
    assert application.status == "reviewing"
    assert [(e.from_status, e.to_status) for e in application.events] == [
        (None, "submitted"), ("submitted", "interview"), ("interview", "reviewing")]
    assert application.events[-1].message == "Moved to interview by mistake."
    employer_services.move_application(application, employer, "offer")
    employer_services.move_application(application, employer, "hired")
    with pytest.raises(Conflict):  # hired is final
        employer_services.move_application(application, employer, "offer")
