"""Code reference: what we know about a code, and the open jobs that need it."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from jobboard import vocab
from jobboard.codes.catalog import contains, ranges_around, suffix_class
from jobboard.codes.formats import (
    CPT,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    CodeRef,
    after_prefix,
    family_of,
    normalise,
    recognise,
)
from jobboard.database import utcnow
from jobboard.extensions import db
from jobboard.models import CatalogCode, Job, JobCode
from jobboard.models import code as kinds
from jobboard.models.job import listing_loads
from jobboard.search.sql import job_code_is

AMA_NOTICE = ("CPT is a registered trademark of the American Medical Association (AMA). "
              "CPT codes and descriptions are copyright AMA; all rights reserved. We show the "
              "code number and our own description of its range.")
AMA_LICENSED_NOTICE = ("CPT is a registered trademark of the American Medical Association. "
                       "CPT descriptors shown here are copyright AMA, displayed under the licence "
                       "of the organisation that imported them; all rights reserved.")


@dataclass
class Crumb:
    code: str
    title: str | None
    kind: str
    summary: str | None = None


@dataclass
class CodeInfo:
    ref: CodeRef
    in_catalog: bool
    kind: str = kinds.CODE
    title: str | None = None
    summary: str | None = None
    breadcrumbs: list[Crumb] = field(default_factory=list)
    children: list[CatalogCode] = field(default_factory=list)
    related: list[tuple[str, str | None]] = field(default_factory=list)  # (code, title)
    specialties: list[str] = field(default_factory=list)
    notes: dict = field(default_factory=dict)
    notice: str | None = None
    reference_url: str | None = None
    family: str | None = None  # the prefix for "jobs in this code's family"
    ours: bool = False  # the summary (and a HCPCS title) are our own words
    use_instead: list[tuple[str, str]] = field(default_factory=list)  # (code, when)
    billable: bool | None = None  # ICD-10-CM: a leaf code, valid on a claim
    inherited: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (from, kind, notes)
    neighbours: list[Crumb] = field(default_factory=list)  # ranges beside the code's range
    # ICD-10-PCS: each of the seven characters (character, axis, value), the root
    # operation's definition, and the codes that differ by one character, by axis
    axes: list[tuple[str, str, str]] = field(default_factory=list)
    root_definition: str | None = None
    root_explanation: str | None = None
    one_apart: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    pcs_gap: str | None = None  # why a PCS code has no title here

    @property
    def range(self) -> Crumb | None:
        return self.breadcrumbs[-1] if self.breadcrumbs else None


def entry(system: str, code: str) -> CatalogCode | None:
    return db.session.scalar(select(CatalogCode).where(CatalogCode.system == system,
                                                       CatalogCode.code == code))


def _ranges(system: str) -> list[CatalogCode]:
    return list(db.session.scalars(select(CatalogCode).where(
        CatalogCode.system == system, CatalogCode.range_start.is_not(None))))


def enclosing_ranges(ref: CodeRef) -> list[CatalogCode]:
    """The sections and ranges a code falls in, broadest first."""
    return ranges_around(_ranges(ref.system), ref.code)


def _icd_ancestors(ref: CodeRef, own: CatalogCode | None) -> list[CatalogCode]:
    chain: list[CatalogCode] = []
    parent = own.parent_code if own else None
    if own is None:  # not in the catalog: climb by shortening the code (C92.0X -> C92.0 -> C92)
        candidates = [ref.code[:i] for i in range(len(ref.code) - 1, 2, -1)]
        parent = next((c for c in candidates if c[-1] != "." and entry(ICD10CM, c)), None)
    seen = {ref.code}
    while parent and parent not in seen:
        seen.add(parent)
        node = entry(ICD10CM, parent)
        if node is None:
            break
        chain.append(node)
        parent = node.parent_code
    return list(reversed(chain))


def describe(ref: CodeRef) -> CodeInfo:
    own = entry(ref.system, ref.code)
    info = CodeInfo(ref=ref, in_catalog=own is not None, family=family_of(ref))
    ancestors = _icd_ancestors(ref, own) if ref.system == ICD10CM else enclosing_ranges(ref)
    info.breadcrumbs = [Crumb(a.code, a.title, a.kind, a.summary) for a in ancestors]
    if own is not None:
        info.kind = own.kind
        info.notes = own.notes or {}
        if ref.system != CPT or own.licensed:
            info.title = own.title
        info.summary = own.summary  # a CPT summary is ours, or licensed
        info.ours = bool(info.notes.get("ours"))
        info.use_instead = [(code, note) for code, note in info.notes.get("use_instead", [])]
        info.children = list(db.session.scalars(
            select(CatalogCode).where(CatalogCode.system == ref.system,
                                      CatalogCode.parent_code == ref.code)
            .order_by(CatalogCode.code).limit(MAX_LISTED)))
    if ref.system == ICD10CM:
        # Unknown for a code the catalog lacks: neither a claim-ready code nor a heading.
        info.billable = own.kind == kinds.CODE if own is not None else None
        # Excludes notes of the categories above apply to every code under them.
        info.inherited = [(a.code, name, a.notes[name]) for a in ancestors
                          if a.kind == kinds.CATEGORY for name in ("excludes1", "excludes2")
                          if (a.notes or {}).get(name)]
    elif ancestors:
        info.neighbours = neighbour_ranges(ref.system, ancestors[-1])
    if ref.system == ICD10PCS:
        _describe_pcs(info, own)
    if ref.system == CPT:
        info.notice = AMA_LICENSED_NOTICE if own is not None and own.licensed else AMA_NOTICE
    specialties: list[str] = []
    for node in reversed([*ancestors, *([own] if own else [])]):  # most specific first
        specialties += [s for s in node.specialties or [] if s not in specialties]
    info.specialties = [s for s in specialties if s in vocab.SPECIALTIES]
    info.related = related_codes(ref, own, ancestors)
    template = current_app.config["CODE_REFERENCE_URLS"].get(ref.system)
    info.reference_url = template.format(code=ref.code) if template else None
    return info


PCS_AXES_SHOWN = (3, 4, 5, 6)  # body part, approach, device, qualifier: the same table
PCS_PER_AXIS = 12


def _describe_pcs(info: "CodeInfo", own: CatalogCode | None) -> None:
    """Each character of a PCS code explained, and the codes one character away (other
    approaches, the other side, other devices), from the loaded CMS tables."""
    from jobboard.codes.catalog import PCS_SECTIONS_BUNDLED, PCS_YEAR
    code = info.ref.code
    if own is not None and not (own.notes or {}).get("axes"):
        return  # imported from CMS's own file: its title, without the tables' axes
    if own is None:
        section = enclosing_ranges(info.ref)
        name = section[0].title if section else code[0]
        info.pcs_gap = (
            f"{code} is not in the {PCS_YEAR} ICD-10-PCS tables we load."
            if code[0] in PCS_SECTIONS_BUNDLED and _loaded(ICD10PCS) else
            f"Titles of ICD-10-PCS section {code[0]} ({name}) are not loaded: the bundled "
            f"CMS {PCS_YEAR} tables cover sections 0 (Medical and Surgical) and 1 "
            "(Obstetrics). An operator can add CMS's own code file with "
            "`flask codes import --system ICD-10-PCS`.")
        return
    info.axes = [tuple(a) for a in own.notes["axes"]]
    info.root_definition = own.notes.get("root_definition")
    info.root_explanation = own.notes.get("root_explanation")
    table = code[:3]
    rows = db.session.execute(select(CatalogCode.code, CatalogCode.notes).where(
        CatalogCode.system == ICD10PCS, CatalogCode.code >= table,
        CatalogCode.code < after_prefix(table), CatalogCode.code != code,
        or_(*(CatalogCode.code.like(code[:i] + "_" + code[i + 1:]) for i in PCS_AXES_SHOWN)))
    ).all()
    for i in PCS_AXES_SHOWN:
        apart = sorted((c, (notes or {}).get("axes", [[]] * 7)[i][2:3] or [c[i]])
                       for c, notes in rows if c[:i] == code[:i] and c[i + 1:] == code[i + 1:])
        if apart:
            info.one_apart.append((info.axes[i][1], [(c, label[0])
                                                     for c, label in apart[:PCS_PER_AXIS]]))


def neighbour_ranges(system: str, narrow: CatalogCode) -> list[Crumb]:
    """The ranges just before and after a code's range, at the same level."""
    same_level = (CatalogCode.parent_code.is_(None) if narrow.parent_code is None
                  else CatalogCode.parent_code == narrow.parent_code)
    rows = db.session.scalars(select(CatalogCode).where(
        CatalogCode.system == system, CatalogCode.range_start.is_not(None), same_level)).all()
    rows = sorted((r for r in rows if suffix_class(r.range_start) == suffix_class(narrow.code)),
                  key=lambda r: (len(r.range_start), r.range_start))
    at = next((i for i, r in enumerate(rows) if r.code == narrow.code), None)
    if at is None:
        return []
    return [Crumb(r.code, r.title, r.kind, r.summary)
            for r in (rows[at - 1] if at > 0 else None,
                      rows[at + 1] if at + 1 < len(rows) else None) if r is not None]


MAX_LISTED = 300  # children, siblings and codes of a range: every one, within reason


def related_codes(ref: CodeRef, own, ancestors) -> list[tuple[str, str | None]]:
    """Siblings: the other codes under the same parent, or every code we know in the same
    narrowest range (with our summary where a CPT descriptor may not be shown)."""
    if ref.system == ICD10CM:
        parent = own.parent_code if own else (ancestors[-1].code if ancestors else None)
        if not parent:
            return []
        rows = db.session.execute(select(CatalogCode.code, CatalogCode.title).where(
            CatalogCode.system == ICD10CM, CatalogCode.parent_code == parent,
            CatalogCode.code != ref.code).order_by(CatalogCode.code).limit(MAX_LISTED)).all()
        return [(c, t) for c, t in rows]
    if not ancestors or ref.system == ICD10PCS:  # PCS: the codes one character away instead
        return []
    narrow = ancestors[-1]
    # Codes in the range that we know of: licensed imports and the codes jobs are tagged with.
    known = {c: (t if ref.system != CPT or lic else summary)
             for c, t, summary, lic in db.session.execute(
        select(CatalogCode.code, CatalogCode.title, CatalogCode.summary, CatalogCode.licensed).where(
            CatalogCode.system == ref.system, CatalogCode.kind == kinds.CODE,
            CatalogCode.code.between(narrow.range_start, narrow.range_end)))}
    for (code,) in db.session.execute(select(JobCode.code).where(
            JobCode.system == ref.system,
            JobCode.code.between(narrow.range_start, narrow.range_end)).distinct()):
        known.setdefault(code, None)
    rng = {"range_start": narrow.range_start, "range_end": narrow.range_end}
    return sorted((c, t) for c, t in known.items()
                  if c != ref.code and contains(rng, c))[:MAX_LISTED]


def _needs(ref: CodeRef, under: bool):
    """Job codes that are `ref`, or, for a heading such as the ICD-10-CM category C92 (no
    job is tagged with it: claims need a code under it), any code under it."""
    return job_code_is(ref.code, under, ref.system)


def open_jobs_tagged(ref: CodeRef, page: int = 1, per_page: int = 20, under: bool = False):
    jobs_needing = select(JobCode.job_id).where(_needs(ref, under))
    stmt = (select(Job).where(Job.id.in_(jobs_needing), Job.is_open(utcnow()))
            .options(*listing_loads())
            .order_by(Job.published_at.desc(), Job.id.desc()))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def open_job_count(ref: CodeRef, under: bool = False) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Job.id))).select_from(Job).join(JobCode).where(
            _needs(ref, under), Job.is_open(utcnow()))) or 0


def is_heading(info: "CodeInfo") -> bool:
    """An ICD-10-CM category or subcategory with codes under it, not a code on a claim."""
    return info.billable is False


def jobs_search(ref: CodeRef, under: bool) -> dict[str, str]:
    """The search parameters for those jobs: q=C92 reads as what is under the heading."""
    return {"q": ref.code} if under else {"code": ref.code}


def often_posted_with(ref: CodeRef, limit: int = 12) -> list[tuple[str, str, int]]:
    """The codes tagged together with this one on open jobs and jobs published in the last 12
    months: (system, code, jobs), the most frequent first."""
    now = utcnow()
    other = aliased(JobCode)
    recent = or_(Job.is_open(now), Job.published_at > now - timedelta(days=365))
    jobs = func.count(func.distinct(other.job_id)).label("jobs")
    return [tuple(row) for row in db.session.execute(
        select(other.system, other.code, jobs)
        .select_from(JobCode).join(other, and_(other.job_id == JobCode.job_id,
                                               other.code != JobCode.code))
        .join(Job, Job.id == JobCode.job_id)
        .where(JobCode.system == ref.system, JobCode.code == ref.code, recent,
               Job.was_public)
        .group_by(other.system, other.code).order_by(jobs.desc(), other.code).limit(limit))]


def suggestions(text: str) -> list[CodeRef]:
    """Codes that start like what was typed, for a helpful 404."""
    stem = normalise(text).replace(".", "")[:3]
    if len(stem) < 1:
        return []
    rows = db.session.execute(
        select(CatalogCode.system, CatalogCode.code).where(
            CatalogCode.code.startswith(stem), CatalogCode.kind.in_([kinds.CODE, kinds.CATEGORY]))
        .order_by(CatalogCode.code).limit(10)).all()
    rows += db.session.execute(
        select(JobCode.system, JobCode.code).where(JobCode.code.startswith(stem))
        .distinct().limit(10)).all()
    seen: dict[str, CodeRef] = {}
    for system, code in rows:
        if recognise(code) and code not in seen:
            seen[code] = CodeRef(system, code)
    return sorted(seen.values(), key=lambda r: r.code)[:10]


def short_description(ref: CodeRef) -> str | None:
    """One line for a code: its title where we may show one, else the range it falls in."""
    own = entry(ref.system, ref.code)
    if own is not None and own.title and (ref.system != CPT or own.licensed):
        return own.title
    if ref.system == ICD10CM:
        ancestors = _icd_ancestors(ref, own)
        return f"under {ancestors[-1].code}: {ancestors[-1].title}" if ancestors else None
    ranges = enclosing_ranges(ref)
    return f"in {ranges[-1].code}: {ranges[-1].title}" if ranges else None


def titles_for(refs: list[CodeRef]) -> dict[str, str]:
    """One line per code (as short_description), in a fixed number of statements: the codes'
    own entries in one query, each system's ranges once; only an ICD-10-CM code missing from
    the catalog climbs its parents."""
    if not refs:
        return {}
    own = {(e.system, e.code): e for e in db.session.scalars(
        select(CatalogCode).where(CatalogCode.code.in_({r.code for r in refs})))}
    ranges = {system: _ranges(system) for system in {r.system for r in refs}
              if system != ICD10CM}
    titles = {}
    for ref in refs:
        entry_ = own.get((ref.system, ref.code))
        if entry_ is not None and entry_.title and (ref.system != CPT or entry_.licensed):
            titles[ref.code] = entry_.title
        elif ref.system == ICD10CM:
            if text := short_description(ref):
                titles[ref.code] = text
        elif found := ranges_around(ranges[ref.system], ref.code):
            titles[ref.code] = f"in {found[-1].code}: {found[-1].title}"
    return titles


SYSTEM_NAMES = {CPT: "CPT (AMA)", HCPCS: "HCPCS Level II (CMS)",
                ICD10CM: "ICD-10-CM diagnoses", ICD10PCS: "ICD-10-PCS inpatient procedures"}


def _loaded(system: str, ranges: bool = False) -> bool:
    stmt = select(CatalogCode.id).where(CatalogCode.system == system)
    if ranges:
        stmt = stmt.where(CatalogCode.range_start.is_not(None))
    return db.session.scalar(stmt.limit(1)) is not None


def nearby_icd(code: str, limit: int = 5) -> list[str]:
    """Real ICD-10-CM codes under the deepest level of `code` that exists (for "did you mean")."""
    for cut in range(len(code) - 1, 2, -1):
        stem = code[:cut].rstrip(".")
        if entry(ICD10CM, stem) is not None:
            return list(db.session.scalars(
                select(CatalogCode.code).where(CatalogCode.system == ICD10CM,
                                               CatalogCode.code.startswith(stem),
                                               CatalogCode.kind == kinds.CODE)
                .order_by(CatalogCode.code).limit(limit)))
    return []


def check_against_catalog(refs: list[CodeRef]) -> tuple[list[str], list[str]]:
    """(errors, notes) for codes a job is tagged with.

    ICD-10-CM is complete in the catalog: a code missing from it does not exist. For CPT,
    HCPCS and PCS we hold ranges and whatever was imported: a code outside every range is
    refused; one inside a range but not in the catalog is accepted, and named in the notes
    ("38230 (in 38204-38243, Stem cell and bone marrow services)").
    """
    errors, notes = [], []
    loaded: dict[tuple[str, bool], bool] = {}

    def is_loaded(system, ranges=False):
        if (system, ranges) not in loaded:
            loaded[system, ranges] = _loaded(system, ranges)
        return loaded[system, ranges]

    for ref in refs:
        if ref.system == ICD10CM:
            if is_loaded(ICD10CM) and entry(ICD10CM, ref.code) is None:
                near = nearby_icd(ref.code)
                errors.append(f"{ref.code} is not an ICD-10-CM code"
                              + (f" (did you mean {', '.join(near)}?)" if near else "") + ".")
        elif is_loaded(ref.system, ranges=True) and entry(ref.system, ref.code) is None:
            ranges = enclosing_ranges(ref)
            if not ranges:
                errors.append(f"{ref.code} is outside every {ref.system} range we know; "
                              "check the code.")
            else:
                notes.append(f"{ref.code} (in {ranges[-1].code}, {ranges[-1].title})")
    return errors, notes
