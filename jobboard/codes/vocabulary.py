"""The words coders and clinicians write for what codes mean: abbreviations (afib, NSTEMI, CABG),
lay terms (heart attack, kidney stones) and drug brand names (Avastin), each mapped to its
meaning and to the codes it points at (an ICD-10-CM category, a PCS root operation and body
part, a CPT range, a HCPCS drug code).

The one vocabulary of the board, kept in `data/vocabulary.csv` (our own work; tests check
every code it names against the code sets): job search reads it as Meilisearch synonyms and
in its database fallback, and the code lookup, candidate search and case-to-codes read terms
out of text with `find`. A short form that means something else too (MI is also Michigan)
carries that in `also`, and every reading says how it read the term.
"""
import csv
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jobboard.codes.formats import CPT, HCPCS, ICD10CM, ICD10PCS

DATA = Path(__file__).parent / "data" / "vocabulary.csv"
MAX_TERM_WORDS = 4
_TOKEN = re.compile(r"[^\W_]+(?:[/&'.\-][^\W_]+)*")


@dataclass(frozen=True)
class Target:
    """What a term points at in one code system: a code, a prefix (ICD-10-CM category I48,
    PCS 0DTJ: every code under it) or a CPT/HCPCS range (33510-33536)."""
    system: str
    code: str

    @property
    def is_range(self) -> bool:
        return "-" in self.code

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Term:
    terms: tuple[str, ...]  # the forms people write, casefolded: afib, a-fib, a fib
    means: str  # atrial fibrillation
    targets: tuple[Target, ...]
    also: str | None = None  # "state:MI", or another meaning in words

    @property
    def meanings(self) -> tuple[str, ...]:
        """What it means, as phrases to search: "appendectomy (resection of appendix)" is
        both; a one-word or numeric aside ("(systolic)", "(52 mg)") only explains."""
        main, _, aside = self.means.partition(" (")
        aside = aside.removesuffix(")")
        words = aside.split()
        extra = (aside,) if len(words) >= 2 and not any(c.isdigit() for c in aside) else ()
        return (main, *extra)

    @property
    def also_state(self) -> str | None:
        """The US state this short form also names (MI, MS, CT), for "or jobs in ..."."""
        return self.also.removeprefix("state:") if self.also and self.also.startswith(
            "state:") else None

    @property
    def also_text(self) -> str | None:
        return None if self.also_state or not self.also else self.also

    def codes_label(self) -> str:
        return ", ".join(str(t) for t in self.targets[:4])

    def reading(self, typed: str) -> str:
        """How a search read the term: "afib, read as atrial fibrillation (I48)"."""
        codes = self.codes_label()
        return f"{typed}, read as {self.means}" + (f" ({codes})" if codes else "")


@dataclass(frozen=True)
class Found:
    typed: str  # as it stood in the text
    term: Term
    start: int  # token positions [start, end) in the text
    end: int

    @property
    def reading(self) -> str:
        return self.term.reading(self.typed)


_SYSTEMS = {CPT, HCPCS, ICD10CM, ICD10PCS}


def _parse_targets(text: str) -> tuple[Target, ...]:
    targets = []
    for item in text.split():
        system, code = item.split(":", 1)
        if system not in _SYSTEMS:
            raise ValueError(f"vocabulary.csv: unknown code system {system!r} in {item!r}")
        targets.append(Target(system, code))
    return tuple(targets)


@lru_cache(maxsize=1)
def entries() -> tuple[Term, ...]:
    with open(DATA, newline="", encoding="utf-8") as f:
        return tuple(Term(tuple(t.strip().casefold() for t in row["terms"].split("|")),
                          row["means"].strip(), _parse_targets(row["codes"]),
                          row["also"].strip() or None)
                     for row in csv.DictReader(f))


@lru_cache(maxsize=1)
def digest() -> str:
    """Which version of the vocabulary this is: what job meanings were computed with."""
    return hashlib.sha256(DATA.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def by_term() -> dict[tuple[str, ...], Term]:
    """Each written form, as its tokens, to its entry."""
    return {tuple(tokens(form)): entry for entry in entries() for form in entry.terms}


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text or "")]


def lookup(phrase: str) -> Term | None:
    """The entry a whole phrase is ("heart attack", "AFib"), or None."""
    return by_term().get(tuple(tokens(phrase)))


def find(text: str) -> list[Found]:
    """Every term in a text, longest first where they overlap ("ckd 3" over "ckd"), left to
    right."""
    words = _TOKEN.findall(text or "")
    folded = [w.casefold() for w in words]
    table = by_term()
    found, i = [], 0
    while i < len(words):
        for n in range(min(MAX_TERM_WORDS, len(words) - i), 0, -1):
            entry = table.get(tuple(folded[i:i + n]))
            if entry is not None:
                found.append(Found(" ".join(words[i:i + n]), entry, i, i + n))
                i += n
                break
        else:
            i += 1
    return found


def synonyms() -> dict[str, list[str]]:
    """The vocabulary as Meilisearch synonyms, one way (afib -> atrial fibrillation): a
    search for the short form also finds what it means, never the reverse (a job about
    "atrial fibrillation" is not thereby about every "AF")."""
    table: dict[str, list[str]] = {}
    for entry in entries():
        for form in entry.terms:
            meant = table.setdefault(form, [])
            meant += [m for m in entry.meanings if m.casefold() != form and m not in meant]
    return {form: meant for form, meant in table.items() if meant}


def words_of(text: str) -> list[str]:
    """The words of a phrase for a substring match: `hem/onc` -> ["hem", "onc"]."""
    return re.findall(r"[^\W_]+", text.casefold())


def alternatives(text: str) -> list[tuple[str, ...]]:
    """Each part of a search's words with what it may also be written as, for a search that
    has no synonyms of its own (the database fallback): "heart attack coder" ->
    [("heart attack", "myocardial infarction"), ("coder",)]. A quoted word stays itself."""
    parts: list[tuple[str, ...]] = []
    for chunk in re.split(r'("[^"]*")', text or ""):
        if chunk.startswith('"'):
            parts += [(w,) for w in words_of(chunk)]
            continue
        words = _TOKEN.findall(chunk)
        found = {f.start: f for f in find(chunk)}
        i = 0
        while i < len(words):
            if (f := found.get(i)) is not None:
                parts.append((f.typed, *(m for m in f.term.meanings
                                         if m.casefold() != f.typed.casefold())))
                i = f.end
            else:
                parts.append((words[i],))
                i += 1
    # Only signs ("²", "++"): searched as typed, as before the vocabulary read them.
    return parts or [(w,) for w in (text or "").replace('"', " ").split()]


def _contains(target: Target, system: str, code: str) -> bool:
    if target.system != system:
        return False
    if target.is_range:
        low, high = target.code.split("-")
        return len(code) == len(low) and low <= code <= high
    return code.startswith(target.code)


@lru_cache(maxsize=1)
def _targets_by_system() -> dict[str, list[tuple[Target, Term]]]:
    table: dict[str, list[tuple[Target, Term]]] = {}
    for entry in entries():
        for target in entry.targets:
            table.setdefault(target.system, []).append((target, entry))
    return table


@lru_cache(maxsize=50_000)
def terms_for(system: str, code: str) -> tuple[Term, ...]:
    """The entries that point at a code (I21.4 is NSTEMI, MI, heart attack; 0DTJ4ZZ is an
    appendectomy): a job tagged with it is found by those words, on every search path."""
    return tuple(dict.fromkeys(entry for target, entry in _targets_by_system().get(system, ())
                               if _contains(target, system, code)))
