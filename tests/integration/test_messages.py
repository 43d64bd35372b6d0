"""The conversation under each application: both sides write, the other side is mailed (once
until they read), unread counts, the inbox, and who may not read or write."""
import pytest
from sqlalchemy import func, select

from jobboard.errors import Conflict, NotAllowed
from jobboard.extensions import db
from jobboard.messages import services as conversations
from jobboard.models import ApplicationMessage
from tests import factories as make
from tests.conftest import csrf_token, link_in


def _pair(app):
    """An employer's job with one coder's application; returns their emails and ids."""
    with app.app_context():
        employer = make.employer(company="Crescent Hematology")
        coder = make.coder()
        application = make.apply(make.job(employer, title="Stem cell coder"), coder)
        return employer.email, coder.email, application.id


def _send(browser, page: str, action: str, body: str):
    html = browser.get(page).get_data(as_text=True)
    return browser.client.post(action, data={"csrf_token": csrf_token(html), "body": body})


def _messages() -> int:
    return db.session.scalar(select(func.count()).select_from(ApplicationMessage))


def test_employer_and_coder_talk_on_the_board_and_each_hears_by_mail(
        app, browser, other_browser, mailbox):
    employer, coder, app_id = _pair(app)
    mailbox.clear()
    browser.login(employer)
    r = browser.submit(f"/employer/applications/{app_id}",
                       {"status": "interview", "message": "Can you talk Tuesday at 10?"})
    assert r.status_code == 302
    r = _send(browser, f"/employer/applications/{app_id}",
              f"/employer/applications/{app_id}/messages", "Bring your **CPC** number.")
    assert r.status_code == 302 and r.location.endswith("#conversation")

    # The coder: the status mail and the message mail, each leading to the thread.
    subjects = sorted(m["Subject"] for m in mailbox.messages(to=coder))
    assert subjects == ["New message from Crescent Hematology: Stem cell coder",
                        "Your application for Stem cell coder: Interview"]
    mail = next(m for m in mailbox.messages(to=coder) if "New message" in m["Subject"])
    assert "Bring your **CPC** number." in mail.text
    other_browser.login(coder)
    home = other_browser.get("/").get_data(as_text=True)
    assert '<span class="unread">1<span class="visually-hidden"> unread</span>' in home
    page = other_browser.get(link_in(mail, "/coder/applications/")).get_data(as_text=True)
    assert "Can you talk Tuesday at 10?" in page  # the status note, in the same thread
    assert "<strong>CPC</strong>" in page and "Crescent Hematology" in page
    assert 'class="unread"' not in other_browser.get("/").get_data(as_text=True)  # read now

    mailbox.clear()
    r = _send(other_browser, f"/coder/applications/{app_id}",
              f"/coder/applications/{app_id}/messages", "Tuesday at 10 works. My CPC is 123.")
    assert r.status_code == 302
    [mail] = mailbox.messages(to=employer)
    assert mail["Subject"].startswith("New message from Coder ")
    assert "Tuesday at 10 works" in mail.text and "#conversation" in mail.text
    page = browser.get(link_in(mail, "/employer/applications/")).get_data(as_text=True)
    assert "Tuesday at 10 works. My CPC is 123." in page


def test_a_quick_exchange_mails_once_until_the_other_side_reads_it(
        app, browser, other_browser, mailbox):
    employer, coder, app_id = _pair(app)
    other_browser.login(coder)
    mailbox.clear()
    for body in ("Hello", "One more thing", "And another"):
        r = _send(other_browser, f"/coder/applications/{app_id}",
                  f"/coder/applications/{app_id}/messages", body)
        assert r.status_code == 302
    assert len(mailbox.messages(to=employer)) == 1
    browser.login(employer)
    page = browser.get("/messages").get_data(as_text=True)
    assert "And another" in page and '<span class="unread">3' in page
    browser.get(f"/employer/applications/{app_id}")  # read
    _send(other_browser, f"/coder/applications/{app_id}",
          f"/coder/applications/{app_id}/messages", "After you read")
    assert len(mailbox.messages(to=employer)) == 2


@pytest.mark.parametrize("body, error", [
    ("", "Write a message first."),
    ("   \n ", "Write a message first."),
    ("x" * 2001, "2,000"),
    ("bell\x07", "character"),
])
def test_a_bad_message_is_refused_next_to_the_field_and_nothing_is_saved(
        app, browser, body, error):
    _, coder, app_id = _pair(app)
    browser.login(coder)
    r = _send(browser, f"/coder/applications/{app_id}",
              f"/coder/applications/{app_id}/messages", body)
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'id="body-error"' in html and error in html.split('id="body-error"')[1][:300]
    with app.app_context():
        assert _messages() == 0


def test_markdown_in_a_message_is_sanitised(app, browser):
    employer, _, app_id = _pair(app)
    browser.login(employer)
    _send(browser, f"/employer/applications/{app_id}", f"/employer/applications/{app_id}/messages",
          '<script>alert(1)</script><a href="javascript:alert(2)">x</a> **bold**')
    page = browser.get(f"/employer/applications/{app_id}").get_data(as_text=True)
    body = page.split('class="thread-body">')[1].split("</div>")[0]
    assert "<strong>bold</strong>" in body
    assert "<script" not in body and "<a " not in body  # the HTML is shown as text
    assert "&lt;script&gt;alert(1)" in body


def test_only_the_two_sides_may_read_or_write_and_a_withdrawn_application_is_closed(app, ctx):
    employer = make.employer()
    coder = make.coder()
    application = make.apply(make.job(employer), coder)
    for stranger in (make.coder(), make.employer(), make.admin()):
        with pytest.raises(NotAllowed):
            conversations.post(application, stranger, "Let me in")
    conversations.post(application, coder, "Hi")
    colleague = make.employer()
    colleague.company_id = employer.company_id  # a second recruiter of the same company
    db.session.commit()
    conversations.post(application, colleague, "Hello from the team")
    assert conversations.unread_total(employer) == 1  # the coder's; not the colleague's
    assert conversations.unread_total(coder) == 1  # the company's
    assert conversations.unread_total(colleague) == 0  # answering reads the thread
    application.status = "withdrawn"
    db.session.commit()
    with pytest.raises(Conflict):
        conversations.post(application, employer, "Still there?")
    assert _messages() == 2


def test_the_inbox_lists_the_latest_conversation_first_and_says_when_empty(app, browser):
    with app.app_context():
        employer = make.employer()
        coder = make.coder()
        first = make.apply(make.job(employer, title="First job"), coder)
        second = make.apply(make.job(employer, title="Second job"), coder)
        email = coder.email
        conversations.post(first, employer, "About the first")
        conversations.post(second, employer, "About the second")
        conversations.post(first, employer, "The first again")
    browser.login(email)
    page = browser.get("/messages").get_data(as_text=True)
    assert page.index("First job") < page.index("Second job")  # the latest activity first
    assert "The first again" in page and "About the first" not in page  # the last message
    with app.app_context():
        lonely = make.coder().email
    browser.logout()
    browser.login(lonely)
    assert "No messages yet" in browser.get("/messages").get_data(as_text=True)


def test_the_coder_gets_a_receipt_when_an_application_is_sent(app, ctx, mailbox):
    employer = make.employer(company="Lakeside Clinic")
    coder = make.coder()
    application = make.apply(make.job(employer, title="Coder III"), coder)
    [mail] = mailbox.messages(to=coder.email)
    assert mail["Subject"] == "Application sent: Coder III"
    assert "Lakeside Clinic" in mail.text and f"/coder/applications/{application.id}" in mail.text


def test_a_deleted_coders_messages_go_and_the_employers_stay(app, ctx):
    from jobboard.auth import services as auth
    employer = make.employer()
    coder = make.coder()
    application = make.apply(make.job(employer), coder)
    conversations.post(application, coder, "My phone is 555-0100")
    conversations.post(application, employer, "Thanks, we will call")
    auth.delete_account(coder, make.PASSWORD)
    bodies = db.session.scalars(select(ApplicationMessage.body)).all()
    assert bodies == ["Thanks, we will call"]
