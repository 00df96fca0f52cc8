from datetime import time
from decimal import Decimal

import pytest

from cursus.core.errors import NotAllowed, NotFound
from cursus.enrolment import actions, queries
from cursus.enrolment.actions import FundingSpec
from cursus.enrolment.models import Employer
from cursus.enrolment.tests.fixtures import ACME_SIRET, OTHER_SIRET, make_learner, make_offering

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_one_timetable_shows_units_at_several_centres_and_formulas(world):
    in_lyon = make_offering(
        world.units["NFE113"], world.term, world.lyon, slots=((1, time(20), time(22)),)
    )
    for offering in (world.evening, world.distance, in_lyon):
        actions.enrol(actor=world.alice.user, learner=world.alice, offering=offering)

    timetable = queries.learner_timetable(world.alice.user, world.alice, world.term)

    assert [(e.offering.unit.code, e.centre.code, e.formula) for e in timetable.entries] == [
        ("NFA008", "paris", "evening_saturday"),
        ("NFE113", "lyon", "evening_saturday"),
        ("NFA011", "paris", "distance"),
    ]
    assert [e.clashing for e in timetable.entries] == [True, True, False]
    assert len(timetable.clashes) == 1


def test_timetable_lists_block_courses_and_waiting_places(world):
    world.signed_agreement(world.bob)
    actions.enrol(actor=world.registrar, learner=world.bob, offering=world.daytime)
    for learner in (world.alice, world.carol):
        actions.enrol(actor=world.registrar, learner=learner, offering=world.evening)
    waiting = actions.enrol(actor=world.registrar, learner=world.bob, offering=world.evening)

    timetable = queries.learner_timetable(world.bob.user, world.bob, world.term)

    assert [e.offering for e in timetable.blocks] == [world.daytime]
    assert timetable.positions == {waiting.enrolment.pk: 1}


def test_nobody_reads_someone_elses_timetable(world):
    actions.enrol(actor=world.registrar, learner=world.bob, offering=world.evening)

    assert queries.learner_timetable(world.carol.user, world.bob, world.term).entries == []
    assert len(queries.learner_timetable(world.paris_staff, world.bob, world.term).entries) == 1


@pytest.mark.parametrize(
    ("reader", "visible"),
    [
        ("registrar", {"alice", "bob", "carol"}),
        ("paris_staff", {"bob", "carol"}),
        ("lyon_staff", {"alice"}),
        ("teacher", set()),
        ("contact", set()),
    ],
)
def test_registrations_are_read_within_the_readers_scope(world, reader, visible):
    found = queries.visible_registrations(getattr(world, reader))

    assert {r.learner.first_name.lower() for r in found} == visible


def test_a_learner_reads_their_own_registration(world):
    (mine,) = queries.visible_registrations(world.alice.user)

    assert mine.learner == world.alice
    assert queries.registration_by_id(world.alice.user, mine.pk) == mine
    with pytest.raises(NotFound):
        queries.registration_by_id(world.bob.user, mine.pk)


def test_enrolments_in_a_centre_offering_are_visible_to_its_staff(world):
    # Alice's home centre is Lyon; Paris staff see her enrolment in their offering.
    actions.enrol(actor=world.alice.user, learner=world.alice, offering=world.evening)
    actions.enrol(actor=world.alice.user, learner=world.alice, offering=world.distance)

    assert queries.learner_enrolments(world.paris_staff, world.alice).count() == 2
    assert queries.learner_enrolments(world.lyon_staff, world.alice).count() == 2
    assert queries.learner_enrolments(world.bob.user, world.alice).count() == 0


def test_roster_shows_the_list_by_name_and_the_waitlist_in_order(world):
    for learner in (world.carol, world.alice, world.bob):
        actions.enrol(actor=world.registrar, learner=learner, offering=world.evening)

    roster = queries.offering_roster(world.teacher, world.evening.pk)

    assert [e.learner.first_name for e in roster.enrolled] == ["Alice", "Carol"]
    assert [e.learner.first_name for e in roster.waitlist] == ["Bob"]
    assert roster.free_places == 0


@pytest.mark.parametrize("reader", ["lyon_staff", "contact"])
def test_roster_is_refused_to_those_who_do_not_run_the_offering(world, reader):
    with pytest.raises(NotAllowed):
        queries.offering_roster(getattr(world, reader), world.evening.pk)


def test_roster_is_refused_to_learners(world):
    with pytest.raises(NotAllowed):
        queries.offering_roster(world.bob.user, world.evening.pk)
    with pytest.raises(NotFound):
        queries.offering_roster(world.registrar, 999_999)


def test_employer_contacts_see_their_employers_agreements_only(world):
    mine = world.signed_agreement(world.bob)
    Employer.objects.create(name="Globex", siret=OTHER_SIRET)

    assert list(queries.visible_agreements(world.contact)) == [mine]
    assert list(queries.visible_agreements(world.bob.user)) == [mine]
    assert list(queries.visible_agreements(world.carol.user)) == []
    assert list(queries.visible_agreements(world.lyon_staff)) == []
    assert queries.agreement_by_number(world.contact, "cf-2025-00001") == mine


def test_fee_statement_for_an_employer_lists_agreements_and_registration_shares(world):
    world.signed_agreement(world.bob)
    world.register(
        make_learner("A-0000020", world.paris, first_name="Eve"),
        rate="employer",
        funding=[FundingSpec(payer="employer", amount="100", employer=ACME_SIRET)],
    )
    payer = queries.PayerRef(kind="employer", employer=world.acme)

    statement = queries.fee_statement(world.contact, payer=payer, academic_year=world.year)

    assert [(line.document, line.learner_name, line.amount) for line in statement.lines] == [
        ("registration", "Eve Martin", Decimal("100.00")),
        ("agreement", "Bob Martin", Decimal("480.00")),
    ]
    assert statement.total == Decimal("580.00")
    rows = statement.csv_rows()
    assert rows[0][:3] == ["document", "reference", "learner_number"]
    assert rows[-1] == ["total", "", "", "", "", "", "", "580.00", ""]


def test_fee_statement_for_a_learner_sums_what_they_pay(world):
    actions.enrol(actor=world.alice.user, learner=world.alice, offering=world.evening)
    payer = queries.PayerRef(kind="learner", learner=world.alice)

    statement = queries.fee_statement(world.alice.user, payer=payer, academic_year=world.year)

    assert statement.total == Decimal("400.00")  # 100 € and 6 ECTS at 50 €
    assert queries.fee_statement(world.bob.user, payer=payer, academic_year=world.year).lines == []


def test_fee_statement_for_an_opco(world):
    eve = make_learner("A-0000020", world.paris, first_name="Eve")
    world.register(eve, funding=[FundingSpec(payer="opco", amount="100", funder="Atlas")])
    payer = queries.PayerRef(kind="opco", funder="atlas")

    statement = queries.fee_statement(world.registrar, payer=payer, academic_year=world.year)

    assert statement.total == Decimal("100.00")
    assert payer.label == "atlas"
    assert (
        queries.fee_statement(world.lyon_staff, payer=payer, academic_year=world.year).lines == []
    )
