"""Test data made through the same services the app uses. Need an app context."""
import io
import itertools
import zipfile
from decimal import Decimal

from slugify import slugify
from werkzeug.security import generate_password_hash

from jobboard.coders import services as coder_services
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.jobs import services as job_services
from jobboard.jobs.services import JobFields
from jobboard.models import CoderProfile, Company, Job, User

PASSWORD = "correct horse battery"
_hash: list[str] = []  # scrypt is slow on purpose; hash the shared test password once
_seq = itertools.count(1)


def _password_hash() -> str:
    if not _hash:
        _hash.append(generate_password_hash(PASSWORD, method="scrypt"))
    return _hash[0]


def employer(company: str | None = None, email: str | None = None,
             verified: bool = True) -> User:
    """A recruiter with a confirmed address; its company is verified (its jobs go live at
    once) unless verified=False."""
    n = next(_seq)
    name = company or f"Health System {n}"
    user = User(email=email or f"recruiter{n}@example.org", name=f"Recruiter {n}",
                role="employer", password_hash=_password_hash(), email_verified_at=utcnow(),
                company=Company(name=name, slug=f"{slugify(name)}-{n}", profile="We hire coders.",
                                verified_at=utcnow() if verified else None,
                                verified_by="admin" if verified else None))
    db.session.add(user)
    db.session.commit()
    return user


def admin(email: str | None = None) -> User:
    n = next(_seq)
    user = User(email=email or f"admin{n}@example.org", name=f"Admin {n}", role="admin",
                password_hash=_password_hash(), email_verified_at=utcnow())
    db.session.add(user)
    db.session.commit()
    return user


def coder(email: str | None = None, with_resume: bool = True) -> User:
    n = next(_seq)
    user = User(email=email or f"coder{n}@example.org", name=f"Coder {n}", role="coder",
                password_hash=_password_hash(), email_verified_at=utcnow())
    user.profile = CoderProfile(credentials=["CPC"], specialties=["hematology-oncology"])
    db.session.add(user)
    db.session.commit()
    if with_resume:
        coder_services.update_profile(user, coder_services.ProfileFields(credentials=["CPC"]),
                                      (pdf_bytes(), "my resume.pdf"))
    return user


def fields(**overrides) -> JobFields:
    values = dict(
        title="Hematology/Oncology Coder", codes="38206, C92.00",
        description="Code stem cell harvests and leukemia encounters for our cancer center.",
        setting="pro-fee", work_mode="remote", employment_type="full-time",
        specialties=["hematology-oncology"], required_credentials=["CPC"],
        preferred_credentials=["CHONC"], salary_min=Decimal("60000"),
        salary_max=Decimal("72000"), salary_period="year", min_years=2,
    )
    values.update(overrides)
    return JobFields(**values)


def job(author: User, publish: bool = True, **overrides) -> Job:
    made = job_services.create_job(author.company, author, fields(**overrides))
    if publish:
        job_services.publish_job(made, author)
    return made


def apply(job_: Job, coder_: User, cover_letter: str = "I code stem cell cases daily."):
    return coder_services.apply(job_, coder_, cover_letter)


def pdf_bytes(text: str = "Resume") -> bytes:
    body = (f"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            f"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% {text}\ntrailer<</Root 1 0 R>>\n"
            "%%EOF\n")
    return body.encode()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def reload(obj):
    """The row as the database has it now."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
