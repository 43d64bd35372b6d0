"""Candidate search: employers find coders who made their profile findable, and invite them
to apply to an open job. A coder's name, email, phone and resume reach the employer only
through an application (accepting an invitation is applying)."""
import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from jobboard import textrules as rules
from jobboard import vocab
from jobboard.codes import cached, vocabulary
from jobboard.codes.formats import HCPCS, ICD10CM, message_for, with_dot
from jobboard.codes.meanings import Meanings
from jobboard.database import utcnow
from jobboard.errors import Conflict, InvalidInput, NotAllowed
from jobboard.extensions import db
from jobboard.limits import next_free_slot
from jobboard.mail import outbox as mail_outbox
from jobboard.models import Application, CoderProfile, Invitation, Job, User
from jobboard.models import invitation as inv
from jobboard.models.job import listing_loads
from jobboard.notifications import services as notify
from jobboard.numbers import read_whole
from jobboard.search.coders_index import document, findable_profiles
from jobboard.search.filters import BY_PARAM, any_of
from jobboard.search.query import FAMILY_, ICD, RANGE_, CodeTerm, read_q
from jobboard.transactions import atomic

log = logging.getLogger(__name__)
PER_PAGE = 20
SORTS = {"best": "Best match", "recent": "Recently updated", "years": "Most experience"}


@dataclass
class CandidateQuery:
    q: str = ""
    code_text: str = ""  # the codes field as typed
    words: str = ""  # q without its codes: searched in headlines, specialties and meanings
    terms: list[CodeTerm] = field(default_factory=list)  # codes, families, ranges (q and code)
    dotless: list[str] = field(default_factory=list)  # ICD-10-CM typed without its dot
    credentials: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)
    state: str | None = None
    work_mode: str | None = None  # a work mode the coder accepts
    min_years: int | None = None
    availability: list[str] = field(default_factory=list)
    sort: str = "best"
    page: int = 1

    @property
    def reads_as_nothing(self) -> bool:
        """Codes were typed, and none can be searched as typed (E119): no coder is found,
        rather than every coder (the page offers E11.9)."""
        return bool(self.dotless) and not self.terms and not self.words

    @property
    def exact_codes(self) -> list[str]:
        """A coder listing one of these exactly matches: the codes, and the categories and
        families themselves (a coder may list C92)."""
        return [t.value for t in self.terms if t.kind != RANGE_]

    @property
    def prefixes(self) -> list[str]:
        return [t.value for t in self.terms if t.kind in (ICD, FAMILY_)]

    @property
    def ranges(self) -> list[tuple[int, int]]:
        return [tuple(int(n) for n in t.value.split("-")) for t in self.terms
                if t.kind == RANGE_]


def parse_query(args) -> tuple[CandidateQuery, dict[str, str]]:
    """The query from a GET form; (query, {parameter: what was wrong}) with bad values
    left out and named. Codes are read as job search reads them (`search.query.read_q`),
    in the words box or the codes box: 38206, CPT 38206, 382, 38206-38215, C92, J9035."""
    problems: dict[str, str] = {}
    query = CandidateQuery(q=" ".join((args.get("q") or "").split())[:200])
    terms, word_indexes, tokens, dotless, _ = read_q(query.q)
    query.words = " ".join(tokens[i] for i in word_indexes)
    query.terms, query.dotless = terms, dotless

    def pick(name, vocabulary):
        values = [v for v in args.getlist(name) if v]
        if bad := [v for v in values if v not in vocabulary]:
            problems[name] = f"Unknown: {', '.join(bad[:5])}."
        return [v for v in dict.fromkeys(values) if v in vocabulary]

    query.credentials = pick("credential", vocab.CREDENTIALS)
    query.specialties = pick("specialty", vocab.SPECIALTIES)
    query.availability = pick("availability", vocab.AVAILABILITY)
    if text := " ".join((args.get("code") or "").split())[:200]:
        query.code_text = text
        terms, word_indexes, tokens, dotless, _ = read_q(text)
        query.terms += terms
        query.dotless += dotless
        if bad := [tokens[i] for i in word_indexes]:
            problems["code"] = message_for(bad)
    query.terms = query.terms[:10]
    if (state := args.get("state")) and state in vocab.US_STATES:
        query.state = state
    elif state:
        problems["state"] = "Choose a US state."
    work_mode = BY_PARAM["work_mode"]
    if (mode := args.get(work_mode.param)) and mode in work_mode.vocabulary:
        query.work_mode = mode
    elif mode:
        problems[work_mode.param] = "Choose remote, hybrid or onsite."
    if years := (args.get("min_years") or "").strip():
        if (value := read_whole(years)) is not None and value <= 60:
            query.min_years = value
        else:
            problems["min_years"] = "Enter a number of years from 0 to 60."
    sort = args.get("sort") or ""
    query.sort = sort if sort in SORTS else ("best" if query.words else "recent")
    query.page = min(500, max(1, read_whole(args.get("page")) or 1))
    return query, problems


def dotted_suggestions(query: CandidateQuery, args) -> list[tuple[str, str, dict]]:
    """(typed, dotted, the search's parameters with it dotted) for each ICD-10-CM code typed
    without its dot that the catalog knows: "Did you mean C92.00?". C9200 is also a HCPCS
    code's shape: it is searched as typed, and offered dotted when no HCPCS code has it."""
    typed = [*query.dotless, *(t.value for t in query.terms
                               if t.system == HCPCS and cached.known(HCPCS, t.value) is None)]
    found = []
    for token in typed:
        dotted = with_dot(token)
        if dotted is None or cached.known(ICD10CM, dotted) is None:
            continue
        fixed = {k: v for k, v in args.to_dict(flat=False).items() if k != "page"}
        for name in ("q", "code"):
            if name in fixed:
                fixed[name] = [" ".join(dotted if t.upper() == token else t for t in v.split())
                               for v in fixed[name]]
        found.append((token, dotted, fixed))
    return found


@dataclass
class Candidate:
    profile: CoderProfile
    invited_to: dict[int, Invitation]  # job id -> this company's invitation


@dataclass
class CandidatePage:
    candidates: list[Candidate]
    total: int
    page: int
    pages: int
    degraded: bool = False

    # what the pagination macro reads
    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def meili_filter(query: CandidateQuery) -> list:
    """The query's filters, for the coders index (each list inside is one OR group)."""
    parts: list = []
    for attribute, values in (("credentials", query.credentials),
                              ("specialties", query.specialties),
                              ("availability", query.availability)):
        if values:
            parts.append(any_of(attribute, values))
    if query.terms:  # any of the codes; a family finds what is under it (C92 -> C92.00)
        either = [any_of("codes", query.exact_codes)] if query.exact_codes else []
        if query.prefixes:
            either.append(any_of("code_prefixes", query.prefixes))
        either += [f"cpt_numbers {low} TO {high}" for low, high in query.ranges]
        parts.append(either)
    if query.state:
        parts.append(any_of("state", [query.state]))
    if query.work_mode:
        parts.append(any_of("remote", [query.work_mode, "any"]))
    if query.min_years is not None:
        parts.append(f"years >= {query.min_years}")
    return parts


def _meili_ids(query: CandidateQuery) -> tuple[list[int], int]:
    from jobboard.search.client import search
    sort = {"recent": ["updated_at:desc"], "years": ["years:desc", "updated_at:desc"]}.get(
        query.sort)
    result = search("coders", query.words, {
        "filter": meili_filter(query), "page": query.page, "hitsPerPage": PER_PAGE,
        **({"sort": sort} if sort else {})})
    return [h["id"] for h in result["hits"]], result.get("totalHits", 0)


def _sql_ids(query: CandidateQuery) -> tuple[list[int], int]:
    """Without the search server: the same filters over the findable profiles (the lists are
    JSON, so they are matched here rather than in SQL; findable profiles are few)."""
    stmt = findable_profiles()
    if query.state:
        stmt = stmt.where(CoderProfile.state == query.state)
    if query.work_mode:
        stmt = stmt.where(CoderProfile.remote_preference.in_([query.work_mode, "any"]))
    if query.min_years is not None:
        stmt = stmt.where(CoderProfile.years_experience >= query.min_years)
    if query.availability:
        stmt = stmt.where(CoderProfile.availability.in_(query.availability))
    order = {"years": [CoderProfile.years_experience.desc()]}.get(query.sort, [])
    stmt = stmt.order_by(*order, CoderProfile.updated_at.desc()).limit(5000)
    # Each part of the words with what the vocabulary says it means, read as job search's
    # database fallback reads them ("heart attack" or "myocardial infarction").
    words = [[vocabulary.words_of(phrase) or [phrase.casefold()] for phrase in part]
             for part in vocabulary.alternatives(query.words)]
    meanings = Meanings()

    def has_codes(doc: dict) -> bool:
        return bool(set(query.exact_codes) & set(doc["codes"])
                    or set(query.prefixes) & set(doc["code_prefixes"])
                    or any(low <= n <= high for low, high in query.ranges
                           for n in doc["cpt_numbers"]))

    def keep(p: CoderProfile) -> bool:
        doc = document(p, meanings)  # the codes, families and meanings as the index has them
        text = " ".join([p.headline or "", *p.credentials, *doc["codes"],
                         *doc["specialty_names"], *doc["code_meanings"]]).casefold()
        return bool((not query.credentials or set(query.credentials) & set(p.credentials))
                    and (not query.specialties or set(query.specialties) & set(p.specialties))
                    and (not query.terms or has_codes(doc))
                    and all(any(all(w in text for w in phrase) for phrase in alternatives)
                            for alternatives in words))

    ids = [p.user_id for p in db.session.scalars(stmt) if keep(p)]
    start = (query.page - 1) * PER_PAGE
    return ids[start:start + PER_PAGE], len(ids)


def search(query: CandidateQuery, company_id: int) -> CandidatePage:
    """A page of findable coders; what is shown is read from the database, so a profile
    turned off a moment ago is never shown even if its document were still in the index."""
    from jobboard.search.breaker import CircuitOpen, through
    from jobboard.search.client import SEARCH_ERRORS, configured
    degraded = False
    if query.reads_as_nothing:
        ids, total = [], 0
    elif configured():
        try:
            ids, total = through(lambda: _meili_ids(query), SEARCH_ERRORS)
        except (CircuitOpen, *SEARCH_ERRORS) as e:
            log.warning("candidate search degraded to the database: %r", e)
            ids, total = _sql_ids(query)
            degraded = True
    else:
        ids, total = _sql_ids(query)
    rows = {p.user_id: p for p in db.session.scalars(
        findable_profiles().where(CoderProfile.user_id.in_(ids)))} if ids else {}
    invited: dict[int, dict[int, Invitation]] = {}
    if rows:
        for invitation in db.session.scalars(select(Invitation).where(
                Invitation.company_id == company_id, Invitation.coder_id.in_(list(rows)))
                .options(selectinload(Invitation.job))):  # the page names each job
            invited.setdefault(invitation.coder_id, {})[invitation.job_id] = invitation
    candidates = [Candidate(rows[i], invited.get(i, {})) for i in ids if i in rows]
    return CandidatePage(candidates, total, query.page, max(1, -(-total // PER_PAGE)), degraded)


def can_search(user: User) -> None:
    """Candidate search is for recruiters of verified companies: coders share their profile
    with employers the board has checked."""
    if not user.is_employer:
        raise NotAllowed("Candidate search is for employers.")
    if not user.company.is_verified:
        raise NotAllowed("Candidate search opens once your company is verified: confirm an "
                         "email address at your company's website domain, or ask us to "
                         "verify it.")


def findable_candidate(coder_id: int) -> CoderProfile | None:
    return db.session.scalar(findable_profiles().where(CoderProfile.user_id == coder_id))


def _open_jobs_of(company_id: int):
        return select(Job).where(Job.company_id == company_id, Job.is_open(utcnow()))


def has_open_jobs(company_id: int) -> bool:
    return db.session.scalar(_open_jobs_of(company_id).with_only_columns(Job.id).limit(1)) \
        is not None


def jobs_to_offer(company_id: int, profile: CoderProfile) -> list[Job]:
    """The company's open jobs, those closest to the coder's codes and specialties first."""
    def closeness(job: Job) -> int:
        return (2 * len({c.code for c in job.codes} & set(profile.codes or []))
                + len(set(job.specialty_slugs) & set(profile.specialties)))
    jobs = db.session.scalars(_open_jobs_of(company_id).options(*listing_loads())
                              .order_by(Job.published_at.desc()).limit(200)).all()
    return sorted(jobs, key=closeness, reverse=True)


def invited_jobs(company_id: int, coder_id: int) -> set[int]:
    return set(db.session.scalars(select(Invitation.job_id).where(
        Invitation.company_id == company_id, Invitation.coder_id == coder_id)))


def check_daily_limit(company_id: int, now: datetime) -> None:
    limit = current_app.config["INVITATIONS_PER_COMPANY_PER_DAY"]
    if free_at := next_free_slot(Invitation.created_at, [Invitation.company_id == company_id],
                                 limit, now):
        raise Conflict(f"Your company has sent {limit} invitations in the last 24 hours, the "
                       f"most we send in a day. The next can go out after "
                       f"{free_at:%B %-d, %H:%M} UTC.")


@atomic
def invite(by: User, coder_id: int, job_id: int | None, message: str) -> Invitation:
    """Invite a findable coder to apply to one of the company's open jobs; once per job."""
    can_search(by)
    profile = findable_candidate(coder_id)
    if profile is None:
        raise NotAllowed("This coder is not open to invitations.")
    errors: dict[str, list[str]] = {}
    job = db.session.get(Job, job_id) if job_id else None
    if job is None or not job.is_managed_by(by):
        errors["job"] = ["Choose one of your open jobs."]
    elif not job.is_open():
        errors["job"] = ["This job is not open; choose an open one."]
    message = (message or "").strip()
    rules.check(errors, "message", message, rules.MESSAGE)
    if errors:
        raise InvalidInput(errors)
    if db.session.scalar(select(Invitation.id).where(Invitation.job_id == job.id,
                                                     Invitation.coder_id == coder_id)):
        raise Conflict("You have already invited this coder to apply to this job.")
    if db.session.scalar(select(Application.id).where(Application.job_id == job.id,
                                                      Application.coder_id == coder_id)):
        raise Conflict("This coder has already applied to this job: see its applicants.")
    now = utcnow()
    check_daily_limit(by.company_id, now)
    invitation = Invitation(job_id=job.id, coder_id=coder_id, company_id=by.company_id,
                            invited_by_id=by.id, message=message, created_at=now)
    db.session.add(invitation)
    db.session.flush()
    notify.invited(invitation)
    try:
        db.session.commit()
    except IntegrityError:  # two clicks raced past the check; the constraint kept one
        db.session.rollback()
        raise Conflict("You have already invited this coder to apply to this job.") from None
    mail_outbox.kick()
    return invitation


def company_invitations(company_id: int, page: int):
    return db.paginate(
        select(Invitation).where(Invitation.company_id == company_id)
        .order_by(Invitation.created_at.desc())
        .options(joinedload(Invitation.job),
                 joinedload(Invitation.coder).joinedload(User.profile)),
        page=page, per_page=PER_PAGE, error_out=False)


def applications_for(invitations: list[Invitation]) -> dict[int, Application]:
    """invitation id -> the application that accepted it (what the employer may open), in
    one query for a page of invitations."""
    accepted = {(i.job_id, i.coder_id): i.id for i in invitations if i.status == inv.ACCEPTED}
    if not accepted:
        return {}
    found: dict[int, Application] = {}
    for a in db.session.scalars(select(Application).where(
            Application.job_id.in_({job for job, _ in accepted}),
            Application.coder_id.in_({coder for _, coder in accepted}))
            .order_by(Application.attempt)):
        if (key := accepted.get((a.job_id, a.coder_id))) is not None:
            found[key] = a  # the latest attempt wins
    return found


def coder_invitations(coder: User, page: int):
    return db.paginate(
        select(Invitation).where(Invitation.coder_id == coder.id)
        .order_by((Invitation.status == inv.SENT).desc(), Invitation.created_at.desc())
        .options(selectinload(Invitation.job).selectinload(Job.company)),
        page=page, per_page=PER_PAGE, error_out=False)


def waiting_count(coder: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.coder_id == coder.id, Invitation.status == inv.SENT)) or 0


def invitation_to(job: Job, coder: User) -> Invitation | None:
    """The company's unanswered invitation to this coder for this job, if any."""
    return db.session.scalar(select(Invitation).where(
        Invitation.job_id == job.id, Invitation.coder_id == coder.id,
        Invitation.status == inv.SENT))


def own_invitation(invitation_id: int, coder: User) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.coder_id != coder.id:
        raise NotAllowed("That invitation is not yours.")
    return invitation


@atomic
def decline(invitation: Invitation, coder: User) -> None:
    if invitation.coder_id != coder.id:
        raise NotAllowed("That invitation is not yours.")
    if invitation.status != inv.SENT:
        raise Conflict(f"You have already answered this invitation "
                       f"({invitation.status_label.lower()}).")
    invitation.status, invitation.responded_at = inv.DECLINED, utcnow()
    db.session.commit()

