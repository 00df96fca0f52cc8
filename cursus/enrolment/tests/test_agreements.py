from decimal import Decimal

import pytest

from cursus.catalogue.tests.fixtures import make_user
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.core.models import Event, Role, RoleAssignment
from cursus.enrolment import actions
from cursus.enrolment.actions import FundingSpec
from cursus.enrolment.models import (
    Employer,
    Enrolment,
    EnrolmentStatus,
    FundingShare,
    TrainingAgreement,
)
from cursus.enrolment.tests.fixtures import ACME_SIRET, OTHER_SIRET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def draft(world, **overrides):
    values = {
        "actor": world.registrar,
        "employer": ACME_SIRET,
        "employer_contact": "rh@acme.example.org",
        "learner": world.bob,
        "offerings": [world.daytime],
        "title": "Systèmes d'exploitation",
        "objective": "Administrer des systèmes Unix.",
        "content": "Processus, mémoire, fichiers.",
        "assessment": "Examen écrit de 3 heures.",
        "hours": 60,
    }
    return actions.create_agreement(**{**values, **overrides})


def counts():
    return TrainingAgreement.objects.count(), FundingShare.objects.count(), Event.objects.count()


def test_an_agreement_goes_from_draft_to_completed_recording_who_signed(world):
    agreement = draft(world)
    assert agreement.status == "draft"
    assert agreement.number == "CF-2025-00001"

    actions.send_agreement(actor=world.paris_staff, agreement=agreement)
    actions.sign_agreement_as_employer(actor=world.contact, agreement=agreement)
    actions.sign_agreement_as_institution(actor=world.paris_staff, agreement=agreement)
    agreement = actions.complete_agreement(actor=world.registrar, agreement=agreement)

    assert agreement.status == "completed"
    stamps = [agreement.sent_at, agreement.employer_signed_at, agreement.institution_signed_at]
    assert None not in stamps
    assert stamps == sorted(stamps)  # type: ignore[type-var]
    assert agreement.employer_signed_by == world.contact
    assert agreement.institution_signed_by == world.paris_staff
    assert [e.kind for e in events_about(agreement)] == [
        "enrolment.agreement_created",
        "enrolment.agreement_sent",
        "enrolment.agreement_signed_by_employer",
        "enrolment.agreement_signed_by_institution",
        "enrolment.agreement_completed",
    ]


def test_numbers_follow_each_other_within_a_year(world):
    assert [draft(world).number for _ in range(3)] == [
        "CF-2025-00001",
        "CF-2025-00002",
        "CF-2025-00003",
    ]


def test_price_defaults_to_the_employer_rate_and_the_employer_pays_it(world):
    agreement = draft(world, offerings=[world.daytime, world.evening])

    assert agreement.price == Decimal("960.00")  # 12 ECTS at 80 €
    assert [(s.payer, s.employer, s.amount) for s in agreement.funding.all()] == [
        ("employer", world.acme, Decimal("960.00"))
    ]
    assert agreement.centre == world.paris  # Bob's home centre
    assert agreement.starts_on == world.term.starts_on
    assert agreement.ends_on == world.term.ends_on


def test_a_split_between_employer_and_opco_must_add_up_to_the_price(world):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        draft(
            world,
            price="1000",
            funding=[
                FundingSpec(payer="employer", amount="400", employer=ACME_SIRET),
                FundingSpec(payer="opco", amount="500", funder="Atlas"),
            ],
        )

    assert caught.value.errors == {
        "funding": ["The shares add up to 900.00 €, not to the price of 1 000.00 €."]
    }
    assert counts() == before
    agreement = draft(
        world,
        price="1000",
        funding=[
            FundingSpec(payer="employer", amount="400", employer=ACME_SIRET),
            FundingSpec(payer="opco", amount="600", funder="Atlas"),
        ],
    )
    assert sum(s.amount for s in agreement.funding.all()) == agreement.price


def test_an_invalid_siret_is_refused_naming_the_employer(world):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        draft(world, employer="73282932000075")

    assert caught.value.errors["employer"] == [
        "73282932000075 is not a valid SIRET (14 digits with a valid key)."
    ]
    assert counts() == before


def test_an_unknown_siret_is_refused(world):
    with pytest.raises(InvalidInput) as caught:
        draft(world, employer=OTHER_SIRET)

    assert caught.value.errors["employer"] == [f"No employer has the SIRET {OTHER_SIRET}."]


def test_the_contact_must_represent_the_employer(world):
    other = Employer.objects.create(name="Globex", siret=OTHER_SIRET)
    stranger = make_user("rh@globex.example.org")
    RoleAssignment.objects.create(user=stranger, role=Role.EMPLOYER_CONTACT, employer=other)

    with pytest.raises(InvalidInput) as caught:
        draft(world, employer_contact=stranger)

    assert caught.value.errors == {
        "employer_contact": ["rh@globex.example.org is not a contact of Acme."]
    }


def test_the_law_requires_title_objective_content_and_assessment(world):
    with pytest.raises(InvalidInput) as caught:
        draft(world, title=" ", objective="", content="", assessment="", hours=0)

    assert {"title", "objective", "content", "assessment", "hours"} <= set(caught.value.errors)


def test_offerings_of_two_years_are_refused(world):
    from cursus.enrolment.tests.fixtures import make_offering, make_open_term

    later = make_offering(world.units["NFE113"], make_open_term(2026, 1), world.paris)

    with pytest.raises(InvalidInput) as caught:
        draft(world, offerings=[world.daytime, later])

    assert list(caught.value.errors) == ["offerings"]


def test_only_the_employers_contacts_sign_for_it(world):
    agreement = draft(world)
    actions.send_agreement(actor=world.registrar, agreement=agreement)
    other = Employer.objects.create(name="Globex", siret=OTHER_SIRET)
    stranger = make_user("rh@globex.example.org")
    RoleAssignment.objects.create(user=stranger, role=Role.EMPLOYER_CONTACT, employer=other)

    for actor in (stranger, world.registrar, world.paris_staff, world.bob.user):
        with pytest.raises(NotAllowed):
            actions.sign_agreement_as_employer(actor=actor, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == "sent"


def test_the_employer_signs_only_a_sent_agreement(world):
    agreement = draft(world)
    before = Event.objects.count()

    with pytest.raises(Conflict) as caught:
        actions.sign_agreement_as_employer(actor=world.contact, agreement=agreement)

    assert caught.value.field == "status"
    assert "CF-2025-00001" in caught.value.message
    assert Event.objects.count() == before


def test_the_institution_signs_after_the_employer_by_staff_of_its_centre(world):
    agreement = draft(world)
    actions.send_agreement(actor=world.registrar, agreement=agreement)
    with pytest.raises(Conflict):
        actions.sign_agreement_as_institution(actor=world.registrar, agreement=agreement)
    actions.sign_agreement_as_employer(actor=world.contact, agreement=agreement)

    for actor in (world.lyon_staff, world.contact, world.bob.user):
        with pytest.raises(NotAllowed):
            actions.sign_agreement_as_institution(actor=actor, agreement=agreement)
    assert actions.sign_agreement_as_institution(
        actor=world.paris_staff, agreement=agreement
    ).signed


def test_only_staff_create_agreements(world):
    for actor in (world.bob.user, world.contact, world.lyon_staff):
        with pytest.raises(NotAllowed):
            draft(world, actor=actor)


def test_cancelling_an_agreement_cancels_its_enrolments_and_gives_the_places_on(world):
    from cursus.catalogue.models import Offering

    Offering.objects.filter(pk=world.daytime.pk).update(capacity=1)
    world.daytime.refresh_from_db()
    agreement = world.signed_agreement(world.bob)
    world.signed_agreement(world.carol)
    bob = actions.enrol(actor=world.registrar, learner=world.bob, offering=world.daytime)
    carol = actions.enrol(actor=world.registrar, learner=world.carol, offering=world.daytime)
    assert carol.waitlisted

    actions.cancel_agreement(actor=world.paris_staff, agreement=agreement, reason="left the firm")

    agreement.refresh_from_db()
    assert agreement.status == "cancelled"
    assert agreement.cancellation_reason == "left the firm"
    assert Enrolment.objects.get(pk=bob.enrolment.pk).status == EnrolmentStatus.CANCELLED
    assert Enrolment.objects.get(pk=carol.enrolment.pk).status == EnrolmentStatus.ENROLLED
    with pytest.raises(Conflict):
        actions.cancel_agreement(actor=world.registrar, agreement=agreement)


def test_a_completed_agreement_cannot_be_cancelled(world):
    agreement = world.signed_agreement(world.bob)
    actions.complete_agreement(actor=world.registrar, agreement=agreement)

    with pytest.raises(Conflict):
        actions.cancel_agreement(actor=world.registrar, agreement=agreement)
