"""Timetable clashes between offerings a learner takes in one term, across centres.

Weekly slots are compared in real time, each read in its centre's time zone for
the term's first week, so that a distance class from Paris and an evening class
abroad clash only when they truly overlap. Blocks of dates clash when their
dates overlap. Offerings must come with their centre, term, slots and blocks.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import combinations
from zoneinfo import ZoneInfo

from cursus.catalogue.models import Offering, OfferingBlock, OfferingSlot


@dataclass(frozen=True, slots=True)
class Clash:
    """Two offerings that meet at the same time: two weekly slots, or two blocks of dates."""

    offering: Offering
    other: Offering
    slot: OfferingSlot | None = None
    other_slot: OfferingSlot | None = None
    block: OfferingBlock | None = None
    other_block: OfferingBlock | None = None

    @property
    def weekly(self) -> bool:
        """Tell whether the clash is between weekly slots (not blocks of dates)."""
        return self.slot is not None


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _interval(slot: OfferingSlot, offering: Offering) -> tuple[datetime, datetime]:
    start = offering.term.starts_on
    monday = start - timedelta(days=start.weekday())
    day = monday + timedelta(days=slot.weekday)
    zone = _zone(offering.centre.time_zone)
    return (
        datetime.combine(day, slot.starts_at, tzinfo=zone),
        datetime.combine(day, slot.ends_at, tzinfo=zone),
    )


def _overlap(first: tuple[datetime, datetime], second: tuple[datetime, datetime]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def _dates_overlap(first: OfferingBlock, second: OfferingBlock) -> bool:
    return first.starts_on <= second.ends_on and second.starts_on <= first.ends_on


def clashes_between(offering: Offering, others: Iterable[Offering]) -> list[Clash]:
    """Return the clashes of one offering with each of the others (itself left out)."""
    found: list[Clash] = []
    slots = list(offering.slots.all())
    blocks = list(offering.blocks.all())
    for other in others:
        if other.pk == offering.pk:
            continue
        for slot in slots:
            interval = _interval(slot, offering)
            for other_slot in other.slots.all():
                if _overlap(interval, _interval(other_slot, other)):
                    found.append(Clash(offering, other, slot=slot, other_slot=other_slot))
        for block in blocks:
            for other_block in other.blocks.all():
                if _dates_overlap(block, other_block):
                    found.append(Clash(offering, other, block=block, other_block=other_block))
    return found


def clashes_among(offerings: Sequence[Offering]) -> list[Clash]:
    """Return every clash between two of the offerings, each pair once."""
    found: list[Clash] = []
    for first, second in combinations(offerings, 2):
        found.extend(clashes_between(first, [second]))
    return found
