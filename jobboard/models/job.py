from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    exists,
    func,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from jobboard import vocab
from jobboard.database import utcnow
from jobboard.extensions import db

DRAFT = "draft"
PENDING = "pending"  # waiting for a moderator: not visible, searchable or in feeds
PUBLISHED = "published"
CLOSED = "closed"
FILLED = "filled"
EXPIRED = "expired"
REMOVED = "removed"  # taken off the site with its company's suspension
STATUSES = (DRAFT, PENDING, PUBLISHED, CLOSED, FILLED, EXPIRED, REMOVED)
# Seen only by the company's own recruiters (and admins).
PRIVATE = (DRAFT, PENDING, REMOVED)
RENEWAL_WINDOW = timedelta(days=7)  # renewing is offered (and reminded of) this near expiry

STATUS_LABELS = {DRAFT: "Draft", PENDING: "Waiting for review", PUBLISHED: "Published",
                 CLOSED: "Closed", FILLED: "Filled", EXPIRED: "Expired",
                 REMOVED: "Removed by moderators"}

# Why a job waits for review.
NEW_COMPANY = "new-company"  # its company is not verified yet
REVIEW_ALL = "review-all"  # MODERATE_ALL_JOBS: every job is reviewed
RESUBMITTED = "resubmitted"  # a moderator sent it back once; it is checked again
REPORTED = "reported"  # hidden after reports from several people
REVIEW_REASONS = {
    NEW_COMPANY: "The company is not verified yet",
    REVIEW_ALL: "Every job is reviewed before it goes live",
    RESUBMITTED: "Edited after a moderator sent it back",
    REPORTED: "Hidden after reports from several people",
}

REQUIRED = "required"
PREFERRED = "preferred"


class Job(db.Model):
    __table_args__ = (
        CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
            name="salary_range",
        ),
        Index("ix_job_status_published_at", "status", "published_at"),
        # The newest change to any job: cached pay figures are keyed by it (insights).
        Index("ix_job_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    setting: Mapped[str] = mapped_column(String(32))
    work_mode: Mapped[str] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    salary_min: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    salary_max: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    salary_period: Mapped[str | None] = mapped_column(String(8))
    employment_type: Mapped[str] = mapped_column(String(16))
    min_years: Mapped[int] = mapped_column(default=0)
    charts_per_day: Mapped[int | None]
    accuracy_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # When the recruiters were told the job expires soon, and that it has expired.
    expiry_reminded_at: Mapped[datetime | None]
    expired_notified_at: Mapped[datetime | None]
    # Moderation: when the employer last asked to publish (the daily limit counts these),
    # why the job waits for review, what a moderator told the employer when sending it
    # back, and the status a suspension took it from (restored on reinstatement).
    submitted_at: Mapped[datetime | None]
    review_reason: Mapped[str | None] = mapped_column(String(16))
    moderator_note: Mapped[str | None] = mapped_column(Text)
    status_before_removal: Mapped[str | None] = mapped_column(String(16))
    # What the job's codes mean ("C92.00: Acute myeloblastic leukemia ..."), from the catalog,
    # and all its searchable text in one column for the database search (PostgreSQL indexes
    # it for full-text search). Both kept up to date by the job services.
    code_meanings: Mapped[list[str]] = mapped_column(JSON, default=list)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    company: Mapped["Company"] = relationship(back_populates="jobs")  # noqa: F821
    codes: Mapped[list["JobCode"]] = relationship(
        cascade="all, delete-orphan", order_by="JobCode.position", back_populates="job"
    )
    specialties: Mapped[list["JobSpecialty"]] = relationship(cascade="all, delete-orphan")
    credentials: Mapped[list["JobCredential"]] = relationship(cascade="all, delete-orphan")

    # The job's states and what may be done in each: the one definition, used by services,
    # templates, the API, feeds, insights and notifications. `is_open` and `was_public` work
    # on an instance and in SQL (`select(Job).where(Job.is_open(now))`).

    @hybrid_method
    def is_open(self, now: datetime | None = None) -> bool:
        """Published and not past its expiry: the only state in which coders may apply, and
        what search, feeds and code pages list."""
        now = now or utcnow()
        return self.status == PUBLISHED and (self.expires_at is None or self.expires_at > now)

    @is_open.expression
    def is_open(cls, now=None):
        if now is None:  # `now` may be a bound parameter, which has no truth value
            now = utcnow()
        return and_(cls.status == PUBLISHED, or_(cls.expires_at.is_(None), cls.expires_at > now))

    @hybrid_property
    def was_public(self) -> bool:
        """Published at some point: its page stays readable (closed, filled, expired) and it
        counts in pay figures and a code's history. Drafts, jobs waiting for review and
        removed jobs are seen only by their company's recruiters and admins."""
        return self.status not in PRIVATE

    @was_public.expression
    def was_public(cls):
        return cls.status.not_in(PRIVATE)

    def is_managed_by(self, user) -> bool:
        """The one ownership rule: a recruiter of the job's company."""
        return bool(user is not None and getattr(user, "is_authenticated", False)
                    and user.recruits_for(self.company_id))

    def is_visible_to(self, user) -> bool:
        """Anyone may see a job that was published once; the rest only the company's own
        recruiters and admins."""
        if self.was_public:
            return True
        return self.is_managed_by(user) or bool(getattr(user, "is_admin", False))

    @property
    def can_publish(self) -> bool:
        """A draft goes live (or to review); a job waiting for review is already on its way."""
        return self.status == DRAFT

    @property
    def can_delete(self) -> bool:
        """Only a draft nobody ever saw: a job once public is closed instead, so its
        applicants and history stay."""
        return self.status == DRAFT and self.published_at is None

    @property
    def can_close(self) -> bool:
        return self.status in (PUBLISHED, EXPIRED)

    @property
    def can_renew(self) -> bool:
        return self.status in (PUBLISHED, EXPIRED)

    def renewal_due(self, now: datetime | None = None) -> bool:
        """Renewal is offered when it matters: the job expired, or expires within
        RENEWAL_WINDOW (when the reminder mail goes). Renewing earlier is allowed, not
        offered."""
        if not self.can_renew:
            return False
        now = now or utcnow()
        return not self.is_open(now) or self.expires_at <= now + RENEWAL_WINDOW

    def display_status(self, now: datetime | None = None) -> str:
        if self.status == PUBLISHED and not self.is_open(now):
            return EXPIRED
        return self.status

    def status_label(self, now: datetime | None = None) -> str:
        if self.status == DRAFT and self.moderator_note:
            return "Sent back by moderators"
        return STATUS_LABELS[self.display_status(now)]

    @property
    def specialty_slugs(self) -> list[str]:
        return sorted(s.specialty for s in self.specialties)

    def credentials_where(self, requirement: str) -> list[str]:
        return sorted(c.credential for c in self.credentials if c.requirement == requirement)

    @property
    def required_credentials(self) -> list[str]:
        return self.credentials_where(REQUIRED)

    @property
    def preferred_credentials(self) -> list[str]:
        return self.credentials_where(PREFERRED)

    # Who qualifies: the one rule, in Python and in SQL. A coder holding any of the required
    # credentials qualifies, or anyone when none is required; preferred ones are a plus.

    def qualifies_with(self, held) -> bool:
        required = self.required_credentials
        return not required or bool(set(held or ()) & set(required))

    @property
    def qualifying_credentials(self) -> list[str]:
        """The credentials with which a coder qualifies (what the search filter matches)."""
        return self.required_credentials or sorted(vocab.CREDENTIALS)

    @classmethod
    def qualifies_with_any(cls, held):
        """SQL: jobs a coder holding any of `held` qualifies for. Asked of each job through
        its credentials' key (job_id, credential): as `id IN (...) OR id NOT IN (...)`
        PostgreSQL read every required credential into a hash and scanned every job, even
        when a code had narrowed the search to a few thousand (100,000 postings, E11.9 and
        CRC: 159 -> 56 ms a statement)."""
        required = (JobCredential.job_id == cls.id, JobCredential.requirement == REQUIRED)
        return or_(exists().where(*required, JobCredential.credential.in_(held)),
                   ~exists().where(*required))

    # Pay on one yearly scale (hourly x HOURS_PER_YEAR): the one definition, in Python and in
    # SQL. The pay filter and the "highest pay" sort read the top of the range (the bottom
    # when no top is posted); pay figures read its middle.

    @hybrid_property
    def annual_salary_min(self) -> int | None:
        return annual_pay(self.salary_min, self.salary_period)

    @annual_salary_min.expression
    def annual_salary_min(cls):
        return _annual_sql(cls.salary_min, cls.salary_period)

    @hybrid_property
    def annual_salary_max(self) -> int | None:
        return annual_pay(self.salary_max, self.salary_period)

    @annual_salary_max.expression
    def annual_salary_max(cls):
        return _annual_sql(cls.salary_max, cls.salary_period)

    @hybrid_property
    def annual_pay_top(self) -> int | None:
        top = self.annual_salary_max
        return top if top is not None else self.annual_salary_min

    @annual_pay_top.expression
    def annual_pay_top(cls):
        return func.coalesce(cls.annual_salary_max, cls.annual_salary_min)

    @hybrid_property
    def annual_pay_middle(self) -> float | None:
        low = self.salary_min if self.salary_min is not None else self.salary_max
        high = self.salary_max if self.salary_max is not None else self.salary_min
        return None if low is None else annual_pay((low + high) / 2, self.salary_period)

    @annual_pay_middle.expression
    def annual_pay_middle(cls):
        low = func.coalesce(cls.salary_min, cls.salary_max)
        high = func.coalesce(cls.salary_max, cls.salary_min)
        return _annual_sql((low + high) / 2, cls.salary_period)


# PostgreSQL only: the full-text vector of search_text in a generated column, with a GIN
# index on it (SQLite has neither; there the degraded search scans). Created by the
# migrations, not declared on the model.
SEARCH_TEXT_FTS_INDEX = "ix_job_search_text_fts"
SEARCH_VECTOR = "search_vector"
FTS_CONFIG = "english"
# PostgreSQL only: job codes by system and code prefix (LIKE 'C92%') in any collation. SQLite
# reads a range on ix_job_code_system_code instead (search/sql.py, code_under).
CODE_PREFIX_INDEX = "ix_job_code_system_code_prefix"


def listing_loads() -> tuple:
    """What a listing (job page, card, search hit or document) reads besides the job row.

    A function, not a constant: building the options configures the mappers, which must
    wait until every model is imported.
    """
    return (selectinload(Job.codes), selectinload(Job.specialties),
            selectinload(Job.credentials), selectinload(Job.company))


def annual_pay(amount: Decimal | None, period: str | None) -> int | None:
    if amount is None:
        return None
    factor = vocab.HOURS_PER_YEAR if period == "hour" else 1
    return int(amount * factor)


def _annual_sql(amount, period):
    return case((period == "hour", amount * vocab.HOURS_PER_YEAR), else_=amount)


class JobCode(db.Model):
    __table_args__ = (
        UniqueConstraint("job_id", "system", "code"),
        Index("ix_job_code_system_code", "system", "code"),
        Index("ix_job_code_code_job_id", "code", "job_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)

    job: Mapped[Job] = relationship(back_populates="codes")


class JobSpecialty(db.Model):
    job_id: Mapped[int] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True
    )
    specialty: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class JobCredential(db.Model):
    job_id: Mapped[int] = mapped_column(
        ForeignKey("job.id", ondelete="CASCADE"), primary_key=True
    )
    credential: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)
    requirement: Mapped[str] = mapped_column(String(10))
