"""Job alerts (saved searches mailed at a frequency) and saved jobs."""
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from jobboard import tokens
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.links import absolute_url
from jobboard.mail import outbox
from jobboard.models import AlertSent, Job, SavedJob, SavedSearch, User
from jobboard.models.alert import FREQUENCIES
from jobboard.models.job import listing_loads
from jobboard.notifications import services as notify
from jobboard.search import service as search
from jobboard.search.query import parse_args
from jobboard.transactions import atomic

MAX_SAVED_SEARCHES = 25
MAX_JOBS_PER_ALERT = 20
# A job is published a moment before the search index has it; each run looks back this far
# and skips the jobs it already sent, so none falls between two runs.
INDEX_LAG = timedelta(minutes=15)
# Only the search itself is kept; paging and per-page are not part of an alert.
IGNORED_PARAMS = {"page", "per_page", "sort"}


def _ensure_coder(user: User) -> None:
    if not user.is_coder:
        raise NotAllowed("Job alerts and saved jobs are for coder accounts.")


def normalise_query(query_string: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query_string or "", keep_blank_values=False)
             if k not in IGNORED_PARAMS and v.strip()]
    return urlencode(pairs)


def describe(query_string: str) -> str:
    """A short name for a search, e.g. '38206 · remote' (the default alert name)."""
    args = MultiDict(parse_qsl(query_string))
    parts = [args.get("q", "")] + args.getlist("code") + args.getlist("specialty") \
        + args.getlist("credential") + args.getlist("work_mode") + args.getlist("state")
    return " · ".join(p for p in parts if p)[:120] or "All jobs"


@atomic
def save_search(user: User, query_string: str, name: str = "", frequency: str = "daily",
                now: datetime | None = None) -> SavedSearch:
    _ensure_coder(user)
    query_string = normalise_query(query_string)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip() or describe(query_string)
    if len(name) > 120:
        errors["name"] = ["Keep the name to 120 characters."]
    if frequency not in FREQUENCIES:
        errors["frequency"] = ["Choose how often to hear about new jobs."]
    problems = parse_args(MultiDict(parse_qsl(query_string))).problems
    if problems:
        errors["query"] = [p.message for p in problems]
    count = db.session.scalar(select(func.count()).where(SavedSearch.user_id == user.id))
    if count >= MAX_SAVED_SEARCHES:
        errors["name"] = [f"You have {MAX_SAVED_SEARCHES} job alerts, the most we keep. "
                          "Delete one first."]
    if errors:
        raise InvalidInput(errors)
    saved = SavedSearch(user_id=user.id, name=name, query_string=query_string,
                        frequency=frequency, checked_until=now or utcnow())
    db.session.add(saved)
    db.session.commit()
    return saved


def own_search(user: User, saved_search_id: int) -> SavedSearch:
    saved = db.session.get(SavedSearch, saved_search_id)
    if saved is None or saved.user_id != user.id:
        raise NotAllowed("That job alert is not yours.")
    return saved


@atomic
def update_search(saved: SavedSearch, user: User, name: str, frequency: str,
                  active: bool) -> SavedSearch:
    if saved.user_id != user.id:
        raise NotAllowed("That job alert is not yours.")
    errors = {}
    if not (name or "").strip() or len(name.strip()) > 120:
        errors["name"] = ["Give the alert a name of at most 120 characters."]
    if frequency not in FREQUENCIES:
        errors["frequency"] = ["Choose how often to hear about new jobs."]
    if errors:
        raise InvalidInput(errors)
    if active and not saved.active:
        saved.checked_until = utcnow()  # a resumed alert starts from now, not from the pause
    saved.name, saved.frequency, saved.active = name.strip(), frequency, active
    db.session.commit()
    return saved


def delete_search(saved: SavedSearch, user: User) -> None:
    if saved.user_id != user.id:
        raise NotAllowed("That job alert is not yours.")
    db.session.delete(saved)
    db.session.commit()


def stop_alert(user: User, saved_search_id: int) -> str:
    saved = db.session.get(SavedSearch, saved_search_id)
    if saved is None or saved.user_id != user.id:
        raise tokens.InvalidToken("That job alert no longer exists.")
    saved.active = False
    db.session.commit()
    return f'the job alert "{saved.name}"'


def searches_of(user: User) -> list[SavedSearch]:
    return list(db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)
                                   .order_by(SavedSearch.created_at.desc())))


def send_alerts(frequency: str, now: datetime | None = None) -> tuple[int, int]:
    """Mail each active saved search of this frequency the jobs published since its last run.

    Returns (mails, jobs) queued. Idempotent: a second run finds nothing new. Safe with several
    workers: each saved search is claimed by moving its watermark with a conditional UPDATE.
    """
    now = now or utcnow()
    ids = db.session.scalars(
        select(SavedSearch.id).join(User, User.id == SavedSearch.user_id)
        .where(SavedSearch.frequency == frequency, SavedSearch.active.is_(True),
               User.email_verified_at.is_not(None), User.deleted_at.is_(None))
        .order_by(SavedSearch.id)).all()
    mails = jobs = 0
    for saved_id in ids:
        sent = _run_alert(saved_id, now)
        mails += bool(sent)
        jobs += sent
    outbox.kick()
    return mails, jobs


def _run_alert(saved_id: int, now: datetime) -> int:
    saved = db.session.get(SavedSearch, saved_id)
    previous = saved.checked_until
    claimed = db.session.execute(
        update(SavedSearch).where(SavedSearch.id == saved_id,
                                  SavedSearch.checked_until == previous)
        .values(checked_until=now).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        return 0
    query = parse_args(MultiDict(parse_qsl(saved.query_string)))
    query.sort, query.page, query.per_page = "newest", 1, 100
    # Never before the alert existed: it is about jobs posted since it was saved.
    since = max(previous - INDEX_LAG, saved.created_at)
    query.published_after = since
    found = search.search_jobs(query).jobs  # open jobs only: one closed since is left out
    already = set(db.session.scalars(select(AlertSent.job_id).where(
        AlertSent.saved_search_id == saved_id, AlertSent.job_id.in_([j.id for j in found]))))
    new = [j for j in found if j.id not in already and since < j.published_at <= now]
    if not new:
        db.session.commit()
        return 0
    listed = new[:MAX_JOBS_PER_ALERT]
    for job in listed:
        db.session.add(AlertSent(saved_search_id=saved_id, job_id=job.id, sent_at=now))
    saved.last_sent_at = now
    user = saved.user
    outbox.queue("alert", user.email,
                 f"{len(new)} new job{'s' if len(new) != 1 else ''} for “{saved.name}”", "alert",
                 unsubscribe_token=notify.unsubscribe_token(user, f"alert:{saved.id}"),
                 recipient=user, saved=saved, jobs=listed, more=len(new) - len(listed),
                 job_urls={j.id: absolute_url("jobs.detail", job_id=j.id) for j in listed},
                 search_url=absolute_url("jobs.browse") + "?" + saved.query_string,
                 alerts_url=absolute_url("alerts.manage"))
    try:
        db.session.commit()
    except IntegrityError:  # another worker sent these a moment ago
        db.session.rollback()
        return 0
    return len(listed)


# ---------------------------------------------------------------- saved jobs


def save_job(user: User, job: Job) -> None:
    _ensure_coder(user)
    if db.session.get(SavedJob, (user.id, job.id)):
        return
    db.session.add(SavedJob(user_id=user.id, job_id=job.id))
    try:
        db.session.commit()
    except IntegrityError:  # saved twice at once: it is saved
        db.session.rollback()


def unsave_job(user: User, job: Job) -> None:
    _ensure_coder(user)
    row = db.session.get(SavedJob, (user.id, job.id))
    if row is None:
        raise Conflict("That job is not in your saved jobs.")
    db.session.delete(row)
    db.session.commit()


def saved_job_ids(user, job_ids: list[int]) -> set[int]:
    if not (user.is_authenticated and user.is_coder) or not job_ids:
        return set()
    return set(db.session.scalars(select(SavedJob.job_id).where(
        SavedJob.user_id == user.id, SavedJob.job_id.in_(job_ids))))


def saved_jobs_page(user: User, page: int, per_page: int = 20):
    _ensure_coder(user)
    return db.paginate(
        select(SavedJob).where(SavedJob.user_id == user.id).order_by(SavedJob.saved_at.desc())
        .options(selectinload(SavedJob.job).options(*listing_loads())),
        page=page, per_page=per_page, error_out=False)
