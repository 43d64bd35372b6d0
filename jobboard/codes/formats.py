"""Recognising medical codes by their format.

The system is always stored with the code: without its dot an ICD-10-CM code such as A01.00
reads as the HCPCS code A0100, so ICD-10-CM keeps its dot everywhere.
"""
import re
from dataclasses import dataclass

CPT = "CPT"
HCPCS = "HCPCS"
ICD10CM = "ICD-10-CM"
ICD10PCS = "ICD-10-PCS"

PATTERNS: dict[str, re.Pattern[str]] = {
    CPT: re.compile(r"^\d{4}[0-9FTU]$"),
    HCPCS: re.compile(r"^[A-V]\d{4}$"),
    # The second character of an ICD-10-CM category is always a digit (C92, E11, C4A); without
    # that, credentials such as CPC or CRC and words such as HCC would read as codes.
    ICD10CM: re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"),
    # ICD-10-PCS: the first character is the section (0-9, B-D, F-H, X); never I or O.
    ICD10PCS: re.compile(r"^[0-9BCDFGHX][0-9A-HJ-NP-Z]{6}$"),
}
SYSTEMS = tuple(PATTERNS)
_SEPARATORS = re.compile(r"[\s,;]+")


def code_prefixes(system: str, code: str) -> list[str]:
    """What a code is found under: its CPT family (382, 3820 for 38206), every ICD-10-CM level
    (C92, C92.0 and C92.00 itself for C92.00), the letter or section of HCPCS and PCS codes.
    The search index filters by these; `prefix_systems` reads one back."""
    if system == CPT:
        return [code[:3], code[:4]]
    if system == ICD10CM:
        return [code[:3], *(code[:i] for i in range(5, len(code) + 1))]
    return [code[:1]]


def family_of(ref: "CodeRef") -> str:
    """The widest level a code is found under (382 for 38206, C92 for C92.00, J for J9035):
    what its code page calls its family."""
    return code_prefixes(ref.system, ref.code)[0]


# An ICD-10-CM code typed without its dot: E119, C9200, C920 (a letter, a digit, then two to
# five characters). It also fits HCPCS (A0100), so it is never read as ICD-10-CM silently.
DOTLESS_ICD = re.compile(r"^[A-Z]\d[0-9A-Z]{2,5}$")


def with_dot(token: str) -> str | None:
    """The ICD-10-CM form of a code typed without its dot (E119 -> E11.9), when the token has
    that shape and the dotted form is a valid ICD-10-CM code; else None. The one place the
    dot is inserted."""
    token = normalise(token)
    if not DOTLESS_ICD.match(token):
        return None
    dotted = f"{token[:3]}.{token[3:]}"
    return dotted if PATTERNS[ICD10CM].match(dotted) else None


_CPT_FAMILY = re.compile(r"^\d{3,4}$")
# What `?family=` accepts, as the API's schema states it: a HCPCS or PCS letter, a CPT family,
# an ICD-10-CM category or subcategory (its dot may be left out). `prefix_systems` decides.
FAMILY_PATTERN = r"^([0-9A-Za-z]|\d{3,4}|[A-Za-z]\d[0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?)$"


def prefix_systems(prefix: str) -> tuple[str, ...]:
    """The systems whose codes can have `prefix` among their `code_prefixes`: a search for
    what is under C92 finds ICD-10-CM codes, never the HCPCS code C9257."""
    if len(prefix) == 1:
        return (HCPCS, ICD10PCS)
    if _CPT_FAMILY.match(prefix):
        return (CPT,)
    if PATTERNS[ICD10CM].match(prefix):
        return (ICD10CM,)
    return ()


@dataclass(frozen=True, order=True)
class CodeRef:
    system: str
    code: str

    def __str__(self) -> str:
        return self.code


def normalise(token: str) -> str:
    return token.strip().upper()


def recognise(token: str) -> CodeRef | None:
    """The code a token stands for, or None when it has no code's format."""
    code = normalise(token)
    for system, pattern in PATTERNS.items():
        if pattern.match(code):
            return CodeRef(system, code)
    return None


def split_codes(text: str) -> list[str]:
    return [t for t in _SEPARATORS.split(text or "") if t]


class MalformedCodes(ValueError):
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        super().__init__(message_for(tokens))


def message_for(tokens: list[str]) -> str:
    listed = ", ".join(f'"{t}"' for t in tokens)
    noun = "is not a valid code" if len(tokens) == 1 else "are not valid codes"
    return (
        f"{listed} {noun}. Use CPT (38206), HCPCS (J9035), ICD-10-CM with its dot (C92.00) "
        "or ICD-10-PCS (0DTJ4ZZ)."
    )


def parse_code_list(text: str | list[str]) -> list[CodeRef]:
    """Every code in a comma- or space-separated list, in order, without repeats."""
    tokens = split_codes(text) if isinstance(text, str) else [t for t in text if t.strip()]
    refs: list[CodeRef] = []
    bad: list[str] = []
    for token in tokens:
        ref = recognise(token)
        if ref is None:
            bad.append(token.strip())
        elif ref not in refs:
            refs.append(ref)
    if bad:
        raise MalformedCodes(bad)
    return refs


def after_prefix(prefix: str) -> str | None:
    """The first code past every code starting with `prefix` (I21 -> I22, I29 -> I2A,
    0DTJ4ZZ -> 0DTJ5), so `prefix <= code < after` is a range an index serves in any
    collation (a LIKE prefix is not served on SQLite; punctuation such as '~' sorts apart
    under PostgreSQL's linguistic collations). None: no code is past it."""
    stem = prefix.upper().rstrip("Z")
    if not stem:
        return None
    last = stem[-1]
    return stem[:-1] + ("A" if last == "9" else chr(ord(last) + 1))
