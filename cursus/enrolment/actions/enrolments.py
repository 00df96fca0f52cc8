"""Writes of enrolment in offerings: places, first-come waitlists, withdrawal and promotion.

An offering's row is locked before its places are counted, so that concurrent
requests take places one after the other: the offering never holds more
enrolled learners than its capacity, and the waitlist keeps the order in which
requests took the lock. The database refuses a second active enrolment of a
learner in a unit and term, and a second use of a learner's idempotency key.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cursus.catalogue.models import Formula, Offering, OfferingSlot, Unit
from cursus.core.errors import Conflict, InvalidInput
from cursus.core.events import record_event
from cursus.core.models import User
from cursus.enrolment.actions.common import (
    lock_offering,
    lock_offerings,
    long_date,
    may_act_for,
    require_staff,
)
from cursus.enrolment.actions.registrations import recompute_fee
from cursus.enrolment.clashes import Clash, clashes_between
from cursus.enrolment.fees import ZERO
from cursus.enrolment.models import (
    ACTIVE_STATUSES,
    AgreementStatus,
    ContractStatus,
    Enrolment,
    EnrolmentStatus,
    Learner,
    Registration,
    RegistrationStatus,
    TrainingAgreement,
    TrainingContract,
)

IDEMPOTENCY_KEY_MAX_LENGTH = 100


@dataclass(frozen=True, slots=True)
class EnrolmentOutcome:
    """What an enrolment request gave: a place, or a place in the waitlist, and advice.

    ``position`` is the place in the waitlist (1 for the first), None when
    enrolled. ``clashes`` are the learner's other offerings of the term that meet
    at the same time (a warning, not a refusal); ``advice`` the recommended prior
    units the learner neither holds nor has followed. ``replayed`` is true when
    the request repeated an earlier one with the same idempotency key: nothing
    was changed and the earlier enrolment is returned as it stands now.
    """

    enrolment: Enrolment
    position: int | None
    clashes: tuple[Clash, ...] = ()
    advice: tuple[Unit, ...] = ()
    replayed: bool = False

    @property
    def enrolled(self) -> bool:
        """Tell whether the learner has a place."""
        return self.enrolment.status == EnrolmentStatus.ENROLLED

    @property
    def waitlisted(self) -> bool:
        """Tell whether the learner waits for a place."""
        return self.enrolment.status == EnrolmentStatus.WAITLISTED


@dataclass(frozen=True, slots=True)
class WithdrawalOutcome:
    """The enrolment withdrawn, and the waiting enrolments promoted to the place it freed."""

    enrolment: Enrolment
    promoted: tuple[Enrolment, ...] = field(default=())


def waitlist_position(enrolment: Enrolment) -> int | None:
    """Return an enrolment's place in its offering's waitlist (1 for the first), or None."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    return Enrolment.objects.filter(
        offering_id=enrolment.offering_id, status=EnrolmentStatus.WAITLISTED, pk__lte=enrolment.pk
    ).count()


@transaction.atomic
def enrol(
    *,
    actor: User,
    learner: Learner,
    offering: Offering,
    idempotency_key: str | None = None,
    agreement: TrainingAgreement | None = None,
    contract: TrainingContract | None = None,
    held_units: Collection[str] = (),
) -> EnrolmentOutcome:
    """Enrol a learner in an offering, or put them on its waitlist when it is full.

    The learner must be registered for the term's academic year (at any centre),
    the term's enrolment window must be open, and they must hold no other active
    enrolment in the unit this term. A daytime offering needs a training
    agreement signed by both parties that covers it: the one given, or else the
    learner's own. An individual training contract given prices the enrolment
    instead of the registration.

    The same ``idempotency_key`` (per learner) repeated returns the first
    outcome, even when both requests race. ``held_units`` are the codes of the
    units the learner holds (from their ledger): recommended prior units among
    them, or followed in an earlier term, give no advice.
    """
    key = (idempotency_key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise InvalidInput(
            {
                "idempotency_key": [
                    _("An idempotency key has at most %(max)d characters.")
                    % {"max": IDEMPOTENCY_KEY_MAX_LENGTH}
                ]
            }
        )
    may_act_for(actor, learner, centre_ids=[offering.centre_id])
    offering = lock_offering(offering)
    if key:
        earlier = _earlier_request(learner, key, offering)
        if earlier is not None:
            return earlier
    _check_open(offering)
    agreement = _covering_agreement(learner, offering, agreement)
    contract = _covering_contract(learner, offering, contract)
    registration = _registration(learner, offering)
    _check_not_enrolled(learner, offering)

    enrolled_count = Enrolment.objects.filter(
        offering=offering, status=EnrolmentStatus.ENROLLED
    ).count()
    full = offering.capacity is not None and enrolled_count >= offering.capacity
    now = timezone.now()
    enrolment = Enrolment(
        learner=learner,
        offering=offering,
        registration=registration,
        unit=offering.unit,
        term=offering.term,
        status=EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.ENROLLED,
        agreement=agreement,
        contract=contract,
        idempotency_key=key,
        enrolled_at=None if full else now,
    )
    if not full:
        enrolment.fee = _teaching_fee(enrolment, registration)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        # A concurrent request of the same learner won: the same key, or the same unit.
        if key:
            earlier = _earlier_request(learner, key, offering)
            if earlier is not None:
                return earlier
        _check_not_enrolled(learner, offering)
        raise
    if enrolment.fee:
        recompute_fee(registration)
    position = waitlist_position(enrolment)
    record_event(
        kind="enrolment.enrolled" if not full else "enrolment.waitlisted",
        subject=enrolment,
        actor=actor,
        data={
            "learner": learner.number,
            "offering": offering.pk,
            "unit": offering.unit.code,
            "term": offering.term.code,
            "centre": offering.centre.code,
            "status": enrolment.status,
            "position": position,
            "agreement": agreement.number if agreement is not None else None,
            "contract": contract.number if contract is not None else None,
            "fee": enrolment.fee,
        },
    )
    return EnrolmentOutcome(
        enrolment=enrolment,
        position=position,
        clashes=tuple(_clashes(learner, offering)),
        advice=tuple(_advice(learner, offering, held_units)),
    )


def _earlier_request(learner: Learner, key: str, offering: Offering) -> EnrolmentOutcome | None:
    earlier = (
        Enrolment.objects.select_related(
            "learner",
            "offering__unit",
            "offering__term__academic_year",
            "offering__centre",
            "agreement",
            "contract",
        )
        .filter(learner=learner, idempotency_key=key)
        .first()
    )
    if earlier is None:
        return None
    if earlier.offering_id != offering.pk:
        raise InvalidInput(
            {"idempotency_key": [_("This idempotency key was already used for another offering.")]}
        )
    return EnrolmentOutcome(enrolment=earlier, position=waitlist_position(earlier), replayed=True)


def _check_open(offering: Offering) -> None:
    term = offering.term
    if not offering.published:
        raise Conflict(_("This offering is a forecast, not open for enrolment."), field="offering")
    today = timezone.localdate()
    if today < term.enrolment_opens_on:
        raise Conflict(
            _("Enrolment for %(term)s opens on %(date)s.")
            % {"term": term.label, "date": long_date(term.enrolment_opens_on)},
            field="offering",
        )
    if today > term.enrolment_closes_on:
        raise Conflict(
            _("Enrolment for %(term)s closed on %(date)s.")
            % {"term": term.label, "date": long_date(term.enrolment_closes_on)},
            field="offering",
        )


def _registration(learner: Learner, offering: Offering) -> Registration:
    year = offering.term.academic_year
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("tariff")
        .filter(learner=learner, academic_year=year, status=RegistrationStatus.REGISTERED)
        .first()
    )
    if registration is None:
        raise Conflict(
            _(
                "%(learner)s is not registered for %(year)s: register for the year, at any "
                "centre, before enrolling."
            )
            % {"learner": learner.full_name, "year": year.label},
            field="learner",
        )
    return registration


def _check_not_enrolled(learner: Learner, offering: Offering) -> None:
    other = (
        Enrolment.objects.filter(
            learner=learner,
            unit=offering.unit,
            term=offering.term,
            status__in=ACTIVE_STATUSES,
        )
        .select_related("offering__centre")
        .first()
    )
    if other is None:
        return
    message = (
        _("%(learner)s is already enrolled in %(unit)s in %(term)s, at %(centre)s.")
        if other.status == EnrolmentStatus.ENROLLED
        else _("%(learner)s is already on the waitlist of %(unit)s in %(term)s, at %(centre)s.")
    )
    raise Conflict(
        message
        % {
            "learner": learner.full_name,
            "unit": offering.unit.code,
            "term": offering.term.label,
            "centre": other.offering.centre.name,
        },
        field="offering",
    )


def _covering_agreement(
    learner: Learner, offering: Offering, given: TrainingAgreement | None
) -> TrainingAgreement | None:
    signed = TrainingAgreement.objects.select_for_update(of=("self",)).filter(
        learner=learner, offerings=offering, status=AgreementStatus.SIGNED_BY_INSTITUTION
    )
    if given is not None:
        found = signed.filter(pk=given.pk).first()
        if found is None:
            raise Conflict(
                _(
                    "Agreement %(number)s does not cover %(unit)s for this learner, or is not "
                    "signed by both parties."
                )
                % {"number": given.number, "unit": offering.unit.code},
                field="agreement",
            )
        return found
    if offering.formula != Formula.DAYTIME:
        return None
    found = signed.order_by("pk").first()
    if found is None:
        raise Conflict(
            _(
                "%(unit)s is taught in the daytime, on work time: it needs a training agreement "
                "with the employer, signed by both parties, that covers it."
            )
            % {"unit": offering.unit.code},
            field="agreement",
        )
    return found


def _covering_contract(
    learner: Learner, offering: Offering, given: TrainingContract | None
) -> TrainingContract | None:
    if given is None:
        return None
    found = (
        TrainingContract.objects.select_for_update(of=("self",))
        .filter(
            pk=given.pk,
            learner=learner,
            offerings=offering,
            status__in=[ContractStatus.DRAFT, ContractStatus.SIGNED],
        )
        .first()
    )
    if found is None:
        raise Conflict(
            _("Contract %(number)s does not cover %(unit)s for this learner, or has ended.")
            % {"number": given.number, "unit": offering.unit.code},
            field="contract",
        )
    return found


def _teaching_fee(enrolment: Enrolment, registration: Registration) -> Decimal:
    """Return what the registration charges for an enrolment given a place."""
    if enrolment.agreement_id is not None or enrolment.contract_id is not None:
        return ZERO
    return registration.tariff.charge(registration.rate, enrolment.unit.ects)


def _term_offerings(learner: Learner, offering: Offering) -> list[Offering]:
    ids = Enrolment.objects.filter(
        learner=learner, term=offering.term, status__in=ACTIVE_STATUSES
    ).values("offering_id")
    return list(
        Offering.objects.filter(pk__in=ids)
        .exclude(pk=offering.pk)
        .select_related("unit", "term", "centre")
        .prefetch_related(
            Prefetch("slots", queryset=OfferingSlot.objects.order_by("weekday", "starts_at")),
            "blocks",
        )
        .order_by("pk")
    )


def _clashes(learner: Learner, offering: Offering) -> list[Clash]:
    others = _term_offerings(learner, offering)
    if not others:
        return []
    return clashes_between(offering, others)


def _advice(learner: Learner, offering: Offering, held_units: Collection[str]) -> list[Unit]:
    prior = list(offering.unit.recommended_prior.prefetch_related("replaced_by").order_by("code"))
    if not prior:
        return []
    held = {code.upper() for code in held_units}
    held |= set(
        Enrolment.objects.filter(
            learner=learner,
            status=EnrolmentStatus.ENROLLED,
            term__starts_on__lt=offering.term.starts_on,
        ).values_list("unit__code", flat=True)
    )
    # A unit's successor counts as the unit itself.
    return [
        unit
        for unit in prior
        if unit.code not in held and not any(s.code in held for s in unit.replaced_by.all())
    ]


@transaction.atomic
def withdraw(*, actor: User, enrolment: Enrolment, reason: str = "") -> WithdrawalOutcome:
    """Withdraw a learner from an offering, or take them off its waitlist.

    A place may be given up until the term's withdrawal deadline; a place in the
    waitlist at any time. The place freed goes to the first waiting learner, in
    the same transaction; they are told by e-mail once it commits.
    """
    may_act_for(actor, enrolment.learner, centre_ids=[enrolment.offering.centre_id])
    offering = lock_offering(enrolment.offering)
    ending = _close(enrolment, offering, status=EnrolmentStatus.WITHDRAWN, check_deadline=True)
    (outcome,) = _finish(actor, [ending], reason=reason)
    return outcome


@transaction.atomic
def end_enrolments(
    *, actor: User, enrolments: Sequence[Enrolment], status: str, reason: str = ""
) -> list[WithdrawalOutcome]:
    """End several enrolments at once (an agreement cancelled, a contract withdrawn).

    No deadline applies; each place freed goes to the first waiting. The caller
    has locked the offerings, then the agreement or contract (the lock order).
    """
    offerings = {o.pk: o for o in lock_offerings(e.offering for e in enrolments)}
    endings = [
        _close(e, offerings[e.offering_id], status=status, check_deadline=False)
        for e in sorted(enrolments, key=lambda e: e.pk)
    ]
    return _finish(actor, endings, reason=reason)


@dataclass(frozen=True, slots=True)
class _Ending:
    enrolment: Enrolment
    offering: Offering
    previous: str
    promoted: list[Enrolment]


def _close(
    enrolment: Enrolment, offering: Offering, *, status: str, check_deadline: bool
) -> _Ending:
    """End an enrolment of a locked offering and promote the first waiting; record nothing yet."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=enrolment.pk)
    )
    if enrolment.status not in ACTIVE_STATUSES:
        raise Conflict(_("This enrolment was already withdrawn or cancelled."), field="enrolment")
    held_place = enrolment.status == EnrolmentStatus.ENROLLED
    deadline = offering.term.withdrawal_deadline
    if check_deadline and held_place and timezone.localdate() > deadline:
        raise Conflict(
            _("The withdrawal deadline for %(term)s was %(date)s.")
            % {"term": offering.term.label, "date": long_date(deadline)},
            field="enrolment",
        )
    previous = enrolment.status
    enrolment.status = status
    enrolment.ended_at = timezone.now()
    enrolment.save(update_fields=["status", "ended_at", "updated_at"])
    promoted = _promote(offering) if held_place else []
    return _Ending(enrolment, offering, previous, promoted)


def _finish(actor: User, endings: Sequence[_Ending], *, reason: str) -> list[WithdrawalOutcome]:
    """Settle the fees of the enrolments ended and promoted, then record it all."""
    promoted = [waiting for ending in endings for waiting in ending.promoted]
    ended = [e.enrolment.registration_id for e in endings if e.previous == EnrolmentStatus.ENROLLED]
    _settle_fees(promoted, also=ended)
    outcomes = []
    for ending in endings:
        enrolment, offering = ending.enrolment, ending.offering
        record_event(
            kind=f"enrolment.{enrolment.status}",
            subject=enrolment,
            actor=actor,
            data={
                "learner": enrolment.learner.number,
                "offering": offering.pk,
                "unit": offering.unit.code,
                "term": offering.term.code,
                "previous_status": ending.previous,
            },
            reason=reason,
        )
        for waiting in ending.promoted:
            _record_promotion(actor, waiting, offering)
        outcomes.append(WithdrawalOutcome(enrolment=enrolment, promoted=tuple(ending.promoted)))
    return outcomes


def _promote(offering: Offering) -> list[Enrolment]:
    """Give the free places of a locked offering to the first waiting, in order of arrival."""
    waiting = Enrolment.objects.select_for_update(of=("self",)).filter(
        offering=offering, status=EnrolmentStatus.WAITLISTED
    )
    if offering.capacity is not None:
        taken = Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED).count()
        free = offering.capacity - taken
        if free <= 0:
            return []
        chosen = list(waiting.select_related("learner", "learner__user").order_by("pk")[:free])
    else:
        chosen = list(waiting.select_related("learner", "learner__user").order_by("pk"))
    now = timezone.now()
    for enrolment in chosen:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = now
        enrolment.save(update_fields=["status", "enrolled_at", "updated_at"])
    return chosen


def _settle_fees(promoted: Sequence[Enrolment], *, also: Sequence[int]) -> None:
    """Charge the promoted their teaching fees and bring the registrations concerned up to date.

    The registrations are locked by id, after the offering and the enrolments.
    """
    ids = sorted({*also, *(enrolment.registration_id for enrolment in promoted)})
    registrations = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("tariff")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    for registration in registrations:
        for enrolment in promoted:
            if enrolment.registration_id == registration.pk:
                enrolment.fee = _teaching_fee(enrolment, registration)
                enrolment.save(update_fields=["fee", "updated_at"])
        recompute_fee(registration)


def _record_promotion(actor: User, enrolment: Enrolment, offering: Offering) -> None:
    record_event(
        kind="enrolment.promoted",
        subject=enrolment,
        actor=actor,
        data={
            "learner": enrolment.learner.number,
            "offering": offering.pk,
            "unit": offering.unit.code,
            "term": offering.term.code,
            "fee": enrolment.fee,
        },
    )
    _tell_promoted(enrolment, offering)


@transaction.atomic
def fill_places(*, actor: User, offering: Offering) -> list[Enrolment]:
    """Give an offering's free places (after its capacity grew) to the first waiting.

    Staff of the offering's centre, or the registrar.
    """
    require_staff(actor, centre_ids=[offering.centre_id])
    offering = lock_offering(offering)
    promoted = _promote(offering)
    _settle_fees(promoted, also=[])
    for waiting in promoted:
        _record_promotion(actor, waiting, offering)
    return promoted


def _tell_promoted(enrolment: Enrolment, offering: Offering) -> None:
    """Tell a promoted learner by e-mail, once the transaction has committed."""
    learner = enrolment.learner
    user = learner.user
    address = learner.email or (user.email if user is not None else "")
    if not address:
        return
    language = user.preferred_language if user is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("A place is yours in %(unit)s") % {"unit": offering.unit.code}
        body = _(
            "Hello %(name)s,\n\n"
            "A place became free in %(unit)s (%(title)s), %(term)s, at %(centre)s, and it is "
            "now yours: you were first on the waitlist. You are enrolled; nothing more is "
            "needed.\n\n"
            "If you no longer want it, withdraw before %(deadline)s so that the next person "
            "on the waitlist gets it.\n"
        ) % {
            "name": learner.full_name,
            "unit": offering.unit.code,
            "title": offering.unit.title,
            "term": offering.term.label,
            "centre": offering.centre.name,
            "deadline": long_date(offering.term.withdrawal_deadline),
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]), robust=True)
