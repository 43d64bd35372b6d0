"""What a job's codes mean, in words: so `leukemia` finds C92.00 jobs and `bone marrow` finds
38206 jobs.

Each meaning is one line, "CODE: text", from the catalog: the code's own title where we may
show it (ICD-10-CM, HCPCS and PCS titles, licensed CPT descriptors) or else our summary of a
CPT code, ICD-10-CM inclusion
terms, and the titles of the categories, blocks, chapters, sections and ranges above it (our
own words for CPT). Computed when a job is saved or the catalog changes, never per search.
"""
from functools import lru_cache

from sqlalchemy import select

from jobboard.codes import vocabulary
from jobboard.codes.catalog import ranges_around
from jobboard.codes.formats import CPT, ICD10CM, CodeRef
from jobboard.extensions import db
from jobboard.models import CatalogCode

MAX_MEANINGS = 40  # per job: a job with 50 codes must not carry a chapter of text


class Meanings:
    """A lookup that reads each catalog row and range list once (reindexing reads thousands)."""

    def __init__(self):
        self._entry = lru_cache(maxsize=20_000)(self._load_entry)
        self._ranges = lru_cache(maxsize=8)(self._load_ranges)

    @staticmethod
    def _load_entry(system: str, code: str):
        row = db.session.execute(
            select(CatalogCode.title, CatalogCode.summary, CatalogCode.parent_code,
                   CatalogCode.notes, CatalogCode.licensed)
            .where(CatalogCode.system == system, CatalogCode.code == code)).first()
        return tuple(row) if row else None

    @staticmethod
    def _load_ranges(system: str):
        return tuple(db.session.execute(
            select(CatalogCode.code, CatalogCode.title, CatalogCode.summary,
                   CatalogCode.range_start, CatalogCode.range_end)
            .where(CatalogCode.system == system, CatalogCode.range_start.is_not(None))))

    def of(self, ref: CodeRef) -> list[str]:
        lines: list[str] = []
        own = self._entry(ref.system, ref.code)
        if own is not None:
            title, summary, parent, notes, licensed = own
            if title and (ref.system != CPT or licensed):
                lines.append(f"{ref.code}: {title}")
            elif summary:  # our plain-language summary of a CPT code
                lines.append(f"{ref.code}: {summary}")
            for term in (notes or {}).get("inclusion_terms", [])[:6]:
                lines.append(f"{ref.code}: {term}")
        for entry in vocabulary.terms_for(ref.system, ref.code):  # what coders write for it
            lines.append(f"{ref.code}: {', '.join(entry.terms)} ({entry.means})")
        if ref.system == ICD10CM:
            parent = own[2] if own else ref.code[:3] if ref.code[:3] != ref.code else None
            seen = {ref.code}
            while parent and parent not in seen:
                seen.add(parent)
                node = self._entry(ICD10CM, parent)
                if node is None:
                    break
                lines.append(f"{parent}: {node[0]}")
                parent = node[2]
        else:
            for r in reversed(ranges_around(self._ranges(ref.system), ref.code)):  # narrowest
                lines.append(f"{r.code}: {r.title}" + (f". {r.summary}" if r.summary else ""))
        return lines

    def of_all(self, refs: list[CodeRef]) -> list[str]:
        found = list(dict.fromkeys(line for ref in refs for line in self.of(ref)))
        return found[:MAX_MEANINGS]

