"""Case to codes: candidate codes for a short case note, to look up (not to bill).

"65 y/o M with NSTEMI, s/p PCI with DES to LAD, hx HTN, CKD 3" is read with the board's
vocabulary (NSTEMI -> I21.4, PCI -> CPT 92920-92944 and the PCS percutaneous coronary
dilations, CKD 3 -> N18.3) and
the codes typed in it (I10, 0DTJ4ZZ); each suggestion names the phrase it came from, the
code's title, and how many open jobs need it. Retrieval over our catalog and vocabulary
only: no network, no model.
"""
from dataclasses import dataclass, field

from jobboard.codes import cached, vocabulary
from jobboard.codes.formats import CPT, HCPCS, ICD10CM, ICD10PCS, recognise
from jobboard.codes.services import open_job_count, short_description
from jobboard.search.codes_index import vocabulary_hits
from jobboard.textrules import TextRule

CASE_NOTE = TextRule(2_000, lines=True)
SYSTEM_ORDER = (ICD10CM, ICD10PCS, CPT, HCPCS)
PER_TERM = 4  # candidates of one system for one term of the note
DISCLAIMER = ("These are codes to look up, not codes to bill: read each code's page and the "
              "official guidelines, and code from the full documentation.")


@dataclass
class Candidate:
    system: str
    code: str
    title: str | None
    phrase: str  # as written in the note
    reading: str  # "NSTEMI, read as non-ST elevation myocardial infarction (I21.4)"
    kind: str = "code"
    open_jobs: int = 0

    @property
    def has_page(self) -> bool:
        return recognise(self.code) is not None


@dataclass
class CaseReading:
    text: str
    by_system: dict[str, list[Candidate]] = field(default_factory=dict)
    understood: list[str] = field(default_factory=list)  # words read with no code (hx, s/p)


def _count(candidate: Candidate) -> int:
    if candidate.kind == "range":
        return 0
    ref = recognise(candidate.code)
    if ref is None:
        return 0
    return open_job_count(ref, under=candidate.kind == "category")


def read_case(text: str) -> CaseReading:
    reading = CaseReading(text)
    found = vocabulary.find(text)
    candidates: list[Candidate] = []
    for f in found:
        if not f.term.targets:
            reading.understood.append(f.reading)
    for f in found:
        shown: dict[str, int] = {}
        for hit in vocabulary_hits([f]):
            if shown.get(hit["system"], 0) < PER_TERM:  # NSTEMI: a few codes, not a table
                shown[hit["system"]] = shown.get(hit["system"], 0) + 1
                candidates.append(Candidate(hit["system"], hit["code"], hit["title"],
                                            f.typed, hit["why"], kind=hit["kind"]))
    for token in vocabulary.tokens(text):  # codes written in the note as codes
        ref = recognise(token)
        if ref is None or (ref.system == ICD10CM and cached.known(ICD10CM, ref.code) is None):
            continue  # "A1c" has the shape of an ICD-10-CM category, and is none
        if any(c.isdigit() for c in token):
            candidates.append(Candidate(ref.system, ref.code, short_description(ref),
                                        token.upper(), f"{token.upper()}, written as a code"))
    seen: set[tuple[str, str]] = set()
    for c in candidates:
        if (c.system, c.code) in seen:
            continue
        seen.add((c.system, c.code))
        c.open_jobs = _count(c)
        reading.by_system.setdefault(c.system, []).append(c)
    reading.by_system = {s: reading.by_system[s] for s in SYSTEM_ORDER if s in reading.by_system}
    return reading


def as_json(reading: CaseReading, url_for_code) -> dict:
    return {"disclaimer": DISCLAIMER, "understood": reading.understood,
            "systems": [{"system": system, "candidates": [
                {"code": c.code, "kind": c.kind, "title": c.title, "phrase": c.phrase,
                 "reading": c.reading, "open_jobs": c.open_jobs,
                 "url": url_for_code(c.code) if c.has_page else None} for c in found]}
                for system, found in reading.by_system.items()]}
