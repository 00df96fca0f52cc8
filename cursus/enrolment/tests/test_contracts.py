from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.core.models import Event
from cursus.enrolment import actions, queries
from cursus.enrolment.models import Enrolment, EnrolmentStatus, Registration, TrainingContract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def draft(world, **overrides):
    values = {
        "actor": world.bob.user,
        "learner": world.bob,
        "offerings": [world.evening, world.distance],
        "title": "Bases de données et applications",
        "objective": "Concevoir une base de données relationnelle.",
        "content": "Modèle relationnel, SQL, applications.",
        "assessment": "Examen écrit en session 1 ou 2.",
        "hours": 100,
    }
    return actions.create_contract(**{**values, **overrides})


def test_a_learner_draws_up_their_contract_priced_at_their_rate(world):
    contract = draft(world)

    assert contract.number == "CP-2025-00001"
    assert contract.price == Decimal("500.00")  # 10 ECTS at 50 €
    assert contract.status == "draft"
    assert contract.centre == world.paris


def test_only_staff_set_a_price(world):
    with pytest.raises(InvalidInput) as caught:
        draft(world, price="1")
    assert list(caught.value.errors) == ["price"]

    assert draft(world, actor=world.paris_staff, price="420").price == Decimal("420.00")


def test_nobody_else_draws_up_a_learners_contract(world):
    for actor in (world.carol.user, world.lyon_staff, world.contact):
        with pytest.raises(NotAllowed):
            draft(world, actor=actor)


def test_signing_opens_a_ten_day_withdrawal_period(world):
    contract = actions.sign_contract(actor=world.bob.user, contract=draft(world))

    assert contract.status == "signed"
    assert contract.signed_by == world.bob.user
    assert contract.withdrawal_ends_on == timezone.localdate() + timedelta(days=10)
    with pytest.raises(Conflict):
        actions.sign_contract(actor=world.bob.user, contract=contract)


def test_withdrawal_within_ten_days_owes_nothing_and_withdraws_the_enrolments(world):
    contract = draft(world)
    outcome = actions.enrol(
        actor=world.bob.user, learner=world.bob, offering=world.evening, contract=contract
    )
    assert outcome.enrolment.fee == 0  # priced by the contract
    actions.sign_contract(actor=world.bob.user, contract=contract)
    statement = queries.fee_statement(
        world.bob.user,
        payer=queries.PayerRef(kind="learner", learner=world.bob),
        academic_year=world.year,
    )
    assert [line.document for line in statement.lines] == ["registration", "contract"]

    contract = actions.withdraw_from_contract(actor=world.bob.user, contract=contract)

    assert contract.status == "withdrawn"
    assert Enrolment.objects.get(pk=outcome.enrolment.pk).status == EnrolmentStatus.WITHDRAWN
    statement = queries.fee_statement(
        world.bob.user,
        payer=queries.PayerRef(kind="learner", learner=world.bob),
        academic_year=world.year,
    )
    assert [line.document for line in statement.lines] == ["registration"]
    assert [e.kind for e in events_about(contract)] == [
        "enrolment.contract_created",
        "enrolment.contract_signed",
        "enrolment.contract_withdrawn",
    ]


def test_withdrawal_on_the_tenth_day_is_still_allowed(world):
    contract = actions.sign_contract(actor=world.bob.user, contract=draft(world))
    TrainingContract.objects.filter(pk=contract.pk).update(withdrawal_ends_on=timezone.localdate())

    assert actions.withdraw_from_contract(actor=world.bob.user, contract=contract).status == (
        "withdrawn"
    )


def test_withdrawal_after_ten_days_is_refused_and_changes_nothing(world):
    contract = actions.sign_contract(actor=world.bob.user, contract=draft(world))
    # Eleven days have passed since the learner signed.
    signed_on = timezone.localdate() - timedelta(days=11)
    TrainingContract.objects.filter(pk=contract.pk).update(
        withdrawal_ends_on=actions.withdrawal_period_end(signed_on)
    )
    before = Event.objects.count()

    with pytest.raises(Conflict) as caught:
        actions.withdraw_from_contract(actor=world.bob.user, contract=contract)

    assert "withdrawal period of contract CP-2025-00001 ended on" in caught.value.message
    assert "the price is due" in caught.value.message
    contract.refresh_from_db()
    assert contract.status == "signed"
    assert Event.objects.count() == before


def test_a_draft_cannot_be_withdrawn_from(world):
    with pytest.raises(Conflict):
        actions.withdraw_from_contract(actor=world.bob.user, contract=draft(world))


def test_a_contract_covers_only_its_own_offerings(world):
    contract = draft(world, offerings=[world.distance])

    with pytest.raises(Conflict) as caught:
        actions.enrol(
            actor=world.bob.user, learner=world.bob, offering=world.evening, contract=contract
        )

    assert caught.value.field == "contract"
    assert Registration.objects.get(learner=world.bob).fee == 100


def test_a_draft_is_cancelled_with_its_enrolments_and_frees_their_places(world):
    contract = draft(world)
    outcome = actions.enrol(
        actor=world.bob.user, learner=world.bob, offering=world.evening, contract=contract
    )
    contract = actions.cancel_contract(
        actor=world.bob.user, contract=contract, reason="Changed plans"
    )

    assert contract.status == "cancelled"
    assert contract.cancelled_at is not None
    assert Enrolment.objects.get(pk=outcome.enrolment.pk).status == EnrolmentStatus.WITHDRAWN
    statement = queries.fee_statement(
        world.bob.user,
        payer=queries.PayerRef(kind="learner", learner=world.bob),
        academic_year=world.year,
    )
    assert "contract" not in [line.document for line in statement.lines]
    assert [e.kind for e in events_about(contract)] == [
        "enrolment.contract_created",
        "enrolment.contract_cancelled",
    ]
    with pytest.raises(Conflict):
        actions.enrol(
            actor=world.bob.user, learner=world.bob, offering=world.evening, contract=contract
        )


def test_only_a_draft_is_cancelled_and_only_by_those_who_act_for_the_learner(world):
    contract = draft(world)
    for someone in (world.carol.user, world.lyon_staff, world.contact):
        with pytest.raises(NotAllowed):
            actions.cancel_contract(actor=someone, contract=contract)
    signed = actions.sign_contract(actor=world.bob.user, contract=contract)
    before = Event.objects.count()
    with pytest.raises(Conflict) as caught:
        actions.cancel_contract(actor=world.paris_staff, contract=signed)
    assert caught.value.field == "status"
    assert TrainingContract.objects.get(pk=contract.pk).status == "signed"
    assert Event.objects.count() == before
