"""The public catalogue: search units, a unit's page, diplomas, centres and offerings."""

import re
from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cursus.audit.engine.errors import RulesError
from cursus.audit.engine.parse import parse_rules
from cursus.audit.engine.rules import references
from cursus.catalogue import queries
from cursus.catalogue.models import Term
from cursus.web.forms import DiplomaFilterForm, OfferingFilterForm, TermChoiceForm, UnitSearchForm
from cursus.web.permissions import public_view
from cursus.web.timetable import weekly_timetable

PAGE_SIZE = 20
# Unit codes as the rules language writes them: NFA008, or UA and an activity suffix.
RULES_UNIT_CODE = re.compile(r"\b(?:[A-Z]{3}[0-9]{3}|UA[A-Z0-9]{3,6})\b")


def named_units(rules_text: str) -> list[str]:
    """Return the unit codes a rules text names, once each, in the order they appear.

    Rules are checked when they are saved; should a stored text no longer
    parse, its codes are still found by their shape.
    """
    try:
        codes = [reference.code for reference in references(parse_rules(rules_text))]
    except RulesError:
        codes = RULES_UNIT_CODE.findall(rules_text)
    return list(dict.fromkeys(codes))


def _search(request: HttpRequest) -> tuple[UnitSearchForm, dict[str, object], int]:
    form = UnitSearchForm(request.GET, departments=queries.departments())
    if not form.is_valid():
        return form, {"page": None, "searched": True}, 400
    data = form.cleaned_data
    filters = queries.UnitFilters(
        text=data["q"], department=data["department"], ects=data["ects"], kind=data["kind"]
    )
    page = Paginator(queries.search_units(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    searched = any(value not in ("", None) for value in data.values())
    return form, {"page": page, "searched": searched}, 200


@public_view
def search(request: HttpRequest) -> HttpResponse:
    """Search the units of the catalogue by words, department, ECTS and kind."""
    form, results, status = _search(request)
    return render(request, "web/catalogue/search.html", {"form": form, **results}, status=status)


@public_view
def search_results(request: HttpRequest) -> HttpResponse:
    """Return the results of a catalogue search alone, for search-as-you-type."""
    form, results, status = _search(request)
    return render(request, "web/catalogue/_results.html", {"form": form, **results}, status=status)


@public_view
def unit(request: HttpRequest, code: str) -> HttpResponse:
    """Show a unit and where and when it is offered, across centres and formulas."""
    found = queries.unit_by_code(code)
    if found.code != code:
        return redirect(found, permanent=True)
    form = OfferingFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    term = queries.current_term()
    offerings = list(
        queries.where_offered(
            found,
            from_term=term,
            formula=filters.get("formula", ""),
            centre_kind=filters.get("centre_kind", ""),
        )
    )
    context = {
        "unit": found,
        "form": form,
        "term": term,
        "offerings": offerings,
        "centre_count": len({o.centre_id for o in offerings}),
        "filtered": any(filters.values()),
    }
    return render(request, "web/catalogue/unit.html", context, status=200 if valid else 400)


@public_view
def diplomas(request: HttpRequest) -> HttpResponse:
    """List the diplomas, each with its versions, filtered by department or words."""
    form = DiplomaFilterForm(request.GET, departments=queries.departments())
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    found = queries.diplomas(department=data.get("department", ""), text=data.get("q", ""))
    grouped = [
        (versions[0], versions)
        for _, group in groupby(found, key=lambda diploma: diploma.code)
        for versions in [list(group)]
    ]
    return render(
        request,
        "web/catalogue/diplomas.html",
        {"form": form, "diplomas": grouped},
        status=200 if valid else 400,
    )


@public_view
def diploma(request: HttpRequest, code: str, version: int) -> HttpResponse:
    """Show one version of a diploma: its facts, its rules and the units they name."""
    found = queries.diploma_version(code, version)
    named = named_units(found.rules_text)
    known = queries.units_by_codes(named)
    context = {
        "diploma": found,
        "versions": queries.diploma_versions(found.code),
        "units": [(code, known.get(code)) for code in named],
    }
    return render(request, "web/catalogue/diploma.html", context)


@public_view
def centres(request: HttpRequest) -> HttpResponse:
    """List the centres: the seat, the regional centres, the centres abroad."""
    return render(request, "web/catalogue/centres.html", {"centres": queries.centres_seat_first()})


@public_view
def centre(request: HttpRequest, code: str) -> HttpResponse:
    """Show a centre and its timetable for a term: a weekly grid, then every offering."""
    found = queries.centre_by_code(code)
    terms = list(queries.terms())
    form = TermChoiceForm(request.GET, terms=terms)
    valid = form.is_valid()
    chosen = form.cleaned_data.get("term") if valid else None
    term: Term | None = (
        next(t for t in terms if t.code == chosen) if chosen else queries.current_term()
    )
    if valid and term is not None and not chosen:
        form = TermChoiceForm({"term": term.code}, terms=terms)
    offerings = list(queries.centre_timetable(found, term)) if term is not None else []
    context = {
        "centre": found,
        "form": form,
        "term": term,
        "offerings": offerings,
        "timetable": weekly_timetable(offerings),
    }
    return render(request, "web/catalogue/centre.html", context, status=200 if valid else 400)


@public_view
def offering(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an offering: its unit, term, centre, formula, timetable and teachers."""
    found = queries.offering_detail(pk, user=request.user)
    return render(request, "web/catalogue/offering.html", {"offering": found})
