"""Writes of individual training contracts (contrats de formation professionnelle).

A learner who pays for their own courses signs a contract stating the training
and its price. For ten days from signing they may withdraw without paying
anything (Code du travail, L6353-5); afterwards the price is due.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import Centre, Offering
from cursus.core.errors import Conflict
from cursus.core.events import record_event
from cursus.core.models import User
from cursus.core.validation import Problems
from cursus.enrolment.actions.common import (
    centre_by_code,
    fill_training_terms,
    is_staff_for,
    lock_offerings,
    long_date,
    may_act_for,
    money,
    offerings_of_one_year,
    save_with_next_number,
)
from cursus.enrolment.actions.enrolments import end_enrolments
from cursus.enrolment.actions.registrations import quote
from cursus.enrolment.models import (
    ACTIVE_STATUSES,
    ContractStatus,
    EnrolmentStatus,
    Learner,
    Rate,
    Registration,
    RegistrationStatus,
    TrainingContract,
)

CONTRACT_NUMBER_PREFIX = "CP"
# The learner may withdraw during the ten days that follow the day of signing.
WITHDRAWAL_DAYS = 10


def withdrawal_period_end(signed_on: date) -> date:
    """Return the last day on which a contract signed on a day may be withdrawn from."""
    return signed_on + timedelta(days=WITHDRAWAL_DAYS)


@transaction.atomic
def create_contract(
    *,
    actor: User,
    learner: Learner,
    offerings: Sequence[Offering | int],
    title: str,
    objective: str,
    content: str,
    assessment: str,
    hours: int | None = None,
    price: Decimal | str | int | None = None,
    centre: Centre | str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> TrainingContract:
    """Draw up an individual training contract for a self-paying learner.

    The centre defaults to the learner's home centre, the duration to the units'
    hours, the dates to the terms', and the price to the units' fees at the rate
    of the learner's registration for the year (the full rate without one).
    Learners may draw up their own, at that price; staff may set another.
    """
    problems = Problems()
    where = (
        centre_by_code(centre, problems, "centre")
        if centre not in (None, "")
        else learner.home_centre
    )
    centre_ids = [where.pk] if where is not None else []
    scope = may_act_for(actor, learner, centre_ids=centre_ids)
    chosen, year = offerings_of_one_year(offerings, problems)
    contract = TrainingContract(learner=learner, status=ContractStatus.DRAFT)
    fill_training_terms(
        contract,
        offerings=chosen,
        title=title,
        objective=objective,
        content=content,
        assessment=assessment,
        hours=hours,
        starts_on=starts_on,
        ends_on=ends_on,
        problems=problems,
    )
    amount: Decimal | None = None
    if price is not None:
        if not is_staff_for(scope, learner, centre_ids=centre_ids):
            problems.add("price", _("Only centre staff may set a contract's price."))
        amount = money(price, problems, "price")
    elif year is not None and where is not None and chosen:
        registration = Registration.objects.filter(
            learner=learner, academic_year=year, status=RegistrationStatus.REGISTERED
        ).first()
        rate = registration.rate if registration is not None else Rate.FULL
        amount = quote(academic_year=year, centre=where, rate=rate, offerings=chosen)
    problems.raise_if_any()
    assert year is not None
    assert where is not None
    assert amount is not None
    contract.centre = where
    contract.academic_year = year
    contract.price = amount
    save_with_next_number(contract, f"{CONTRACT_NUMBER_PREFIX}-{year.start_year}-")
    contract.offerings.set(chosen)
    record_event(
        kind="enrolment.contract_created",
        subject=contract,
        actor=actor,
        data={
            "number": contract.number,
            "learner": learner.number,
            "centre": where.code,
            "offerings": [offering.pk for offering in chosen],
            "units": [offering.unit.code for offering in chosen],
            "hours": contract.hours,
            "price": amount,
        },
    )
    return contract


def _locked(contract: TrainingContract) -> TrainingContract:
    return (
        TrainingContract.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=contract.pk)
    )


@transaction.atomic
def sign_contract(*, actor: User, contract: TrainingContract) -> TrainingContract:
    """Record the learner's signature of a draft contract; the withdrawal period starts.

    The learner signs from their own pages, or staff record a signature on paper.
    """
    may_act_for(actor, contract.learner, centre_ids=[contract.centre_id])
    contract = _locked(contract)
    if contract.status != ContractStatus.DRAFT:
        raise Conflict(
            _("Contract %(number)s is “%(status)s”: only a draft can be signed.")
            % {"number": contract.number, "status": contract.get_status_display()},
            field="status",
        )
    contract.status = ContractStatus.SIGNED
    contract.signed_at = timezone.now()
    contract.signed_by = actor
    contract.withdrawal_ends_on = withdrawal_period_end(timezone.localdate())
    contract.save(
        update_fields=["status", "signed_at", "signed_by", "withdrawal_ends_on", "updated_at"]
    )
    record_event(
        kind="enrolment.contract_signed",
        subject=contract,
        actor=actor,
        data={"number": contract.number, "withdrawal_ends_on": contract.withdrawal_ends_on},
    )
    return contract


@transaction.atomic
def withdraw_from_contract(
    *, actor: User, contract: TrainingContract, reason: str = ""
) -> TrainingContract:
    """Withdraw from a signed contract within its withdrawal period, owing nothing.

    The enrolments the contract covers are withdrawn too, whatever the term's
    deadline, and the places they free go to the first waiting. After the
    period the learner can no longer withdraw from the contract: the price is due.
    """
    may_act_for(actor, contract.learner, centre_ids=[contract.centre_id])
    lock_offerings(contract.offerings.all())
    contract = _locked(contract)
    if contract.status != ContractStatus.SIGNED:
        raise Conflict(
            _("Contract %(number)s is “%(status)s”: only a signed contract can be withdrawn from.")
            % {"number": contract.number, "status": contract.get_status_display()},
            field="status",
        )
    assert contract.withdrawal_ends_on is not None
    if timezone.localdate() > contract.withdrawal_ends_on:
        raise Conflict(
            _("The withdrawal period of contract %(number)s ended on %(date)s: the price is due.")
            % {"number": contract.number, "date": long_date(contract.withdrawal_ends_on)},
            field="status",
        )
    contract.status = ContractStatus.WITHDRAWN
    contract.withdrawn_at = timezone.now()
    contract.save(update_fields=["status", "withdrawn_at", "updated_at"])
    covered = list(
        contract.enrolments.filter(status__in=ACTIVE_STATUSES).select_related("offering")
    )
    if covered:
        end_enrolments(
            actor=actor, enrolments=covered, status=EnrolmentStatus.WITHDRAWN, reason=reason
        )
    record_event(
        kind="enrolment.contract_withdrawn",
        subject=contract,
        actor=actor,
        data={"number": contract.number, "enrolments_withdrawn": [e.pk for e in covered]},
        reason=reason,
    )
    return contract


@transaction.atomic
def cancel_contract(
    *, actor: User, contract: TrainingContract, reason: str = ""
) -> TrainingContract:
    """Cancel a contract still in draft: it will not be signed, and nothing is owed.

    The enrolments it already covers end with it, as on a withdrawal, and the
    places they free go to the first waiting.
    """
    may_act_for(actor, contract.learner, centre_ids=[contract.centre_id])
    lock_offerings(contract.offerings.all())
    contract = _locked(contract)
    if contract.status != ContractStatus.DRAFT:
        raise Conflict(
            _("Contract %(number)s is “%(status)s”: only a draft can be cancelled.")
            % {"number": contract.number, "status": contract.get_status_display()},
            field="status",
        )
    contract.status = ContractStatus.CANCELLED
    contract.cancelled_at = timezone.now()
    contract.save(update_fields=["status", "cancelled_at", "updated_at"])
    covered = list(
        contract.enrolments.filter(status__in=ACTIVE_STATUSES).select_related("offering")
    )
    if covered:
        end_enrolments(
            actor=actor, enrolments=covered, status=EnrolmentStatus.WITHDRAWN, reason=reason
        )
    record_event(
        kind="enrolment.contract_cancelled",
        subject=contract,
        actor=actor,
        data={"number": contract.number, "enrolments_withdrawn": [e.pk for e in covered]},
        reason=reason,
    )
    return contract
