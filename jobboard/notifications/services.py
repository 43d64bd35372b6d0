"""Notifications: what employers and coders are told, written to the mail outbox.

Each function adds outbox rows in the caller's transaction; the caller commits and kicks.
Every notification can be turned off per user (settings page, or one click from the mail).
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from jobboard import tokens
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.links import absolute_url
from jobboard.mail import outbox
from jobboard.models import Application, Job, User
from jobboard.models import application as ap
from jobboard.models import job as st
from jobboard.models.user import DAILY, EMPLOYER, INSTANT

UNSUBSCRIBE = "unsubscribe"
# What one click on "unsubscribe" turns off, by the kind of notification.
KINDS = {"applications": "mail about new applications", "expiry": "job expiry reminders",
         "status": "mail when an application's status changes",
         "invitations": "invitations from employers (your profile is no longer findable)"}
REMIND_BEFORE = st.RENEWAL_WINDOW  # the reminder goes when renewing is offered


def unsubscribe_token(user: User, kind: str) -> str:
    return tokens.make(UNSUBSCRIBE, {"u": user.id, "k": kind})


def recruiters(company_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.company_id == company_id, User.role == EMPLOYER, User.deleted_at.is_(None))))


def job_reviewed(job: Job, outcome: str, note: str = "") -> None:
    """A moderator approved the job, put it back after reports, or sent it back (with why).
    Not optional: it is about the company's own posting."""
    subject = {"approved": f"Your job is live: {job.title}",
               "restored": f"Your job is back on CodeBoard: {job.title}",
               "rejected": f"Changes needed before your job goes live: {job.title}"}[outcome]
    for user in recruiters(job.company_id):
        outbox.queue("job_reviewed", user.email, subject, "job_reviewed", recipient=user,
                     job=job, outcome=outcome, note=note,
                     job_url=absolute_url("jobs.detail", job_id=job.id),
                     manage_url=absolute_url("employers.preview", job_id=job.id),
                     edit_url=absolute_url("employers.edit_job", job_id=job.id))


def job_removed(application: Application, company_name: str) -> bool:
    """Warn a coder whose application's job left with its company's suspension; False when
    the account is gone."""
    coder = application.coder
    if coder.deleted_at is not None:
        return False
    outbox.queue("job_removed", coder.email,
                 f"A job you applied to was removed: {application.job.title}", "job_removed",
                 recipient=coder, job=application.job, company=company_name,
                 applications_url=absolute_url("coders.applications"))
    return True


def new_application(application: Application) -> None:
    """Tell the recruiters who want it at once; the daily-digest ones hear at the digest."""
    job = application.job
    for user in recruiters(job.company_id):
        if user.notify_applications != INSTANT:
            continue
        outbox.queue("new_application", user.email, f"New application: {job.title}",
                     "new_application", unsubscribe_token=unsubscribe_token(user, "applications"),
                     recipient=user, job=job, coder=application.coder,
                     application_url=absolute_url("employers.application",
                                                  application_id=application.id),
                     applicants_url=absolute_url("employers.applicants", job_id=job.id))


def application_sent(application: Application) -> None:
    """The coder's receipt: what was sent, to whom, and where to follow it."""
    coder, job = application.coder, application.job
    outbox.queue("application_sent", coder.email, f"Application sent: {job.title}",
                 "application_sent", recipient=coder, job=job, company=job.company.name,
                 resume=application.resume.filename if application.resume else None,
                 application_url=absolute_url("coders.application",
                                              application_id=application.id))


def new_message(application: Application, message, author: User, reader: User) -> None:
    """A message in an application's conversation, to one reader on the other side: the
    message and a link to the thread (never the history)."""
    job = application.job
    if reader.id == application.coder_id:
        sender = job.company.name
        url = absolute_url("coders.application", application_id=application.id)
    else:
        sender = author.name
        url = absolute_url("employers.application", application_id=application.id)
    outbox.queue("application_message", reader.email,
                 f"New message from {sender}: {job.title}", "application_message",
                 recipient=reader, job=job, sender=sender, author=author.name,
                 body=message.body, thread_url=url + "#conversation")


def invited(invitation) -> None:
    """An employer invited a findable coder to apply. Turning it off one click from the mail
    takes the profile out of candidate search, the only way invitations come."""
    coder, job = invitation.coder, invitation.job
    outbox.queue("invitation", coder.email, f"{job.company.name} invites you to apply: "
                 f"{job.title}", "invitation",
                 unsubscribe_token=unsubscribe_token(coder, "invitations"), recipient=coder,
                 job=job, company=job.company.name, message=invitation.message,
                 job_url=absolute_url("jobs.detail", job_id=job.id),
                 invitations_url=absolute_url("candidates.invitations"),
                 profile_url=absolute_url("coders.profile"))


def company_suspended(company, reason: str, jobs_removed: int) -> None:
    """Every recruiter of the company hears of its suspension and why (not optional)."""
    for user in recruiters(company.id):
        outbox.queue("company_suspended", user.email,
                     f"{company.name} is suspended from CodeBoard", "company_suspended",
                     recipient=user, company=company.name, reason=reason,
                     jobs_removed=jobs_removed,
                     support=current_app.config["SUPPORT_EMAIL"])


def company_reinstated(company, reason: str, jobs_restored: int) -> None:
    for user in recruiters(company.id):
        outbox.queue("company_reinstated", user.email,
                     f"{company.name} is back on CodeBoard", "company_reinstated",
                     recipient=user, company=company.name, reason=reason,
                     jobs_restored=jobs_restored, login_url=absolute_url("auth.login"))


def status_changed(application: Application, message: str | None) -> None:
    coder = application.coder
    if not coder.notify_status or coder.deleted_at:
        return
    label = ap.STATUS_LABELS[application.status]
    outbox.queue("application_status", coder.email,
                 f"Your application for {application.job.title}: {label}", "application_status",
                 unsubscribe_token=unsubscribe_token(coder, "status"), recipient=coder,
                 job=application.job, status=label, message=(message or "").strip(),
                 company=application.job.company.name,
                 application_url=absolute_url("coders.application",
                                              application_id=application.id))


def send_application_digests(now: datetime | None = None) -> int:
    """One mail per recruiter on the daily digest, listing the applications since the last."""
    now = now or utcnow()
    sent = 0
    recruiters = db.session.scalars(select(User).where(
        User.role == EMPLOYER, User.notify_applications == DAILY, User.deleted_at.is_(None),
        User.company_id.is_not(None))).all()
    for user in recruiters:
        since = user.digest_sent_at or (now - timedelta(days=1))
        # Claim this digest: a second worker running the same tick finds the stamp moved.
        claimed = db.session.execute(
            update(User).where(User.id == user.id, _same(User.digest_sent_at, user.digest_sent_at))
            .values(digest_sent_at=now).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            db.session.rollback()
            continue
        applications = db.session.scalars(
            select(Application).join(Job).where(Job.company_id == user.company_id,
                                                Application.created_at > since,
                                                Application.created_at <= now)
            .options(selectinload(Application.job), selectinload(Application.coder))
            .order_by(Application.created_at)).all()
        if applications:
            outbox.queue("application_digest", user.email,
                         f"{len(applications)} new application"
                         f"{'s' if len(applications) != 1 else ''} today", "application_digest",
                         unsubscribe_token=unsubscribe_token(user, "applications"),
                         recipient=user, applications=applications,
                         links={a.id: absolute_url("employers.application", application_id=a.id)
                                for a in applications},
                         dashboard_url=absolute_url("employers.dashboard"))
            sent += 1
        db.session.commit()
    outbox.kick()
    return sent


def _same(column, value):
    return column.is_(None) if value is None else column == value


def send_expiry_reminders(now: datetime | None = None) -> tuple[int, int]:
    """'Expires in 7 days' and 'has expired' mails, each once per job lifetime, with a renew link.

    Returns (reminders, expiry notices) sent.
    """
    now = now or utcnow()
    soon = db.session.scalars(select(Job).where(
        Job.status == st.PUBLISHED, Job.expires_at > now, Job.expires_at <= now + REMIND_BEFORE,
        Job.expiry_reminded_at.is_(None))).all()
    reminded = sum(_tell_expiry(job, Job.expiry_reminded_at, now, "job_expiring",
                                f"Expires {job.expires_at:%B %-d}: {job.title}") for job in soon)
    gone = db.session.scalars(select(Job).where(
        (Job.status == st.EXPIRED) | ((Job.status == st.PUBLISHED) & (Job.expires_at <= now)),
        Job.expired_notified_at.is_(None))).all()
    expired = sum(_tell_expiry(job, Job.expired_notified_at, now, "job_expired",
                               f"Expired: {job.title}") for job in gone)
    outbox.kick()
    return reminded, expired


def _tell_expiry(job: Job, stamp, now: datetime, template: str, subject: str) -> bool:
    claimed = db.session.execute(
        update(Job).where(Job.id == job.id, stamp.is_(None)).values({stamp.key: now})
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        return False
    for user in recruiters(job.company_id):
        if user.notify_expiry:
            outbox.queue(template, user.email, subject, template,
                         unsubscribe_token=unsubscribe_token(user, "expiry"), recipient=user,
                         job=job, renew_url=absolute_url("employers.renew", job_id=job.id),
                         job_url=absolute_url("employers.preview", job_id=job.id))
    db.session.commit()
    return True
