"""Enrolment pages for the institution and employers: a centre's lists, an offering's list
and waitlist (with its CSV export), training agreements and their signatures, employers'
fee statements and the registrar's overview."""

import csv
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cursus.catalogue import queries as catalogue_queries
from cursus.catalogue.models import Term
from cursus.core.errors import DomainError, NotAllowed
from cursus.core.models import Role
from cursus.core.scoping import require, scope_of
from cursus.enrolment import actions, documents
from cursus.enrolment import queries as enrolment_queries
from cursus.enrolment.models import AgreementStatus, Payer, RegistrationStatus
from cursus.web.forms import TermChoiceForm, show_errors
from cursus.web.permissions import member_view, user_of
from cursus.web.views.enrolment import (
    current_year,
    statement_response,
    year_asked,
)
from cursus.web.views.enrolment_forms import (
    AgreementForm,
    FundingForm,
    LearnerNumberForm,
    ReasonForm,
)
from cursus.web.views.home import bars

# The registrar's overview lists this many full offerings at most.
FULL_OFFERINGS_SHOWN = 25


def _term(request: HttpRequest) -> tuple[TermChoiceForm, Term | None]:
    terms = list(catalogue_queries.terms())
    form = TermChoiceForm(request.GET, terms=terms)
    chosen = form.cleaned_data.get("term") if form.is_valid() else None
    term = (
        next(t for t in terms if t.code == chosen) if chosen else catalogue_queries.current_term()
    )
    if term is not None and not chosen:
        form = TermChoiceForm({"term": term.code}, terms=terms)
    return form, term


@member_view
def centres(request: HttpRequest) -> HttpResponse:
    """List the centres whose lists the user keeps; straight to the centre when there is one."""
    user = user_of(request)
    require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    found = list(catalogue_queries.administered_centres(user))
    if len(found) == 1:
        return redirect("web:enrolment_centre", code=found[0].code)
    return render(request, "enrolment/centres.html", {"centres": found})


@member_view
def centre(request: HttpRequest, code: str) -> HttpResponse:
    """Show a centre's offerings of a term with their places taken and their waitlists."""
    user = user_of(request)
    found = catalogue_queries.centre_by_code(code)
    form, term = _term(request)
    rows = enrolment_queries.centre_offering_fill(user, found, term) if term is not None else []
    context = {
        "centre": found,
        "form": form,
        "term": term,
        "rows": rows,
        "full": sum(1 for row in rows if row.full),
        "waiting": sum(row.waiting for row in rows),
        "register_form": LearnerNumberForm(),
    }
    return render(request, "enrolment/centre.html", context)


@member_view
def find_learner(request: HttpRequest) -> HttpResponse:
    """Go from a learner number to the learner's enrolments, or to their registration."""
    user = user_of(request)
    require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    form = LearnerNumberForm(request.GET)
    if form.is_valid():
        number = form.cleaned_data["learner"].strip()
        found = enrolment_queries.visible_learners(user).filter(number=number).first()
        if found is not None:
            target = (
                "web:enrolment_register" if request.GET.get("then") else "web:enrolment_learner"
            )
            return redirect(target, number=found.number)
        messages.error(
            request, _("No learner of your centres has the number %(number)s.") % {"number": number}
        )
    else:
        messages.error(request, _("Give a learner number."))
    back = request.GET.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("web:enrolment_centres")
    return redirect(back)


@member_view
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an offering's enrolled learners and its waitlist; staff enrol and withdraw from here."""
    user = user_of(request)
    found = enrolment_queries.offering_roster(user, pk)
    scope = scope_of(user)
    context = {
        "roster": found,
        "offering": found.offering,
        "waitlist": list(enumerate(found.waitlist, start=1)),
        "staff": scope.is_registrar or scope.covers_centre(found.offering.centre_id),
        "form": LearnerNumberForm(),
    }
    return render(request, "enrolment/roster.html", context)


ROSTER_CSV_HEADER = (
    "status",
    "position",
    "learner_number",
    "last_name",
    "first_name",
    "email",
    "home_centre",
    "agreement",
    "contract",
    "since",
)


@member_view
def roster_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Download an offering's list and waitlist as CSV (UTF-8, comma-separated)."""
    found = enrolment_queries.offering_roster(user_of(request), pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROSTER_CSV_HEADER)
    rows = [(e, "") for e in found.enrolled] + [
        (e, str(position)) for position, e in enumerate(found.waitlist, start=1)
    ]
    for enrolment, position in rows:
        learner = enrolment.learner
        since = enrolment.enrolled_at or enrolment.created_at
        writer.writerow(
            [
                enrolment.status,
                position,
                learner.number,
                learner.last_name,
                learner.first_name,
                learner.email,
                learner.home_centre.code,
                enrolment.agreement.number if enrolment.agreement is not None else "",
                enrolment.contract.number if enrolment.contract is not None else "",
                since.isoformat(timespec="seconds"),
            ]
        )
    offering = found.offering
    name = f"{offering.unit.code}-{offering.term.code}-{offering.centre.code}-{offering.pk}.csv"
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Training agreements.


@member_view
def agreements(request: HttpRequest) -> HttpResponse:
    """List the agreements the user may read, those awaiting them first."""
    user = user_of(request)
    scope = scope_of(user)
    status = request.GET.get("status", "")
    if status not in AgreementStatus.values:
        status = ""
    found = list(enrolment_queries.visible_agreements(user, status=status))
    if scope.employer_ids and not scope.is_staff_member:
        awaiting = AgreementStatus.SENT
    else:
        awaiting = AgreementStatus.SIGNED_BY_EMPLOYER
    context = {
        "agreements": found,
        "awaiting": [a for a in found if a.status == awaiting],
        "status": status,
        "statuses": AgreementStatus.choices,
        "employer_side": bool(scope.employer_ids) and not scope.is_staff_member,
    }
    return render(request, "enrolment/agreements.html", context)


@member_view
def agreement(request: HttpRequest, number: str) -> HttpResponse:
    """Show an agreement, with the step each party may take next."""
    user = user_of(request)
    found = enrolment_queries.agreement_by_number(user, number)
    scope = scope_of(user)
    for_employer = found.employer_id in scope.employer_ids
    staff = scope.is_registrar or any(
        scope.covers_centre(c) for c in (found.centre_id, found.learner.home_centre_id)
    )
    steps: list[tuple[str, str, bool]] = []
    if staff and found.status == AgreementStatus.DRAFT:
        steps.append(("send", _("Send to the employer"), False))
    if for_employer and found.status == AgreementStatus.SENT:
        steps.append(("sign-employer", _("Sign for the employer"), False))
    if (scope.is_registrar or scope.covers_centre(found.centre_id)) and (
        found.status == AgreementStatus.SIGNED_BY_EMPLOYER
    ):
        steps.append(("sign-institution", _("Sign for the institution"), False))
    if staff and found.status == AgreementStatus.SIGNED_BY_INSTITUTION:
        steps.append(("complete", _("Mark as carried out"), False))
    cancellable = staff and found.status not in (
        AgreementStatus.COMPLETED,
        AgreementStatus.CANCELLED,
    )
    context = {
        "agreement": found,
        "offerings": list(found.offerings.all()),
        "funding": list(found.funding.all()),
        "steps": steps,
        "cancellable": cancellable,
        "cancel_form": ReasonForm(),
    }
    return render(request, "enrolment/agreement.html", context)


AGREEMENT_STEPS = {
    "send": actions.send_agreement,
    "sign-employer": actions.sign_agreement_as_employer,
    "sign-institution": actions.sign_agreement_as_institution,
    "complete": actions.complete_agreement,
}


@member_view
@require_POST
def agreement_step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    """Take an agreement's next step: send, sign (either party), complete or cancel."""
    user = user_of(request)
    found = enrolment_queries.agreement_by_number(user, number)
    try:
        if step == "cancel":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            done = actions.cancel_agreement(actor=user, agreement=found, reason=reason)
        elif step in AGREEMENT_STEPS:
            done = AGREEMENT_STEPS[step](actor=user, agreement=found)
        else:
            raise NotAllowed(_("No such step."))
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Agreement %(number)s: %(status)s.")
            % {"number": done.number, "status": done.get_status_display()},
        )
    return redirect("web:enrolment_agreement", number=found.number)


@member_view
def agreement_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """Download an agreement as a PDF (its parties and the centres concerned)."""
    found = enrolment_queries.agreement_by_number(user_of(request), number)
    pdf = documents.agreement_pdf(found, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.number}.pdf"'
    return response


@member_view
def registration_funding(request: HttpRequest, number: str) -> HttpResponse:
    """Say who pays a learner's registration fee for the year: the learner, CPF, employer, OPCO."""
    user = user_of(request)
    require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    learner = enrolment_queries.learner_file(user, number)
    year = year_asked(request)
    registration = None
    if year is not None:
        registration = (
            enrolment_queries.visible_registrations(user, learner=learner, academic_year=year)
            .filter(status=RegistrationStatus.REGISTERED)
            .first()
        )
    if year is None or registration is None:
        raise NotAllowed(_("The learner is not registered for this year."))
    form = FundingForm(request.POST or None, shares=list(registration.funding.all()))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.set_funding(actor=user, registration=registration, funding=form.funding())
            except DomainError as error:
                show_errors(
                    {form.field_of(key): value for key, value in error.as_errors().items()}, form
                )
            else:
                messages.success(request, _("The funding of the registration is saved."))
                url = reverse("web:enrolment_learner", kwargs={"number": learner.number})
                return redirect(f"{url}?year={year.start_year}")
        status = 400
    context = {"learner": learner, "year": year, "registration": registration, "form": form}
    return render(request, "enrolment/funding.html", context, status=status)


@member_view
def agreement_new(request: HttpRequest, number: str) -> HttpResponse:
    """Draw up a training agreement with a learner's employer, for courses on work time."""
    user = user_of(request)
    require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    learner = enrolment_queries.learner_file(user, number)
    year = current_year()
    if year is None:
        raise NotAllowed(_("No academic year is open."))
    initial = {
        "employer": learner.employer.siret if learner.employer is not None else "",
        "objective": _("Acquire the units listed below, capitalised for life."),
        "content": _("The programme of each unit, as published in the catalogue."),
        "assessment": _(
            "A written examination per unit, in two sessions; a unit is held with 10/20."
        ),
    }
    form = AgreementForm(
        request.POST or None,
        offerings=enrolment_queries.offerings_for_agreement(year),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = actions.create_agreement(
                    actor=user,
                    employer=data["employer"],
                    employer_contact=data["employer_contact"],
                    learner=learner,
                    offerings=form.offering_ids(),
                    title=data["title"],
                    objective=data["objective"],
                    content=data["content"],
                    assessment=data["assessment"],
                    price=data["price"] or None,
                    funding=form.funding(),
                )
            except DomainError as error:
                show_errors(
                    {form.field_of(key): value for key, value in error.as_errors().items()}, form
                )
            else:
                messages.success(
                    request,
                    _("Agreement %(number)s drawn up; send it to the employer when it is right.")
                    % {"number": created.number},
                )
                return redirect("web:enrolment_agreement", number=created.number)
        status = 400
    context = {"learner": learner, "year": year, "form": form}
    return render(request, "enrolment/agreement_form.html", context, status=status)


@member_view
def employer_fees(request: HttpRequest, siret: str, year: int, form: str = "") -> HttpResponse:
    """Show what an employer pays for a year, as a page, a PDF or a CSV file."""
    user = user_of(request)
    employer = enrolment_queries.employer_by_siret(user, siret)
    statement = enrolment_queries.fee_statement(
        user,
        payer=enrolment_queries.PayerRef(kind=Payer.EMPLOYER, employer=employer),
        academic_year=enrolment_queries.academic_year_by_start(year),
    )
    return statement_response(request, statement, form, back="")


# The registrar's overview.


@member_view
def overview(request: HttpRequest) -> HttpResponse:
    """Show the registrar a year's registrations, enrolments, full offerings and agreements."""
    user = user_of(request)
    require(user, Role.REGISTRAR)
    year = year_asked(request)
    term = catalogue_queries.current_term()
    context: dict[str, object] = {"year": year, "term": term}
    if year is not None:
        figures = enrolment_queries.enrolment_overview(user, year)
        context.update(
            figures=figures,
            enrolled=sum(row[1] for row in figures.enrolments_by_formula),
            waiting=sum(row[2] for row in figures.enrolments_by_formula),
            formula_bars=bars([(label, held) for label, held, _w in figures.enrolments_by_formula]),
            kind_bars=bars([(label, held) for label, held, _w in figures.enrolments_by_kind]),
            registration_bars=bars(figures.registrations_by_kind),
            agreement_bars=bars([(label, count) for _v, label, count in figures.agreements]),
        )
    if term is not None:
        context["full"] = enrolment_queries.full_offerings(user, term, limit=FULL_OFFERINGS_SHOWN)
    return render(request, "enrolment/overview.html", context)
