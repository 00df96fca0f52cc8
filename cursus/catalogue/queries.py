"""Reads of the catalogue; each query owns its joins and prefetches.

The catalogue is public: units, diplomas, centres and published offerings are
visible to anyone, so these reads take no user.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

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


def parse_term_code(code: str) -> tuple[int, int] | None:
    """Return the first calendar year and the semester a code such as 2025-S1 names."""
    year, _, semester = code.strip().upper().partition("-S")
    if not (year.isdigit() and semester.isdigit()):
        return None
    return int(year), int(semester)


def term_by_code(code: str) -> Term:
    """Return the term with a code such as 2025-S1."""
    parsed = parse_term_code(code)
    if parsed is None:
        raise Term.DoesNotExist(code)
    return terms().get(academic_year__start_year=parsed[0], semester=parsed[1])


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


@dataclass(frozen=True, slots=True)
class OfferingFilters:
    """What a search of offerings asks for; every field is optional."""

    term: str = ""
    centre: str = ""
    formula: str = ""
    weekday: int | None = None
    unit: str = ""
    institute: str = ""


def search_offerings(filters: OfferingFilters) -> QuerySet[Offering]:
    """Return the published offerings matching every filter, by term, unit and centre."""
    queryset = offerings().filter(published=True)
    if filters.term:
        parsed = parse_term_code(filters.term)
        if parsed is None:
            return queryset.none()
        queryset = queryset.filter(
            term__academic_year__start_year=parsed[0], term__semester=parsed[1]
        )
    if filters.centre:
        queryset = queryset.filter(centre__code=filters.centre)
    if filters.formula:
        queryset = queryset.filter(formula=filters.formula)
    if filters.weekday is not None:
        queryset = queryset.filter(
            Exists(OfferingSlot.objects.filter(offering=OuterRef("pk"), weekday=filters.weekday))
        )
    if filters.unit:
        queryset = queryset.filter(unit__code=filters.unit.upper())
    if filters.institute:
        queryset = queryset.filter(institute__code=filters.institute)
    return queryset.order_by(
        "-term__academic_year__start_year", "-term__semester", "unit__code", "centre__name", "pk"
    )


def department_by_slug(slug: str) -> Department:
    """Return a department with its number of units."""
    return departments().get(slug=slug)


def institute_by_code(code: str) -> Institute:
    """Return an institute with the centres where it teaches."""
    return institutes().get(code=code)


def published_offering(pk: int) -> Offering:
    """Return a published offering with its unit, term, centre, slots and blocks."""
    return offerings().filter(published=True).get(pk=pk)


# Reads for the pages (cursus.web).

from typing import TYPE_CHECKING  # noqa: E402 - appended section, kept apart

from django.db.models import Case, IntegerField, Value, When  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User


def where_offered(
    unit: Unit, *, from_term: Term | None, formula: str = "", centre_kind: str = ""
) -> QuerySet[Offering]:
    """Return where and when a unit is offered from a term on, by formula and kind of centre."""
    queryset = unit_offerings(unit, from_term=from_term)
    if formula:
        queryset = queryset.filter(formula=formula)
    if centre_kind:
        queryset = queryset.filter(centre__kind=centre_kind)
    return queryset.order_by(
        "term__academic_year__start_year",
        "term__semester",
        _seat_first(),
        "centre__name",
        "formula",
        "section",
    )


def units_by_codes(codes: "Iterable[str]") -> dict[str, Unit]:
    """Return the units with these codes, by code; unknown codes are left out."""
    return {unit.code: unit for unit in Unit.objects.filter(code__in=list(codes))}


def diploma_versions(code: str) -> QuerySet[Diploma]:
    """Return every version of a diploma, latest first."""
    return Diploma.objects.filter(code=code.upper()).order_by("-version")


def centre_by_code(code: str) -> Centre:
    """Return a centre with the institutes that teach there."""
    return Centre.objects.prefetch_related("institutes").get(code=code)


def offering_detail(pk: int, *, user: "User | AnonymousUser | None") -> Offering:
    """Return an offering with its teachers; unpublished ones only to those who run them."""
    from cursus.core.scoping import restrict

    hidden = restrict(
        Offering.objects.filter(published=False), user, centre="centre", teacher="teachers"
    )
    visible = Q(published=True) | Q(pk__in=hidden.values("pk"))
    return offerings().prefetch_related("teachers").filter(visible).get(pk=pk)


def taught_offerings(user: "User", term: Term | None) -> QuerySet[Offering]:
    """Return the offerings a teacher teaches in a term (every term when None)."""
    queryset = offerings().filter(teachers=user)
    if term is not None:
        queryset = queryset.filter(term=term)
    return queryset.order_by("term__academic_year__start_year", "term__semester", "unit__code")


def administered_centres(
    user: "User | AnonymousUser | None", *, term: Term | None = None
) -> QuerySet[Centre]:
    """Return the centres a user administers, with their number of offerings in a term."""
    from cursus.core.scoping import restrict

    queryset = restrict(Centre.objects.order_by(_seat_first("kind"), "name"), user, centre="pk")
    if term is not None:
        queryset = queryset.annotate(
            term_offerings=Count("offerings", filter=Q(offerings__term=term))
        )
    return queryset


@dataclass(frozen=True, slots=True)
class CatalogueOverview:
    """The catalogue in figures, for a term."""

    units: int
    diplomas: int
    centres: int
    offerings: int
    offerings_by_formula: list[tuple[str, int]]
    busiest_centres: list[tuple[Centre, int]]


def catalogue_overview(term: Term | None, *, centres: int = 0) -> CatalogueOverview:
    """Count units, diplomas (by code), centres and a term's offerings, by formula.

    With ``centres``, also name that many centres with the most offerings in the term.
    """
    by_formula: list[tuple[str, int]] = []
    busiest: list[tuple[Centre, int]] = []
    if term is not None:
        by_formula = [
            (row["formula"], row["count"])
            for row in Offering.objects.filter(term=term)
            .values("formula")
            .annotate(count=Count("pk"))
            .order_by("-count", "formula")
        ]
    if term is not None and centres:
        busiest = [
            (centre, centre.term_offerings)
            for centre in Centre.objects.annotate(
                term_offerings=Count("offerings", filter=Q(offerings__term=term))
            )
            .filter(term_offerings__gt=0)
            .order_by("-term_offerings", "name")[:centres]
        ]
    return CatalogueOverview(
        units=Unit.objects.count(),
        diplomas=Diploma.objects.values("code").distinct().count(),
        centres=Centre.objects.count(),
        offerings=sum(count for _, count in by_formula),
        offerings_by_formula=by_formula,
        busiest_centres=busiest,
    )


def centres_by_ids(ids: "Iterable[int]") -> QuerySet[Centre]:
    """Return the centres with these ids."""
    return Centre.objects.filter(pk__in=list(ids))


def _seat_first(path: str = "centre__kind") -> Case:
    """Return an ordering: the seat, then the regional centres, then the centres abroad."""
    return Case(
        When(**{path: "seat"}, then=Value(0)),
        When(**{path: "regional"}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def centres_seat_first() -> QuerySet[Centre]:
    """Return the centres: the seat, then the regional centres, then those abroad, by name."""
    return Centre.objects.order_by(_seat_first("kind"), "name")
