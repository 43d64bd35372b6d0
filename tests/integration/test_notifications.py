"""Notifications and their delivery: the outbox, a real SMTP server, outages, unsubscribing."""
from datetime import timedelta

from sqlalchemy import func, select

from jobboard.database import utcnow
from jobboard.employers import services as employer_services
from jobboard.extensions import db
from jobboard.mail import delivery
from jobboard.models import Application, Job, MailOutbox, User
from jobboard.notifications import services as notify
from jobboard.search.server import free_port
from jobboard.workers import beat
from tests import factories as make
from tests.conftest import link_in


def _unsubscribe_link(mail) -> str:
    header = mail["List-Unsubscribe"]
    assert header.startswith("<http://jobs.test/unsubscribe/") and header.endswith(">")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return header[1:-1].removeprefix("http://jobs.test")


def test_a_new_application_mails_the_recruiter_who_follows_the_link(browser, app, mailbox):
    with app.app_context():
        employer = make.employer()
        job = make.job(employer, title="Stem cell coder")
        make.apply(job, make.coder())
        email = employer.email
    [mail] = mailbox.messages(to=email)
    assert mail["Subject"] == "New application: Stem cell coder"
    assert "/unsubscribe/" in mail.text and "/account" in mail.text  # footer links
    browser.login(email)
    page = browser.get(link_in(mail, "/employer/applications/"))
    assert page.status_code == 200 and "Stem cell coder" in page.get_data(as_text=True)


def test_one_click_unsubscribe_stops_that_kind_of_mail_only(client, app, mailbox):
    with app.app_context():
        employer = make.employer()
        job = make.job(employer)
        make.apply(job, make.coder())
        email, job_id = employer.email, job.id
    [mail] = mailbox.messages(to=email)
    link = _unsubscribe_link(mail)
    assert client.get(link).status_code == 200  # a mail scanner's GET changes nothing
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == email)).notify_applications \
            == "instant"
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, without our CSRF token.
    r = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200 and "mail about new applications" in r.get_data(as_text=True)
    mailbox.clear()
    with app.app_context():
        make.apply(db.session.get(Job, job_id), make.coder())
        user = db.session.scalar(select(User).where(User.email == email))
        assert (user.notify_applications, user.notify_expiry) == ("off", True)
    assert mailbox.messages(to=email) == []


def test_a_status_change_mails_the_coder_with_the_employers_message(app, ctx, mailbox):
    employer = make.employer()
    coder = make.coder()
    application = make.apply(make.job(employer, title="Coder II"), coder)
    mailbox.clear()  # the receipt of the application
    employer_services.move_application(application, employer, "interview",
                                       "Can you talk Tuesday at 10?")
    [mail] = mailbox.messages(to=coder.email)
    assert mail["Subject"] == "Your application for Coder II: Interview"
    assert "Can you talk Tuesday at 10?" in mail.text and "Can you talk Tuesday" in mail.html
    assert f"/coder/applications/{application.id}" in mail.text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_daily_digest_lists_the_days_applications_once(ctx, mailbox):
    employer = make.employer()
    employer.notify_applications = "daily"
    db.session.commit()
    job = make.job(employer, title="Risk adjustment coder")
    first, second = make.coder(), make.coder()
    make.apply(job, first)
    make.apply(job, second)
    assert mailbox.messages(to=employer.email) == []  # no instant mail on the digest

    assert notify.send_application_digests() == 1
    [mail] = mailbox.messages(to=employer.email)
    assert mail["Subject"] == "2 new applications today"
    assert first.name in mail.text and second.name in mail.text
    assert notify.send_application_digests() == 0
    assert len(mailbox.messages(to=employer.email)) == 1


def test_expiry_reminder_and_notice_each_go_once_and_lead_to_renewing(
        app, browser, mailbox):
    with app.app_context():
        employer = make.employer()
        soon = make.job(employer, title="Ending soon")
        soon.expires_at = utcnow() + timedelta(days=5)
        gone = make.job(employer, title="Already over")
        gone.expires_at = utcnow() - timedelta(hours=1)
        later = make.job(employer, title="Plenty of time")
        db.session.commit()
        assert notify.send_expiry_reminders() == (1, 1)
        assert notify.send_expiry_reminders() == (0, 0)
        email, soon_id, later_id = employer.email, soon.id, later.id
    subjects = sorted(m["Subject"] for m in mailbox.messages(to=email))
    assert subjects[0] == "Expired: Already over" and subjects[1].endswith(": Ending soon")
    assert not any("Plenty of time" in s for s in subjects)

    reminder = next(m for m in mailbox.messages(to=email) if "Ending soon" in m["Subject"])
    renew = link_in(reminder, "/renew")
    assert browser.get(renew).status_code == 302  # the renew page asks to log in first
    browser.login(email)
    assert "Renew for 60 days" in browser.get(renew).get_data(as_text=True)
    r = browser.submit(renew, {})
    assert r.status_code == 302
    with app.app_context():
        job = db.session.get(Job, soon_id)
        assert job.expires_at > utcnow() + timedelta(days=59)
        assert job.expiry_reminded_at is None  # renewed: reminded again before the new date
        assert db.session.get(Job, later_id).expiry_reminded_at is None


def test_smtp_down_during_a_burst_loses_nothing_and_sends_nothing_twice(app, ctx, mailbox,
                                                                        runner):
    employer = make.employer()
    job = make.job(employer)
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    for _ in range(5):  # each: the recruiter's notice and the coder's receipt
        make.apply(make.reload(job), make.coder())
    assert mailbox.messages() == []
    waiting = db.session.scalars(select(MailOutbox).where(MailOutbox.sent_at.is_(None))).all()
    # An unreachable server stops each run at its first row: the rest wait untried.
    assert len(waiting) == 10 and all(r.attempts <= 1 for r in waiting)
    assert all(r.last_error for r in waiting if r.attempts)
    assert delivery.deliver().sent == 0  # still backing off: no new attempt yet
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1 and "10 failed and wait" in result.output

    app.config["MAIL_URL"] = mailbox.url
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 10; 0 failed" in result.output
    assert runner.invoke(args=["mail", "send"]).output.startswith("Sent 0;")
    ids = [m["Message-ID"] for m in mailbox.messages(to=employer.email)]
    assert len(ids) == len(set(ids)) == 5


def test_a_claimed_message_is_not_taken_by_a_second_worker(ctx, mailbox):
    app = ctx
    app.config["MAIL_URL"] = None  # keep the rows in the outbox for this test
    make.apply(make.job(make.employer()), make.coder())  # the recruiter's mail, the receipt
    now = utcnow()
    first = delivery.claim(10, now, ignore_backoff=True)
    second = delivery.claim(10, now, ignore_backoff=True)
    assert len(first) == 2 and second == []
    # A claim left behind by a crashed worker is taken again once its lease is over.
    assert len(delivery.claim(10, now + delivery.LEASE + timedelta(seconds=1), True)) == 2


def test_healthz_reports_the_mail_outbox_and_the_worker_heartbeat(app, client):
    app.config["MAIL_URL"] = None
    with app.app_context():
        make.apply(make.job(make.employer()), make.coder())
        db.session.execute(db.update(MailOutbox).values(created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    body = client.get("/healthz").get_json()
    # the recruiter's notice and the coder's receipt
    assert body["mail"]["pending"] == 2 and body["mail"]["oldest_pending_seconds"] >= 300
    assert body["worker"] == {"last_heartbeat": None, "seconds_since_heartbeat": None,
                              "status": "missing"}
    with app.app_context():
        beat("worker")
    assert client.get("/healthz").get_json()["worker"]["status"] == "ok"


def test_the_development_mailbox_lists_messages_with_clickable_links(client, app, mailbox):
    with app.app_context():
        employer = make.employer()
        make.apply(make.job(employer, title="Inbox test job"), make.coder())
        email = employer.email
    inbox = client.get("/dev/mail/").get_data(as_text=True)
    assert "New application: Inbox test job" in inbox
    [mail] = mailbox.messages(to=email)
    page = client.get(f"/dev/mail/{mail.id}").get_data(as_text=True)
    assert '<a href="http://jobs.test/employer/applications/' in page
    html = client.get(f"/dev/mail/{mail.id}/html")
    assert html.headers["Content-Security-Policy"].startswith("sandbox")


def test_the_development_mailbox_does_not_exist_unless_turned_on(make_app):
    app = make_app(TESTING=True, MAIL_DEV_INBOX=False)
    assert app.test_client().get("/dev/mail/").status_code == 404


def test_a_mail_is_part_of_its_events_transaction(ctx, mailbox):
    """No event, no mail: a rolled-back application leaves no message behind."""
    job = make.job(make.employer())
    application = Application(job_id=job.id, coder_id=make.coder().id, resume_id=None)
    db.session.add(application)
    db.session.flush()
    notify.new_application(application)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(MailOutbox)) == 0
