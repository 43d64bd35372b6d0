"""How a search was read, said back to the coder with the catalog's help.

Each code part gets a label ("Jobs tagged 38206", "Codes under C92: Myeloid leukemia") and a
way to remove it; codes written without their ICD-10-CM dot, or not in the catalog, get an
explanation and "Did you mean"; a code with no open jobs points at its nearest family that has
some. Pure reads: no request, no session.
"""
from dataclasses import dataclass, field

from jobboard import vocab
from jobboard.codes import cached, vocabulary
from jobboard.codes.cached import Known
from jobboard.codes.formats import HCPCS, ICD10CM, CodeRef, code_prefixes, with_dot
from jobboard.codes.services import nearby_icd, open_job_count
from jobboard.models import code as kinds
from jobboard.search.query import CODE, FAMILY_, ICD, RANGE_, CodeTerm, JobQuery


@dataclass
class Part:
    label: str
    kind: str  # code | icd | range | family | words
    remove_q: str  # the query without this part
    code: str | None = None  # links to the code page
    title: str | None = None
    tagged: bool = False  # "Jobs tagged 38206", not "codes under C92"


@dataclass
class Suggestion:
    message: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (code, q with it instead)


@dataclass
class Meaning:
    """A term of the vocabulary among the words: "afib, read as atrial fibrillation (I48)",
    and for a short form that also names a state (MI), the search for that state instead."""
    found: vocabulary.Found
    q_without: str  # the query without the term

    @property
    def text(self) -> str:
        return self.found.reading

    @property
    def state(self) -> tuple[str, str] | None:
        code = self.found.term.also_state
        return (code, vocab.US_STATES[code]) if code in vocab.US_STATES else None


@dataclass
class Reading:
    parts: list[Part] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    meanings: list[Meaning] = field(default_factory=list)
    # When nothing matched: (code, code page exists) and the nearest family with open jobs.
    empty_codes: list[str] = field(default_factory=list)
    nearest_family: tuple[str, int] | None = None  # (prefix, open jobs)

    @property
    def headline(self) -> list[tuple[str, str | None]]:
        """'Jobs tagged 38206 or 38207 · matching remote' as (text, code to link) pieces."""
        pieces: list[tuple[str, str | None]] = []
        tagged = [p.code for p in self.parts if p.tagged]
        others = [p.label.replace("Codes ", "codes ", 1) for p in self.parts
                  if p.kind != "words" and not p.tagged]
        if tagged:
            pieces.append(("Jobs tagged ", None))
            for i, code in enumerate(tagged):
                pieces += [(" or ", None)] if i else []
                pieces.append((code, code))
        for i, label in enumerate(others):
            pieces.append((" or with " if tagged or i else "Jobs with ", None))
            pieces.append((label, None))
        words = [p.label for p in self.parts if p.kind == "words"]
        if words:
            pieces.append(((" · " if pieces else "Jobs ") + words[0], None))
        return pieces

    @property
    def headline_text(self) -> str:
        return "".join(text for text, _ in self.headline)


def _label(term: CodeTerm, entry: Known | None) -> tuple[str, str | None, bool]:
    """(label, catalog title, whether it names one code that jobs are tagged with); `entry`
    is the catalog's entry of an ICD-10-CM term."""
    if term.kind == RANGE_:
        low, high = term.value.split("-")
        return f"CPT {low}–{high}", None, False
    if term.kind == FAMILY_:
        return f"Codes starting {term.value}", None, False
    if term.kind == ICD:
        if entry is not None and entry.kind == kinds.CODE:  # a leaf: nothing under it
            return f"Jobs tagged {term.value}", entry.title, True
        if entry is None and cached.loaded(ICD10CM):  # not a code at all: nothing under it
            return f"Jobs tagged {term.value}", None, True
        return f"Codes under {term.value}", entry.title if entry is not None else None, False
    return f"Jobs tagged {term.value}", None, True


def _replace(query: JobQuery, indexes: tuple[int, ...], code: str) -> str:
    tokens = list(query.tokens)
    first = min(indexes)
    for i in indexes:
        tokens[i] = code if i == first else ""
    return " ".join(t for t in tokens if t)


def _did_you_mean_dotted(query: JobQuery, token: str, index: int) -> Suggestion:
    dotted = with_dot(token)
    if dotted and cached.known(ICD10CM, dotted) is not None:
        return Suggestion(f"{token} looks like an ICD-10-CM code without its dot.",
                          [(dotted, _replace(query, (index,), dotted))])
    return Suggestion(f"{token} is not a code we know. ICD-10-CM codes keep their dot "
                      f"(for example E11.9), and CPT codes are five characters (38206).")


def nearest_family_with_jobs(code: str, system: str) -> tuple[str, int] | None:
    """C92.02 -> C92.0 -> C92; 38208 -> 3820 -> 382; J9999 -> J: the first level the code is
    found under (its `code_prefixes`, what `?family=` filters by) with open jobs, so the link
    finds the jobs it counts. HCPCS C9200 is no relative of ICD-10-CM C92."""
    levels = [p for p in reversed(code_prefixes(system, code)) if p != code]
    for prefix in levels:
        if count := open_job_count(CodeRef(system, prefix), under=True):
            return prefix, count
    return None


def read(query: JobQuery, total: int) -> Reading:
    reading = Reading()
    word_q = query.q_without(query.word_tokens)
    for term in query.terms:
        entry = cached.known(ICD10CM, term.value) if term.kind == ICD else None
        label, title, tagged = _label(term, entry)
        reading.parts.append(Part(label, term.kind, query.q_without(term.tokens),
                                  code=term.value if term.kind in (CODE, ICD) else None,
                                  title=title, tagged=tagged))
        if term.modifier:
            reading.modifiers.append(
                f"Modifier {term.modifier} on {term.value} is noted, not searched: jobs are "
                f"tagged with codes, and a job that bills {term.value} takes its modifiers.")
    if query.words:
        reading.parts.append(Part(f"matching {query.words}", "words", word_q))
        rest = vocabulary.tokens(query.q)
        for found in vocabulary.find(query.words):
            typed = vocabulary.tokens(found.typed)
            at = next((i for i in range(len(rest)) if rest[i:i + len(typed)] == typed), None)
            without = rest if at is None else rest[:at] + rest[at + len(typed):]
            reading.meanings.append(Meaning(found, " ".join(without)))
    upper = [t.upper() for t in query.tokens]
    for token in query.dotless:
        reading.suggestions.append(_did_you_mean_dotted(query, token, upper.index(token)))
    for term in query.terms:
        if term.system == HCPCS and cached.known(HCPCS, term.value) is None:
            dotted = with_dot(term.value)
            if dotted and cached.known(ICD10CM, dotted) is not None:
                reading.suggestions.append(Suggestion(
                    f"{term.value} is searched as the HCPCS code {term.value}; the ICD-10-CM "
                    f"code is written with a dot.",
                    [(dotted, _replace(query, term.tokens, dotted))]))
        if term.kind == ICD and cached.known(ICD10CM, term.value) is None \
                and cached.loaded(ICD10CM):
            nearby = nearby_icd(term.value)
            reading.suggestions.append(Suggestion(
                f"{term.value} is not an ICD-10-CM code.",
                [(c, _replace(query, term.tokens, c)) for c in nearby]))
    if total == 0:
        for term in query.terms:
            if term.kind in (CODE, ICD):
                reading.empty_codes.append(term.value)
                if reading.nearest_family is None:
                    reading.nearest_family = nearest_family_with_jobs(term.value, term.system)
    return reading
