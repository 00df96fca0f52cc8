"""What a plan is made from: terms, candidate offerings, the learner's constraints.

Plain frozen dataclasses, filled from the catalogue by ``queries`` or by hand in
tests, so that the solver runs without a database.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from cursus.audit.engine import Diploma, Holdings

DISTANCE: Final = "distance"
# The parts of a day a learner may say they are free, in minutes after midnight.
PERIODS: Final = {
    "morning": (8 * 60, 12 * 60 + 30),
    "afternoon": (12 * 60 + 30, 18 * 60),
    "evening": (18 * 60, 22 * 60 + 30),
}
WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class PlanTerm:
    """A term a plan may use, numbered from 0 for the first one open."""

    index: int
    code: str
    label: str
    starts_on: datetime.date
    # Terms beyond the catalogue's horizon, assumed to repeat the last known year.
    projected: bool = False
    # Whether enrolment is still possible; a term in progress keeps only what is enrolled.
    open: bool = True


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True, order=True)
class TimeSlot:
    """A weekly class: a weekday (0 for Monday) and minutes after midnight."""

    weekday: int
    starts: int
    ends: int

    def overlaps(self, other: TimeSlot) -> bool:
        """Return whether two weekly classes meet at the same time."""
        return (
            self.weekday == other.weekday and self.starts < other.ends and other.starts < self.ends
        )

    def within(self, window: TimeSlot) -> bool:
        """Return whether this class lies inside a free window."""
        return (
            self.weekday == window.weekday
            and window.starts <= self.starts
            and self.ends <= window.ends
        )

    @property
    def hours(self) -> str:
        """Return the times as written: 18:00–21:00."""
        return f"{_clock(self.starts)}–{_clock(self.ends)}"


@dataclass(frozen=True, slots=True)
class DateBlock:
    """Consecutive days of teaching."""

    starts_on: datetime.date
    ends_on: datetime.date

    def overlaps(self, other: DateBlock) -> bool:
        """Return whether two blocks share a day."""
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on


@dataclass(frozen=True, slots=True)
class Candidate:
    """An offering the plan may choose: a unit in a term at a centre under a formula."""

    ref: str
    unit: str
    ects: float
    term: int
    centre: str
    centre_name: str
    formula: str
    slots: tuple[TimeSlot, ...] = ()
    blocks: tuple[DateBlock, ...] = ()
    department: str | None = None
    # The catalogue's offering; None for an offering projected beyond the horizon.
    offering_id: int | None = None
    published: bool = True

    @property
    def projected(self) -> bool:
        """Return whether the offering is assumed rather than in the catalogue."""
        return self.offering_id is None

    def clashes(self, other: Candidate) -> bool:
        """Return whether two offerings of one term meet at the same time."""
        if self.term != other.term:
            return False
        return any(a.overlaps(b) for a in self.slots for b in other.slots) or any(
            a.overlaps(b) for a in self.blocks for b in other.blocks
        )


@dataclass(frozen=True, slots=True)
class Constraints:
    """How the learner can study; None means no limit."""

    centres: frozenset[str] | None = None
    formulas: frozenset[str] | None = None
    # Free weekly windows; None when any time suits.
    windows: tuple[TimeSlot, ...] | None = None
    max_units: int | None = None
    max_ects: float | None = None
    skip_terms: frozenset[str] = frozenset()

    def refusal(self, candidate: Candidate, term_code: str) -> str | None:
        """Return why the learner cannot take an offering, or None when they can.

        The answer names the constraint: ``skip``, ``formula``, ``centre`` or ``time``.
        """
        if term_code in self.skip_terms:
            return "skip"
        if self.formulas is not None and candidate.formula not in self.formulas:
            return "formula"
        # A distance offering needs no travel.
        if (
            self.centres is not None
            and candidate.formula != DISTANCE
            and candidate.centre not in self.centres
        ):
            return "centre"
        if self.windows is not None and not all(
            any(slot.within(window) for window in self.windows) for slot in candidate.slots
        ):
            return "time"
        return None


def windows_for(days: Mapping[int, tuple[str, ...]]) -> tuple[TimeSlot, ...]:
    """Return the free windows for the periods ticked on each weekday, merged when adjacent."""
    windows: list[TimeSlot] = []
    for weekday in sorted(days):
        spans = sorted(PERIODS[name] for name in days[weekday])
        for starts, ends in spans:
            last = windows[-1] if windows else None
            if last is not None and last.weekday == weekday and last.ends >= starts:
                windows[-1] = TimeSlot(weekday, last.starts, max(last.ends, ends))
            else:
                windows.append(TimeSlot(weekday, starts, ends))
    return tuple(windows)


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything one plan is computed from."""

    diploma: Diploma
    holdings: Holdings
    terms: tuple[PlanTerm, ...]
    candidates: tuple[Candidate, ...]
    constraints: Constraints = field(default_factory=Constraints)
    # Unit code -> the units recommended before it.
    recommended_prior: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Ties go to the learner's home centre.
    home_centre: str | None = None
    # Offerings the learner is already enrolled or waitlisted in: part of any plan.
    enrolled: frozenset[int] = frozenset()
    # Activity units (project, experience): earned outside the offerings.
    activity_units: frozenset[str] = frozenset()


def _clock_minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and (minutes.isdigit() or not minutes)):
        raise ValueError(text)
    value = int(hours) * 60 + int(minutes or 0)
    if value > 24 * 60:
        raise ValueError(text)
    return value


def parse_windows(text: str) -> tuple[TimeSlot, ...]:
    """Return the free windows ``mon,tue:evening,thu:18:00-21:30`` names.

    A day alone is free all day; after a colon come periods (morning,
    afternoon, evening, joined by +) or times. Raises ValueError naming the
    part it cannot read.
    """
    windows: list[TimeSlot] = []
    for raw in text.split(","):
        part = raw.strip().lower()
        if not part:
            continue
        day, _, when = part.partition(":")
        if day not in WEEKDAY_NAMES:
            raise ValueError(part)
        weekday = WEEKDAY_NAMES.index(day)
        if not when:
            windows.append(TimeSlot(weekday, 0, 24 * 60))
        elif "-" in when:
            start, _, end = when.partition("-")
            try:
                starts, ends = _clock_minutes(start), _clock_minutes(end)
            except ValueError:
                raise ValueError(part) from None
            if ends <= starts:
                raise ValueError(part)
            windows.append(TimeSlot(weekday, starts, ends))
        else:
            names = tuple(when.split("+"))
            if any(name not in PERIODS for name in names):
                raise ValueError(part)
            windows.extend(windows_for({weekday: names}))
    return tuple(sorted(windows))
