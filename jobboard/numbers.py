"""Numbers people type, read one way everywhere: ASCII digits only, finite, within bounds.

`str.isdigit()` is true for "²" and `int()` then fails; `int()` takes "٣" and 4,300-digit
strings; `Decimal()` takes "NaN", "sNaN" and "1e999". Forms (WholeNumberField, AmountField),
query parameters and the API read numbers through here instead.
"""
import re
from decimal import Decimal

from wtforms import DecimalField, IntegerField
from wtforms.validators import StopValidation

_WHOLE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")  # 58000 or 58,000
_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+")
LONGEST = 30  # characters: longer is no number a person means


def read_whole(raw: str | None, longest: int = LONGEST) -> int | None:
    """A whole number of ASCII digits (thousands commas allowed), or None if it is not one
    (or longer than `longest` characters)."""
    raw = (raw or "").strip()
    if len(raw) > longest or not _WHOLE.fullmatch(raw):
        return None
    return int(raw.replace(",", ""))


def read_amount(raw: str | None) -> Decimal | None:
    """A finite decimal of ASCII digits (58000, 58,000.50, 31.5), or None if it is not one."""
    raw = (raw or "").strip()
    if len(raw) > LONGEST or not _AMOUNT.fullmatch(raw):
        return None
    return Decimal(raw.replace(",", ""))


def finite(value: float | Decimal | None) -> bool:
    """For numbers that arrive already typed (JSON): not NaN, not infinite."""
    return value is None or Decimal(str(value)).is_finite()


class _NumberField:
    """A number field that reads its value with one of the readers above. A value it cannot
    read says only that: the range check, which would add "must be between ..." about a
    value the field does not have, is skipped."""

    unreadable: str

    @staticmethod
    def read(raw: str):
        raise NotImplementedError

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        self.data = self.read(valuelist[0])
        if self.data is None:
            raise ValueError(self.unreadable)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class WholeNumberField(_NumberField, IntegerField):
    """An IntegerField that reads only what read_whole reads (NumberRange bounds it)."""

    read = staticmethod(read_whole)
    unreadable = "Enter a whole number, e.g. 3."


class AmountField(_NumberField, DecimalField):
    """A DecimalField that reads only what read_amount reads: no NaN, no infinity, no
    exponent, no other script's digits."""

    read = staticmethod(read_amount)
    unreadable = "Enter an amount in digits, e.g. 58000 or 31.50."
