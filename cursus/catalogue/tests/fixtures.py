"""Builders and fixtures for tests that need a small catalogue (shared by the apps above it)."""

from datetime import date, time

import pytest

from cursus.catalogue.models import (
    AcademicYear,
    Centre,
    Department,
    Institute,
    Offering,
    OfferingSlot,
    Term,
    Unit,
)
from cursus.catalogue.search import unit_search_text
from cursus.core.models import Role, RoleAssignment, User


def make_user(email: str, *roles: Role, centre: Centre | None = None, **extra) -> User:
    user = User.objects.create_user(email, "pw", **extra)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, centre=centre)
    return user


def make_department(slug: str = "informatique", name: str = "Informatique") -> Department:
    return Department.objects.create(slug=slug, name_fr=name, name_en=name)


def make_centre(code: str = "paris", name: str = "Paris", kind: str = "seat") -> Centre:
    return Centre.objects.create(code=code, name=name, kind=kind, city=name)


def make_term(start_year: int = 2025, semester: int = 1) -> Term:
    year, _ = AcademicYear.objects.get_or_create(
        start_year=start_year,
        defaults={"starts_on": date(start_year, 9, 1), "ends_on": date(start_year + 1, 8, 31)},
    )
    if semester == 1:
        first, last = date(start_year, 10, 1), date(start_year + 1, 1, 20)
    else:
        first, last = date(start_year + 1, 2, 10), date(start_year + 1, 6, 10)
    return Term.objects.create(
        academic_year=year,
        semester=semester,
        starts_on=first,
        ends_on=last,
        enrolment_opens_on=first.replace(day=1),
        enrolment_closes_on=first,
        withdrawal_deadline=first,
        session1_starts_on=last,
        session1_ends_on=last,
        session2_starts_on=date(last.year, last.month + 2, 1),
        session2_ends_on=date(last.year, last.month + 2, 10),
    )


def make_unit(
    code: str, department: Department, *, title_fr: str = "", ects: int = 6, kind: str = "course"
) -> Unit:
    title_fr = title_fr or f"Unité {code}"
    return Unit.objects.create(
        code=code,
        title_fr=title_fr,
        title_en="",
        department=department,
        ects=ects,
        kind=kind,
        search_text=unit_search_text(code=code, title_fr=title_fr, title_en=""),
    )


def make_offering(
    unit: Unit,
    term: Term,
    centre: Centre,
    *,
    formula: str = "evening_saturday",
    weekday: int | None = 1,
    section: str = "",
    institute: Institute | None = None,
    published: bool = True,
) -> Offering:
    offering = Offering.objects.create(
        unit=unit,
        term=term,
        centre=centre,
        formula=formula,
        section=section,
        institute=institute,
        published=published,
    )
    if weekday is not None:
        OfferingSlot.objects.create(
            offering=offering, weekday=weekday, starts_at=time(18), ends_at=time(21)
        )
    return offering


@pytest.fixture
def department(db) -> Department:
    return make_department()


@pytest.fixture
def paris(db) -> Centre:
    return make_centre()


@pytest.fixture
def lyon(db) -> Centre:
    return make_centre("lyon", "Lyon", "regional")


@pytest.fixture
def term(db) -> Term:
    return make_term()


@pytest.fixture
def registrar(db) -> User:
    return make_user("registrar@example.org", Role.REGISTRAR)


@pytest.fixture
def paris_staff(paris) -> User:
    return make_user("staff@paris.example.org", Role.CENTRE_STAFF, centre=paris)


@pytest.fixture
def teacher(db) -> User:
    return make_user("teacher@example.org", Role.TEACHER, first_name="Ada", last_name="Lovelace")


@pytest.fixture
def nfa008(department) -> Unit:
    return make_unit("NFA008", department, title_fr="Bases de données")
