from datetime import time

import pytest

from cursus.catalogue.actions import SlotSpec, create_offering
from cursus.catalogue.queries import centre_timetable
from cursus.web.timetable import period_of, weekly_timetable

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("starts_at", "period"),
    [
        (time(8, 0), "morning"),
        (time(11, 59), "morning"),
        (time(12, 0), "afternoon"),
        (time(17, 29), "afternoon"),
        (time(17, 30), "evening"),
        (time(19, 0), "evening"),
    ],
)
def test_classes_fall_in_their_part_of_the_day(starts_at, period):
    assert period_of(starts_at) == period


def test_week_places_each_slot_in_its_day_and_part_of_the_day(world):
    timetable = weekly_timetable(centre_timetable(world.paris, world.current))
    assert [day.weekday for day in timetable.days] == [0, 1, 2, 3, 4, 5]
    assert [day.weekend for day in timetable.days] == [False] * 5 + [True]
    rows = {period.key: period for period in timetable.periods}
    monday_evening = [entry.offering.unit.code for entry in rows["evening"].cells[0]]
    assert monday_evening == ["NFA008"]
    saturday = [entry.offering.unit.code for entry in rows["morning"].cells[5]]
    assert saturday == ["RSX101"]
    wednesday_evening = [entry.offering.unit.code for entry in rows["evening"].cells[2]]
    assert wednesday_evening == ["CFA109", "NFA031"]
    assert timetable.weekly_count == 7
    assert timetable.blocks == []


def test_sunday_appears_only_when_a_class_meets_on_sunday(world):
    create_offering(
        actor=world.registrar,
        unit="STA001",
        term=world.current.code,
        centre=world.beirut.code,
        formula="evening_saturday",
        slots=[SlotSpec(6, time(9), time(12))],
    )
    timetable = weekly_timetable(centre_timetable(world.beirut, world.current))
    assert [day.weekday for day in timetable.days][-1] == 6


def test_block_and_distance_offerings_stay_out_of_the_grid(world):
    timetable = weekly_timetable(centre_timetable(world.paris, world.following))
    assert [offering.formula for offering in timetable.blocks] == ["daytime"]
    assert [offering.formula for offering in timetable.unscheduled] == ["distance"]
    assert not timetable.has_weekly
