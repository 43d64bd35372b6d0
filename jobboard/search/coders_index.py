"""The `coders` index: findable coders' profiles, for employers' candidate search.

A document holds what a findable profile shows employers and nothing else: no name, email,
phone or resume. It is written through the same outbox as jobs (`outbox.enqueue_coder`), so
a profile saved while Meilisearch is down is searchable once it is back, and a profile that
stops being findable (or an account deleted) is removed in the request that did it.
"""
from sqlalchemy import select

from jobboard import vocab
from jobboard.codes.formats import CPT, code_prefixes, recognise
from jobboard.codes.meanings import Meanings
from jobboard.extensions import db
from jobboard.models import CoderProfile, User
from jobboard.search.settings import COMPARISON, EQUALITY, SYNONYMS

SETTINGS = {
    # code_meanings last: "leukemia" finds a coder who lists C92.00, as it finds such jobs.
    "searchableAttributes": ["codes", "headline", "specialty_names", "credentials",
                             "state_name", "code_meanings"],
    "displayedAttributes": ["id"],  # the page reads the rows: what it shows is always current
    "filterableAttributes": [
        {"attributePatterns": ["id", "credentials", "specialties", "codes", "code_prefixes",
                               "state", "remote", "availability"], "features": EQUALITY},
        {"attributePatterns": ["years", "updated_at", "cpt_numbers"], "features": COMPARISON},
    ],
    "sortableAttributes": ["updated_at", "years"],
    "typoTolerance": {"enabled": True, "disableOnAttributes": ["codes", "credentials"],
                      "disableOnNumbers": True},
    "synonyms": SYNONYMS,
    "pagination": {"maxTotalHits": 10_000},
}


def findable_profiles():
    """The profiles employers may find: turned on, of an account that still exists."""
    return (select(CoderProfile).join(User, User.id == CoderProfile.user_id)
            .where(CoderProfile.findable.is_(True), User.deleted_at.is_(None),
                   User.role == "coder"))


def document(profile: CoderProfile, meanings: Meanings | None = None) -> dict:
    """What the index holds of a findable profile: its codes read as job documents read
    theirs (families, CPT numbers for ranges, meanings in words)."""
    refs = [ref for code in profile.codes or [] if (ref := recognise(code))]
    prefixes: list[str] = []
    for ref in refs:
        prefixes += [p for p in code_prefixes(ref.system, ref.code) if p not in prefixes]
    return {
        "id": profile.user_id,
        "headline": profile.headline,
        "credentials": profile.credentials,
        "specialties": profile.specialties,
        "specialty_names": [vocab.SPECIALTIES.get(s, s) for s in profile.specialties],
        "codes": profile.codes or [],
        "code_prefixes": prefixes,
        "cpt_numbers": sorted(int(r.code) for r in refs if r.system == CPT and r.code.isdigit()),
        "code_meanings": (meanings or Meanings()).of_all(refs),
        "years": profile.years_experience,
        "state": profile.state,
        "state_name": vocab.US_STATES.get(profile.state or ""),
        "remote": profile.remote_preference,
        "availability": profile.availability,
        "updated_at": int(profile.updated_at.timestamp()) if profile.updated_at else 0,
    }


def documents(user_ids: list[int]) -> list[dict]:
    """Documents for those of these coders who are findable; the others are to be deleted."""
    rows = db.session.scalars(findable_profiles().where(CoderProfile.user_id.in_(user_ids))).all()
    meanings = Meanings()
    return [document(p, meanings) for p in rows]


def all_documents(batch: int = 1000):
    """Every findable coder's document, in batches (for a rebuild)."""
    last = 0
    while True:
        rows = db.session.scalars(findable_profiles().where(CoderProfile.user_id > last)
                                  .order_by(CoderProfile.user_id).limit(batch)).all()
        if not rows:
            return
        meanings = Meanings()
        yield [document(p, meanings) for p in rows]
        last = rows[-1].user_id
