"""Enrolment pages for learners (and staff acting for them): registration for the year,
enrolment in offerings, the outcome, withdrawal, the weekly timetable across centres,
individual contracts and fee statements.

Staff pages (an offering's list, a centre's lists, agreements, the registrar's
overview) are in :mod:`cursus.web.views.enrolment_staff`.
"""

from dataclasses import dataclass
from datetime import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cursus.catalogue import queries as catalogue_queries
from cursus.catalogue.models import AcademicYear, Formula, Offering, OfferingSlot, Term
from cursus.core.errors import DomainError, NotAllowed, NotFound
from cursus.core.models import User
from cursus.core.scoping import Scope, scope_of
from cursus.enrolment import actions, documents
from cursus.enrolment import queries as enrolment_queries
from cursus.enrolment.fees import format_euros
from cursus.enrolment.models import (
    ContractStatus,
    Enrolment,
    EnrolmentStatus,
    Learner,
    Payer,
    RegistrationStatus,
    TrainingContract,
)
from cursus.records import queries as records_queries
from cursus.web.forms import TermChoiceForm, show_errors
from cursus.web.permissions import member_view, user_of
from cursus.web.timetable import WORKING_WEEK, period_of
from cursus.web.views.enrolment_forms import (
    LearnerNumberForm,
    ReasonForm,
    RegistrationForm,
    TrainingTermsForm,
)


def current_year() -> AcademicYear | None:
    """Return the academic year of the term in progress (or the next to start)."""
    term = catalogue_queries.current_term()
    return term.academic_year if term is not None else None


def year_asked(request: HttpRequest) -> AcademicYear | None:
    """Return the academic year named by ``?year=2025``, or else the current one."""
    value = request.GET.get("year", "")
    if value.isdigit():
        return enrolment_queries.academic_year_by_start(int(value))
    return current_year()


def may_act_for(scope: Scope, learner: Learner, *centre_ids: int) -> bool:
    """Tell whether the user may act for the learner (the actions check it again): the learner,
    staff of their home centre or of a centre concerned, the registrar."""
    return (
        scope.is_registrar
        or scope.learner_id == learner.pk
        or any(scope.covers_centre(c) for c in (learner.home_centre_id, *centre_ids))
    )


def next_or(request: HttpRequest, fallback: str) -> str:
    """Return the local address named by ``next`` in the form, or the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def can_withdraw(enrolment: Enrolment) -> bool:
    """Tell whether the enrolment may still be given up: a place before the deadline, a wait
    always."""
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return True
    return (
        enrolment.status == EnrolmentStatus.ENROLLED
        and timezone.localdate() <= enrolment.offering.term.withdrawal_deadline
    )


@member_view
def my_enrolments(request: HttpRequest) -> HttpResponse:
    """Send each user to their enrolment desk: their own file, their centres, their agreements."""
    user = user_of(request)
    scope = scope_of(user)
    learner = enrolment_queries.learner_of(user)
    if learner is not None:
        return redirect("web:enrolment_learner", number=learner.number)
    if scope.is_registrar:
        return redirect("web:enrolment_overview")
    if scope.is_staff_member:
        return redirect("web:enrolment_centres")
    if scope.employer_ids:
        return redirect("web:enrolment_agreements")
    raise NotAllowed(_("You have no enrolments to see."))


@dataclass(frozen=True, slots=True)
class EnrolmentRow:
    """An enrolment as the learner's page lists it."""

    enrolment: Enrolment
    position: int | None
    withdrawable: bool


@member_view
def learner_enrolments(request: HttpRequest, number: str) -> HttpResponse:
    """Show a learner's registration, enrolments, contracts and agreements for a year."""
    user = user_of(request)
    learner = enrolment_queries.learner_file(user, number)
    year = year_asked(request)
    scope = scope_of(user)
    acts = may_act_for(scope, learner)
    context: dict[str, object] = {"learner": learner, "year": year, "acts": acts}
    if year is not None:
        registration = (
            enrolment_queries.visible_registrations(user, learner=learner, academic_year=year)
            .filter(status=RegistrationStatus.REGISTERED)
            .first()
        )
        enrolments = list(enrolment_queries.learner_enrolments(user, learner, academic_year=year))
        positions = enrolment_queries.waitlist_positions(enrolments)
        context.update(
            registration=registration,
            rows=[
                EnrolmentRow(e, positions.get(e.pk), acts and can_withdraw(e)) for e in enrolments
            ],
            contracts=list(
                enrolment_queries.visible_contracts(user, learner=learner, academic_year=year)
            ),
            agreements=list(
                enrolment_queries.visible_agreements(user, learner=learner, academic_year=year)
            ),
            years=[y for y in _years() if y.start_year <= year.start_year + 1],
        )
    return render(request, "enrolment/learner.html", context)


def _years() -> list[AcademicYear]:
    return list(AcademicYear.objects.order_by("-start_year")[:4])


@member_view
def register(request: HttpRequest, number: str) -> HttpResponse:
    """Register a learner for the year at a centre: the learner themselves, or centre staff."""
    user = user_of(request)
    learner = enrolment_queries.learner_file(user, number)
    scope = scope_of(user)
    if not may_act_for(scope, learner) and not scope.is_staff_member:
        raise NotAllowed(_("You may register only yourself, or learners of your centres."))
    year = year_asked(request)
    if year is None:
        raise NotAllowed(_("No academic year is open for registration."))
    staff = scope.is_staff_member
    centres = list(catalogue_queries.centres_seat_first())
    form = RegistrationForm(request.POST or None, centres=centres, staff=staff)
    if request.method == "GET":
        form.initial["centre"] = learner.home_centre.code
    existing = enrolment_queries.registration_for(learner, year)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = actions.register(
                    actor=user,
                    learner=learner,
                    centre=form.cleaned_data["centre"],
                    academic_year=year,
                    rate=form.cleaned_data.get("rate") or "full",
                )
            except DomainError as error:
                show_errors(error.as_errors(), form)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered for %(year)s at %(centre)s; fee so far: %(fee)s.")
                    % {
                        "name": learner.full_name,
                        "year": year.label,
                        "centre": registration.centre.name,
                        "fee": format_euros(registration.fee),
                    },
                )
                return redirect("web:enrolment_learner", number=learner.number)
        status = 400
    context = {
        "learner": learner,
        "year": year,
        "form": form,
        "staff": staff,
        "existing": existing,
        "tariffs": list(enrolment_queries.tariffs(academic_year=year)),
        "payers": Payer.choices,
    }
    return render(request, "enrolment/register.html", context, status=status)


def _enrolling_learner(user: User, scope: Scope, form: LearnerNumberForm) -> Learner | None:
    """Return the learner an enrolment request is for: the one named (staff), or the user."""
    if "learner" in form.fields:
        number = form.cleaned_data["learner"]
        found = enrolment_queries.visible_learners(user).filter(number=number.strip()).first()
        if found is None:
            form.add_error("learner", _("No learner of your centres has this number."))
        return found
    return enrolment_queries.learner_of(user)


@member_view
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol in an offering (or join its waitlist): the learner, or staff for a learner."""
    user = user_of(request)
    scope = scope_of(user)
    offering = catalogue_queries.offering_detail(pk, user=user)
    own = enrolment_queries.learner_of(user)
    if own is None and not scope.is_staff_member:
        raise NotAllowed(_("Only learners, and staff on their behalf, enrol in offerings."))
    form = LearnerNumberForm(request.POST if request.method == "POST" else None)
    if not scope.is_staff_member:
        del form.fields["learner"]
    elif own is not None and request.method == "GET":
        form.initial["learner"] = own.number
    registration = (
        enrolment_queries.registration_for(own, offering.term.academic_year)
        if own is not None
        else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            learner = _enrolling_learner(user, scope, form)
            if learner is not None:
                try:
                    outcome = actions.enrol(
                        actor=user,
                        learner=learner,
                        offering=offering,
                        contract=_covering_contract(user, learner, offering),
                        held_units=[row.code for row in records_queries.ledger_of(learner)],
                    )
                except DomainError as error:
                    show_errors(error.as_errors(), form)
                else:
                    _tell_outcome(request, outcome)
                    return redirect(
                        next_or(
                            request,
                            reverse("web:enrolment_detail", args=[outcome.enrolment.pk]),
                        )
                    )
        status = 409 if form.non_field_errors() else 400
    context = {
        "offering": offering,
        "form": form,
        "own": own,
        "registration": registration,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "daytime": offering.formula == Formula.DAYTIME,
        "fee": (
            registration.tariff.charge(registration.rate, offering.unit.ects)
            if registration is not None
            else None
        ),
    }
    return render(request, "enrolment/enrol.html", context, status=status)


def _covering_contract(user: User, learner: Learner, offering: Offering) -> TrainingContract | None:
    """Return the learner's contract in force that covers the offering, if any."""
    return (
        enrolment_queries.visible_contracts(
            user, learner=learner, academic_year=offering.term.academic_year
        )
        .filter(offerings=offering, status__in=[ContractStatus.DRAFT, ContractStatus.SIGNED])
        .first()
    )


def _tell_outcome(request: HttpRequest, outcome: actions.EnrolmentOutcome) -> None:
    """Say what the enrolment gave: a place or a place in the waitlist, clashes, advice."""
    enrolment = outcome.enrolment
    unit = enrolment.offering.unit.code
    if outcome.replayed:
        messages.info(request, _("This request was already made; nothing more was done."))
    elif outcome.enrolled:
        messages.success(
            request,
            _("%(name)s is enrolled in %(unit)s.")
            % {"name": enrolment.learner.full_name, "unit": unit},
        )
    else:
        messages.warning(
            request,
            _("%(unit)s is full: %(name)s is number %(position)d on the waitlist.")
            % {"unit": unit, "name": enrolment.learner.full_name, "position": outcome.position},
        )
    for clash in outcome.clashes:
        messages.warning(
            request,
            _("Timetable clash: %(unit)s meets at the same time as %(other)s (%(centre)s).")
            % {
                "unit": clash.offering.unit.code,
                "other": clash.other.unit.code,
                "centre": clash.other.centre.name,
            },
        )
    if outcome.advice:
        messages.info(
            request,
            _("Advice, not a requirement: %(units)s are recommended before %(unit)s.")
            % {"units": ", ".join(f"{u.code} ({u.title})" for u in outcome.advice), "unit": unit},
        )


@member_view
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an enrolment: its status, its place in the waitlist, and the way to withdraw."""
    user = user_of(request)
    found = enrolment_queries.enrolment_by_id(user, pk)
    positions = enrolment_queries.waitlist_positions([found])
    context = {
        "enrolment": found,
        "position": positions.get(found.pk),
        "withdrawable": may_act_for(scope_of(user), found.learner, found.offering.centre_id)
        and can_withdraw(found),
        "form": ReasonForm(),
    }
    return render(request, "enrolment/enrolment.html", context)


@member_view
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Give up a place or a place in the waitlist; the first waiting learner gets the place."""
    user = user_of(request)
    found = enrolment_queries.enrolment_by_id(user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        outcome = actions.withdraw(actor=user, enrolment=found, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:enrolment_detail", pk=found.pk)
    messages.success(
        request,
        _("%(name)s no longer holds a place in %(unit)s.")
        % {"name": found.learner.full_name, "unit": found.offering.unit.code},
    )
    if outcome.promoted:
        messages.info(
            request,
            _("The place freed went to the first on the waitlist: %(names)s.")
            % {"names": ", ".join(e.learner.full_name for e in outcome.promoted)},
        )
    return redirect(next_or(request, reverse("web:enrolment_learner", args=[found.learner.number])))


# The weekly timetable across centres.


@dataclass(frozen=True, slots=True)
class Chip:
    """One weekly class of the learner's in the grid."""

    enrolment: Enrolment
    slot: OfferingSlot
    clashing: bool
    position: int | None

    @property
    def offering(self) -> Offering:
        """Return the offering the class belongs to."""
        return self.enrolment.offering


@dataclass(frozen=True, slots=True)
class GridRow:
    """A part of the day (morning, afternoon, evening), one cell per day from Monday."""

    key: str
    label: str
    hours: str
    cells: list[list[Chip]]


PERIODS = ("morning", "afternoon", "evening")


def _grid(timetable: enrolment_queries.LearnerTimetable) -> list[GridRow]:
    labels = {
        "morning": (_("Morning"), _("before noon")),
        "afternoon": (_("Afternoon"), _("noon to 17:30")),
        "evening": (_("Evening"), _("from 17:30")),
    }
    rows = {
        key: GridRow(key, labels[key][0], labels[key][1], [[] for _day in WORKING_WEEK])
        for key in PERIODS
    }
    for entry in timetable.entries:
        day = entry.slot.weekday
        if day >= len(WORKING_WEEK):
            continue
        rows[period_of(entry.slot.starts_at)].cells[day].append(
            Chip(
                entry.enrolment,
                entry.slot,
                entry.clashing,
                timetable.positions.get(entry.enrolment.pk),
            )
        )
    return list(rows.values())


@member_view
def timetable(request: HttpRequest, number: str) -> HttpResponse:
    """Show a learner's week in a term, in one grid across every centre and formula."""
    user = user_of(request)
    learner = enrolment_queries.learner_file(user, number)
    terms = list(catalogue_queries.terms())
    form = TermChoiceForm(request.GET, terms=terms)
    chosen = form.cleaned_data.get("term") if form.is_valid() else None
    term: Term | None = (
        next(t for t in terms if t.code == chosen) if chosen else catalogue_queries.current_term()
    )
    if term is not None and not chosen:
        form = TermChoiceForm({"term": term.code}, terms=terms)
    context: dict[str, object] = {"learner": learner, "form": form, "term": term}
    if term is not None:
        week = enrolment_queries.learner_timetable(user, learner, term)
        context.update(
            week=week,
            days=[(day.label, day >= 5) for day in WORKING_WEEK],
            grid=_grid(week),
            sunday=[e for e in week.entries if e.slot.weekday >= len(WORKING_WEEK)],
            evening_starts=time(17, 30),
            centres=sorted(
                {e.offering.centre.name for e in week.entries}
                | {e.offering.centre.name for e in (*week.blocks, *week.unscheduled)}
            ),
        )
    return render(request, "enrolment/timetable.html", context)


# Individual training contracts.


@member_view
def contract_new(request: HttpRequest, number: str) -> HttpResponse:
    """Draw up an individual contract for a self-paying learner: themselves, or staff."""
    user = user_of(request)
    learner = enrolment_queries.learner_file(user, number)
    if not may_act_for(scope_of(user), learner):
        raise NotAllowed(
            _("You may draw up contracts only for yourself or your centres' learners.")
        )
    year = current_year()
    if year is None:
        raise NotAllowed(_("No academic year is open."))
    offerings = list(enrolment_queries.offerings_for_contract(learner, year))
    initial = {
        "objective": _("Acquire the units listed below, capitalised for life."),
        "content": _("The programme of each unit, as published in the catalogue."),
        "assessment": _(
            "A written examination per unit, in two sessions; a unit is held with 10/20."
        ),
    }
    form = TrainingTermsForm(request.POST or None, offerings=offerings, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contract = actions.create_contract(
                    actor=user,
                    learner=learner,
                    offerings=form.offering_ids(),
                    title=form.cleaned_data["title"],
                    objective=form.cleaned_data["objective"],
                    content=form.cleaned_data["content"],
                    assessment=form.cleaned_data["assessment"],
                )
            except DomainError as error:
                show_errors(error.as_errors(), form)
            else:
                messages.success(
                    request,
                    _("Contract %(number)s drawn up: read it, then sign it.")
                    % {"number": contract.number},
                )
                return redirect("web:enrolment_contract", number=contract.number)
        status = 400
    context = {"learner": learner, "year": year, "form": form}
    return render(request, "enrolment/contract_form.html", context, status=status)


@member_view
def contract(request: HttpRequest, number: str) -> HttpResponse:
    """Show an individual contract, with the buttons to sign it or to withdraw from it."""
    user = user_of(request)
    found = enrolment_queries.contract_by_number(user, number)
    acts = may_act_for(scope_of(user), found.learner)
    today = timezone.localdate()
    context = {
        "contract": found,
        "offerings": list(found.offerings.all()),
        "may_sign": acts and found.status == ContractStatus.DRAFT,
        "may_cancel": acts and found.status == ContractStatus.DRAFT,
        "may_withdraw": acts
        and found.status == ContractStatus.SIGNED
        and found.withdrawal_ends_on is not None
        and today <= found.withdrawal_ends_on,
        "withdrawal_days": actions.WITHDRAWAL_DAYS,
    }
    return render(request, "enrolment/contract.html", context)


@member_view
@require_POST
def contract_step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    """Sign an individual contract, cancel its draft, or withdraw within the withdrawal period."""
    user = user_of(request)
    found = enrolment_queries.contract_by_number(user, number)
    try:
        if step == "sign":
            actions.sign_contract(actor=user, contract=found)
            messages.success(request, _("Contract %(number)s is signed.") % {"number": number})
        elif step == "cancel":
            actions.cancel_contract(actor=user, contract=found)
            messages.success(request, _("Contract %(number)s is cancelled.") % {"number": number})
        elif step == "withdraw":
            actions.withdraw_from_contract(actor=user, contract=found)
            messages.success(
                request,
                _("You withdrew from contract %(number)s: nothing is owed.") % {"number": number},
            )
        else:
            raise NotAllowed(_("No such step."))
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("web:enrolment_contract", number=found.number)


@member_view
def contract_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """Download an individual contract as a PDF."""
    found = enrolment_queries.contract_by_number(user_of(request), number)
    pdf = documents.contract_pdf(found, base_url=request.build_absolute_uri("/"))
    return _attachment(pdf, "application/pdf", f"{found.number}.pdf")


# Fee statements.


def _attachment(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def statement_response(
    request: HttpRequest, statement: enrolment_queries.FeeStatement, form: str, back: str
) -> HttpResponse:
    """Answer with a fee statement as a page, a PDF or a CSV file."""
    name = documents.fee_statement_name(statement)
    if form not in ("", "pdf", "csv"):
        raise NotFound(_("No such format."))
    if form == "pdf":
        pdf = documents.fee_statement_pdf(statement, base_url=request.build_absolute_uri("/"))
        return _attachment(pdf, "application/pdf", f"{name}.pdf")
    if form == "csv":
        text = documents.fee_statement_csv(statement)
        return _attachment(text, "text/csv; charset=utf-8", f"{name}.csv")
    context = {"statement": statement, "back": back, "years": _years()}
    return render(request, "enrolment/fees.html", context)


@member_view
def learner_fees(request: HttpRequest, number: str, year: int, form: str = "") -> HttpResponse:
    """Show what a learner pays for a year, as a page, a PDF or a CSV file."""
    user = user_of(request)
    learner = enrolment_queries.learner_file(user, number)
    statement = enrolment_queries.fee_statement(
        user,
        payer=enrolment_queries.PayerRef(kind=Payer.LEARNER, learner=learner),
        academic_year=enrolment_queries.academic_year_by_start(year),
    )
    back = reverse("web:enrolment_learner", args=[learner.number])
    return statement_response(request, statement, form, back)
