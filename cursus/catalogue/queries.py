"""Reads of the catalogue; each query owns its joins and prefetches.

The catalogue is public: units, diplomas, centres and published offerings are
visible to anyone, so these reads take no user.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from cursus.catalogue.models import (
    Centre,
    Department,
    Diploma,
    Institute,
    Offering,
    OfferingSlot,
    Term,
    Unit,
)
from cursus.catalogue.search import search_terms


@dataclass(frozen=True, slots=True)
class UnitFilters:
    """What a catalogue search asks for; every field is optional."""

    text: str = ""
    department: str = ""
    ects: int | None = None
    kind: str = ""


def departments() -> QuerySet[Department]:
    """Return the departments with their number of units."""
    return Department.objects.annotate(unit_count=Count("units"))


def centres(*, kind: str = "") -> QuerySet[Centre]:
    """Return the centres, optionally of one kind."""
    queryset = Centre.objects.all()
    return queryset.filter(kind=kind) if kind else queryset


def institutes() -> QuerySet[Institute]:
    """Return the institutes with the centres where they teach."""
    return Institute.objects.prefetch_related("centres")


def search_units(filters: UnitFilters) -> QuerySet[Unit]:
    """Return the units matching every term of the text and the filters, by code."""
    queryset = Unit.objects.select_related("department")
    for term in search_terms(filters.text):
        queryset = queryset.filter(search_text__contains=term)
    if filters.department:
        queryset = queryset.filter(department__slug=filters.department)
    if filters.ects is not None:
        queryset = queryset.filter(ects=filters.ects)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset.order_by("code")


def unit_by_code(code: str) -> Unit:
    """Return a unit with its department, advised prior units and successor links."""
    return (
        Unit.objects.select_related("department")
        .prefetch_related("recommended_prior", "replaces", "replaced_by")
        .get(code=code.upper())
    )


def offerings() -> QuerySet[Offering]:
    """Return offerings with what a list shows: unit, term, centre, institute and slots."""
    return Offering.objects.select_related(
        "unit", "unit__department", "term", "term__academic_year", "centre", "institute"
    ).prefetch_related(
        Prefetch("slots", queryset=OfferingSlot.objects.order_by("weekday", "starts_at")),
        "blocks",
    )


def unit_offerings(unit: Unit, *, from_term: Term | None = None) -> QuerySet[Offering]:
    """Return where and when a unit is offered, from a term on, across centres and formulas."""
    queryset = offerings().filter(unit=unit, published=True)
    if from_term is not None:
        year = from_term.academic_year.start_year
        queryset = queryset.filter(
            Q(term__academic_year__start_year__gt=year)
            | Q(term__academic_year__start_year=year, term__semester__gte=from_term.semester)
        )
    return queryset.order_by(
        "term__academic_year__start_year", "term__semester", "centre__kind", "centre__name"
    )


def centre_timetable(centre: Centre, term: Term) -> QuerySet[Offering]:
    """Return a centre's published offerings in a term, with their weekly slots."""
    return offerings().filter(centre=centre, term=term, published=True).order_by("unit__code")


def terms() -> QuerySet[Term]:
    """Return the terms, latest first."""
    return Term.objects.select_related("academic_year")


def term_by_code(code: str) -> Term:
    """Return the term with a code such as 2025-S1."""
    year, _, semester = code.upper().partition("-S")
    if not (year.isdigit() and semester.isdigit()):
        raise Term.DoesNotExist(code)
    return terms().get(academic_year__start_year=int(year), semester=int(semester))


def current_term(today: date | None = None) -> Term | None:
    """Return the term in progress (or the next one to start), for today's date."""
    from django.utils import timezone

    day = today or timezone.localdate()
    ongoing = terms().filter(starts_on__lte=day, ends_on__gte=day).first()
    return (
        ongoing
        or terms().filter(starts_on__gt=day).order_by("starts_on").first()
        or (terms().order_by("-ends_on").first())
    )


def diplomas(*, kind: str = "", department: str = "", text: str = "") -> QuerySet[Diploma]:
    """Return the diplomas (every version), optionally by kind, department or title."""
    queryset = Diploma.objects.select_related("department")
    if kind:
        queryset = queryset.filter(kind=kind)
    if department:
        queryset = queryset.filter(department__slug=department)
    if text:
        queryset = queryset.filter(
            Q(code__icontains=text) | Q(title_fr__icontains=text) | Q(title_en__icontains=text)
        )
    return queryset.order_by("code", "-version")


def diploma_version(code: str, version: int) -> Diploma:
    """Return one version of a diploma."""
    return Diploma.objects.select_related("department").get(code=code.upper(), version=version)
