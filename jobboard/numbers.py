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


class _ReadOnce:
    """A number field whose value could not be read says only that: its range check, which
    would add "must be between ..." about a value it does not have, is skipped."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class WholeNumberField(_ReadOnce, IntegerField):
    """An IntegerField that reads only what read_whole reads (NumberRange bounds it)."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        self.data = read_whole(valuelist[0])
        if self.data is None:
            raise ValueError("Enter a whole number, e.g. 3.")


class AmountField(_ReadOnce, DecimalField):
    """A DecimalField that reads only what read_amount reads: no NaN, no infinity, no
    exponent, no other script's digits."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        self.data = read_amount(valuelist[0])
        if self.data is None:
            raise ValueError("Enter an amount in digits, e.g. 58000 or 31.50.")
