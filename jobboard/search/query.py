"""Reading a job search from query parameters: codes the way coders type them, words, filters.

`q` is read into parts before it is searched. Code parts:
- a code, with an optional system word before it: `38206`, `CPT 38206`, `hcpcs j9035`,
  also typed together (`cpt38206`); a HCPCS code typed with a space, `j 9035`
- a list: `38206, 38207`, `38206 38207`, `38206;J9035` (jobs tagged with any of them)
- a CPT range: `38206-38215`
- an ICD-10-CM code, category or subcategory: `C92`, `C92.`, `C92.0`, `C92.00` (every code
  under it)
- a code family: three or four digits, `382` (every CPT code starting so)
- a code with a modifier: `99214-25`, `99214 25` (the code is searched, the modifier named)
- an ICD-10-CM code written without its dot, `E119` (not searched; the page offers E11.9)
Words that name a filter value are read as that filter (`remote`, `CPC`, and a state after
"in": `coder in MI`, `in New York`), each with a way to search it as a word instead.
The rest are words, searched with typo tolerance. Each part can be removed on the page.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from werkzeug.datastructures import MultiDict

from jobboard import vocab
from jobboard.codes.formats import (
    CPT,
    DOTLESS_ICD,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    prefix_systems,
    recognise,
    with_dot,
)
from jobboard.numbers import read_whole
from jobboard.search.filters import BY_PARAM, FILTER_WORDS, FILTERS, Filter

SORTS = ("relevance", "newest", "salary")
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_SALARY = 10_000_000
SYSTEM_WORDS = {
    "CPT": CPT, "HCPCS": HCPCS, "ICD": ICD10CM, "ICD10": ICD10CM, "ICD-10": ICD10CM,
    "ICD10CM": ICD10CM, "ICD-10-CM": ICD10CM, "PCS": ICD10PCS, "ICD10PCS": ICD10PCS,
    "ICD-10-PCS": ICD10PCS,
}
_SEPARATORS = re.compile(r"[\s,;]+")
_CPT = r"\d{4}[0-9FTU]"
RANGE = re.compile(r"^(\d{5})[-–](\d{5})$")
MODIFIED = re.compile(rf"^({_CPT}|[A-V]\d{{4}})-([0-9A-Z]{{2}})$")
MODIFIER = re.compile(r"^\d{2}$")
FAMILY = re.compile(r"^\d{3,4}$")
# A system word typed against its code: "cpt38206", "HCPCS:J9035", "icd10-C92.00".
_SYSTEMS = "|".join(re.escape(w) for w in sorted(SYSTEM_WORDS, key=len, reverse=True))
GLUED = re.compile(rf"^({_SYSTEMS})[:#-]?(\S+)$")
# A HCPCS code typed with a space, "j 9035" (not after "a" or "I", which are words).
SPLIT_HCPCS = re.compile(r"^[B-HJ-V]$"), re.compile(r"^\d{4}$")

CODE, ICD, RANGE_, FAMILY_ = "code", "icd", "range", "family"


@dataclass
class CodeTerm:
    """One code part of the query, and the tokens of `q` it was read from."""

    kind: str  # code (exact) | icd (the code and every code under it) | range | family
    value: str  # 38206 | C92.0 | 38206-38215 | 382
    system: str | None
    tokens: tuple[int, ...]
    modifier: str | None = None


@dataclass(frozen=True)
class WordFilter:
    """A word of the query read as a filter value: `remote` as work mode Remote."""
    word: str  # as typed
    filter: Filter
    value: str

    @property
    def label(self) -> str:
        return self.filter.label(self.value)


@dataclass
class JobQuery:
    q: str = ""
    words: str = ""  # q without the tokens that are codes
    terms: list[CodeTerm] = field(default_factory=list)  # the code parts of q, in order
    codes: list[str] = field(default_factory=list)  # exact codes, from q and ?code=
    family: str | None = None  # ?family=382: every code starting so (narrows)
    filters: dict[str, list[str]] = field(default_factory=dict)
    salary_min: int | None = None
    posted_within: int | None = None
    published_after: datetime | None = None  # set by job alerts, not by a URL parameter
    sort: str = "relevance"
    sort_chosen: bool = False  # the user picked the sort (else it follows the query)
    page: int = 1
    per_page: int = 20
    dotless: list[str] = field(default_factory=list)  # E119: ICD-10-CM without its dot
    tokens: list[str] = field(default_factory=list)  # q split into tokens
    word_tokens: tuple[int, ...] = ()
    problems: list["Problem"] = field(default_factory=list)  # bad input: the API answers 400
    notes: list[str] = field(default_factory=list)  # adjusted input: said, not refused
    # Words read as filters, and the parameters as read: q without those words, the filters
    # with them. Every link the page or the API builds starts from `args`, so a filter read
    # from a word is unticked like any other.
    word_filters: list[WordFilter] = field(default_factory=list)
    args: MultiDict = field(default_factory=MultiDict)

    def args_searching_word(self, wf: WordFilter) -> MultiDict:
        """These parameters with the filter taken off and its word searched as a word
        (quoted, so it is not read as the filter again)."""
        args = MultiDict(self.args)
        args.pop("page", None)
        args.setlist(wf.filter.param, [v for v in args.getlist(wf.filter.param)
                                       if v != wf.value])
        args["q"] = " ".join(filter(None, (self.q, f'"{wf.word}"')))
        return args

    @property
    def prefixes(self) -> list[str]:
        """ICD-10-CM codes and categories, and code families: matched with what is under them."""
        return [t.value for t in self.terms if t.kind in (ICD, FAMILY_)]

    @property
    def ranges(self) -> list[tuple[int, int]]:
        found = []
        for t in self.terms:
            if t.kind == RANGE_:
                low, high = t.value.split("-")
                found.append((int(low), int(high)))
        return found

    @property
    def has_codes(self) -> bool:
        return bool(self.codes or self.terms or self.family)

    @property
    def reads_as_nothing(self) -> bool:
        """The text was typed but nothing in it can be searched as it stands (only ICD-10-CM
        codes without their dot, which the page offers dotted): it finds no job, rather than
        silently widening to every job on the board."""
        return bool(self.dotless) and not self.words and not self.terms

    @property
    def modifiers(self) -> list[CodeTerm]:
        return [t for t in self.terms if t.modifier]

    def q_without(self, indexes) -> str:
        """The query text with some of its tokens left out (to remove one part of it)."""
        drop = set(indexes)
        return " ".join(t for i, t in enumerate(self.tokens) if i not in drop)

    @property
    def ranked_by_codes(self) -> bool:
        """A list of two or more codes, sorted by best match: jobs tagged with more of them
        first (then newest)."""
        exact = [t for t in self.terms if t.kind in (CODE, ICD)]
        return len(exact) >= 2 and len(exact) == len(self.terms) and not self.words \
            and self.sort == "relevance"

    def codes_matched(self, codes, prefixes) -> int:
        """How many of the list's codes a job tagged `codes` (with `prefixes`) has."""
        return sum(1 for t in self.terms
                   if (t.value in codes if t.kind == CODE else t.value in prefixes))


def read_q(q: str) -> tuple[list[CodeTerm], list[int], list[str], list[str], list[str]]:
    """Split the query into code terms and words.

    Returns (terms, word token indexes, tokens, dotless ICD-10-CM tokens, notes).
    """
    tokens = [t for t in _SEPARATORS.split(q) if t]
    terms: list[CodeTerm] = []
    words: list[int] = []
    dotless: list[str] = []
    notes: list[str] = []
    i = 0
    while i < len(tokens):
        start = i
        token = tokens[i].upper()
        named = None
        if token in SYSTEM_WORDS and i + 1 < len(tokens) and _reads_as_code(tokens[i + 1]):
            named = SYSTEM_WORDS[token]
            i += 1
            token = tokens[i].upper()
        elif (m := GLUED.match(token)) and _reads_as_code(m.group(2)):
            named, token = SYSTEM_WORDS[m.group(1)], m.group(2)
        elif SPLIT_HCPCS[0].match(token) and i + 1 < len(tokens) \
                and SPLIT_HCPCS[1].match(tokens[i + 1]) \
                and (ref := recognise(token + tokens[i + 1])) and ref.system == HCPCS:
            i += 1
            token = ref.code
        term = _term(token, named, tuple(range(start, i + 1)))
        if term is None:
            if DOTLESS_ICD.match(token) and any(ch.isdigit() for ch in token[1:]):
                dotless.append(token)  # not a word to search: the page offers the dotted code
            else:
                words.extend(range(start, i + 1))
            i += 1
            continue
        if term.kind == CODE and term.modifier is None and i + 1 < len(tokens) \
                and MODIFIER.match(tokens[i + 1]) and term.system in (CPT, HCPCS):
            i += 1
            term.modifier = tokens[i]
            term.tokens = (*term.tokens, i)
        if named and term.system and named != term.system:
            notes.append(f"{term.value} is an {term.system} code, not {named}; "
                         f"searching it as {term.system}.")
        terms.append(term)
        i += 1
    return terms, words, tokens, dotless, notes


def _reads_as_code(token: str) -> bool:
    token = token.upper()
    return bool(_term(token, None, ()) or DOTLESS_ICD.match(token))


def _term(token: str, named: str | None, tokens: tuple[int, ...]) -> CodeTerm | None:
    if m := RANGE.match(token):
        low, high = sorted((m.group(1), m.group(2)))
        return CodeTerm(RANGE_, f"{low}-{high}", CPT, tokens)
    if m := MODIFIED.match(token):
        ref = recognise(m.group(1))
        return CodeTerm(CODE, ref.code, ref.system, tokens, modifier=m.group(2))
    if token.endswith(".") and (ref := recognise(token[:-1])) and ref.system == ICD10CM:
        return CodeTerm(ICD, ref.code, ICD10CM, tokens)
    if named == ICD10CM and (dotted := with_dot(token)):  # "ICD-10 C9200": the user said ICD
        return CodeTerm(ICD, dotted, ICD10CM, tokens)
    ref = recognise(token)
    # In free text a seven-letter word such as CHARTED fits the ICD-10-PCS format; a searched
    # code needs a digit (the rare all-letter PCS code can use ?code=).
    if ref and any(ch.isdigit() for ch in ref.code):
        return CodeTerm(ICD if ref.system == ICD10CM else CODE, ref.code, ref.system, tokens)
    if FAMILY.match(token):
        return CodeTerm(FAMILY_, token, CPT, tokens)
    return None


class Problem(NamedTuple):
    """One bad parameter: its name and what is wrong (shown as the message)."""
    param: str
    message: str

    def __str__(self) -> str:
        return self.message


def _whole_number(args, name, problems, notes, default=None, maximum=None):
    raw = args.get(name, "").strip()
    if not raw:
        return default
    # Any whole number: one above the maximum is clamped (with a note), however long.
    value = read_whole(raw, longest=1000)
    if value is None:
        problems.append(Problem(name, f'{name}="{raw[:40]}" is not a whole number.'))
        return default
    if value < 1:
        problems.append(Problem(name, f"{name}={value} must be 1 or more."))
        return default
    if maximum and value > maximum:
        notes.append(f"{name} is at most {maximum:,}; using {maximum:,}.")
        return maximum
    return value


# A state as typed after "in": its name in any case ("in new york") or its postal code in
# capitals ("in MI"; "in or" and "in pa" stay words: operating room, physician assistant).
_STATE_NAMES = {name.casefold(): code for code, name in vocab.US_STATES.items()}
_LONGEST_STATE = max(len(name.split()) for name in vocab.US_STATES.values())


def _state_after_in(tokens: list[str], i: int) -> tuple[int, str] | None:
    """(tokens it takes, state code) when tokens[i] is "in" followed by a state: "coder in MI"
    is a place, where "MI" alone is read as myocardial infarction (and offered as the state)."""
    if tokens[i].casefold() != "in" or i + 1 == len(tokens):
        return None
    if tokens[i + 1] in vocab.US_STATES:
        return 1, tokens[i + 1]
    for n in range(min(_LONGEST_STATE, len(tokens) - i - 1), 0, -1):
        code = _STATE_NAMES.get(" ".join(tokens[i + 1:i + 1 + n]).casefold())
        if code is not None:
            return n, code
    return None


def read_filter_words(q: str) -> tuple[str, list[WordFilter]]:
    """The query without the words that name a filter value, and those words as filters.
    `38206 remote` -> ("38206", [work mode Remote]); `coder in MI` -> ("coder", [state
    Michigan]); a quoted "remote" stays a word."""
    kept: list[str] = []
    found: list[WordFilter] = []
    tokens = [t for t in _SEPARATORS.split(q) if t]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (state := _state_after_in(tokens, i)) is not None:
            n, code = state
            hit, token = (BY_PARAM["state"], code), " ".join(tokens[i + 1:i + 1 + n])
            i += n
        else:
            hit = FILTER_WORDS.get(token.casefold())
        i += 1
        if hit is None:
            kept.append(token)
        elif not any((w.filter, w.value) == hit for w in found):
            found.append(WordFilter(token, *hit))
    return " ".join(kept), found


def parse_args(args: MultiDict, default_per_page: int = 20) -> JobQuery:
    problems: list[Problem] = []
    q, word_filters = read_filter_words(" ".join(args.get("q", "").split())[:200])
    if word_filters:
        args = MultiDict(args)
        args.setlist("q", [q] if q else [])
        for wf in word_filters:
            if wf.value not in args.getlist(wf.filter.param):
                args.add(wf.filter.param, wf.value)
    terms, word_indexes, tokens, dotless, notes = read_q(q)
    codes = [t.value for t in terms if t.kind == CODE]
    for raw in args.getlist("code"):
        ref = recognise(raw)
        if ref is None:
            if raw.strip():
                problems.append(Problem("code", f'code "{raw.strip()[:40]}" is not a valid code.'))
        elif ref.code not in codes:
            codes.append(ref.code)
    family = args.get("family", "").strip().upper() or None
    if family and (dotted := with_dot(family)):
        family = dotted  # C920 is C92.0: ICD-10-CM keeps its dot
    if family and not prefix_systems(family):
        problems.append(Problem("family", f'family "{family[:40]}" must be what codes are found '
                                          "under: a CPT family (382, 3820), an ICD-10-CM "
                                          "category or subcategory (C92, C92.0) or the first "
                                          "character of a HCPCS or PCS code (J)."))
        family = None
    filters: dict[str, list[str]] = {}
    for f in FILTERS:
        values = []
        for value in args.getlist(f.param):
            value = value.strip().upper() if f.upper else value.strip()
            if not value:
                continue
            if value not in f.vocabulary:
                problems.append(Problem(f.param, f'{f.param.replace("_", " ")} "{value[:40]}" '
                                                 "is not one we know."))
            elif value not in values:
                values.append(value)
        filters[f.param] = values
    words = " ".join(tokens[i] for i in word_indexes)
    chosen = args.get("sort", "").strip()
    sort = chosen or ("relevance" if (words or terms or codes) else "newest")
    if sort not in SORTS:
        problems.append(Problem("sort", f'sort "{sort[:40]}" must be one of {", ".join(SORTS)}.'))
        sort = "relevance"
    return JobQuery(
        q=q, words=words, terms=terms, codes=codes, family=family, filters=filters,
        salary_min=_whole_number(args, "salary_min", problems, notes, maximum=MAX_SALARY),
        posted_within=_whole_number(args, "posted_within", problems, notes, maximum=3650),
        sort=sort, sort_chosen=bool(chosen),
        page=_whole_number(args, "page", problems, notes, default=1, maximum=MAX_PAGE),
        per_page=_whole_number(args, "per_page", problems, notes, default=default_per_page,
                               maximum=MAX_PER_PAGE),
        dotless=dotless, tokens=tokens, word_tokens=tuple(word_indexes), problems=problems,
        notes=notes, word_filters=word_filters, args=args,
    )
