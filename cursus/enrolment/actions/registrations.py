"""Writes of registration: tariffs, a learner's registration for a year, its fee and payers."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import AcademicYear, Centre, Offering
from cursus.core.errors import Conflict, InvalidInput
from cursus.core.events import record_event
from cursus.core.models import Role, User
from cursus.core.scoping import require
from cursus.core.validation import Problems
from cursus.enrolment import queries
from cursus.enrolment.actions.common import (
    FundingSpec,
    academic_year_of,
    centre_by_code,
    funding_state,
    is_staff_for,
    may_act_for,
    money,
    prepare_funding,
    require_staff,
)
from cursus.enrolment.fees import ZERO, rebalance
from cursus.enrolment.models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentStatus,
    FundingShare,
    Learner,
    Payer,
    Rate,
    Registration,
    RegistrationStatus,
    Tariff,
    TariffBasis,
)

TARIFF_AMOUNTS = ("registration_fee", "full_amount", "reduced_amount", "employer_amount")


def _prepare_tariff(
    values: Mapping[str, object], problems: Problems
) -> tuple[AcademicYear | None, Centre | None, dict[str, Decimal | None]]:
    year = academic_year_of(values.get("academic_year"), problems)  # type: ignore[arg-type]
    centre = values.get("centre")
    where = (
        centre_by_code(centre, problems, "centre")  # type: ignore[arg-type]
        if centre not in (None, "")
        else None
    )
    if values.get("basis") not in TariffBasis.values:
        problems.add(
            "basis",
            _("Choose a basis: %(choices)s.") % {"choices": ", ".join(TariffBasis.values)},
        )
    amounts = {name: money(values.get(name), problems, name) for name in TARIFF_AMOUNTS}
    return year, where, amounts


def validate_tariff(*, values: Mapping[str, object]) -> None:
    """Raise InvalidInput if these values would make a bad tariff."""
    problems = Problems()
    _prepare_tariff(values, problems)
    problems.raise_if_any()


@transaction.atomic
def set_tariff(
    *,
    actor: User,
    academic_year: AcademicYear | int,
    centre: Centre | str | None = None,
    basis: str,
    registration_fee: Decimal | str | int,
    full_amount: Decimal | str | int,
    reduced_amount: Decimal | str | int,
    employer_amount: Decimal | str | int,
) -> Tariff:
    """Set a year's fees, for one centre or (without a centre) for every centre without its own.

    Registrations and enrolments keep the fees they were charged; the new amounts
    apply from now on. The registrar only.
    """
    require(actor, Role.REGISTRAR)
    problems = Problems()
    year, where, amounts = _prepare_tariff(
        {
            "academic_year": academic_year,
            "centre": centre,
            "basis": basis,
            "registration_fee": registration_fee,
            "full_amount": full_amount,
            "reduced_amount": reduced_amount,
            "employer_amount": employer_amount,
        },
        problems,
    )
    problems.raise_if_any()
    assert year is not None
    # Locks the tariff's row only: the default ordering joins the (maybe absent) centre.
    existing = (
        Tariff.objects.select_for_update(of=("self",))
        .filter(academic_year=year, centre=where)
        .order_by("pk")
        .first()
    )
    tariff = existing or Tariff(academic_year=year, centre=where)
    created = tariff.pk is None
    tariff.basis = basis
    for name, amount in amounts.items():
        setattr(tariff, name, amount)
    try:
        with transaction.atomic():
            tariff.save()
    except IntegrityError as error:
        raise Conflict(_("This tariff was set at the same time; try again.")) from error
    record_event(
        kind="enrolment.tariff_set",
        subject=tariff,
        actor=actor,
        data={
            "academic_year": year.label,
            "centre": where.code if where is not None else None,
            "basis": basis,
            "created": created,
            **amounts,
        },
    )
    return tariff


def quote(
    *, academic_year: AcademicYear, centre: Centre, rate: str, offerings: Iterable[Offering]
) -> Decimal:
    """Return the teaching fees of offerings at a rate, by the tariff of a centre and year.

    Raise InvalidInput when no tariff applies.
    """
    tariff = _tariff_or_refuse(academic_year, centre, field="academic_year")
    return sum((tariff.charge(rate, offering.unit.ects) for offering in offerings), ZERO)


def _tariff_or_refuse(academic_year: AcademicYear, centre: Centre, *, field: str) -> Tariff:
    tariff = queries.applicable_tariff(academic_year, centre)
    if tariff is None:
        raise InvalidInput(
            {
                field: [
                    _("No tariff is set for %(year)s at %(centre)s.")
                    % {"year": academic_year.label, "centre": centre.name}
                ]
            }
        )
    return tariff


@transaction.atomic
def register(
    *,
    actor: User,
    learner: Learner,
    centre: Centre | str,
    academic_year: AcademicYear | int,
    rate: str = Rate.FULL,
    funding: Sequence[FundingSpec] = (),
) -> Registration:
    """Register a learner for an academic year at a centre; never a selection step.

    The fee starts at the tariff's registration fee and grows with the year's
    enrolments. Without ``funding`` the learner pays it all; a split must add up
    to the fee. Learners may register themselves at the full rate; centre staff
    (of that centre or of the learner's home centre) grant other rates.
    """
    problems = Problems()
    where = centre_by_code(centre, problems, "centre")
    year = academic_year_of(academic_year, problems)
    scope = may_act_for(actor, learner, centre_ids=[where.pk] if where is not None else [])
    if rate not in Rate.values:
        problems.add("rate", _("Choose a rate: %(choices)s.") % {"choices": ", ".join(Rate.values)})
    elif rate != Rate.FULL and not is_staff_for(
        scope, learner, centre_ids=[where.pk] if where is not None else []
    ):
        problems.add("rate", _("Only centre staff may grant the reduced or the employer rate."))
    problems.raise_if_any()
    assert where is not None
    assert year is not None
    tariff = _tariff_or_refuse(year, where, field="academic_year")
    existing = (
        Registration.objects.filter(
            learner=learner, academic_year=year, status=RegistrationStatus.REGISTERED
        )
        .select_related("centre")
        .first()
    )
    if existing is not None:
        raise Conflict(
            _("%(learner)s is already registered for %(year)s, at %(centre)s.")
            % {"learner": learner.full_name, "year": year.label, "centre": existing.centre.name},
            field="academic_year",
        )
    fee = tariff.registration_fee
    specs = list(funding) or [FundingSpec(payer=Payer.LEARNER, amount=fee)]
    shares = prepare_funding(specs, total=fee, problems=problems)
    problems.raise_if_any()
    registration = Registration(
        learner=learner, academic_year=year, centre=where, rate=rate, tariff=tariff, fee=fee
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise Conflict(
            _("%(learner)s was registered for %(year)s at the same time.")
            % {"learner": learner.full_name, "year": year.label},
            field="academic_year",
        ) from error
    for share in shares:
        share.registration = registration
    FundingShare.objects.bulk_create(shares)
    record_event(
        kind="enrolment.registered",
        subject=registration,
        actor=actor,
        data={
            "learner": learner.number,
            "academic_year": year.label,
            "centre": where.code,
            "rate": rate,
            "fee": fee,
            "funding": funding_state(shares),
        },
    )
    return registration


@transaction.atomic
def set_funding(
    *, actor: User, registration: Registration, funding: Sequence[FundingSpec]
) -> Registration:
    """Say who pays a registration's fee; the shares must add up to the fee as it stands."""
    require_staff(actor, centre_ids=[registration.centre_id, registration.learner.home_centre_id])
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.REGISTERED:
        raise Conflict(_("This registration was cancelled."), field="registration")
    problems = Problems()
    shares = prepare_funding(funding, total=registration.fee, problems=problems)
    problems.raise_if_any()
    registration.funding.all().delete()
    for share in shares:
        share.registration = registration
    FundingShare.objects.bulk_create(shares)
    record_event(
        kind="enrolment.funding_set",
        subject=registration,
        actor=actor,
        data={"fee": registration.fee, "funding": funding_state(shares)},
    )
    return registration


@transaction.atomic
def cancel_registration(*, actor: User, registration: Registration, reason: str = "") -> None:
    """Cancel a registration that holds no enrolment or place in a waitlist any more."""
    require_staff(actor, centre_ids=[registration.centre_id, registration.learner.home_centre_id])
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return
    if registration.enrolments.filter(status__in=ACTIVE_STATUSES).exists():
        raise Conflict(
            _("The learner still holds enrolments this year; withdraw them first."),
            field="registration",
        )
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    record_event(
        kind="enrolment.registration_cancelled",
        subject=registration,
        actor=actor,
        data={
            "learner": registration.learner.number,
            "academic_year": str(registration.academic_year),
        },
        reason=reason,
    )


def recompute_fee(registration: Registration) -> Decimal:
    """Bring a locked registration's fee and shares up to date with its enrolments.

    The fee is the registration fee of its tariff and the teaching fees of the
    enrolments holding a place; the learner's share takes the difference (see
    ``fees.rebalance``). The caller holds the registration's row lock.
    """
    teaching: Decimal = (
        Enrolment.objects.filter(
            registration=registration, status=EnrolmentStatus.ENROLLED
        ).aggregate(total=Sum("fee"))["total"]
        or ZERO
    )
    fee = Decimal(registration.tariff.registration_fee) + teaching
    if fee == registration.fee:
        return fee
    registration.fee = fee
    registration.save(update_fields=["fee", "updated_at"])
    shares = list(registration.funding.all())
    learner_index = next((i for i, s in enumerate(shares) if s.payer == Payer.LEARNER), None)
    if learner_index is None:
        shares.append(FundingShare(registration=registration, payer=Payer.LEARNER, amount=ZERO))
        learner_index = len(shares) - 1
    amounts = rebalance([s.amount for s in shares], learner_index=learner_index, total=fee)
    for share, amount in zip(shares, amounts, strict=True):
        # A learner's share is added only when there is something for them to pay.
        if (share.pk is None and amount) or (share.pk is not None and share.amount != amount):
            share.amount = amount
            share.save()
    return fee
