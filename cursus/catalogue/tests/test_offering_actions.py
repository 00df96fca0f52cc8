from datetime import date, time

import pytest

from cursus.catalogue.actions import BlockSpec, SlotSpec, create_offering, update_offering
from cursus.catalogue.models import Institute, Offering, OfferingBlock, OfferingSlot
from cursus.catalogue.tests.fixtures import make_user
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.core.models import Event, Role

pytestmark = pytest.mark.django_db

EVENING = SlotSpec(weekday=1, starts_at=time(18), ends_at=time(21), room="37.1.50")


def offer(actor, **overrides):
    values = {
        "unit": "NFA008",
        "term": "2025-S1",
        "centre": "paris",
        "formula": "evening_saturday",
        "slots": [EVENING],
    }
    return create_offering(actor=actor, **{**values, **overrides})


@pytest.fixture
def catalogue(nfa008, term, paris, lyon):
    return nfa008


def test_create_offering_with_slots_blocks_and_teachers(registrar, catalogue, teacher):
    offering = offer(
        registrar,
        capacity=30,
        blocks=[BlockSpec(starts_on=date(2025, 10, 6), ends_on=date(2025, 10, 10))],
        teachers=[teacher],
    )

    assert offering.term.code == "2025-S1"
    assert [(s.weekday, s.starts_at, s.room) for s in offering.slots.all()] == [
        (1, time(18), "37.1.50")
    ]
    assert offering.blocks.count() == 1
    assert list(offering.teachers.all()) == [teacher]
    (event,) = events_about(offering)
    assert event.kind == "catalogue.offering_created"
    assert event.data["unit"] == "NFA008"
    assert event.data["slots"] == [
        {"weekday": 1, "starts_at": "18:00:00", "ends_at": "21:00:00", "room": "37.1.50"}
    ]
    assert event.data["teachers"] == [teacher.pk]


def test_slot_ending_before_it_starts_names_the_slot_and_saves_nothing(registrar, catalogue):
    backwards = SlotSpec(weekday=5, starts_at=time(12), ends_at=time(9))

    with pytest.raises(InvalidInput) as caught:
        offer(registrar, slots=[EVENING, backwards])

    assert list(caught.value.errors) == ["slots[1].ends_at"]
    assert Offering.objects.count() == 0
    assert OfferingSlot.objects.count() == 0
    assert Event.objects.count() == 0


def test_block_ending_before_it_starts_is_refused(registrar, catalogue):
    with pytest.raises(InvalidInput) as caught:
        offer(registrar, blocks=[BlockSpec(starts_on=date(2025, 10, 6), ends_on=date(2025, 10, 1))])

    assert "blocks[0].ends_on" in caught.value.errors
    assert OfferingBlock.objects.count() == 0


def test_weekday_out_of_range_is_named(registrar, catalogue):
    with pytest.raises(InvalidInput) as caught:
        offer(registrar, slots=[SlotSpec(weekday=7, starts_at=time(9), ends_at=time(12))])

    assert "slots[0].weekday" in caught.value.errors


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": "ZZZ999"}, "unit"),
        ({"term": "2031-S1"}, "term"),
        ({"term": "autumn"}, "term"),
        ({"centre": "atlantis"}, "centre"),
        ({"formula": "by-post"}, "formula"),
        ({"formula": "institute"}, "institute"),
        ({"institute": "nowhere"}, "institute"),
        ({"capacity": 0}, "capacity"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_offering_input_names_the_field(registrar, catalogue, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        offer(registrar, **overrides)

    assert field in caught.value.errors
    assert Offering.objects.count() == 0


def test_institute_offering_names_its_institute(registrar, catalogue):
    Institute.objects.create(code="intec", name="Intec", sector="Comptabilité")

    offering = offer(registrar, formula="institute", institute="intec")

    assert offering.institute.code == "intec"


def test_same_unit_term_centre_formula_and_section_is_a_conflict(registrar, catalogue):
    offer(registrar)

    with pytest.raises(Conflict) as caught:
        offer(registrar)
    assert caught.value.field == "section"
    assert offer(registrar, section="B").section == "B"


def test_centre_staff_offer_units_at_their_centre_only(paris_staff, catalogue):
    assert offer(paris_staff).centre.code == "paris"

    with pytest.raises(NotAllowed):
        offer(paris_staff, centre="lyon")
    assert Offering.objects.count() == 1


def test_learners_and_teachers_cannot_offer_units(teacher, catalogue):
    with pytest.raises(NotAllowed):
        offer(teacher)


def test_a_teacher_must_hold_the_teacher_role(registrar, catalogue):
    stranger = make_user("someone@example.org")

    with pytest.raises(InvalidInput) as caught:
        offer(registrar, teachers=[stranger])

    assert "teachers" in caught.value.errors


def test_update_offering_replaces_slots_and_records_them(registrar, catalogue):
    offering = offer(registrar)
    saturday = SlotSpec(weekday=5, starts_at=time(9), ends_at=time(12, 30))

    update_offering(
        actor=registrar, offering=offering, changes={"slots": [saturday], "capacity": 25}
    )

    assert [(s.weekday, s.ends_at) for s in offering.slots.all()] == [(5, time(12, 30))]
    update = events_about(offering).get(kind="catalogue.offering_updated")
    assert update.data["changes"]["capacity"] == {"before": None, "after": 25}
    assert update.data["changes"]["slots"]["after"][0]["weekday"] == 5


def test_update_offering_with_a_bad_slot_keeps_the_old_slots(registrar, catalogue):
    offering = offer(registrar)

    with pytest.raises(InvalidInput) as caught:
        update_offering(
            actor=registrar,
            offering=offering,
            changes={"slots": [SlotSpec(weekday=2, starts_at=time(20), ends_at=time(18))]},
        )

    assert "slots[0].ends_at" in caught.value.errors
    assert [s.weekday for s in offering.slots.all()] == [1]


def test_an_offering_keeps_its_unit_term_and_centre(registrar, catalogue):
    offering = offer(registrar)

    with pytest.raises(InvalidInput) as caught:
        update_offering(actor=registrar, offering=offering, changes={"centre": "lyon"})

    assert "centre" in caught.value.errors


def test_centre_staff_cannot_change_another_centres_offering(
    registrar, lyon, paris_staff, catalogue
):
    offering = offer(registrar, centre="lyon")
    lyon_staff = make_user("staff@lyon.example.org", Role.CENTRE_STAFF, centre=lyon)

    update_offering(actor=lyon_staff, offering=offering, changes={"capacity": 12})
    with pytest.raises(NotAllowed):
        update_offering(actor=paris_staff, offering=offering, changes={"capacity": 40})
