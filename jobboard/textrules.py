"""What each text a person types may hold: its length and its characters, defined once.

Forms (the `Text` validator), the API (through the services, which check the same rules) and
the admin use these. Control characters are refused everywhere: a NUL is refused by
PostgreSQL (a 500 before this), and a line break in a title or a name could reach a mail
header. Text on one line (titles, names) allows no control character at all; text of several
lines allows line breaks and tabs. Characters that XML cannot carry (surrogates, U+FFFE,
U+FFFF and the other non-characters) are refused too: the job feed is XML.
"""
from dataclasses import dataclass

from wtforms.validators import ValidationError

_LINE_BREAKS = frozenset("\n\r\t")


def _unfit(c: str) -> bool:
    n = ord(c)
    return (n < 0x20 or 0x7F <= n < 0xA0 or 0xD800 <= n < 0xE000 or 0xFDD0 <= n <= 0xFDEF
            or (n & 0xFFFE) == 0xFFFE)


def first_unfit(value: str, lines: bool) -> str | None:
    """The first character of `value` that text may not hold (line breaks and tabs allowed
    when `lines`), or None."""
    return next((c for c in value if _unfit(c) and not (lines and c in _LINE_BREAKS)), None)


@dataclass(frozen=True)
class TextRule:
    max: int
    lines: bool = False  # may hold line breaks (a description, a letter)

    def problem(self, value: str | None) -> str | None:
        """What is wrong with `value`, in words for the person who typed it; None if fine."""
        if not value:
            return None
        if (bad := first_unfit(value, self.lines)) is not None:
            what = {"\t": "a tab", "\n": "a line break", "\r": "a line break"}.get(
                bad, f"an invisible control character (U+{ord(bad):04X})")
            return f"Remove {what}: this field takes plain text" + \
                ("." if self.lines else " on one line.")
        if len(value) > self.max:
            return f"Keep this to {self.max:,} characters (it has {len(value):,})."
        return None


# One line
PERSON_NAME = TextRule(120)
COMPANY_NAME = TextRule(120)
JOB_TITLE = TextRule(160)
HEADLINE = TextRule(160)
CITY = TextRule(100)
CODES = TextRule(600)
WEBSITE = TextRule(255)
DOMAIN = TextRule(253)
TOKEN_NAME = TextRule(80)
BENEFIT = TextRule(80)  # one line of a company's benefits
ALERT_NAME = TextRule(120)
SEARCH = TextRule(200)
# Several lines
JOB_DESCRIPTION = TextRule(20_000, lines=True)
COMPANY_PROFILE = TextRule(5_000, lines=True)
COVER_LETTER = TextRule(10_000, lines=True)
MESSAGE = TextRule(2_000, lines=True)  # to a coder, with a status change, a report's comment
ADMIN_NOTE = TextRule(2_000, lines=True)  # reasons and notes for the audit log


def check(errors: dict[str, list[str]], name: str, value: str | None, rule: TextRule) -> None:
    """Add the rule's complaint about `value` to a service's errors under `name`."""
    if (problem := rule.problem(value)) is not None:
        errors.setdefault(name, []).append(problem)


class Text:
    """A WTForms validator for a rule (it also sets the field's maxlength)."""

    def __init__(self, rule: TextRule):
        self.rule = rule
        self.field_flags = {"maxlength": rule.max}

    def __call__(self, form, field) -> None:
        if (problem := self.rule.problem(field.data)) is not None:
            raise ValidationError(problem)
