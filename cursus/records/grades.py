"""Read a grade as people type it: 12, 12.5, 12,75, ABS (absent), EXC (excused)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cursus.records.models import MAX_GRADE, ResultStatus

# What a grade cell may hold instead of a number, in either language.
ABSENT_WORDS = frozenset({"abs", "absent", "absente"})
EXCUSED_WORDS = frozenset({"exc", "excused", "excusé", "excusée", "excuse"})
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Mark:
    """A grade out of 20, or an absence."""

    status: str
    grade: Decimal | None = None


class BadGrade(ValueError):
    """The text is not a grade; the message says why, for the person who typed it."""


def parse_mark(text: object) -> Mark:
    """Return the mark a cell holds, or raise BadGrade naming the problem."""
    if isinstance(text, Decimal | int | float) and not isinstance(text, bool):
        return _graded(Decimal(str(text)), str(text))
    raw = str(text or "").strip()
    word = raw.lower().rstrip(".")
    if word in ABSENT_WORDS:
        return Mark(ResultStatus.ABSENT)
    if word in EXCUSED_WORDS:
        return Mark(ResultStatus.EXCUSED)
    if not raw:
        raise BadGrade(_("Enter a grade, ABS (absent) or EXC (excused)."))
    try:
        value = Decimal(raw.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise BadGrade(
            _("“%(value)s” is not a grade: enter a number from 0 to 20, ABS or EXC.")
            % {"value": raw}
        ) from None
    return _graded(value, raw)


def _graded(value: Decimal, raw: str) -> Mark:
    if not value.is_finite():
        raise BadGrade(_("“%(value)s” is not a grade.") % {"value": raw})
    if value > MAX_GRADE:
        raise BadGrade(_("%(value)s is above 20: a grade is out of 20.") % {"value": raw})
    if value < 0:
        raise BadGrade(_("%(value)s is below 0: a grade cannot be negative.") % {"value": raw})
    if value != value.quantize(TWO_PLACES):
        raise BadGrade(_("%(value)s has more than two decimals.") % {"value": raw})
    return Mark(ResultStatus.GRADED, value.quantize(TWO_PLACES))


def format_mark(status: str, grade: Decimal | None) -> str:
    """Return a mark the way a grid shows it and ``parse_mark`` reads it back."""
    if status == ResultStatus.ABSENT:
        return "ABS"
    if status == ResultStatus.EXCUSED:
        return "EXC"
    return "" if grade is None else f"{grade:.2f}"
