"""Lay a centre's offerings out as a week: days across, parts of the day down."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cursus.catalogue.models import Offering, OfferingSlot, Weekday

# Evening classes for people in work start from half past five; mornings end at noon.
AFTERNOON_STARTS = time(12, 0)
EVENING_STARTS = time(17, 30)
WORKING_WEEK = [Weekday(day) for day in range(Weekday.MONDAY, Weekday.SATURDAY + 1)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One weekly class of an offering, placed in the grid."""

    offering: Offering
    slot: OfferingSlot


@dataclass(frozen=True, slots=True)
class Day:
    """A column of the grid."""

    weekday: Weekday
    label: str | Promise
    weekend: bool


@dataclass(slots=True)
class Period:
    """A row of the grid: the morning, the afternoon or the evening, one cell per day."""

    key: str
    label: str | Promise
    hours: str | Promise
    cells: list[list[Entry]] = field(default_factory=list)

    @property
    def evening(self) -> bool:
        """Tell whether this is the evening row, when people in work attend."""
        return self.key == "evening"

    @property
    def empty(self) -> bool:
        """Tell whether no class falls in this part of the day."""
        return not any(self.cells)


@dataclass(frozen=True, slots=True)
class Timetable:
    """A term's week at a centre, with the offerings that do not fit a weekly grid."""

    days: list[Day]
    periods: list[Period]
    blocks: list[Offering]
    unscheduled: list[Offering]
    weekly_count: int

    @property
    def has_weekly(self) -> bool:
        """Tell whether any offering meets weekly."""
        return self.weekly_count > 0


def period_of(starts_at: time) -> str:
    """Return the part of the day a class starting at this time belongs to."""
    if starts_at >= EVENING_STARTS:
        return "evening"
    if starts_at >= AFTERNOON_STARTS:
        return "afternoon"
    return "morning"


def weekly_timetable(offerings: Iterable[Offering]) -> Timetable:
    """Place each weekly slot in its day and part of the day; list block and other offerings."""
    offerings = list(offerings)
    entries = [Entry(o, slot) for o in offerings for slot in o.slots.all()]
    weekdays = list(WORKING_WEEK)
    if any(entry.slot.weekday == Weekday.SUNDAY for entry in entries):
        weekdays.append(Weekday.SUNDAY)
    days = [Day(d, d.label, d >= Weekday.SATURDAY) for d in weekdays]
    periods = [
        Period("morning", _("Morning"), _("before noon")),
        Period("afternoon", _("Afternoon"), _("noon to 17:30")),
        Period("evening", _("Evening"), _("from 17:30")),
    ]
    for period in periods:
        period.cells = [[] for _day in days]
    column = {day.weekday: index for index, day in enumerate(days)}
    row = {period.key: period for period in periods}
    for entry in sorted(entries, key=lambda e: (e.slot.starts_at, e.offering.unit.code)):
        row[period_of(entry.slot.starts_at)].cells[column[Weekday(entry.slot.weekday)]].append(
            entry
        )
    return Timetable(
        days=days,
        periods=periods,
        blocks=[o for o in offerings if o.blocks.all()],
        unscheduled=[o for o in offerings if not o.slots.all() and not o.blocks.all()],
        weekly_count=len({entry.offering.pk for entry in entries}),
    )
