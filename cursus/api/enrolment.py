"""Registration and enrolment: tariffs, registrations, enrolments with their waitlists and
timetables, offerings' lists, training agreements, individual contracts and fee statements.

Learners act for themselves; centre staff for the learners of their centres and in
their centres' offerings; employer contacts sign their employer's agreements; the
registrar everywhere. ``POST /enrolments`` takes an ``Idempotency-Key`` header: the
same request repeated enrols once and answers as the first did.
"""

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.params import HeaderEx, P

from cursus.api.auth import actor
from cursus.api.schemas import Errors, Page, PageParams
from cursus.catalogue import queries as catalogue
from cursus.catalogue.models import AcademicYear, Term
from cursus.core.errors import InvalidInput, NotFound
from cursus.core.models import User
from cursus.core.scoping import scope_of
from cursus.enrolment import actions, queries
from cursus.enrolment.clashes import Clash
from cursus.enrolment.models import (
    Enrolment,
    FundingShare,
    Learner,
    Registration,
    Tariff,
    TrainingAgreement,
    TrainingContract,
)

router = Router(tags=["enrolment"])

WRITE_ERRORS: dict[int, type[Errors]] = {
    401: Errors,
    403: Errors,
    404: Errors,
    409: Errors,
    422: Errors,
}
READ_ERRORS: dict[int, type[Errors]] = {401: Errors, 403: Errors, 404: Errors}

PayerName = Literal["learner", "employer", "opco", "cpf", "other"]
RateName = Literal["full", "reduced", "employer"]
BasisName = Literal["per_unit", "per_ects"]
EnrolmentStatusName = Literal["enrolled", "waitlisted", "withdrawn", "cancelled"]
AgreementStatusName = Literal[
    "draft", "sent", "signed_by_employer", "signed_by_institution", "completed", "cancelled"
]
ContractStatusName = Literal["draft", "signed", "withdrawn", "cancelled"]
FormulaName = Literal["evening_saturday", "daytime", "institute", "distance"]


# Shapes.


class TariffOut(Schema):
    academic_year: int
    centre: str | None = Field(None, description="A centre's code; none for every centre.")
    basis: BasisName
    registration_fee: Decimal
    full_amount: Decimal
    reduced_amount: Decimal
    employer_amount: Decimal

    @staticmethod
    def resolve_academic_year(obj: Tariff) -> int:
        return obj.academic_year.start_year

    @staticmethod
    def resolve_centre(obj: Tariff) -> str | None:
        return obj.centre.code if obj.centre is not None else None


class TariffIn(Schema):
    academic_year: int = Field(..., description="The academic year's first calendar year.")
    centre: str | None = Field(None, description="A centre's code; none for every centre.")
    basis: BasisName
    registration_fee: Decimal
    full_amount: Decimal = Field(..., description="Per unit or per ECTS credit.")
    reduced_amount: Decimal
    employer_amount: Decimal


class FundingIn(Schema):
    payer: PayerName
    amount: Decimal = Field(..., description="In euros, to the cent.", examples=["450.00"])
    employer: str | None = Field(None, description="The employer's SIRET (employer's share).")
    funder: str = Field("", description="The OPCO's or the funder's name.")


class FundingOut(Schema):
    payer: PayerName
    employer: str | None = Field(None, description="The employer's SIRET.")
    payer_name: str
    funder: str
    amount: Decimal

    @staticmethod
    def resolve_employer(obj: FundingShare) -> str | None:
        return obj.employer.siret if obj.employer is not None else None

    @staticmethod
    def resolve_payer_name(obj: FundingShare) -> str:
        return obj.payer_label


class RegistrationIn(Schema):
    learner: str | None = Field(None, description="A learner number; yourself when left out.")
    centre: str = Field(..., description="The centre's code.")
    academic_year: int = Field(..., description="The academic year's first calendar year.")
    rate: RateName = "full"
    funding: list[FundingIn] = Field(
        default_factory=list, description="Who pays; the learner alone when left out."
    )


class RegistrationOut(Schema):
    id: int
    learner: str
    learner_name: str
    academic_year: int
    centre: str
    rate: RateName
    fee: Decimal
    status: Literal["registered", "cancelled"]
    funding: list[FundingOut]
    created_at: datetime

    @staticmethod
    def resolve_learner(obj: Registration) -> str:
        return obj.learner.number

    @staticmethod
    def resolve_learner_name(obj: Registration) -> str:
        return obj.learner.full_name

    @staticmethod
    def resolve_academic_year(obj: Registration) -> int:
        return obj.academic_year.start_year

    @staticmethod
    def resolve_centre(obj: Registration) -> str:
        return obj.centre.code

    @staticmethod
    def resolve_funding(obj: Registration) -> list[FundingShare]:
        return list(obj.funding.all())


class FundingChangeIn(Schema):
    funding: list[FundingIn]


class ReasonIn(Schema):
    reason: str = ""


class EnrolIn(Schema):
    offering: int = Field(..., description="The offering's id.")
    learner: str | None = Field(None, description="A learner number; yourself when left out.")
    agreement: str | None = Field(None, description="A training agreement's number.")
    contract: str | None = Field(None, description="An individual contract's number.")


class EnrolmentOut(Schema):
    id: int
    learner: str
    offering: int
    unit: str
    unit_title: str
    term: str
    centre: str
    formula: FormulaName
    status: EnrolmentStatusName
    position: int | None = Field(None, description="Place in the waitlist, 1 for the first.")
    fee: Decimal
    agreement: str | None
    contract: str | None
    enrolled_at: datetime | None
    created_at: datetime


class ClashOut(Schema):
    offering: int
    unit: str
    other_offering: int
    other_unit: str
    weekday: int | None = None
    starts_at: time | None = None
    ends_at: time | None = None
    other_starts_at: time | None = None
    other_ends_at: time | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class AdviceOut(Schema):
    code: str
    title: str


class EnrolmentOutcomeOut(Schema):
    status: EnrolmentStatusName
    position: int | None = Field(None, description="Place in the waitlist, 1 for the first.")
    replayed: bool = Field(..., description="True when this repeated an earlier request.")
    enrolment: EnrolmentOut
    clashes: list[ClashOut] = Field(..., description="Timetable clashes: a warning only.")
    advice: list[AdviceOut] = Field(..., description="Recommended prior units not held.")


class WithdrawalOut(Schema):
    enrolment: EnrolmentOut
    places_given: int = Field(..., description="Waiting learners promoted to the freed place.")


class TimetableEntryOut(Schema):
    enrolment: int
    offering: int
    unit: str
    unit_title: str
    centre: str
    centre_name: str
    formula: FormulaName
    status: EnrolmentStatusName
    position: int | None
    weekday: int
    starts_at: time
    ends_at: time
    room: str
    clashing: bool


class BlockEntryOut(Schema):
    enrolment: int
    offering: int
    unit: str
    centre: str
    formula: FormulaName
    status: EnrolmentStatusName
    starts_on: date
    ends_on: date


class TimetableOut(Schema):
    learner: str
    term: str
    entries: list[TimetableEntryOut]
    blocks: list[BlockEntryOut]
    unscheduled: list[EnrolmentOut]
    clashes: list[ClashOut]


class RosterEntryOut(Schema):
    enrolment: int
    learner: str
    name: str
    home_centre: str
    position: int | None
    agreement: str | None
    created_at: datetime
    enrolled_at: datetime | None


class RosterOut(Schema):
    offering: int
    unit: str
    term: str
    centre: str
    capacity: int | None
    free_places: int | None
    enrolled: list[RosterEntryOut]
    waitlist: list[RosterEntryOut]


class EmployerOut(Schema):
    siret: str
    name: str


class TrainingTermsOut(Schema):
    number: str
    learner: str
    learner_name: str
    centre: str
    academic_year: int
    offerings: list[int]
    units: list[str]
    title: str
    objective: str
    content: str
    hours: int
    starts_on: date
    ends_on: date
    assessment: str
    price: Decimal

    @staticmethod
    def resolve_learner(obj: TrainingAgreement | TrainingContract) -> str:
        return obj.learner.number

    @staticmethod
    def resolve_learner_name(obj: TrainingAgreement | TrainingContract) -> str:
        return obj.learner.full_name

    @staticmethod
    def resolve_centre(obj: TrainingAgreement | TrainingContract) -> str:
        return obj.centre.code

    @staticmethod
    def resolve_academic_year(obj: TrainingAgreement | TrainingContract) -> int:
        return obj.academic_year.start_year

    @staticmethod
    def resolve_offerings(obj: TrainingAgreement | TrainingContract) -> list[int]:
        return [offering.pk for offering in obj.offerings.all()]

    @staticmethod
    def resolve_units(obj: TrainingAgreement | TrainingContract) -> list[str]:
        return [offering.unit.code for offering in obj.offerings.all()]


class AgreementOut(TrainingTermsOut):
    status: AgreementStatusName
    employer: EmployerOut
    employer_contact: str
    funding: list[FundingOut]
    sent_at: datetime | None
    employer_signed_at: datetime | None
    employer_signed_by: str | None
    institution_signed_at: datetime | None
    institution_signed_by: str | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancellation_reason: str

    @staticmethod
    def resolve_employer_contact(obj: TrainingAgreement) -> str:
        return obj.employer_contact.email

    @staticmethod
    def resolve_employer_signed_by(obj: TrainingAgreement) -> str | None:
        return obj.employer_signed_by.email if obj.employer_signed_by is not None else None

    @staticmethod
    def resolve_institution_signed_by(obj: TrainingAgreement) -> str | None:
        signer = obj.institution_signed_by
        return signer.email if signer is not None else None

    @staticmethod
    def resolve_funding(obj: TrainingAgreement) -> list[FundingShare]:
        return list(obj.funding.all())


class TrainingTermsIn(Schema):
    offerings: list[int] = Field(..., description="The offerings' ids, all of one year.")
    title: str
    objective: str
    content: str
    assessment: str
    hours: int | None = Field(None, description="Defaults to the units' hours.")
    price: Decimal | None = Field(None, description="Defaults to the tariff's fees.")
    centre: str | None = Field(None, description="Defaults to the learner's home centre.")
    starts_on: date | None = None
    ends_on: date | None = None


class AgreementIn(TrainingTermsIn):
    employer: str = Field(..., description="The employer's SIRET.")
    employer_contact: str = Field(..., description="The e-mail of the employer's contact.")
    learner: str = Field(..., description="The learner's number.")
    funding: list[FundingIn] = Field(
        default_factory=list, description="Who pays; the employer alone when left out."
    )


class AgreementQuery(Schema):
    status: AgreementStatusName | None = None
    year: int | None = Field(None, description="The academic year's first calendar year.")
    learner: str = Field("", description="A learner number.")


class ContractOut(TrainingTermsOut):
    status: ContractStatusName
    signed_at: datetime | None
    withdrawal_ends_on: date | None = Field(
        None, description="The last day of the ten-day withdrawal period."
    )
    withdrawn_at: datetime | None


class ContractIn(TrainingTermsIn):
    learner: str | None = Field(None, description="A learner number; yourself when left out.")


class ContractQuery(Schema):
    status: ContractStatusName | None = None
    year: int | None = Field(None, description="The academic year's first calendar year.")
    learner: str = Field("", description="A learner number.")


class RegistrationQuery(Schema):
    year: int | None = Field(None, description="The academic year's first calendar year.")
    learner: str = Field("", description="A learner number.")


class EnrolmentQuery(Schema):
    term: str = Field("", pattern=r"^([0-9]{4}-[Ss][12])?$", description="e.g. 2025-S1")
    year: int | None = Field(None, description="The academic year's first calendar year.")


class TimetableQuery(Schema):
    term: str = Field(..., pattern=r"^[0-9]{4}-[Ss][12]$", description="e.g. 2025-S1")


class StatementQuery(Schema):
    year: int = Field(..., description="The academic year's first calendar year.")
    payer: PayerName = "learner"
    learner: str = Field("", description="The learner's number (yourself when left out).")
    employer: str = Field("", description="The employer's SIRET.")
    funder: str = Field("", description="The OPCO's or the funder's name.")


class PayerOut(Schema):
    kind: PayerName
    name: str


class FeeLineOut(Schema):
    document: Literal["registration", "agreement", "contract"]
    reference: str
    learner: str
    learner_name: str
    centre: str
    description: str
    price: Decimal
    amount: Decimal
    note: str


class FeeStatementOut(Schema):
    payer: PayerOut
    academic_year: int
    lines: list[FeeLineOut]
    total: Decimal


# Translating between the shapes and the domain.


def _year(start_year: int, field: str = "year") -> AcademicYear:
    found = AcademicYear.objects.filter(start_year=start_year).first()
    if found is None:
        raise NotFound(
            _("No academic year starts in %(year)s.") % {"year": start_year}, field=field
        )
    return found


def _term(code: str) -> Term:
    try:
        return catalogue.term_by_code(code)
    except Term.DoesNotExist as error:
        raise NotFound(_("No such term."), field="term") from error


def _learner(user: User, number: str | None, *, field: str = "learner") -> Learner:
    """Return the learner named, or the caller's own file when none is named.

    Staff may name any learner (the action decides whether they may act for them);
    others only those they may read, so that numbers cannot be probed.
    """
    if not number:
        own = queries.learner_of(user)
        if own is None:
            raise InvalidInput({field: [_("Name the learner: you have no learner's file.")]})
        return own
    if scope_of(user).is_staff_member:
        return queries.learner_by_number(number)
    try:
        return queries.learner_file(user, number)
    except NotFound as error:
        raise NotFound(_("No such learner."), field=field) from error


def _funding(items: Sequence[FundingIn]) -> list[actions.FundingSpec]:
    return [
        actions.FundingSpec(
            payer=item.payer, amount=item.amount, employer=item.employer, funder=item.funder
        )
        for item in items
    ]


def _enrolment_out(enrolment: Enrolment, positions: Mapping[int, int]) -> dict[str, Any]:
    offering = enrolment.offering
    return {
        "id": enrolment.pk,
        "learner": enrolment.learner.number,
        "offering": offering.pk,
        "unit": offering.unit.code,
        "unit_title": offering.unit.title,
        "term": offering.term.code,
        "centre": offering.centre.code,
        "formula": offering.formula,
        "status": enrolment.status,
        "position": positions.get(enrolment.pk),
        "fee": enrolment.fee,
        "agreement": enrolment.agreement.number if enrolment.agreement is not None else None,
        "contract": enrolment.contract.number if enrolment.contract is not None else None,
        "enrolled_at": enrolment.enrolled_at,
        "created_at": enrolment.created_at,
    }


def _enrolments_out(enrolments: Iterable[Enrolment]) -> list[dict[str, Any]]:
    rows = list(enrolments)
    positions = queries.waitlist_positions(rows)
    return [_enrolment_out(enrolment, positions) for enrolment in rows]


def _clash_out(clash: Clash) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "offering": clash.offering.pk,
        "unit": clash.offering.unit.code,
        "other_offering": clash.other.pk,
        "other_unit": clash.other.unit.code,
    }
    if clash.slot is not None and clash.other_slot is not None:
        shape |= {
            "weekday": clash.slot.weekday,
            "starts_at": clash.slot.starts_at,
            "ends_at": clash.slot.ends_at,
            "other_starts_at": clash.other_slot.starts_at,
            "other_ends_at": clash.other_slot.ends_at,
        }
    if clash.block is not None and clash.other_block is not None:
        shape |= {
            "starts_on": max(clash.block.starts_on, clash.other_block.starts_on),
            "ends_on": min(clash.block.ends_on, clash.other_block.ends_on),
        }
    return shape


def _page(rows: list[Any], count: int, page: PageParams) -> dict[str, Any]:
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": rows}


# Tariffs.


@router.get("/tariffs", response=list[TariffOut], auth=None, summary="Tariffs")
def list_tariffs(request: HttpRequest, year: int | None = None) -> list[Tariff]:
    """List the tariffs, latest year first: what registration and each unit cost."""
    return list(queries.tariffs(academic_year=_year(year) if year is not None else None))


@router.post("/tariffs", response={200: TariffOut, **WRITE_ERRORS}, summary="Set a tariff")
def set_tariff(request: HttpRequest, payload: TariffIn) -> Tariff:
    """Set a year's fees, for a centre or for every centre without its own (registrar)."""
    return actions.set_tariff(actor=actor(request), **payload.dict())


# Registrations.


@router.post("/registrations", response={201: RegistrationOut, **WRITE_ERRORS}, summary="Register")
def create_registration(request: HttpRequest, payload: RegistrationIn) -> Status[Registration]:
    """Register a learner (yourself by default) for an academic year at a centre."""
    user = actor(request)
    registration = actions.register(
        actor=user,
        learner=_learner(user, payload.learner),
        centre=payload.centre,
        academic_year=payload.academic_year,
        rate=payload.rate,
        funding=_funding(payload.funding),
    )
    return Status(201, queries.registration_by_id(user, registration.pk))


@router.get("/registrations", response={200: Page[RegistrationOut], **READ_ERRORS})
def list_registrations(
    request: HttpRequest, page: Query[PageParams], filters: Query[RegistrationQuery]
) -> dict[str, Any]:
    """List the registrations you may read: your own, or your centres' learners'."""
    user = actor(request)
    found = queries.visible_registrations(
        user,
        learner=_learner(user, filters.learner) if filters.learner else None,
        academic_year=_year(filters.year) if filters.year is not None else None,
    )
    return _page(list(found[page.offset : page.offset + page.limit]), found.count(), page)


@router.get("/registrations/{registration_id}", response={200: RegistrationOut, **READ_ERRORS})
def get_registration(request: HttpRequest, registration_id: int) -> Registration:
    """Return one registration with its fee and who pays it."""
    return queries.registration_by_id(actor(request), registration_id)


@router.put(
    "/registrations/{registration_id}/funding", response={200: RegistrationOut, **WRITE_ERRORS}
)
def set_registration_funding(
    request: HttpRequest, registration_id: int, payload: FundingChangeIn
) -> Registration:
    """Say who pays a registration's fee (staff); the shares must add up to the fee."""
    user = actor(request)
    registration = queries.registration_by_id(user, registration_id)
    actions.set_funding(actor=user, registration=registration, funding=_funding(payload.funding))
    return queries.registration_by_id(user, registration_id)


@router.post(
    "/registrations/{registration_id}/cancel", response={200: RegistrationOut, **WRITE_ERRORS}
)
def cancel_registration(
    request: HttpRequest, registration_id: int, payload: ReasonIn
) -> Registration:
    """Cancel a registration that holds no enrolment any more (staff)."""
    user = actor(request)
    registration = queries.registration_by_id(user, registration_id)
    actions.cancel_registration(actor=user, registration=registration, reason=payload.reason)
    return queries.registration_by_id(user, registration_id)


# Enrolments.


@router.post(
    "/enrolments",
    response={201: EnrolmentOutcomeOut, **WRITE_ERRORS},
    summary="Enrol, or join the waitlist",
)
def create_enrolment(
    request: HttpRequest,
    payload: EnrolIn,
    idempotency_key: HeaderEx[
        str | None,
        P(
            alias="Idempotency-Key",
            description="Any string up to 100 characters, unique per request: a repeat "
            "with the same key enrols once and gets the first answer.",
        ),
    ] = None,
) -> Status[dict[str, Any]]:
    """Enrol a learner (yourself by default) in an offering, or put them on its waitlist.

    The answer tells the status and the place in the waitlist, warns of timetable
    clashes and advises the recommended prior units not held.
    """
    user = actor(request)
    learner = _learner(user, payload.learner)
    offering = queries.offering_to_enrol(payload.offering)
    agreement = queries.agreement_by_number(user, payload.agreement) if payload.agreement else None
    contract = queries.contract_by_number(user, payload.contract) if payload.contract else None
    outcome = actions.enrol(
        actor=user,
        learner=learner,
        offering=offering,
        idempotency_key=idempotency_key,
        agreement=agreement,
        contract=contract,
    )
    # The action's enrolment comes with its offering, unit, term, centre and documents.
    enrolment = outcome.enrolment
    positions = {enrolment.pk: outcome.position} if outcome.position is not None else {}
    return Status(
        201,
        {
            "status": enrolment.status,
            "position": outcome.position,
            "replayed": outcome.replayed,
            "enrolment": _enrolment_out(enrolment, positions),
            "clashes": [_clash_out(clash) for clash in outcome.clashes],
            "advice": [{"code": unit.code, "title": unit.title} for unit in outcome.advice],
        },
    )


@router.get("/enrolments/{enrolment_id}", response={200: EnrolmentOut, **READ_ERRORS})
def get_enrolment(request: HttpRequest, enrolment_id: int) -> dict[str, Any]:
    """Return one enrolment, with its place in the waitlist if it waits."""
    (shape,) = _enrolments_out([queries.enrolment_by_id(actor(request), enrolment_id)])
    return shape


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response={200: WithdrawalOut, **WRITE_ERRORS},
    summary="Withdraw",
)
def withdraw_enrolment(
    request: HttpRequest, enrolment_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """Give up a place (until the withdrawal deadline) or a place in the waitlist.

    The place freed goes at once to the first waiting learner, who is told by e-mail.
    """
    user = actor(request)
    outcome = actions.withdraw(
        actor=user, enrolment=queries.enrolment_by_id(user, enrolment_id), reason=payload.reason
    )
    (shape,) = _enrolments_out([queries.enrolment_by_id(user, outcome.enrolment.pk)])
    return {"enrolment": shape, "places_given": len(outcome.promoted)}


@router.get("/me/enrolments", response={200: Page[EnrolmentOut], **READ_ERRORS})
def my_enrolments(
    request: HttpRequest, page: Query[PageParams], filters: Query[EnrolmentQuery]
) -> dict[str, Any]:
    """List your enrolments, optionally in a term or a year."""
    user = actor(request)
    return _learner_enrolments(user, _learner(user, None), page, filters)


@router.get("/learners/{number}/enrolments", response={200: Page[EnrolmentOut], **READ_ERRORS})
def learner_enrolments(
    request: HttpRequest, number: str, page: Query[PageParams], filters: Query[EnrolmentQuery]
) -> dict[str, Any]:
    """List a learner's enrolments you may read, optionally in a term or a year."""
    user = actor(request)
    return _learner_enrolments(user, _learner(user, number), page, filters)


def _learner_enrolments(
    user: User, learner: Learner, page: PageParams, filters: EnrolmentQuery
) -> dict[str, Any]:
    found = queries.learner_enrolments(
        user,
        learner,
        term=_term(filters.term) if filters.term else None,
        academic_year=_year(filters.year) if filters.year is not None else None,
    )
    rows = _enrolments_out(found[page.offset : page.offset + page.limit])
    return _page(rows, found.count(), page)


@router.get("/me/timetable", response={200: TimetableOut, **READ_ERRORS})
def my_timetable(request: HttpRequest, filters: Query[TimetableQuery]) -> dict[str, Any]:
    """Return your week in a term, across centres and formulas, with its clashes."""
    user = actor(request)
    return _timetable(user, _learner(user, None), filters.term)


@router.get("/learners/{number}/timetable", response={200: TimetableOut, **READ_ERRORS})
def learner_timetable(
    request: HttpRequest, number: str, filters: Query[TimetableQuery]
) -> dict[str, Any]:
    """Return a learner's week in a term, across centres and formulas, with its clashes."""
    user = actor(request)
    return _timetable(user, _learner(user, number), filters.term)


def _timetable(user: User, learner: Learner, term_code: str) -> dict[str, Any]:
    timetable = queries.learner_timetable(user, learner, _term(term_code))
    positions = timetable.positions
    return {
        "learner": learner.number,
        "term": timetable.term.code,
        "entries": [
            {
                "enrolment": entry.enrolment.pk,
                "offering": entry.offering.pk,
                "unit": entry.offering.unit.code,
                "unit_title": entry.offering.unit.title,
                "centre": entry.centre.code,
                "centre_name": entry.centre.name,
                "formula": entry.formula,
                "status": entry.enrolment.status,
                "position": positions.get(entry.enrolment.pk),
                "weekday": entry.slot.weekday,
                "starts_at": entry.slot.starts_at,
                "ends_at": entry.slot.ends_at,
                "room": entry.slot.room,
                "clashing": entry.clashing,
            }
            for entry in timetable.entries
        ],
        "blocks": [
            {
                "enrolment": enrolment.pk,
                "offering": enrolment.offering.pk,
                "unit": enrolment.offering.unit.code,
                "centre": enrolment.offering.centre.code,
                "formula": enrolment.offering.formula,
                "status": enrolment.status,
                "starts_on": block.starts_on,
                "ends_on": block.ends_on,
            }
            for enrolment in timetable.blocks
            for block in enrolment.offering.blocks.all()
        ],
        "unscheduled": [_enrolment_out(e, positions) for e in timetable.unscheduled],
        "clashes": [_clash_out(clash) for clash in timetable.clashes],
    }


@router.get("/offerings/{offering_id}/roster", response={200: RosterOut, **READ_ERRORS})
def offering_roster(request: HttpRequest, offering_id: int) -> dict[str, Any]:
    """Return an offering's enrolled learners and its waitlist in order (teachers and staff)."""
    roster = queries.offering_roster(actor(request), offering_id)
    offering = roster.offering

    def entry(enrolment: Enrolment, position: int | None) -> dict[str, Any]:
        return {
            "enrolment": enrolment.pk,
            "learner": enrolment.learner.number,
            "name": enrolment.learner.full_name,
            "home_centre": enrolment.learner.home_centre.code,
            "position": position,
            "agreement": enrolment.agreement.number if enrolment.agreement else None,
            "created_at": enrolment.created_at,
            "enrolled_at": enrolment.enrolled_at,
        }

    return {
        "offering": offering.pk,
        "unit": offering.unit.code,
        "term": offering.term.code,
        "centre": offering.centre.code,
        "capacity": offering.capacity,
        "free_places": roster.free_places,
        "enrolled": [entry(e, None) for e in roster.enrolled],
        "waitlist": [entry(e, n) for n, e in enumerate(roster.waitlist, start=1)],
    }


# Training agreements.


@router.get("/agreements", response={200: Page[AgreementOut], **READ_ERRORS})
def list_agreements(
    request: HttpRequest, page: Query[PageParams], filters: Query[AgreementQuery]
) -> dict[str, Any]:
    """List the training agreements you may read (an employer's contacts see its own)."""
    user = actor(request)
    found = queries.visible_agreements(
        user,
        status=filters.status or "",
        academic_year=_year(filters.year) if filters.year is not None else None,
        learner=_learner(user, filters.learner) if filters.learner else None,
    )
    return _page(list(found[page.offset : page.offset + page.limit]), found.count(), page)


@router.get("/agreements/{number}", response={200: AgreementOut, **READ_ERRORS})
def get_agreement(request: HttpRequest, number: str) -> TrainingAgreement:
    """Return one training agreement, with its terms, funding and signatures."""
    return queries.agreement_by_number(actor(request), number)


@router.post("/agreements", response={201: AgreementOut, **WRITE_ERRORS})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status[TrainingAgreement]:
    """Draw up a training agreement with an employer for a learner (staff)."""
    user = actor(request)
    values = payload.dict(exclude={"learner", "funding"})
    agreement = actions.create_agreement(
        actor=user,
        learner=_learner(user, payload.learner),
        funding=_funding(payload.funding),
        **values,
    )
    return Status(201, queries.agreement_by_number(user, agreement.number))


def _agreement_step(
    request: HttpRequest, number: str, step: Callable[[User, TrainingAgreement], object]
) -> TrainingAgreement:
    user = actor(request)
    step(user, queries.agreement_by_number(user, number))
    return queries.agreement_by_number(user, number)


@router.post("/agreements/{number}/send", response={200: AgreementOut, **WRITE_ERRORS})
def send_agreement(request: HttpRequest, number: str) -> TrainingAgreement:
    """Send a draft agreement to the employer for signing (staff)."""
    return _agreement_step(
        request, number, lambda user, found: actions.send_agreement(actor=user, agreement=found)
    )


@router.post("/agreements/{number}/sign-as-employer", response={200: AgreementOut, **WRITE_ERRORS})
def sign_agreement_as_employer(request: HttpRequest, number: str) -> TrainingAgreement:
    """Sign a sent agreement for the employer (its contacts only)."""
    return _agreement_step(
        request,
        number,
        lambda user, found: actions.sign_agreement_as_employer(actor=user, agreement=found),
    )


@router.post(
    "/agreements/{number}/sign-as-institution", response={200: AgreementOut, **WRITE_ERRORS}
)
def sign_agreement_as_institution(request: HttpRequest, number: str) -> TrainingAgreement:
    """Sign an agreement, after the employer, for the institution (staff of its centre)."""
    return _agreement_step(
        request,
        number,
        lambda user, found: actions.sign_agreement_as_institution(actor=user, agreement=found),
    )


@router.post("/agreements/{number}/complete", response={200: AgreementOut, **WRITE_ERRORS})
def complete_agreement(request: HttpRequest, number: str) -> TrainingAgreement:
    """Mark an agreement signed by both parties as carried out (staff)."""
    return _agreement_step(
        request,
        number,
        lambda user, found: actions.complete_agreement(actor=user, agreement=found),
    )


@router.post("/agreements/{number}/cancel", response={200: AgreementOut, **WRITE_ERRORS})
def cancel_agreement(request: HttpRequest, number: str, payload: ReasonIn) -> TrainingAgreement:
    """Cancel an agreement not yet completed, and the enrolments it covers (staff)."""
    return _agreement_step(
        request,
        number,
        lambda user, found: actions.cancel_agreement(
            actor=user, agreement=found, reason=payload.reason
        ),
    )


# Individual training contracts.


@router.get("/contracts", response={200: Page[ContractOut], **READ_ERRORS})
def list_contracts(
    request: HttpRequest, page: Query[PageParams], filters: Query[ContractQuery]
) -> dict[str, Any]:
    """List the individual training contracts you may read."""
    user = actor(request)
    found = queries.visible_contracts(
        user,
        status=filters.status or "",
        academic_year=_year(filters.year) if filters.year is not None else None,
        learner=_learner(user, filters.learner) if filters.learner else None,
    )
    return _page(list(found[page.offset : page.offset + page.limit]), found.count(), page)


@router.get("/contracts/{number}", response={200: ContractOut, **READ_ERRORS})
def get_contract(request: HttpRequest, number: str) -> TrainingContract:
    """Return one individual training contract."""
    return queries.contract_by_number(actor(request), number)


@router.post("/contracts", response={201: ContractOut, **WRITE_ERRORS})
def create_contract(request: HttpRequest, payload: ContractIn) -> Status[TrainingContract]:
    """Draw up an individual training contract (yourself by default) for self-paid courses."""
    user = actor(request)
    values = payload.dict(exclude={"learner"})
    contract = actions.create_contract(
        actor=user, learner=_learner(user, payload.learner), **values
    )
    return Status(201, queries.contract_by_number(user, contract.number))


@router.post("/contracts/{number}/sign", response={200: ContractOut, **WRITE_ERRORS})
def sign_contract(request: HttpRequest, number: str) -> TrainingContract:
    """Sign a draft contract; the ten-day withdrawal period starts."""
    user = actor(request)
    actions.sign_contract(actor=user, contract=queries.contract_by_number(user, number))
    return queries.contract_by_number(user, number)


@router.post("/contracts/{number}/cancel", response={200: ContractOut, **WRITE_ERRORS})
def cancel_contract(request: HttpRequest, number: str, payload: ReasonIn) -> TrainingContract:
    """Cancel a contract still in draft; the enrolments it covers end with it."""
    user = actor(request)
    actions.cancel_contract(
        actor=user, contract=queries.contract_by_number(user, number), reason=payload.reason
    )
    return queries.contract_by_number(user, number)


@router.post("/contracts/{number}/withdraw", response={200: ContractOut, **WRITE_ERRORS})
def withdraw_from_contract(
    request: HttpRequest, number: str, payload: ReasonIn
) -> TrainingContract:
    """Withdraw from a signed contract within ten days, owing nothing."""
    user = actor(request)
    actions.withdraw_from_contract(
        actor=user, contract=queries.contract_by_number(user, number), reason=payload.reason
    )
    return queries.contract_by_number(user, number)


# Fee statements.


def _statement(user: User, filters: StatementQuery) -> queries.FeeStatement:
    payer = queries.PayerRef(kind=filters.payer)
    if filters.payer == "learner":
        payer = queries.PayerRef(kind="learner", learner=_learner(user, filters.learner))
    elif filters.payer == "employer":
        if not filters.employer:
            raise InvalidInput({"employer": [_("Name the employer by its SIRET.")]})
        employer = (
            queries.employers(text=filters.employer)
            .filter(siret=filters.employer.replace(" ", ""))
            .first()
        )
        if employer is None:
            raise NotFound(_("No employer has this SIRET."), field="employer")
        payer = queries.PayerRef(kind="employer", employer=employer)
    elif filters.payer in ("opco", "other"):
        if not filters.funder.strip():
            raise InvalidInput({"funder": [_("Name the OPCO or the funder.")]})
        payer = queries.PayerRef(kind=filters.payer, funder=filters.funder.strip())
    return queries.fee_statement(user, payer=payer, academic_year=_year(filters.year))


@router.get("/fee-statements", response={200: FeeStatementOut, **READ_ERRORS, 422: Errors})
def fee_statement(request: HttpRequest, filters: Query[StatementQuery]) -> dict[str, Any]:
    """Return what a payer owes for a year: registrations, agreements and contracts."""
    statement = _statement(actor(request), filters)
    return {
        "payer": {"kind": statement.payer.kind, "name": statement.payer.label},
        "academic_year": statement.academic_year.start_year,
        "lines": [
            {
                "document": line.document,
                "reference": line.reference,
                "learner": line.learner_number,
                "learner_name": line.learner_name,
                "centre": line.centre,
                "description": line.description,
                "price": line.price,
                "amount": line.amount,
                "note": line.note,
            }
            for line in statement.lines
        ],
        "total": statement.total,
    }


@router.get(
    "/fee-statements.csv",
    response={200: None, **READ_ERRORS, 422: Errors},
    summary="Fee statement (CSV)",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def fee_statement_csv(request: HttpRequest, filters: Query[StatementQuery]) -> HttpResponse:
    """Return a payer's fee statement for a year as a CSV file (UTF-8, comma-separated)."""
    statement = _statement(actor(request), filters)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(statement.csv_rows())
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"fees-{statement.academic_year.start_year}-{statement.payer.kind}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
