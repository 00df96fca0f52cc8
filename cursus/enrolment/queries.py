"""Reads of enrolment, seen through the reader's roles and centres: learners' files,
registrations, enrolments and timetables, offerings' lists and waitlists, agreements,
contracts and fee statements."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cursus.catalogue.models import (
    AcademicYear,
    Centre,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
)
from cursus.core.errors import NotAllowed, NotFound
from cursus.core.scoping import restrict, scope_of
from cursus.enrolment.clashes import Clash, clashes_among
from cursus.enrolment.models import (
    ACTIVE_STATUSES,
    AgreementStatus,
    ContractStatus,
    Employer,
    Enrolment,
    EnrolmentStatus,
    FundingShare,
    Learner,
    Payer,
    Registration,
    RegistrationStatus,
    Tariff,
    TrainingAgreement,
    TrainingContract,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User


def _files() -> QuerySet[Learner]:
    return Learner.objects.select_related("home_centre", "employer")


def visible_learners(user: "User | AnonymousUser | None") -> QuerySet[Learner]:
    """Return the learners' files a user may read: their own, their centres', their employees'."""
    return restrict(_files(), user, centre="home_centre", learner="pk", employer="employer")


def learner_file(user: "User | AnonymousUser | None", number: str) -> Learner:
    """Return a learner's file by number, or raise NotFound when the user may not read it."""
    found = visible_learners(user).filter(number=number.strip()).first()
    if found is None:
        raise NotFound("No such learner.", field="number")
    return found


def learner_of(user: "User") -> Learner | None:
    """Return the user's own learner's file, if they have one."""
    learner_id = scope_of(user).learner_id
    if learner_id is None:
        return None
    return _files().filter(pk=learner_id).first()


def home_learner_counts(centre_ids: Iterable[int]) -> dict[int, int]:
    """Return how many learners have each of these centres as their home centre."""
    rows = (
        Learner.objects.filter(home_centre_id__in=list(centre_ids))
        .values("home_centre_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["home_centre_id"]: row["count"] for row in rows}


def learner_total() -> int:
    """Return the number of learners' files."""
    return Learner.objects.count()


def employer_learners(user: "User") -> QuerySet[Learner]:
    """Return the learners employed by the employers a contact represents."""
    employer_ids = scope_of(user).employer_ids
    return _files().filter(employer_id__in=employer_ids).order_by("last_name", "first_name")


def employers(*, text: str = "") -> QuerySet[Employer]:
    """Return the employers, optionally those whose name or SIRET contains the text."""
    queryset = Employer.objects.all()
    if text:
        digits = text.replace(" ", "")
        queryset = queryset.filter(Q(name__icontains=text) | Q(siret__contains=digits))
    return queryset.order_by("name")


# Tariffs and registrations.


def applicable_tariff(academic_year: AcademicYear, centre: Centre) -> Tariff | None:
    """Return the tariff a centre applies in a year: its own, or else the one for every centre."""
    found = list(
        Tariff.objects.select_related("academic_year", "centre").filter(
            Q(centre=centre) | Q(centre__isnull=True), academic_year=academic_year
        )
    )
    own = [tariff for tariff in found if tariff.centre_id is not None]
    chosen = own or found
    return chosen[0] if chosen else None


def tariffs(*, academic_year: AcademicYear | None = None) -> QuerySet[Tariff]:
    """Return the tariffs, latest year first, the one for every centre before the centres'."""
    queryset = Tariff.objects.select_related("academic_year", "centre")
    if academic_year is not None:
        queryset = queryset.filter(academic_year=academic_year)
    return queryset.order_by(
        "-academic_year__start_year", F("centre__name").asc(nulls_first=True), "pk"
    )


def _registrations() -> QuerySet[Registration]:
    return Registration.objects.select_related(
        "learner", "learner__home_centre", "academic_year", "centre", "tariff"
    ).prefetch_related(
        Prefetch("funding", queryset=FundingShare.objects.select_related("employer").order_by("pk"))
    )


def visible_registrations(
    user: "User | AnonymousUser | None",
    *,
    learner: Learner | None = None,
    academic_year: AcademicYear | None = None,
) -> QuerySet[Registration]:
    """Return the registrations a user may read: their own, and those of their centres' learners.

    Centre staff see the registrations taken at their centres and those of the
    learners whose home centre they administer.
    """
    base = _registrations()
    queryset = restrict(base, user, centre="centre", learner="learner") | restrict(
        base, user, centre="learner__home_centre"
    )
    if learner is not None:
        queryset = queryset.filter(learner=learner)
    if academic_year is not None:
        queryset = queryset.filter(academic_year=academic_year)
    return queryset.order_by("-academic_year__start_year", "learner__last_name", "pk")


def registration_by_id(user: "User | AnonymousUser | None", pk: int) -> Registration:
    """Return a registration the user may read, or raise NotFound."""
    found = visible_registrations(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such registration."), field="registration")
    return found


def registration_for(learner: Learner, academic_year: AcademicYear) -> Registration | None:
    """Return the learner's registration in force for a year, if any."""
    return (
        _registrations()
        .filter(learner=learner, academic_year=academic_year, status=RegistrationStatus.REGISTERED)
        .first()
    )


# Enrolments and timetables.


def _enrolments() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related(
        "learner",
        "offering",
        "offering__unit",
        "offering__centre",
        "offering__term",
        "offering__term__academic_year",
        "agreement",
        "contract",
    )


def visible_enrolments(user: "User | AnonymousUser | None") -> QuerySet[Enrolment]:
    """Return the enrolments a user may read.

    A learner sees their own; centre staff those in their centres' offerings and
    those of their centres' learners; an employer contact those under their
    employer's agreements.
    """
    base = _enrolments()
    return restrict(
        base, user, centre="offering__centre", learner="learner", employer="agreement__employer"
    ) | restrict(base, user, centre="learner__home_centre")


def learner_enrolments(
    user: "User | AnonymousUser | None",
    learner: Learner,
    *,
    term: Term | None = None,
    academic_year: AcademicYear | None = None,
    active_only: bool = False,
) -> QuerySet[Enrolment]:
    """Return a learner's enrolments the user may read, by term then unit code."""
    queryset = visible_enrolments(user).filter(learner=learner)
    if term is not None:
        queryset = queryset.filter(term=term)
    if academic_year is not None:
        queryset = queryset.filter(term__academic_year=academic_year)
    if active_only:
        queryset = queryset.filter(status__in=ACTIVE_STATUSES)
    return queryset.order_by(
        "term__academic_year__start_year", "term__semester", "offering__unit__code", "pk"
    )


def enrolment_by_id(user: "User | AnonymousUser | None", pk: int) -> Enrolment:
    """Return an enrolment the user may read, or raise NotFound."""
    found = visible_enrolments(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such enrolment."), field="enrolment")
    return found


def waitlist_positions(enrolments: Iterable[Enrolment]) -> dict[int, int]:
    """Return the waitlist position (1 for the first) of each waiting enrolment, by id."""
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    if not waiting:
        return {}
    offering_ids = {e.offering_id for e in waiting}
    queue: dict[int, list[int]] = {}
    for offering_id, pk in (
        Enrolment.objects.filter(offering_id__in=offering_ids, status=EnrolmentStatus.WAITLISTED)
        .order_by("offering_id", "pk")
        .values_list("offering_id", "pk")
    ):
        queue.setdefault(offering_id, []).append(pk)
    return {
        e.pk: queue[e.offering_id].index(e.pk) + 1
        for e in waiting
        if e.pk in queue.get(e.offering_id, [])
    }


@dataclass(frozen=True, slots=True)
class TimetableEntry:
    """A weekly class of one of the learner's offerings, with where and how it is taught."""

    enrolment: Enrolment
    slot: OfferingSlot
    clashing: bool

    @property
    def offering(self) -> Offering:
        """Return the offering the class belongs to."""
        return self.enrolment.offering

    @property
    def centre(self) -> Centre:
        """Return the centre that teaches the class."""
        return self.enrolment.offering.centre

    @property
    def formula(self) -> str:
        """Return how the offering is taught."""
        return self.enrolment.offering.formula


@dataclass(frozen=True, slots=True)
class LearnerTimetable:
    """A learner's week in a term, across centres and formulas.

    ``entries`` are the weekly classes, by weekday and time; ``blocks`` the
    enrolments taught in blocks of dates; ``unscheduled`` those with neither
    (distance learning without live classes); ``clashes`` every overlap between
    two of the learner's active enrolments.
    """

    learner: Learner
    term: Term
    entries: list[TimetableEntry]
    blocks: list[Enrolment]
    unscheduled: list[Enrolment]
    clashes: list[Clash]
    positions: dict[int, int]


def learner_timetable(
    user: "User | AnonymousUser | None", learner: Learner, term: Term
) -> LearnerTimetable:
    """Return a learner's weekly timetable in a term, across centres, with its clashes."""
    enrolments = list(
        learner_enrolments(user, learner, term=term, active_only=True).prefetch_related(
            Prefetch(
                "offering__slots", queryset=OfferingSlot.objects.order_by("weekday", "starts_at")
            ),
            Prefetch("offering__blocks", queryset=OfferingBlock.objects.order_by("starts_on")),
        )
    )
    clashes = clashes_among([e.offering for e in enrolments])
    clashing_slots = {
        slot.pk for clash in clashes for slot in (clash.slot, clash.other_slot) if slot is not None
    }
    entries = [
        TimetableEntry(enrolment=e, slot=slot, clashing=slot.pk in clashing_slots)
        for e in enrolments
        for slot in e.offering.slots.all()
    ]
    entries.sort(key=lambda entry: (entry.slot.weekday, entry.slot.starts_at, entry.slot.ends_at))
    blocks = [e for e in enrolments if e.offering.blocks.all()]
    unscheduled = [
        e for e in enrolments if not e.offering.slots.all() and not e.offering.blocks.all()
    ]
    return LearnerTimetable(
        learner=learner,
        term=term,
        entries=entries,
        blocks=blocks,
        unscheduled=unscheduled,
        clashes=clashes,
        positions=waitlist_positions(enrolments),
    )


@dataclass(frozen=True, slots=True)
class Roster:
    """An offering's enrolled learners (by name) and its waitlist (in order of arrival)."""

    offering: Offering
    enrolled: list[Enrolment]
    waitlist: list[Enrolment]

    @property
    def free_places(self) -> int | None:
        """Return how many places are left, or None when the offering has no limit."""
        if self.offering.capacity is None:
            return None
        return max(self.offering.capacity - len(self.enrolled), 0)


def offering_roster(user: "User | AnonymousUser | None", offering_id: int) -> Roster:
    """Return an offering's list and waitlist, for its centre's staff, its teachers, the registrar.

    Raise NotFound for no such offering, NotAllowed for an offering the user does not run.
    """
    offering = (
        Offering.objects.select_related("unit", "term", "term__academic_year", "centre")
        .filter(pk=offering_id)
        .first()
    )
    if offering is None:
        raise NotFound(_("No such offering."), field="offering")
    runs = restrict(
        Offering.objects.filter(pk=offering_id), user, centre="centre", teacher="teachers"
    )
    if not runs.exists():
        raise NotAllowed(_("Only the offering's teachers and its centre's staff see its list."))
    rows = list(
        Enrolment.objects.filter(offering=offering, status__in=ACTIVE_STATUSES)
        .select_related("learner", "learner__home_centre", "agreement", "contract")
        .order_by("pk")
    )
    enrolled = sorted(
        (e for e in rows if e.status == EnrolmentStatus.ENROLLED),
        key=lambda e: (e.learner.last_name.lower(), e.learner.first_name.lower(), e.learner.number),
    )
    waitlist = [e for e in rows if e.status == EnrolmentStatus.WAITLISTED]
    return Roster(offering=offering, enrolled=enrolled, waitlist=waitlist)


# Agreements and contracts.


def _agreements() -> QuerySet[TrainingAgreement]:
    return TrainingAgreement.objects.select_related(
        "employer",
        "employer_contact",
        "learner",
        "centre",
        "academic_year",
        "employer_signed_by",
        "institution_signed_by",
    ).prefetch_related(
        Prefetch(
            "offerings",
            queryset=Offering.objects.select_related(
                "unit", "term", "term__academic_year", "centre"
            ).order_by("term__semester", "unit__code", "pk"),
        ),
        Prefetch(
            "funding", queryset=FundingShare.objects.select_related("employer").order_by("pk")
        ),
    )


def visible_agreements(
    user: "User | AnonymousUser | None",
    *,
    status: str = "",
    academic_year: AcademicYear | None = None,
    learner: Learner | None = None,
) -> QuerySet[TrainingAgreement]:
    """Return the agreements a user may read, latest year first, by number.

    Employer contacts see their employer's; learners their own; centre staff those
    signed by their centres or for their centres' learners.
    """
    base = _agreements()
    queryset = restrict(
        base, user, centre="centre", learner="learner", employer="employer"
    ) | restrict(base, user, centre="learner__home_centre")
    if status:
        queryset = queryset.filter(status=status)
    if academic_year is not None:
        queryset = queryset.filter(academic_year=academic_year)
    if learner is not None:
        queryset = queryset.filter(learner=learner)
    return queryset.order_by("-academic_year__start_year", "number")


def agreement_by_number(user: "User | AnonymousUser | None", number: str) -> TrainingAgreement:
    """Return an agreement the user may read, by its number, or raise NotFound."""
    found = visible_agreements(user).filter(number=number.strip().upper()).first()
    if found is None:
        raise NotFound(_("No such agreement."), field="agreement")
    return found


def _contracts() -> QuerySet[TrainingContract]:
    return TrainingContract.objects.select_related(
        "learner", "centre", "academic_year", "signed_by"
    ).prefetch_related(
        Prefetch(
            "offerings",
            queryset=Offering.objects.select_related(
                "unit", "term", "term__academic_year", "centre"
            ).order_by("term__semester", "unit__code", "pk"),
        )
    )


def visible_contracts(
    user: "User | AnonymousUser | None",
    *,
    status: str = "",
    academic_year: AcademicYear | None = None,
    learner: Learner | None = None,
) -> QuerySet[TrainingContract]:
    """Return the individual contracts a user may read: their own, their centres' learners'."""
    base = _contracts()
    queryset = restrict(base, user, centre="centre", learner="learner") | restrict(
        base, user, centre="learner__home_centre"
    )
    if status:
        queryset = queryset.filter(status=status)
    if academic_year is not None:
        queryset = queryset.filter(academic_year=academic_year)
    if learner is not None:
        queryset = queryset.filter(learner=learner)
    return queryset.order_by("-academic_year__start_year", "number")


def contract_by_number(user: "User | AnonymousUser | None", number: str) -> TrainingContract:
    """Return an individual contract the user may read, by its number, or raise NotFound."""
    found = visible_contracts(user).filter(number=number.strip().upper()).first()
    if found is None:
        raise NotFound(_("No such contract."), field="contract")
    return found


# Fee statements.


@dataclass(frozen=True, slots=True)
class PayerRef:
    """Whom a fee statement is for: a learner, an employer, an OPCO, the CPF or another funder."""

    kind: str
    learner: Learner | None = None
    employer: Employer | None = None
    funder: str = ""

    @property
    def label(self) -> str:
        """Return the payer's name as a statement prints it."""
        if self.learner is not None:
            return f"{self.learner.full_name} ({self.learner.number})"
        if self.employer is not None:
            return f"{self.employer.name} (SIRET {self.employer.siret})"
        return self.funder or str(Payer(self.kind).label)


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One thing a payer pays for: a registration, an agreement or a contract."""

    document: str
    reference: str
    learner_number: str
    learner_name: str
    centre: str
    description: str
    price: Decimal
    amount: Decimal
    note: str = ""


CSV_HEADER = (
    "document",
    "reference",
    "learner_number",
    "learner_name",
    "centre",
    "description",
    "price",
    "amount",
    "note",
)


@dataclass(frozen=True, slots=True)
class FeeStatement:
    """What one payer owes for an academic year: the lines and their total."""

    payer: PayerRef
    academic_year: AcademicYear
    lines: list[FeeLine]

    @property
    def total(self) -> Decimal:
        """Return the sum of the payer's amounts."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def csv_rows(self) -> list[list[str]]:
        """Return the statement as rows for a CSV file: a header, the lines, the total."""
        rows = [list(CSV_HEADER)]
        rows.extend(
            [
                line.document,
                line.reference,
                line.learner_number,
                line.learner_name,
                line.centre,
                line.description,
                f"{line.price:.2f}",
                f"{line.amount:.2f}",
                line.note,
            ]
            for line in self.lines
        )
        rows.append(["total", "", "", "", "", "", "", f"{self.total:.2f}", ""])
        return rows


def fee_statement(
    user: "User | AnonymousUser | None", *, payer: PayerRef, academic_year: AcademicYear
) -> FeeStatement:
    """Return what a payer owes for a year, from the registrations, agreements and contracts the
    user may read.

    Registrations in force count with the payer's share of their fee; agreements
    signed by both parties (or completed) with the payer's share of their price;
    signed contracts with their price (a learner pays their own), due once their
    withdrawal period is over.
    """
    lines: list[FeeLine] = []
    shares = FundingShare.objects.filter(payer=payer.kind, amount__gt=0)
    if payer.kind == Payer.EMPLOYER:
        shares = shares.filter(employer=payer.employer)
    elif payer.kind in (Payer.OPCO, Payer.OTHER):
        shares = shares.filter(funder__iexact=payer.funder.strip())
    registration_shares = shares.filter(
        registration__academic_year=academic_year,
        registration__status=RegistrationStatus.REGISTERED,
    ).select_related("registration__learner", "registration__centre")
    agreement_shares = shares.filter(
        agreement__academic_year=academic_year,
        agreement__status__in=[AgreementStatus.SIGNED_BY_INSTITUTION, AgreementStatus.COMPLETED],
    ).select_related("agreement__learner", "agreement__centre")
    if payer.kind == Payer.LEARNER:
        registration_shares = registration_shares.filter(registration__learner=payer.learner)
        agreement_shares = agreement_shares.filter(agreement__learner=payer.learner)
    visible_registration_shares = restrict(
        registration_shares,
        user,
        centre="registration__centre",
        learner="registration__learner",
        employer="employer",
    ) | restrict(registration_shares, user, centre="registration__learner__home_centre")
    for share in visible_registration_shares.order_by(
        "registration__learner__last_name", "registration__learner__number", "pk"
    ):
        registration = share.registration
        assert registration is not None
        lines.append(
            FeeLine(
                document="registration",
                reference=str(registration.pk),
                learner_number=registration.learner.number,
                learner_name=registration.learner.full_name,
                centre=registration.centre.name,
                description=str(
                    _("Registration for %(year)s, %(rate)s")
                    % {"year": academic_year.label, "rate": registration.get_rate_display()}
                ),
                price=registration.fee,
                amount=share.amount,
            )
        )
    visible_agreement_shares = restrict(
        agreement_shares,
        user,
        centre="agreement__centre",
        learner="agreement__learner",
        employer="employer",
    ) | restrict(agreement_shares, user, centre="agreement__learner__home_centre")
    for share in visible_agreement_shares.order_by("agreement__number", "pk"):
        agreement = share.agreement
        assert agreement is not None
        lines.append(
            FeeLine(
                document="agreement",
                reference=agreement.number,
                learner_number=agreement.learner.number,
                learner_name=agreement.learner.full_name,
                centre=agreement.centre.name,
                description=agreement.title,
                price=agreement.price,
                amount=share.amount,
            )
        )
    if payer.kind == Payer.LEARNER and payer.learner is not None:
        contracts = TrainingContract.objects.filter(
            learner=payer.learner,
            academic_year=academic_year,
            status=ContractStatus.SIGNED,
            price__gt=0,
        ).select_related("learner", "centre")
        visible_contracts_ = restrict(
            contracts, user, centre="centre", learner="learner"
        ) | restrict(contracts, user, centre="learner__home_centre")
        for contract in visible_contracts_.order_by("number"):
            assert contract.withdrawal_ends_on is not None
            lines.append(
                FeeLine(
                    document="contract",
                    reference=contract.number,
                    learner_number=contract.learner.number,
                    learner_name=contract.learner.full_name,
                    centre=contract.centre.name,
                    description=contract.title,
                    price=contract.price,
                    amount=contract.price,
                    note=str(
                        _("Due after the withdrawal period, which ends on %(date)s.")
                        % {"date": contract.withdrawal_ends_on.isoformat()}
                    ),
                )
            )
    return FeeStatement(payer=payer, academic_year=academic_year, lines=lines)


def learner_by_number(number: str) -> Learner:
    """Return a learner's file by number, whoever asks; for actions that check who acts."""
    found = _files().filter(number=number.strip()).first()
    if found is None:
        raise NotFound(_("No such learner."), field="learner")
    return found


def offering_to_enrol(pk: int) -> Offering:
    """Return an offering by id, published or not, for an enrolment action to judge."""
    found = Offering.objects.select_related("centre").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such offering."), field="offering")
    return found


# Pages: offerings' fill, the registrar's overview.


@dataclass(frozen=True, slots=True)
class OfferingFill:
    """An offering with how many hold a place and how many wait."""

    offering: Offering
    enrolled: int
    waiting: int

    @property
    def full(self) -> bool:
        """Tell whether every place is taken."""
        capacity = self.offering.capacity
        return capacity is not None and self.enrolled >= capacity


def _with_fill(queryset: QuerySet[Offering]) -> list[OfferingFill]:
    annotated = queryset.select_related(
        "unit", "term", "term__academic_year", "centre", "institute"
    ).annotate(
        enrolled_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
        waiting_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
    )
    return [
        OfferingFill(
            offering=offering,
            enrolled=offering.enrolled_count,
            waiting=offering.waiting_count,
        )
        for offering in annotated
    ]


def centre_offering_fill(
    user: "User | AnonymousUser | None", centre: Centre, term: Term
) -> list[OfferingFill]:
    """Return a centre's offerings of a term with their places taken and waiting, by unit code.

    For the centre's staff and the registrar; raise NotAllowed for anyone else.
    """
    if not restrict(Centre.objects.filter(pk=centre.pk), user, centre="pk").exists():
        raise NotAllowed(_("Only the centre's staff and the registrar see its lists."))
    return _with_fill(
        Offering.objects.filter(centre=centre, term=term).order_by("unit__code", "section", "pk")
    )


def full_offerings(
    user: "User | AnonymousUser | None", term: Term, *, limit: int | None = None
) -> list[OfferingFill]:
    """Return the offerings of a term the user runs whose places are all taken, most waiting
    first."""
    queryset = restrict(
        Offering.objects.filter(term=term, capacity__isnull=False), user, centre="centre"
    )
    full = [fill for fill in _with_fill(queryset.order_by("unit__code", "pk")) if fill.full]
    full.sort(key=lambda fill: (-fill.waiting, fill.offering.unit.code, fill.offering.pk))
    return full[:limit] if limit is not None else full


@dataclass(frozen=True, slots=True)
class EnrolmentOverview:
    """A year's registrations and enrolments, for the registrar.

    ``registrations_by_kind`` counts the registrations in force by the kind of the
    centre that took them; ``enrolments_by_formula`` and ``enrolments_by_kind``
    count the places held (and, second, the places waited for); ``agreements``
    counts the agreements by status.
    """

    academic_year: AcademicYear
    registrations: int
    registrations_by_kind: list[tuple[str, int]]
    enrolments_by_formula: list[tuple[str, int, int]]
    enrolments_by_kind: list[tuple[str, int, int]]
    agreements: list[tuple[str, str, int]]


def enrolment_overview(user: "User", academic_year: AcademicYear) -> EnrolmentOverview:
    """Return the year's registrations, enrolments and agreements counted; the registrar only."""
    from cursus.catalogue.models import CentreKind, Formula
    from cursus.core.models import Role
    from cursus.core.scoping import require

    require(user, Role.REGISTRAR)
    registrations = dict(
        Registration.objects.filter(
            academic_year=academic_year, status=RegistrationStatus.REGISTERED
        )
        .values_list("centre__kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    held: dict[tuple[str, str, str], int] = {}
    for formula, kind, status, count in (
        Enrolment.objects.filter(term__academic_year=academic_year, status__in=ACTIVE_STATUSES)
        .values_list("offering__formula", "offering__centre__kind", "status")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        held[(formula, kind, status)] = count

    def total(*, formula: str | None = None, kind: str | None = None, status: str) -> int:
        return sum(
            count
            for (f, k, s), count in held.items()
            if s == status and formula in (None, f) and kind in (None, k)
        )

    by_status = dict(
        TrainingAgreement.objects.filter(academic_year=academic_year)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return EnrolmentOverview(
        academic_year=academic_year,
        registrations=sum(registrations.values()),
        registrations_by_kind=[
            (str(label), registrations.get(value, 0)) for value, label in CentreKind.choices
        ],
        enrolments_by_formula=[
            (
                str(label),
                total(formula=value, status=EnrolmentStatus.ENROLLED),
                total(formula=value, status=EnrolmentStatus.WAITLISTED),
            )
            for value, label in Formula.choices
        ],
        enrolments_by_kind=[
            (
                str(label),
                total(kind=value, status=EnrolmentStatus.ENROLLED),
                total(kind=value, status=EnrolmentStatus.WAITLISTED),
            )
            for value, label in CentreKind.choices
        ],
        agreements=[
            (value, str(label), by_status.get(value, 0)) for value, label in AgreementStatus.choices
        ],
    )


def offerings_for_agreement(academic_year: AcademicYear) -> QuerySet[Offering]:
    """Return the published offerings of a year taught on work time (daytime or institutes)."""
    from cursus.catalogue.models import Formula

    return (
        Offering.objects.filter(
            term__academic_year=academic_year,
            published=True,
            formula__in=[Formula.DAYTIME, Formula.INSTITUTE],
        )
        .select_related("unit", "term", "centre")
        .order_by("term__semester", "unit__code", "centre__name", "pk")
    )


def employer_by_siret(user: "User | AnonymousUser | None", siret: str) -> Employer:
    """Return an employer the user deals with (their own, or any for staff), or raise NotFound."""
    scope = scope_of(user)
    queryset = Employer.objects.filter(siret=siret.replace(" ", ""))
    if not (scope.is_registrar or scope.is_staff_member):
        queryset = queryset.filter(pk__in=scope.employer_ids)
    found = queryset.first()
    if found is None:
        raise NotFound(_("No such employer."), field="employer")
    return found


def academic_year_by_start(start_year: int) -> AcademicYear:
    """Return the academic year starting in a calendar year, or raise NotFound."""
    found = AcademicYear.objects.filter(start_year=start_year).first()
    if found is None:
        raise NotFound(_("No such academic year."), field="year")
    return found


def offerings_for_contract(learner: Learner, academic_year: AcademicYear) -> QuerySet[Offering]:
    """Return the offerings of a year a self-paying learner may put in an individual contract.

    Those published, not taught on work time (daytime needs an agreement), at the
    learner's home centre or the centre of their registration, or at a distance;
    without the ones the learner already holds or waits for a place in.
    """
    from cursus.catalogue.models import Formula

    centres = [learner.home_centre_id]
    registration = registration_for(learner, academic_year)
    if registration is not None:
        centres.append(registration.centre_id)
    held = Enrolment.objects.filter(learner=learner, status__in=ACTIVE_STATUSES).values(
        "offering_id"
    )
    return (
        Offering.objects.filter(term__academic_year=academic_year, published=True)
        .exclude(formula=Formula.DAYTIME)
        .filter(Q(centre_id__in=centres) | Q(formula=Formula.DISTANCE))
        .exclude(pk__in=held)
        .select_related("unit", "term", "centre")
        .order_by("term__semester", "unit__code", "centre__name", "pk")
    )
