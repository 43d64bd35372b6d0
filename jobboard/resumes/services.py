"""Resumes: checking an upload by its content, keeping it, and deciding who may read it."""
import io
import unicodedata
import zipfile

from flask import current_app
from sqlalchemy import exists, select

from jobboard.errors import InvalidInput
from jobboard.extensions import db
from jobboard.models import Application, Job, Resume, User
from jobboard.models.application import WITHDRAWN
from jobboard.resumes.storage import storage

PDF = ("pdf", "application/pdf")
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def sniff(data: bytes) -> tuple[str, str] | None:
    """The resume type the bytes really are (PDF or DOCX), whatever the file is called."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def check_upload(data: bytes, field: str = "resume") -> tuple[str, str]:
    limit = current_app.config["RESUME_MAX_BYTES"]
    if not data:
        raise InvalidInput({field: ["The file is empty."]})
    if len(data) > limit:
        raise InvalidInput({field: [f"The file is {len(data) / 1048576:.1f} MB; "
                                    f"resumes may be at most {limit // 1048576} MB."]})
    kind = sniff(data)
    if kind is None:
        raise InvalidInput({field: ["That file is not a PDF or Word (DOCX) document."]})
    return kind


def store_resume(owner: User, data: bytes, filename: str, field: str = "resume") -> Resume:
    """Check and keep an upload; the caller commits."""
    extension, content_type = check_upload(data, field)
    stem = (filename or "resume").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    # Bidirectional and other invisible controls (U+202E shows cv<RLO>fdp.pdf as cvpdf.pdf).
    stem = "".join(ch for ch in stem if unicodedata.category(ch) not in ("Cf", "Cc"))
    stem = stem.rsplit(".", 1)[0].strip()[:200] or "resume"
    key = storage().save(data, extension)
    resume = Resume(owner_id=owner.id, storage_key=key, filename=f"{stem}.{extension}",
                    content_type=content_type, size=len(data))
    db.session.add(resume)
    return resume


def readable_resume(resume_id: int, user: User) -> Resume | None:
    """The resume, if this user may read it (`can_read`); else None, as if it did not exist."""
    resume = db.session.get(Resume, resume_id)
    return resume if resume is not None and can_read(resume, user) else None


def can_read(resume: Resume, user: User) -> bool:
    """The owner, and members of companies the owner applied to with this resume."""
    if not user.is_authenticated:
        return False
    if resume.owner_id == user.id:
        return True
    if not user.is_employer:
        return False
    return bool(db.session.scalar(select(exists().where(
        Application.resume_id == resume.id,
        Application.status != WITHDRAWN,  # withdrawing takes the resume back
        Application.job_id == Job.id,
        Job.company_id == user.company_id,
    ))))
