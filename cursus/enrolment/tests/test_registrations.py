from decimal import Decimal

import pytest

from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.core.models import Event
from cursus.enrolment.actions import (
    FundingSpec,
    cancel_registration,
    enrol,
    register,
    set_funding,
    set_tariff,
    withdraw,
)
from cursus.enrolment.models import FundingShare, Registration, Tariff
from cursus.enrolment.tests.fixtures import ACME_SIRET, make_learner, make_open_term, make_tariff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def counts():
    return Registration.objects.count(), FundingShare.objects.count(), Event.objects.count()


def shares(registration):
    return [(s.payer, s.amount) for s in registration.funding.order_by("pk")]


@pytest.fixture
def eve(world):
    return make_learner("A-0000010", world.paris, first_name="Eve")


def test_registration_charges_the_tariff_registration_fee_to_the_learner(world, eve):
    registration = register(actor=world.registrar, learner=eve, centre="paris", academic_year=2025)

    assert registration.fee == Decimal("100.00")
    assert registration.tariff == world.tariff
    assert shares(registration) == [("learner", Decimal("100.00"))]
    assert [e.kind for e in events_about(registration)] == ["enrolment.registered"]


def test_a_centre_tariff_comes_before_the_tariff_for_every_centre(world, eve):
    own = make_tariff(world.year, world.paris, registration_fee=Decimal("60.00"))

    registration = world.register(eve)

    assert registration.tariff == own
    assert registration.fee == Decimal("60.00")


def test_registration_without_a_tariff_is_refused_naming_the_year(world, eve):
    make_open_term(2031, 1)
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        register(actor=world.registrar, learner=eve, centre="paris", academic_year=2031)

    assert caught.value.errors == {"academic_year": ["No tariff is set for 2031–2032 at Paris."]}
    assert counts() == before


def test_unknown_centre_and_year_are_named(world, eve):
    with pytest.raises(InvalidInput) as caught:
        register(actor=world.registrar, learner=eve, centre="atlantis", academic_year=1990)

    assert set(caught.value.errors) == {"centre", "academic_year"}


def test_a_second_registration_for_the_year_is_refused(world):
    before = counts()

    with pytest.raises(Conflict) as caught:
        world.register(world.alice, centre=world.paris)

    assert caught.value.field == "academic_year"
    assert "already registered for 2025–2026, at Lyon" in caught.value.message
    assert counts() == before


def test_funding_split_that_does_not_add_up_is_refused_and_changes_nothing(world, eve):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        world.register(
            eve,
            funding=[
                FundingSpec(payer="employer", amount="60", employer=ACME_SIRET),
                FundingSpec(payer="learner", amount="30"),
            ],
        )

    assert caught.value.errors == {
        "funding": ["The shares add up to 90.00 €, not to the price of 100.00 €."]
    }
    assert counts() == before


def test_funding_split_between_payers_is_kept(world, eve):
    registration = world.register(
        eve,
        funding=[
            FundingSpec(payer="opco", amount="40", funder="Atlas"),
            FundingSpec(payer="cpf", amount="50"),
            FundingSpec(payer="learner", amount="10.00"),
        ],
    )

    assert shares(registration) == [
        ("opco", Decimal("40.00")),
        ("cpf", Decimal("50.00")),
        ("learner", Decimal("10.00")),
    ]


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (FundingSpec(payer="employer", amount="100", employer="73282932000075"), "employer"),
        (FundingSpec(payer="employer", amount="100", employer="35600000000048"), "employer"),
        (FundingSpec(payer="employer", amount="100"), "employer"),
        (FundingSpec(payer="opco", amount="100"), "funder"),
        (FundingSpec(payer="bank", amount="100"), "payer"),
        (FundingSpec(payer="learner", amount="-100"), "amount"),
        (FundingSpec(payer="learner", amount="99.999"), "amount"),
        (FundingSpec(payer="learner", amount="a lot"), "amount"),
    ],
)
def test_each_bad_share_is_named(world, eve, spec, field):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        world.register(eve, funding=[spec])

    assert f"funding[0].{field}" in caught.value.errors
    assert counts() == before


def test_an_invalid_siret_is_named_as_such(world, eve):
    with pytest.raises(InvalidInput) as caught:
        world.register(
            eve, funding=[FundingSpec(payer="employer", amount="100", employer="73282932000075")]
        )

    assert caught.value.errors["funding[0].employer"] == [
        "73282932000075 is not a valid SIRET (14 digits with a valid key)."
    ]


def test_learners_register_themselves_at_the_full_rate_only(world, eve):
    with pytest.raises(InvalidInput) as caught:
        register(actor=eve.user, learner=eve, centre="paris", academic_year=2025, rate="reduced")
    assert list(caught.value.errors) == ["rate"]

    registration = register(actor=eve.user, learner=eve, centre="lyon", academic_year=2025)

    assert registration.rate == "full"
    assert registration.centre == world.lyon


def test_staff_grant_the_reduced_rate(world, eve):
    registration = register(
        actor=world.paris_staff, learner=eve, centre="paris", academic_year=2025, rate="reduced"
    )

    assert registration.rate == "reduced"


@pytest.mark.parametrize(("actor", "allowed"), [("lyon_staff", True), ("teacher", False)])
def test_staff_register_learners_at_their_centre(world, eve, actor, allowed):
    if allowed:
        # Staff of Lyon may register a Paris learner at Lyon.
        assert register(actor=getattr(world, actor), learner=eve, centre="lyon", academic_year=2025)
    else:
        with pytest.raises(NotAllowed):
            register(actor=getattr(world, actor), learner=eve, centre="lyon", academic_year=2025)


def test_staff_of_another_centre_cannot_register_a_learner_elsewhere(world, eve):
    with pytest.raises(NotAllowed):
        register(actor=world.lyon_staff, learner=eve, centre="paris", academic_year=2025)


def test_the_fee_follows_the_enrolments_and_the_learner_pays_what_funders_do_not(world, eve):
    registration = world.register(
        eve,
        rate="employer",
        funding=[FundingSpec(payer="employer", amount="100", employer=ACME_SIRET)],
    )
    outcome = enrol(actor=world.registrar, learner=eve, offering=world.evening)

    registration.refresh_from_db()
    assert outcome.enrolment.fee == Decimal("480.00")  # 6 ECTS at 80 €
    assert registration.fee == Decimal("580.00")
    assert shares(registration) == [("employer", Decimal("100.00")), ("learner", Decimal("480.00"))]

    withdraw(actor=world.registrar, enrolment=outcome.enrolment)

    registration.refresh_from_db()
    assert registration.fee == Decimal("100.00")
    assert shares(registration) == [("employer", Decimal("100.00")), ("learner", Decimal("0.00"))]


def test_a_lower_fee_lowers_the_funders_when_the_learner_pays_nothing(world, eve):
    registration = world.register(eve)
    outcome = enrol(actor=world.registrar, learner=eve, offering=world.evening)
    registration.refresh_from_db()
    set_funding(
        actor=world.paris_staff,
        registration=registration,
        funding=[FundingSpec(payer="cpf", amount=registration.fee)],
    )

    withdraw(actor=world.registrar, enrolment=outcome.enrolment)

    registration.refresh_from_db()
    assert shares(registration) == [("cpf", Decimal("100.00"))]


def test_a_new_split_must_add_up_to_the_fee_as_it_stands(world, eve):
    registration = world.register(eve)
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        set_funding(
            actor=world.registrar,
            registration=registration,
            funding=[FundingSpec(payer="cpf", amount="99")],
        )

    assert list(caught.value.errors) == ["funding"]
    assert counts() == before
    with pytest.raises(NotAllowed):
        set_funding(
            actor=eve.user,
            registration=registration,
            funding=[FundingSpec(payer="cpf", amount="100")],
        )


def test_a_registration_with_enrolments_cannot_be_cancelled(world):
    enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    registration = Registration.objects.get(learner=world.bob)

    with pytest.raises(Conflict):
        cancel_registration(actor=world.registrar, registration=registration)


def test_a_cancelled_registration_frees_the_year(world, eve):
    registration = world.register(eve)

    cancel_registration(actor=world.paris_staff, registration=registration, reason="moved away")

    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert world.register(eve, centre=world.lyon).centre == world.lyon


def test_the_registrar_sets_tariffs(world):
    tariff = set_tariff(
        actor=world.registrar,
        academic_year=2025,
        centre="lyon",
        basis="per_unit",
        registration_fee="90",
        full_amount="300",
        reduced_amount="150",
        employer_amount="450.50",
    )

    assert tariff.charge("employer", 6) == Decimal("450.50")
    assert [e.kind for e in events_about(tariff)] == ["enrolment.tariff_set"]
    again = set_tariff(
        actor=world.registrar,
        academic_year=2025,
        centre="lyon",
        basis="per_ects",
        registration_fee="90",
        full_amount="30",
        reduced_amount="15",
        employer_amount="45",
    )
    assert again.pk == tariff.pk
    assert again.charge("full", 6) == Decimal("180.00")
    with pytest.raises(NotAllowed):
        set_tariff(
            actor=world.paris_staff,
            academic_year=2025,
            basis="per_unit",
            registration_fee="1",
            full_amount="1",
            reduced_amount="1",
            employer_amount="1",
        )


def test_bad_tariff_amounts_are_named(world):
    with pytest.raises(InvalidInput) as caught:
        set_tariff(
            actor=world.registrar,
            academic_year=2025,
            basis="per_hour",
            registration_fee="-1",
            full_amount="x",
            reduced_amount="1",
            employer_amount="1",
        )

    assert set(caught.value.errors) == {"basis", "registration_fee", "full_amount"}
    assert Tariff.objects.count() == 1


def test_the_registrar_changes_the_tariff_for_every_centre(world):
    tariff = set_tariff(
        actor=world.registrar,
        academic_year=world.year,
        basis="per_unit",
        registration_fee="110",
        full_amount="320",
        reduced_amount="160",
        employer_amount="480",
    )

    assert tariff.pk == world.tariff.pk
    assert tariff.centre is None
    assert tariff.charge("full", 6) == Decimal("320.00")
