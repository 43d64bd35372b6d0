"""The real forms through the test client, CSRF tokens and all."""
import io

from sqlalchemy import func, select

from jobboard.extensions import db
from jobboard.models import Application, Job, User
from tests import factories as make
from tests.conftest import csrf_token, link_in

JOB_FORM = {
    "title": "Stem Cell Transplant Coder", "codes": "38206, 38207, C92.00",
    "description": "Code **stem cell** harvests for our transplant program.",
    "specialties": ["hematology-oncology"], "required_credentials": ["CPC"],
    "preferred_credentials": ["CHONC"], "setting": "pro-fee", "work_mode": "remote",
    "city": "", "state": "", "salary_min": "30", "salary_max": "38", "salary_period": "hour",
    "employment_type": "full-time", "min_years": "2", "charts_per_day": "", "accuracy_pct": "95",
}


def test_register_as_employer_then_post_and_publish_a_job(browser, app, mailbox):
    r = browser.submit("/register/employer", {
        "name": "Dana Reyes", "email": "Dana@Riverbend.example", "password": "long enough pw",
        "confirm": "long enough pw", "company_name": "Riverbend Health",
        "website": "https://riverbend.example", "company_profile": "A regional system."})
    assert r.status_code == 200 and "Check your inbox" in r.get_data(as_text=True)
    [mail] = mailbox.messages(to="dana@riverbend.example")
    r = browser.get(link_in(mail, "/verify/"))
    # The link signs the recruiter in; the address at the website's domain verifies the company.
    assert r.status_code == 302 and r.location == "/employer/"
    assert "Riverbend Health is verified" in browser.get(r.location).get_data(as_text=True)
    r = browser.submit("/employer/jobs/new", JOB_FORM)
    assert r.status_code == 302
    preview = browser.get(r.location).get_data(as_text=True)
    assert "Stem Cell Transplant Coder" in preview and "Draft" in preview
    with app.app_context():
        job = db.session.scalar(select(Job))
        assert job.status == "draft" and job.company.name == "Riverbend Health"
        assert db.session.scalar(select(User.email)) == "dana@riverbend.example"
        job_id = job.id
    r = browser.client.post(f"/employer/jobs/{job_id}/publish",
                            data={"csrf_token": csrf_token(preview)})
    # Published, the employer lands where the job is managed ...
    assert r.status_code == 302 and r.location == f"/employer/jobs/{job_id}"
    manage = browser.get(r.location).get_data(as_text=True)
    assert "Published." in manage and "Close job" in manage and "Applicants" in manage
    page = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    # ... and its public page offers the way back to its own company's recruiters.
    assert f'href="/employer/jobs/{job_id}"' in page and "Manage this job" in page
    assert "Manage this job" not in app.test_client().get(f"/jobs/{job_id}").get_data(
        as_text=True)  # not to anyone else
    assert 'href="/codes/38206"' in page and 'href="/codes/C92.00"' in page
    assert "$30–$38 per hour" in page and "<strong>stem cell</strong>" in page
    assert 'name="robots"' not in page
    assert "Stem Cell Transplant Coder" in browser.get("/jobs").get_data(as_text=True)


def test_a_malformed_code_is_shown_next_to_the_field_and_nothing_is_saved(browser, app):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    r = browser.submit("/employer/jobs/new", {**JOB_FORM, "codes": "38206, 3820X"})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="codes-error"' in html and "&#34;3820X&#34; is not a valid code" in html
    assert 'aria-invalid="true"' in html
    assert 'value="38206, 3820X"' in html  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_salary_min_above_max_is_shown_on_the_form(browser, app):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    r = browser.submit("/employer/jobs/new", {**JOB_FORM, "salary_min": "50", "salary_max": "40"})
    assert r.status_code == 400
    assert "The maximum must be at least the minimum." in r.get_data(as_text=True)


def test_where_the_work_is_done_and_its_state_say_what_to_choose(browser, app):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    unset = {k: v for k, v in JOB_FORM.items() if k != "work_mode"}
    html = browser.submit("/employer/jobs/new", unset).get_data(as_text=True)
    # The radio buttons say what the selects say, not WTForms' "Not a valid choice."
    assert "Not a valid choice" not in html
    assert html.count("Choose one.") == 1 and 'id="work_mode-error"' in html
    assert "Name the state: only remote jobs may leave it out." in html
    r = browser.submit("/employer/jobs/new", {**JOB_FORM, "work_mode": "onsite", "city": "Austin"})
    assert r.status_code == 400
    assert "Name the state: only remote jobs may leave it out." in r.get_data(as_text=True)
    assert browser.submit("/employer/jobs/new", JOB_FORM).status_code == 302  # remote, no state


def test_posting_without_the_csrf_token_is_refused(browser, app):
    with app.app_context():
        email = make.employer().email
    browser.login(email)
    r = browser.client.post("/employer/jobs/new", data=JOB_FORM)
    assert r.status_code == 400 and "Form expired" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_another_company_cannot_edit_a_job_or_see_its_applicants(browser, app):
    with app.app_context():
        owner, stranger = make.employer(), make.employer()
        job_id, stranger_email = make.job(owner).id, stranger.email
    browser.login(stranger_email)
    # 404, as for a missing job: a 403 would tell which ids exist
    assert browser.get(f"/employer/jobs/{job_id}/edit").status_code == 404
    assert browser.get(f"/employer/jobs/{job_id}/applicants").status_code == 404
    own_page = browser.get("/employer/jobs/new").get_data(as_text=True)
    r = browser.client.post(f"/employer/jobs/{job_id}/edit",
                            data={**JOB_FORM, "title": "Hijacked",
                                  "csrf_token": csrf_token(own_page)})
    assert r.status_code == 404
    with app.app_context():
        assert db.session.get(Job, job_id).title == "Hematology/Oncology Coder"


def test_coders_cannot_reach_employer_pages(browser, app):
    with app.app_context():
        email = make.coder().email
    browser.login(email)
    assert browser.get("/employer/").status_code == 403
    assert browser.get("/employer/jobs/new").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    r = client.get("/employer/jobs/new")
    assert r.status_code == 302 and "/login?next=" in r.location


def test_coder_applies_with_an_uploaded_pdf_and_sees_it(browser, app):
    with app.app_context():
        job_id = make.job(make.employer()).id
        email = make.coder(with_resume=False).email
    browser.login(email)
    r = browser.submit(f"/jobs/{job_id}", {
        "cover_letter": "I code 38206 daily.",
        "resume": (io.BytesIO(make.pdf_bytes()), "Jane Resume.pdf")},
        action=f"/jobs/{job_id}/apply", content_type="multipart/form-data")
    assert r.status_code == 302 and "/coder/applications/" in r.location
    page = browser.get(r.location).get_data(as_text=True)
    assert "Submitted" in page and "Jane Resume.pdf" in page
    mine = browser.get("/coder/applications").get_data(as_text=True)
    assert "Hematology/Oncology Coder" in mine.replace("<wbr>", "")  # may wrap after the slash
    again = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "You applied on" in again and f'action="/jobs/{job_id}/apply"' not in again


def test_a_fake_pdf_upload_is_reported_next_to_the_field(browser, app):
    with app.app_context():
        job_id = make.job(make.employer()).id
        email = make.coder(with_resume=False).email
    browser.login(email)
    r = browser.submit(f"/jobs/{job_id}", {
        "cover_letter": "", "resume": (io.BytesIO(b"GIF89a not a pdf"), "resume.pdf")},
        action=f"/jobs/{job_id}/apply", content_type="multipart/form-data")
    assert r.status_code == 400
    assert "not a PDF or Word" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_applying_twice_through_the_form_says_so(browser, app):
    with app.app_context():
        employer = make.employer()
        coder = make.coder()
        job = make.job(employer)
        make.apply(job, coder)
        job_id, email = job.id, coder.email
    browser.login(email)
    page = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    r = browser.client.post(f"/jobs/{job_id}/apply", data={"csrf_token": csrf_token(page)},
                            follow_redirects=True)
    assert "already applied" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_a_coder_cannot_open_another_coders_application_or_resume(browser, app):
    with app.app_context():
        alice, bob = make.coder(), make.coder()
        application = make.apply(make.job(make.employer()), alice)
        app_id, resume_id, bob_email = application.id, application.resume_id, bob.email
    browser.login(bob_email)
    assert browser.get(f"/coder/applications/{app_id}").status_code == 404
    assert browser.get(f"/coder/applications/{app_id}/withdraw").status_code == 404
    assert browser.get(f"/resumes/{resume_id}").status_code == 404


def test_employer_reviews_an_applicant_downloads_the_resume_and_moves_it(browser, app):
    with app.app_context():
        employer = make.employer()
        job = make.job(employer)
        application = make.apply(job, make.coder())
        job_id, app_id, resume_id, email = job.id, application.id, application.resume_id, employer.email
    browser.login(email)
    dashboard = browser.get("/employer/").get_data(as_text=True)
    assert "1 applicant" in dashboard
    assert "Coder" in browser.get(f"/employer/jobs/{job_id}/applicants").get_data(as_text=True)
    download = browser.get(f"/resumes/{resume_id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()
    r = browser.submit(f"/employer/applications/{app_id}", {"status": "interview"})
    assert r.status_code == 302
    page = browser.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    assert "Status: <strong>Interview</strong>" in page
    with app.app_context():
        assert [e.to_status for e in db.session.get(Application, app_id).events] == [
            "submitted", "interview"]


def test_the_coder_reads_the_employers_message_on_their_application_too(browser, app):
    with app.app_context():
        employer, coder = make.employer(), make.coder()
        app_id = make.apply(make.job(employer), coder).id
        employer_email, coder_email = employer.email, coder.email
    browser.login(employer_email)
    browser.submit(f"/employer/applications/{app_id}", {
        "status": "interview", "message": "Video call Tuesday <10 am> Central?"})
    browser.logout()
    browser.login(coder_email)
    # Not only in the mail: the page keeps it, escaped.
    page = browser.get(f"/coder/applications/{app_id}").get_data(as_text=True)
    thread = page.split('id="conversation"')[1]
    assert '<span class="badge">Interview</span>' in thread
    assert '<p class="thread-note">Video call Tuesday &lt;10 am&gt; Central?</p>' in thread


def test_another_employer_cannot_open_an_application_or_resume(browser, app):
    with app.app_context():
        application = make.apply(make.job(make.employer()), make.coder())
        app_id, resume_id, email = application.id, application.resume_id, make.employer().email
    browser.login(email)
    assert browser.get(f"/employer/applications/{app_id}").status_code == 404
    assert browser.get(f"/resumes/{resume_id}").status_code == 404


def test_withdraw_asks_for_confirmation_first(browser, app):
    with app.app_context():
        coder = make.coder()
        app_id, email = make.apply(make.job(make.employer()), coder).id, coder.email
    browser.login(email)
    confirm = browser.get(f"/coder/applications/{app_id}/withdraw")
    assert "Withdraw your application?" in confirm.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, app_id).status == "submitted"
    assert "You can apply to this job again once" in confirm.get_data(as_text=True)
    browser.submit(f"/coder/applications/{app_id}/withdraw", {})
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.status == "withdrawn"
        job_id = application.job_id
    page = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "You can apply again, once." in page and "Send application" in page


def test_a_closed_job_stays_viewable_marked_closed_with_noindex_and_no_apply_form(browser, app):
    with app.app_context():
        employer = make.employer()
        job = make.job(employer)
        job_id, email = job.id, employer.email
    browser.login(email)
    r = browser.submit(f"/employer/jobs/{job_id}/close", {"outcome": "filled"})
    assert r.status_code == 302
    browser.logout()
    page = browser.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "this job has been filled" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "no longer takes applications" in page
    assert f'href="/jobs/{job_id}"' not in browser.get("/jobs").get_data(as_text=True)


def test_drafts_are_hidden_from_the_public(client, app):
    with app.app_context():
        job_id = make.job(make.employer(), publish=False).id
    assert client.get(f"/jobs/{job_id}").status_code == 404


def test_registering_a_taken_address_in_any_case_reveals_nothing_and_mails_the_owner(
        browser, app, mailbox):
    with app.app_context():
        make.coder(email="sam@example.org")
    r = browser.submit("/register/coder", {"name": "Sam", "email": "SAM@example.org",
                                           "password": "long enough pw",
                                           "confirm": "long enough pw"})
    fresh = browser.submit("/register/coder", {"name": "Kim", "email": "kim@example.org",
                                               "password": "long enough pw",
                                               "confirm": "long enough pw"})
    # The same page either way: it never says the address has an account ...
    assert r.status_code == fresh.status_code == 200
    taken, new = r.get_data(as_text=True), fresh.get_data(as_text=True)
    assert taken.replace("sam@example.org", "X") == new.replace("kim@example.org", "X")
    # ... the address's owner is told, with a way in, and no second account exists.
    [mail] = mailbox.messages(to="sam@example.org")
    assert mail["Subject"] == "You already have a CodeBoard account"
    assert "/login" in mail.text and "/password/forgot" in mail.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.email == "sam@example.org")) == 1


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(browser, app):
    with app.app_context():
        email = make.coder().email
    r = browser.submit("/login", {"email": email, "password": "wrong password"})
    assert r.status_code == 400
    assert "do not match an account" in r.get_data(as_text=True)


def test_login_does_not_redirect_off_site(browser, app):
    with app.app_context():
        email = make.coder().email
    page = browser.get("/login?next=https://evil.example/")
    r = browser.client.post("/login?next=https://evil.example/", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "email": email,
        "password": make.PASSWORD})
    assert r.status_code == 302 and "evil.example" not in r.location


def test_profile_upload_of_a_fake_resume_keeps_the_old_one(browser, app):
    with app.app_context():
        coder = make.coder()
        email, old = coder.email, coder.profile.resume_id
    browser.login(email)
    r = browser.submit("/coder/profile", {
        "headline": "", "city": "", "state": "", "years_experience": "4",
        "remote_preference": "remote", "credentials": ["CPC", "CRC"],
        "resume": (io.BytesIO(b"<html>no</html>"), "cv.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 400 and "not a PDF or Word" in r.get_data(as_text=True)
    with app.app_context():
        profile = db.session.get(User, db.session.scalar(
            select(User.id).where(User.email == email))).profile
        assert profile.resume_id == old and profile.credentials == ["CPC"]


def test_fields_name_their_help_and_errors_and_nothing_else(client, browser):
    login = client.get("/login").get_data(as_text=True)
    assert 'aria-describedby="None"' not in login and "aria-describedby" not in login
    page = browser.submit("/register/coder", {"name": "", "email": "x", "password": "short",
                                              "confirm": "other"}).get_data(as_text=True)
    assert 'aria-describedby="password-help password-error"' in page
    assert 'aria-describedby="None"' not in page


def test_the_edit_form_shows_amounts_as_they_were_entered(browser, app):
    from decimal import Decimal
    with app.app_context():
        employer = make.employer()
        job_id = make.job(employer, salary_min=Decimal("58000"), salary_max=Decimal("61500.50"),
                          accuracy_pct=Decimal("95")).id
        email = employer.email
    browser.login(email)
    page = browser.get(f"/employer/jobs/{job_id}/edit").get_data(as_text=True)
    assert 'value="58000"' in page
    assert 'value="61500.5"' in page and 'value="95"' in page
    assert "58000.00" not in page and "95.0\"" not in page


def test_a_draft_can_be_deleted_after_confirming_and_a_published_job_cannot(browser, app):
    from jobboard.models import JobCode
    with app.app_context():
        employer, stranger = make.employer(), make.employer()
        draft_id = make.job(employer, publish=False).id
        published_id = make.job(employer).id
        email, stranger_email = employer.email, stranger.email
    browser.login(stranger_email)
    assert browser.get(f"/employer/jobs/{draft_id}/delete").status_code == 404
    browser.logout()
    browser.login(email)
    assert "Delete draft" in browser.get(f"/employer/jobs/{draft_id}").get_data(as_text=True)
    confirm = browser.get(f"/employer/jobs/{draft_id}/delete").get_data(as_text=True)
    assert "cannot be undone" in confirm
    r = browser.submit(f"/employer/jobs/{draft_id}/delete", {})
    assert r.status_code == 302 and r.location == "/employer/"
    assert "Delete draft" not in browser.get(f"/employer/jobs/{published_id}").get_data(
        as_text=True)
    r = browser.submit(f"/employer/jobs/{published_id}/delete", {})
    assert r.status_code == 302 and r.location == f"/employer/jobs/{published_id}"
    with app.app_context():
        assert db.session.get(Job, draft_id) is None
        assert db.session.scalar(select(func.count()).select_from(JobCode)
                                 .where(JobCode.job_id == draft_id)) == 0
        assert db.session.get(Job, published_id).status == "published"
