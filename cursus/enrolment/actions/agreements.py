"""Writes of training agreements (conventions de formation) with employers.

An agreement goes draft → sent → signed by the employer → signed by the
institution → completed, or is cancelled on the way. Its funding split must add
up to its price. Daytime enrolments need one signed by both parties.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import Centre, Offering
from cursus.core.errors import Conflict, NotAllowed
from cursus.core.events import record_event
from cursus.core.models import Role, RoleAssignment, User
from cursus.core.scoping import scope_of
from cursus.core.validation import Problems
from cursus.enrolment.actions.common import (
    FundingSpec,
    centre_by_code,
    employer_by_siret,
    fill_training_terms,
    funding_state,
    lock_offerings,
    money,
    offerings_of_one_year,
    prepare_funding,
    require_staff,
    save_with_next_number,
)
from cursus.enrolment.actions.enrolments import end_enrolments
from cursus.enrolment.actions.registrations import quote
from cursus.enrolment.models import (
    ACTIVE_STATUSES,
    AgreementStatus,
    Employer,
    EnrolmentStatus,
    FundingShare,
    Learner,
    Payer,
    Rate,
    TrainingAgreement,
)

AGREEMENT_NUMBER_PREFIX = "CF"


@transaction.atomic
def create_agreement(
    *,
    actor: User,
    employer: Employer | str,
    employer_contact: User | str,
    learner: Learner,
    offerings: Sequence[Offering | int],
    title: str,
    objective: str,
    content: str,
    assessment: str,
    hours: int | None = None,
    price: Decimal | str | int | None = None,
    funding: Sequence[FundingSpec] = (),
    centre: Centre | str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> TrainingAgreement:
    """Draw up a training agreement with an employer (given, or by SIRET) for a learner.

    The employer's contact (a user, or their e-mail) must hold the employer
    contact role for that employer. The signing centre defaults to the learner's
    home centre, the duration to the units' hours, the dates to the terms', the
    price to the units' fees at the employer rate, and the funding to the
    employer alone; a split given must add up to the price. Staff of the
    centre or of the learner's home centre, or the registrar.
    """
    problems = Problems()
    where = (
        centre_by_code(centre, problems, "centre")
        if centre not in (None, "")
        else learner.home_centre
    )
    require_staff(
        actor, centre_ids=[learner.home_centre_id, *([where.pk] if where is not None else [])]
    )
    firm = employer_by_siret(employer, problems, "employer")
    contact = _contact(employer_contact, firm, problems)
    chosen, year = offerings_of_one_year(offerings, problems)
    agreement = TrainingAgreement(learner=learner, status=AgreementStatus.DRAFT)
    fill_training_terms(
        agreement,
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
        amount = money(price, problems, "price")
    elif year is not None and where is not None and chosen:
        amount = quote(academic_year=year, centre=where, rate=Rate.EMPLOYER, offerings=chosen)
    specs = list(funding)
    if not specs and firm is not None and amount is not None:
        specs = [FundingSpec(payer=Payer.EMPLOYER, amount=amount, employer=firm)]
    shares = prepare_funding(specs, total=amount, problems=problems) if specs else []
    problems.raise_if_any()
    assert firm is not None
    assert contact is not None
    assert year is not None
    assert where is not None
    assert amount is not None
    agreement.employer = firm
    agreement.employer_contact = contact
    agreement.centre = where
    agreement.academic_year = year
    agreement.price = amount
    save_with_next_number(agreement, f"{AGREEMENT_NUMBER_PREFIX}-{year.start_year}-")
    agreement.offerings.set(chosen)
    for share in shares:
        share.agreement = agreement
    FundingShare.objects.bulk_create(shares)
    record_event(
        kind="enrolment.agreement_created",
        subject=agreement,
        actor=actor,
        data={
            "number": agreement.number,
            "employer": firm.siret,
            "learner": learner.number,
            "centre": where.code,
            "offerings": [offering.pk for offering in chosen],
            "units": [offering.unit.code for offering in chosen],
            "hours": agreement.hours,
            "price": amount,
            "funding": funding_state(shares),
        },
    )
    return agreement


def _contact(value: User | str, employer: Employer | None, problems: Problems) -> User | None:
    user = (
        value
        if isinstance(value, User)
        else User.objects.filter(email=str(value or "").strip().lower()).first()
    )
    if user is None:
        problems.add("employer_contact", _("No user has the e-mail %(value)s.") % {"value": value})
        return None
    if (
        employer is not None
        and not RoleAssignment.objects.filter(
            user=user, role=Role.EMPLOYER_CONTACT, employer=employer
        ).exists()
    ):
        problems.add(
            "employer_contact",
            _("%(user)s is not a contact of %(employer)s.")
            % {"user": user.email, "employer": employer.name},
        )
    return user


def _locked(agreement: TrainingAgreement) -> TrainingAgreement:
    return (
        TrainingAgreement.objects.select_for_update(of=("self",))
        .select_related("employer", "learner", "centre")
        .get(pk=agreement.pk)
    )


def _expect(agreement: TrainingAgreement, *statuses: str, refusal: str) -> None:
    """Raise Conflict, with the refusal naming the number and status, unless in a status."""
    if agreement.status not in statuses:
        raise Conflict(
            refusal % {"number": agreement.number, "status": agreement.get_status_display()},
            field="status",
        )


def _record(actor: User, agreement: TrainingAgreement, kind: str, reason: str = "") -> None:
    record_event(
        kind=f"enrolment.agreement_{kind}",
        subject=agreement,
        actor=actor,
        data={"number": agreement.number, "status": agreement.status},
        reason=reason,
    )


@transaction.atomic
def send_agreement(*, actor: User, agreement: TrainingAgreement) -> TrainingAgreement:
    """Send a draft agreement to the employer for signing."""
    require_staff(actor, centre_ids=[agreement.centre_id, agreement.learner.home_centre_id])
    agreement = _locked(agreement)
    _expect(
        agreement,
        AgreementStatus.DRAFT,
        refusal=_("Agreement %(number)s is “%(status)s”: only a draft can be sent."),
    )
    agreement.status = AgreementStatus.SENT
    agreement.sent_at = timezone.now()
    agreement.save(update_fields=["status", "sent_at", "updated_at"])
    _record(actor, agreement, "sent")
    return agreement


@transaction.atomic
def sign_agreement_as_employer(*, actor: User, agreement: TrainingAgreement) -> TrainingAgreement:
    """Sign a sent agreement for the employer: only that employer's contacts may."""
    if agreement.employer_id not in scope_of(actor).employer_ids:
        raise NotAllowed(_("Only a contact of the employer may sign for it."))
    agreement = _locked(agreement)
    _expect(
        agreement,
        AgreementStatus.SENT,
        refusal=_("Agreement %(number)s is “%(status)s”: the employer signs it once it is sent."),
    )
    agreement.status = AgreementStatus.SIGNED_BY_EMPLOYER
    agreement.employer_signed_at = timezone.now()
    agreement.employer_signed_by = actor
    agreement.save(
        update_fields=["status", "employer_signed_at", "employer_signed_by", "updated_at"]
    )
    _record(actor, agreement, "signed_by_employer")
    return agreement


@transaction.atomic
def sign_agreement_as_institution(
    *, actor: User, agreement: TrainingAgreement
) -> TrainingAgreement:
    """Sign an agreement the employer has signed, for the institution (staff of its centre)."""
    require_staff(actor, centre_ids=[agreement.centre_id])
    agreement = _locked(agreement)
    _expect(
        agreement,
        AgreementStatus.SIGNED_BY_EMPLOYER,
        refusal=_(
            "Agreement %(number)s is “%(status)s”: the institution signs it after the employer."
        ),
    )
    agreement.status = AgreementStatus.SIGNED_BY_INSTITUTION
    agreement.institution_signed_at = timezone.now()
    agreement.institution_signed_by = actor
    agreement.save(
        update_fields=["status", "institution_signed_at", "institution_signed_by", "updated_at"]
    )
    _record(actor, agreement, "signed_by_institution")
    return agreement


@transaction.atomic
def complete_agreement(*, actor: User, agreement: TrainingAgreement) -> TrainingAgreement:
    """Mark an agreement signed by both parties as carried out."""
    require_staff(actor, centre_ids=[agreement.centre_id, agreement.learner.home_centre_id])
    agreement = _locked(agreement)
    _expect(
        agreement,
        AgreementStatus.SIGNED_BY_INSTITUTION,
        refusal=_(
            "Agreement %(number)s is “%(status)s”: only an agreement signed by both parties "
            "can be completed."
        ),
    )
    agreement.status = AgreementStatus.COMPLETED
    agreement.completed_at = timezone.now()
    agreement.save(update_fields=["status", "completed_at", "updated_at"])
    _record(actor, agreement, "completed")
    return agreement


@transaction.atomic
def cancel_agreement(
    *, actor: User, agreement: TrainingAgreement, reason: str = ""
) -> TrainingAgreement:
    """Cancel an agreement not yet completed; the enrolments it covers are cancelled too.

    The places they free go to the first waiting learners.
    """
    require_staff(actor, centre_ids=[agreement.centre_id, agreement.learner.home_centre_id])
    lock_offerings(agreement.offerings.all())
    agreement = _locked(agreement)
    _expect(
        agreement,
        AgreementStatus.DRAFT,
        AgreementStatus.SENT,
        AgreementStatus.SIGNED_BY_EMPLOYER,
        AgreementStatus.SIGNED_BY_INSTITUTION,
        refusal=_("Agreement %(number)s is “%(status)s”: it can no longer be cancelled."),
    )
    agreement.status = AgreementStatus.CANCELLED
    agreement.cancelled_at = timezone.now()
    agreement.cancellation_reason = reason.strip()
    agreement.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    covered = list(
        agreement.enrolments.filter(status__in=ACTIVE_STATUSES).select_related("offering")
    )
    if covered:
        end_enrolments(
            actor=actor, enrolments=covered, status=EnrolmentStatus.CANCELLED, reason=reason
        )
    _record(actor, agreement, "cancelled", reason=reason)
    return agreement
