from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cursus.catalogue.models import Offering, OfferingSlot
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about, verify_chain
from cursus.core.models import Event
from cursus.enrolment.actions import enrol, fill_places, withdraw
from cursus.enrolment.models import Enrolment, EnrolmentStatus, Registration
from cursus.enrolment.tests.fixtures import make_learner, make_offering, make_open_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def counts():
    return Enrolment.objects.count(), Event.objects.count()


def test_learner_registered_in_lyon_enrols_in_paris_evening_and_distance_units(world):
    evening = enrol(actor=world.alice.user, learner=world.alice, offering=world.evening)
    distance = enrol(actor=world.alice.user, learner=world.alice, offering=world.distance)

    assert evening.enrolled
    assert distance.enrolled
    assert evening.position is None
    registration = Registration.objects.get(learner=world.alice)
    assert registration.centre == world.lyon
    assert {e.registration_id for e in (evening.enrolment, distance.enrolment)} == {registration.pk}
    assert [event.kind for event in events_about(evening.enrolment)] == ["enrolment.enrolled"]


def test_full_offering_puts_learner_on_waitlist(world):
    for learner in (world.alice, world.bob):
        enrol(actor=world.registrar, learner=learner, offering=world.evening)

    outcome = enrol(actor=world.carol.user, learner=world.carol, offering=world.evening)

    assert outcome.waitlisted
    assert outcome.position == 1
    assert outcome.enrolment.enrolled_at is None
    assert outcome.enrolment.fee == 0
    assert [e.kind for e in events_about(outcome.enrolment)] == ["enrolment.waitlisted"]


def test_waitlist_is_first_come_first_served(world):
    for learner in (world.alice, world.bob):
        enrol(actor=world.registrar, learner=learner, offering=world.evening)
    others = [make_learner(f"A-00001{n:02d}", world.paris) for n in range(3)]
    for learner in others:
        world.register(learner)
    positions = []
    for learner in [world.carol, *others]:
        positions.append(
            enrol(actor=world.registrar, learner=learner, offering=world.evening).position
        )

    assert positions == [1, 2, 3, 4]


def test_withdrawal_promotes_the_first_waiting_and_mails_them_after_commit(
    world, django_capture_on_commit_callbacks
):
    first = enrol(actor=world.registrar, learner=world.alice, offering=world.evening)
    enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    waiting = enrol(actor=world.registrar, learner=world.carol, offering=world.evening)
    dan = make_learner("A-0000099", world.paris)
    world.register(dan)
    second_waiting = enrol(actor=world.registrar, learner=dan, offering=world.evening)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = withdraw(actor=world.alice.user, enrolment=first.enrolment)
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()

    assert outcome.enrolment.status == EnrolmentStatus.WITHDRAWN
    assert [e.pk for e in outcome.promoted] == [waiting.enrolment.pk]
    waiting.enrolment.refresh_from_db()
    assert waiting.enrolment.status == EnrolmentStatus.ENROLLED
    assert waiting.enrolment.enrolled_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.carol.email]
    assert "NFA008" in mail.outbox[0].subject
    assert (
        Enrolment.objects.filter(offering=world.evening, status=EnrolmentStatus.ENROLLED).count()
        == 2
    )
    assert Enrolment.objects.get(pk=second_waiting.enrolment.pk).status == "waitlisted"
    assert [e.kind for e in events_about(waiting.enrolment)] == [
        "enrolment.waitlisted",
        "enrolment.promoted",
    ]
    assert verify_chain() is None


def test_leaving_the_waitlist_promotes_nobody_and_moves_the_others_up(world):
    for learner in (world.alice, world.bob):
        enrol(actor=world.registrar, learner=learner, offering=world.evening)
    carol = enrol(actor=world.registrar, learner=world.carol, offering=world.evening)
    dan = make_learner("A-0000099", world.paris)
    world.register(dan)
    dan_waiting = enrol(actor=world.registrar, learner=dan, offering=world.evening)

    outcome = withdraw(actor=world.carol.user, enrolment=carol.enrolment)

    assert outcome.promoted == ()
    from cursus.enrolment.actions import waitlist_position

    dan_waiting.enrolment.refresh_from_db()
    assert waitlist_position(dan_waiting.enrolment) == 1


def test_a_promoted_learner_is_charged_the_teaching_fee(world):
    first = enrol(actor=world.registrar, learner=world.alice, offering=world.evening)
    enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    enrol(actor=world.registrar, learner=world.carol, offering=world.evening)
    carol_registration = Registration.objects.get(learner=world.carol)
    assert carol_registration.fee == 100

    withdraw(actor=world.registrar, enrolment=first.enrolment)

    carol_registration.refresh_from_db()
    assert carol_registration.fee == 100 + 6 * 50
    alice_registration = Registration.objects.get(learner=world.alice)
    assert alice_registration.fee == 100


def test_unregistered_learner_is_refused_naming_the_year_and_nothing_changes(world):
    before = counts()

    with pytest.raises(Conflict) as caught:
        enrol(actor=world.registrar, learner=world.dan, offering=world.evening)

    assert caught.value.field == "learner"
    assert "not registered for 2025–2026" in caught.value.message
    assert counts() == before


def test_registration_at_any_centre_is_enough(world):
    lyon_only = make_learner("A-0000050", world.lyon)
    world.register(lyon_only, centre=world.lyon)

    assert enrol(actor=world.registrar, learner=lyon_only, offering=world.evening).enrolled


@pytest.mark.parametrize(
    ("opens", "closes", "words"), [(-20, -1, "closed on"), (2, 10, "opens on")]
)
def test_enrolment_outside_the_window_is_refused(world, opens, closes, words):
    other_term = make_open_term(2025, 2, opens=opens, closes=closes)
    offering = make_offering(world.units["NFE113"], other_term, world.paris)
    before = counts()

    with pytest.raises(Conflict) as caught:
        enrol(actor=world.registrar, learner=world.bob, offering=offering)

    assert caught.value.field == "offering"
    assert words in caught.value.message
    assert counts() == before


def test_a_second_enrolment_in_the_same_offering_is_refused(world):
    enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    before = counts()

    with pytest.raises(Conflict) as caught:
        enrol(actor=world.registrar, learner=world.bob, offering=world.evening)

    assert "already enrolled in NFA008" in caught.value.message
    assert counts() == before


def test_a_second_enrolment_in_the_same_unit_and_term_elsewhere_is_refused(world):
    enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    in_lyon = make_offering(world.units["NFA008"], world.term, world.lyon)
    before = counts()

    with pytest.raises(Conflict) as caught:
        enrol(actor=world.registrar, learner=world.bob, offering=in_lyon)

    assert caught.value.field == "offering"
    assert "at Paris" in caught.value.message
    assert counts() == before


def test_the_database_itself_refuses_two_active_enrolments_in_a_unit_and_term(world):
    from django.db import IntegrityError, transaction

    first = enrol(actor=world.registrar, learner=world.bob, offering=world.evening).enrolment
    in_lyon = make_offering(world.units["NFA008"], world.term, world.lyon)

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            learner=world.bob,
            offering=in_lyon,
            registration=first.registration,
            unit=first.unit,
            term=first.term,
            status=EnrolmentStatus.WAITLISTED,
        )


def test_enrolling_again_after_withdrawing_is_allowed(world):
    first = enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    withdraw(actor=world.registrar, enrolment=first.enrolment)

    assert enrol(actor=world.registrar, learner=world.bob, offering=world.evening).enrolled


def test_daytime_offering_without_a_signed_agreement_is_refused(world):
    before = counts()

    with pytest.raises(Conflict) as caught:
        enrol(actor=world.bob.user, learner=world.bob, offering=world.daytime)

    assert caught.value.field == "agreement"
    assert "training agreement" in caught.value.message
    assert counts() == before


def test_daytime_offering_with_an_agreement_signed_by_the_employer_only_is_refused(world):
    from cursus.enrolment import actions

    agreement = actions.create_agreement(
        actor=world.registrar,
        employer=world.acme,
        employer_contact=world.contact,
        learner=world.bob,
        offerings=[world.daytime],
        title="T",
        objective="O",
        content="C",
        assessment="A",
        hours=30,
    )
    actions.send_agreement(actor=world.registrar, agreement=agreement)
    actions.sign_agreement_as_employer(actor=world.contact, agreement=agreement)
    before = counts()

    with pytest.raises(Conflict) as caught:
        enrol(actor=world.registrar, learner=world.bob, offering=world.daytime, agreement=agreement)

    assert caught.value.field == "agreement"
    assert counts() == before


def test_daytime_offering_with_a_signed_agreement_is_priced_by_the_agreement(world):
    agreement = world.signed_agreement(world.bob)

    outcome = enrol(actor=world.bob.user, learner=world.bob, offering=world.daytime)

    assert outcome.enrolled
    assert outcome.enrolment.agreement == agreement
    assert outcome.enrolment.fee == 0
    assert Registration.objects.get(learner=world.bob).fee == 100


def test_an_agreement_for_another_learner_does_not_cover(world):
    world.signed_agreement(world.carol)

    with pytest.raises(Conflict):
        enrol(actor=world.registrar, learner=world.bob, offering=world.daytime)


def test_unpublished_offering_is_refused(world):
    Offering.objects.filter(pk=world.evening.pk).update(published=False)

    with pytest.raises(Conflict) as caught:
        enrol(actor=world.registrar, learner=world.bob, offering=world.evening)

    assert "forecast" in caught.value.message


def test_withdrawal_past_the_deadline_is_refused_and_changes_nothing(world):
    outcome = enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    term = world.term
    term.withdrawal_deadline = timezone.localdate() - timedelta(days=1)
    term.save()
    before = counts()

    with pytest.raises(Conflict) as caught:
        withdraw(actor=world.bob.user, enrolment=outcome.enrolment)

    assert caught.value.field == "enrolment"
    assert "withdrawal deadline" in caught.value.message
    assert counts() == before
    outcome.enrolment.refresh_from_db()
    assert outcome.enrolment.status == EnrolmentStatus.ENROLLED


def test_leaving_a_waitlist_is_allowed_after_the_deadline(world):
    for learner in (world.alice, world.bob):
        enrol(actor=world.registrar, learner=learner, offering=world.evening)
    waiting = enrol(actor=world.registrar, learner=world.carol, offering=world.evening)
    world.term.withdrawal_deadline = timezone.localdate() - timedelta(days=1)
    world.term.save()

    assert withdraw(actor=world.carol.user, enrolment=waiting.enrolment).enrolment.status == (
        "withdrawn"
    )


def test_withdrawing_twice_is_refused(world):
    outcome = enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    withdraw(actor=world.registrar, enrolment=outcome.enrolment)

    with pytest.raises(Conflict):
        withdraw(actor=world.registrar, enrolment=outcome.enrolment)


def test_the_same_idempotency_key_enrols_once(world):
    first = enrol(
        actor=world.bob.user, learner=world.bob, offering=world.evening, idempotency_key="k1"
    )
    before = counts()

    again = enrol(
        actor=world.bob.user, learner=world.bob, offering=world.evening, idempotency_key="k1"
    )

    assert again.replayed
    assert again.enrolment.pk == first.enrolment.pk
    assert again.enrolled
    assert counts() == before


def test_an_idempotency_key_reused_for_another_offering_is_refused(world):
    enrol(actor=world.bob.user, learner=world.bob, offering=world.evening, idempotency_key="k1")

    with pytest.raises(InvalidInput) as caught:
        enrol(
            actor=world.bob.user, learner=world.bob, offering=world.distance, idempotency_key="k1"
        )

    assert list(caught.value.errors) == ["idempotency_key"]


def test_idempotency_keys_belong_to_each_learner(world):
    enrol(actor=world.registrar, learner=world.bob, offering=world.evening, idempotency_key="same")

    outcome = enrol(
        actor=world.registrar, learner=world.carol, offering=world.evening, idempotency_key="same"
    )

    assert not outcome.replayed
    assert outcome.enrolment.learner == world.carol


def test_timetable_clash_is_a_warning_not_a_refusal(world):
    clashing = make_offering(
        world.units["NFE113"], world.term, world.lyon, slots=((1, time(19), time(22)),)
    )
    enrol(actor=world.registrar, learner=world.alice, offering=world.evening)

    outcome = enrol(actor=world.registrar, learner=world.alice, offering=clashing)

    assert outcome.enrolled
    assert len(outcome.clashes) == 1
    clash = outcome.clashes[0]
    assert (clash.offering, clash.other) == (clashing, world.evening)
    assert clash.slot is not None
    assert clash.other_slot is not None
    assert clash.slot.weekday == clash.other_slot.weekday == 1


def test_classes_at_the_same_hour_in_other_time_zones_do_not_clash(world):
    from cursus.catalogue.tests.fixtures import make_centre

    beirut = make_centre("beyrouth", "Beyrouth", "abroad")
    beirut.time_zone = "Asia/Beirut"
    beirut.save()
    abroad = make_offering(world.units["NFE113"], world.term, beirut)  # Tuesday 18:00–21:00 there
    enrol(actor=world.registrar, learner=world.alice, offering=world.evening)

    outcome = enrol(actor=world.registrar, learner=world.alice, offering=abroad)

    # 18:00–21:00 in Beirut is 17:00–20:00 in Paris or earlier: it overlaps Paris 18:00–21:00.
    assert len(outcome.clashes) == 1
    OfferingSlot.objects.filter(offering=abroad).update(starts_at=time(8), ends_at=time(10))
    withdraw(actor=world.registrar, enrolment=outcome.enrolment)
    assert enrol(actor=world.registrar, learner=world.alice, offering=abroad).clashes == ()


def test_recommended_prior_units_are_advice_not_a_block(world):
    outcome = enrol(actor=world.bob.user, learner=world.bob, offering=world.distance)

    assert outcome.enrolled
    assert [unit.code for unit in outcome.advice] == ["NFA008"]


def test_no_advice_for_prior_units_held(world):
    outcome = enrol(
        actor=world.bob.user, learner=world.bob, offering=world.distance, held_units={"nfa008"}
    )

    assert outcome.advice == ()


def test_a_learner_cannot_enrol_someone_else(world):
    before = counts()

    with pytest.raises(NotAllowed):
        enrol(actor=world.bob.user, learner=world.carol, offering=world.evening)

    assert counts() == before


@pytest.mark.parametrize(
    ("staff", "learner", "allowed"),
    [
        ("lyon_staff", "alice", True),  # the learner's home centre
        ("paris_staff", "alice", True),  # the offering's centre
        ("lyon_staff", "bob", False),  # neither
        ("teacher", "bob", False),
    ],
)
def test_centre_staff_enrol_for_their_learners_and_in_their_offerings(
    world, staff, learner, allowed
):
    actor = getattr(world, staff)
    who = getattr(world, learner)
    if allowed:
        assert enrol(actor=actor, learner=who, offering=world.evening).enrolled
    else:
        with pytest.raises(NotAllowed):
            enrol(actor=actor, learner=who, offering=world.evening)


def test_withdrawal_permissions_follow_enrolment_permissions(world):
    outcome = enrol(actor=world.registrar, learner=world.bob, offering=world.evening)

    with pytest.raises(NotAllowed):
        withdraw(actor=world.carol.user, enrolment=outcome.enrolment)
    with pytest.raises(NotAllowed):
        withdraw(actor=world.lyon_staff, enrolment=outcome.enrolment)
    assert withdraw(actor=world.paris_staff, enrolment=outcome.enrolment).enrolment.status == (
        "withdrawn"
    )


def test_places_added_to_an_offering_go_to_the_first_waiting(world):
    for learner in (world.alice, world.bob, world.carol):
        enrol(actor=world.registrar, learner=learner, offering=world.evening)
    Offering.objects.filter(pk=world.evening.pk).update(capacity=3)

    promoted = fill_places(actor=world.paris_staff, offering=world.evening)

    assert [e.learner for e in promoted] == [world.carol]
    with pytest.raises(NotAllowed):
        fill_places(actor=world.lyon_staff, offering=world.evening)
