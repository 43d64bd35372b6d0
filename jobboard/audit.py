"""The audit log: who did what to which object, and why. Written in the caller's transaction."""
from sqlalchemy import select

from jobboard.extensions import db
from jobboard.models import AuditEntry, User


def record(actor: User | None, action: str, subject, summary: str, reason: str = "",
           **details) -> AuditEntry:
    """Add an audit entry to the caller's transaction. `subject` is a model or a
    (type, id) pair."""
    if isinstance(subject, tuple):
        kind, key = subject
    else:
        kind, key = type(subject).__name__.lower(), subject.id
    entry = AuditEntry(actor_id=actor.id if actor else None, action=action, subject_type=kind,
                       subject_id=str(key), summary=summary[:300], reason=(reason or "").strip(),
                       details=details)
    db.session.add(entry)
    return entry


def history_of(kind: str, key) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.subject_type == kind, AuditEntry.subject_id == str(key))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))
