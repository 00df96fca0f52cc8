"""Properties that hold for any input: fee splits, and places and waitlists under any sequence
of enrolments and withdrawals."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from cursus.catalogue.tests.fixtures import make_centre, make_department, make_unit, make_user
from cursus.core.errors import Conflict
from cursus.core.models import Role
from cursus.enrolment.actions import enrol, register, withdraw
from cursus.enrolment.fees import euros, format_euros, rebalance
from cursus.enrolment.models import Enrolment, EnrolmentStatus
from cursus.enrolment.tests.fixtures import make_learner, make_offering, make_open_term, make_tariff

cents = st.integers(min_value=0, max_value=10_000_00).map(lambda n: Decimal(n) / 100)


@given(shares=st.lists(cents, min_size=1, max_size=5), total=cents, data=st.data())
def test_a_rebalanced_split_adds_up_and_no_share_is_negative(shares, total, data):
    learner_index = data.draw(st.integers(min_value=0, max_value=len(shares) - 1))

    result = rebalance(shares, learner_index=learner_index, total=total)

    assert sum(result) == total
    assert all(amount >= 0 for amount in result)
    # Funders never pay more than they agreed to.
    assert all(
        new <= old
        for i, (old, new) in enumerate(zip(shares, result, strict=True))
        if i != learner_index
    )


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_euros_read_back_what_format_writes(cents_value):
    amount = Decimal(cents_value) / 100
    assert euros(format_euros(amount).removesuffix(" €").replace(" ", "")) == amount


@pytest.mark.parametrize("text", ["12.345", "abc", "NaN", "Infinity", ""])
def test_euros_refuse_what_is_not_an_amount_to_the_cent(text):
    assert euros(text) is None


LEARNERS = 6


class PlacesAndWaitlist(RuleBasedStateMachine):
    """Enrol and withdraw learners in one offering; compare with a model of places and queue."""

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        centre = make_centre()
        term = make_open_term()
        make_tariff(term.academic_year)
        unit = make_unit("NFA008", make_department())
        self.capacity = 2
        self.offering = make_offering(unit, term, centre, capacity=self.capacity)
        self.registrar = make_user("registrar@example.org", Role.REGISTRAR)
        self.learners = [make_learner(f"A-{n:07d}", centre) for n in range(LEARNERS)]
        for learner in self.learners:
            register(
                actor=self.registrar,
                learner=learner,
                centre=centre,
                academic_year=term.academic_year,
            )
        self.enrolled: set[int] = set()
        self.queue: list[int] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @rule(index=st.integers(min_value=0, max_value=LEARNERS - 1))
    def enrol_learner(self, index: int) -> None:
        learner = self.learners[index]
        if learner.pk in self.enrolled or learner.pk in self.queue:
            with pytest.raises(Conflict):
                enrol(actor=self.registrar, learner=learner, offering=self.offering)
            return
        outcome = enrol(actor=self.registrar, learner=learner, offering=self.offering)
        if len(self.enrolled) < self.capacity:
            assert outcome.enrolled
            self.enrolled.add(learner.pk)
        else:
            assert outcome.waitlisted
            self.queue.append(learner.pk)
            assert outcome.position == len(self.queue)

    @rule(index=st.integers(min_value=0, max_value=LEARNERS - 1))
    def withdraw_learner(self, index: int) -> None:
        learner = self.learners[index]
        active = Enrolment.objects.filter(
            learner=learner, offering=self.offering, status__in=["enrolled", "waitlisted"]
        ).first()
        assert (active is not None) == (learner.pk in self.enrolled or learner.pk in self.queue)
        if active is None:
            return
        outcome = withdraw(actor=self.registrar, enrolment=active)
        if learner.pk in self.enrolled:
            self.enrolled.remove(learner.pk)
            if self.queue:
                first = self.queue.pop(0)
                self.enrolled.add(first)
                assert [e.learner_id for e in outcome.promoted] == [first]
            else:
                assert outcome.promoted == ()
        else:
            self.queue.remove(learner.pk)
            assert outcome.promoted == ()

    @invariant()
    def places_and_queue_match_the_model(self) -> None:
        rows = Enrolment.objects.filter(offering=self.offering).order_by("pk")
        enrolled = {e.learner_id for e in rows if e.status == EnrolmentStatus.ENROLLED}
        queue = [e.learner_id for e in rows if e.status == EnrolmentStatus.WAITLISTED]
        assert len(enrolled) <= self.capacity
        assert enrolled == self.enrolled
        assert queue == self.queue
        # Nobody waits while a place is free.
        assert not queue or len(enrolled) == self.capacity


@pytest.mark.django_db
def test_any_sequence_of_enrolments_and_withdrawals_keeps_places_and_order():
    run_state_machine_as_test(
        PlacesAndWaitlist,
        settings=settings(max_examples=40, stateful_step_count=25, deadline=None),
    )
