"""Writes of the catalogue: departments, centres, institutes, units, diplomas, terms, offerings.

Each action validates the whole input first (naming every faulty field), then
saves and records its event; nothing is written when anything is wrong. The
``validate_*`` functions run the same checks without saving, for forms that
want to show errors before they submit.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from typing import Any, TypeVar
from zoneinfo import available_timezones

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from cursus.audit.engine.errors import RulesError
from cursus.audit.engine.parse import parse_rules
from cursus.audit.engine.rules import unit_codes, unknown_units
from cursus.catalogue import queries
from cursus.catalogue.models import (
    AcademicYear,
    Centre,
    Department,
    Diploma,
    Formula,
    Institute,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
    Unit,
    Weekday,
)
from cursus.catalogue.search import unit_search_text
from cursus.core.errors import Conflict, InvalidInput
from cursus.core.events import record_event
from cursus.core.models import Role, RoleAssignment, User
from cursus.core.scoping import require
from cursus.core.validation import Problems

M = TypeVar("M", bound=models.Model)

# Term codes and academic years are written with four-digit years (2025-S1).
FIRST_YEAR, LAST_YEAR = 1000, 9999


@dataclass(frozen=True)
class SlotSpec:
    """A weekly class of an offering, as given to an action."""

    weekday: int
    starts_at: time
    ends_at: time
    room: str = ""


@dataclass(frozen=True)
class BlockSpec:
    """A block of consecutive days of teaching, as given to an action."""

    starts_on: date
    ends_on: date


# Fields each update may change. Codes never change: other records (rules
# files, acquisitions, enrolments) name objects by them.
DEPARTMENT_FIELDS = frozenset({"name_fr", "name_en"})
CENTRE_FIELDS = frozenset({"name", "kind", "city", "region", "country", "time_zone", "address"})
INSTITUTE_FIELDS = frozenset({"name", "sector", "description", "centres"})
UNIT_FIELDS = frozenset(
    {
        "title_fr",
        "title_en",
        "department",
        "ects",
        "hours",
        "kind",
        "description_fr",
        "description_en",
        "recommended_prior",
        "replaces",
        "first_year",
        "last_year",
    }
)
DIPLOMA_FIELDS = frozenset(
    {
        "kind",
        "title_fr",
        "title_en",
        "department",
        "ects",
        "rules_text",
        "first_year",
        "last_year",
        "national_jury",
        "description_fr",
        "description_en",
    }
)
TERM_DATE_FIELDS = (
    "starts_on",
    "ends_on",
    "enrolment_opens_on",
    "enrolment_closes_on",
    "withdrawal_deadline",
    "session1_starts_on",
    "session1_ends_on",
    "session2_starts_on",
    "session2_ends_on",
)
TERM_FIELDS = frozenset(TERM_DATE_FIELDS)
OFFERING_FIELDS = frozenset(
    {
        "formula",
        "institute",
        "section",
        "capacity",
        "language",
        "published",
        "slots",
        "blocks",
        "teachers",
    }
)


# Shared steps.


@cache
def _time_zones() -> frozenset[str]:
    # Reading the system's zone database takes tens of milliseconds: once is enough.
    return frozenset(available_timezones())


def _refuse_unknown_fields(changes: Mapping[str, object], editable: frozenset[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise InvalidInput({name: [_("This field cannot be changed here.")] for name in unknown})


def _assign(instance: models.Model, values: Mapping[str, object], names: Iterable[str]) -> None:
    for name in names:
        if name in values:
            value = values[name]
            setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _by_key(
    model: type[M],
    key: str,
    value: object,
    *,
    field: str,
    problems: Problems,
    message: str,
) -> M | None:
    """Return the object whose ``key`` is ``value``, recording a problem when there is none."""
    found = model._default_manager.filter(**{key: value}).first() if value else None
    if found is None:
        problems.add(field, message % {"value": value})
    return found


def _units_by_code(codes: Iterable[object], field: str, problems: Problems) -> list[Unit]:
    wanted = [str(code).strip().upper() for code in codes]
    found = {unit.code: unit for unit in Unit.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        problems.add(field, _("Unknown unit codes: %(codes)s.") % {"codes": ", ".join(missing)})
    return [found[code] for code in wanted if code in found]


def _years_ordered(first: int | None, last: int | None, problems: Problems) -> None:
    if first is not None and last is not None and last < first:
        problems.add("last_year", _("The last year must not come before the first year."))


def _save(instance: models.Model) -> None:
    """Save, turning a uniqueness clash lost to a concurrent writer into a Conflict."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        # The database's own wording names tables and columns: keep it out of the answer.
        raise Conflict(
            _("This clashes with a record saved at the same time; try again.")
        ) from error


def natural_key(value: object) -> object:
    """Return how actions and events name a value: catalogue objects by their slug or code.

    Other objects (users, employers) are left as they are; lists and querysets are
    named item by item.
    """
    if isinstance(value, Department):
        return value.slug
    if isinstance(value, Term):
        return value.code
    if isinstance(value, Unit | Centre | Institute):
        return value.code
    if isinstance(value, models.QuerySet | list | tuple):
        return [natural_key(item) for item in value]
    return value


def _state(instance: models.Model, names: Iterable[str]) -> dict[str, object]:
    return {name: natural_key(getattr(instance, name)) for name in names}


def _diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, object]:
    return {
        name: {"before": before[name], "after": after[name]}
        for name in after
        if before.get(name) != after[name]
    }


def _codes(objects: Iterable[Unit | Centre]) -> list[str]:
    return sorted(obj.code for obj in objects)


# Departments.


def _prepare_department(
    department: Department, values: Mapping[str, object], problems: Problems
) -> None:
    _assign(department, values, ("slug", "name_fr", "name_en"))
    problems.check_model(department)
    problems.raise_if_any()


def validate_department(
    *, values: Mapping[str, object], department: Department | None = None
) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad department."""
    if department is not None:
        _refuse_unknown_fields(values, DEPARTMENT_FIELDS)
    _prepare_department(_working_copy(department, Department), values, Problems())


@transaction.atomic
def create_department(*, actor: User, slug: str, name_fr: str, name_en: str) -> Department:
    """Create a teaching department."""
    require(actor, Role.REGISTRAR)
    department = Department()
    _prepare_department(
        department, {"slug": slug, "name_fr": name_fr, "name_en": name_en}, Problems()
    )
    _save(department)
    record_event(
        kind="catalogue.department_created",
        subject=department,
        actor=actor,
        data=_state(department, ("slug", "name_fr", "name_en")),
    )
    return department


@transaction.atomic
def update_department(
    *, actor: User, department: Department, changes: Mapping[str, object]
) -> Department:
    """Rename a department; its slug never changes."""
    require(actor, Role.REGISTRAR)
    _refuse_unknown_fields(changes, DEPARTMENT_FIELDS)
    department = _locked(Department, department)
    before = _state(department, changes)
    _prepare_department(department, changes, Problems())
    return _save_changes(department, before, "catalogue.department_updated", actor)


# Centres.


def _prepare_centre(centre: Centre, values: Mapping[str, object], problems: Problems) -> None:
    _assign(
        centre,
        values,
        ("code", "name", "kind", "city", "region", "country", "time_zone", "address"),
    )
    if "time_zone" in values and centre.time_zone not in _time_zones():
        problems.add(
            "time_zone",
            _("Unknown time zone “%(value)s”; use a name such as Europe/Paris.")
            % {"value": centre.time_zone},
        )
    problems.check_model(centre)
    problems.raise_if_any()


def validate_centre(*, values: Mapping[str, object], centre: Centre | None = None) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad centre."""
    if centre is not None:
        _refuse_unknown_fields(values, CENTRE_FIELDS)
    _prepare_centre(_working_copy(centre, Centre), values, Problems())


@transaction.atomic
def create_centre(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    city: str,
    region: str = "",
    country: str = "FR",
    time_zone: str = "Europe/Paris",
    address: str = "",
) -> Centre:
    """Open a centre: the seat, a regional centre or a centre abroad."""
    require(actor, Role.REGISTRAR)
    values = {
        "code": code,
        "name": name,
        "kind": kind,
        "city": city,
        "region": region,
        "country": country,
        "time_zone": time_zone,
        "address": address,
    }
    centre = Centre()
    _prepare_centre(centre, values, Problems())
    _save(centre)
    record_event(
        kind="catalogue.centre_created",
        subject=centre,
        actor=actor,
        data=_state(centre, values),
    )
    return centre


@transaction.atomic
def update_centre(*, actor: User, centre: Centre, changes: Mapping[str, object]) -> Centre:
    """Change a centre's name, kind, place or address; its code never changes."""
    require(actor, Role.REGISTRAR)
    _refuse_unknown_fields(changes, CENTRE_FIELDS)
    centre = _locked(Centre, centre)
    before = _state(centre, changes)
    _prepare_centre(centre, changes, Problems())
    return _save_changes(centre, before, "catalogue.centre_updated", actor)


# Institutes.


def _prepare_institute(
    institute: Institute, values: Mapping[str, object], problems: Problems
) -> list[Centre] | None:
    _assign(institute, values, ("code", "name", "sector", "description"))
    centres = None
    if "centres" in values:
        wanted = [str(code).strip() for code in _sequence(values["centres"])]
        found = {centre.code: centre for centre in Centre.objects.filter(code__in=wanted)}
        missing = [code for code in wanted if code not in found]
        if missing:
            problems.add(
                "centres", _("Unknown centre codes: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        centres = [found[code] for code in wanted if code in found]
    problems.check_model(institute)
    problems.raise_if_any()
    return centres


def validate_institute(*, values: Mapping[str, object], institute: Institute | None = None) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad institute."""
    if institute is not None:
        _refuse_unknown_fields(values, INSTITUTE_FIELDS)
    _prepare_institute(_working_copy(institute, Institute), values, Problems())


@transaction.atomic
def create_institute(
    *,
    actor: User,
    code: str,
    name: str,
    sector: str,
    description: str = "",
    centres: Sequence[str] = (),
) -> Institute:
    """Create a sector institute, teaching at the centres named by their codes."""
    require(actor, Role.REGISTRAR)
    institute = Institute()
    values = {
        "code": code,
        "name": name,
        "sector": sector,
        "description": description,
        "centres": centres,
    }
    found = _prepare_institute(institute, values, Problems()) or []
    _save(institute)
    institute.centres.set(found)
    data = _state(institute, ("code", "name", "sector", "description"))
    record_event(
        kind="catalogue.institute_created",
        subject=institute,
        actor=actor,
        data={**data, "centres": _codes(found)},
    )
    return institute


@transaction.atomic
def update_institute(
    *, actor: User, institute: Institute, changes: Mapping[str, object]
) -> Institute:
    """Change an institute's name, sector, description or centres; its code never changes."""
    require(actor, Role.REGISTRAR)
    _refuse_unknown_fields(changes, INSTITUTE_FIELDS)
    institute = _locked(Institute, institute)
    simple = [name for name in changes if name != "centres"]
    before = {**_state(institute, simple)}
    if "centres" in changes:
        before["centres"] = _codes(institute.centres.all())
    centres = _prepare_institute(institute, changes, Problems())
    institute.save()
    after = _state(institute, simple)
    if centres is not None:
        institute.centres.set(centres)
        after["centres"] = _codes(centres)
    _record_changes(institute, before, after, "catalogue.institute_updated", actor)
    return institute


# Units.


def _prepare_unit(unit: Unit, values: Mapping[str, object], problems: Problems) -> dict[str, Any]:
    """Apply and check the values; return the units to link (advised prior, replaced)."""
    _assign(
        unit,
        values,
        (
            "title_fr",
            "title_en",
            "ects",
            "hours",
            "kind",
            "description_fr",
            "description_en",
            "first_year",
            "last_year",
        ),
    )
    if "code" in values:
        unit.code = str(values["code"]).strip().upper()
    if "department" in values:
        department = _by_key(
            Department,
            "slug",
            values["department"],
            field="department",
            problems=problems,
            message=_("Unknown department “%(value)s”."),
        )
        if department is not None:
            unit.department = department
    links: dict[str, Any] = {}
    for name in ("recommended_prior", "replaces"):
        if name in values:
            units = _units_by_code(_sequence(values[name]), name, problems)
            if any(other.code == unit.code for other in units):
                problems.add(name, _("A unit cannot name itself."))
            links[name] = units
    _years_ordered(unit.first_year, unit.last_year, problems)
    unit.search_text = unit_search_text(
        code=unit.code,
        title_fr=unit.title_fr,
        title_en=unit.title_en,
        description_fr=unit.description_fr,
        description_en=unit.description_en,
    )
    problems.check_model(unit)
    problems.raise_if_any()
    return links


UNIT_STATE = (
    "code",
    "title_fr",
    "title_en",
    "department",
    "ects",
    "hours",
    "kind",
    "description_fr",
    "description_en",
    "first_year",
    "last_year",
)


def validate_unit(*, values: Mapping[str, object], unit: Unit | None = None) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad unit; save nothing."""
    if unit is not None:
        _refuse_unknown_fields(values, UNIT_FIELDS)
    _prepare_unit(_working_copy(unit, Unit), values, Problems())


@transaction.atomic
def create_unit(
    *,
    actor: User,
    code: str,
    title_fr: str,
    title_en: str = "",
    department: str,
    ects: int,
    hours: int | None = None,
    kind: str = "course",
    description_fr: str = "",
    description_en: str = "",
    recommended_prior: Sequence[str] = (),
    replaces: Sequence[str] = (),
    first_year: int | None = None,
    last_year: int | None = None,
) -> Unit:
    """Add a unit to the catalogue, in the department with the given slug."""
    require(actor, Role.REGISTRAR)
    unit = Unit()
    links = _prepare_unit(
        unit,
        {
            "code": code,
            "title_fr": title_fr,
            "title_en": title_en,
            "department": department,
            "ects": ects,
            "hours": hours,
            "kind": kind,
            "description_fr": description_fr,
            "description_en": description_en,
            "recommended_prior": recommended_prior,
            "replaces": replaces,
            "first_year": first_year,
            "last_year": last_year,
        },
        Problems(),
    )
    _save(unit)
    unit.recommended_prior.set(links["recommended_prior"])
    unit.replaces.set(links["replaces"])
    record_event(
        kind="catalogue.unit_created",
        subject=unit,
        actor=actor,
        data={
            **_state(unit, UNIT_STATE),
            "recommended_prior": _codes(links["recommended_prior"]),
            "replaces": _codes(links["replaces"]),
        },
    )
    return unit


@transaction.atomic
def update_unit(*, actor: User, unit: Unit, changes: Mapping[str, object]) -> Unit:
    """Change a unit; its code never changes (a new unit *replaces* an old one instead)."""
    require(actor, Role.REGISTRAR)
    _refuse_unknown_fields(changes, UNIT_FIELDS)
    unit = _locked(Unit, unit)
    simple = [name for name in changes if name in UNIT_STATE]
    before = _state(unit, simple)
    for name in ("recommended_prior", "replaces"):
        if name in changes:
            before[name] = _codes(getattr(unit, name).all())
    links = _prepare_unit(unit, changes, Problems())
    unit.save()
    after = _state(unit, simple)
    for name, units in links.items():
        getattr(unit, name).set(units)
        after[name] = _codes(units)
    _record_changes(unit, before, after, "catalogue.unit_updated", actor)
    return unit


# Diplomas.


def _prepare_diploma(diploma: Diploma, values: Mapping[str, object], problems: Problems) -> None:
    _assign(
        diploma,
        values,
        (
            "version",
            "kind",
            "title_fr",
            "title_en",
            "ects",
            "first_year",
            "last_year",
            "national_jury",
            "description_fr",
            "description_en",
        ),
    )
    if "rules_text" in values:
        # Leading spaces are meaningful in the rules language: keep the text as typed.
        diploma.rules_text = str(values["rules_text"] or "")
    if "code" in values:
        diploma.code = str(values["code"]).strip().upper()
    if "department" in values:
        if values["department"] in (None, ""):
            diploma.department = None
        else:
            department = _by_key(
                Department,
                "slug",
                values["department"],
                field="department",
                problems=problems,
                message=_("Unknown department “%(value)s”."),
            )
            if department is not None:
                diploma.department = department
    _years_ordered(diploma.first_year, diploma.last_year, problems)
    problems.check_model(diploma)
    if "rules_text" in values and not problems.has("rules_text"):
        for message in _rules_problems(diploma.rules_text, diploma.code, diploma.version):
            problems.add("rules_text", message)
    problems.raise_if_any()


def _rules_problems(text: str, code: str, version: int | None) -> list[str]:
    """Return what is wrong with a rules text: a parse error, another diploma, unknown units."""
    # The pure rules engine sits beside the core; the catalogue may ask it to read rules.
    try:
        rules = parse_rules(text, file=f"{code or 'diploma'}-{version}.yaml")
    except RulesError as error:
        if error.line is None:
            return [error.message]
        return [_("Line %(line)d: %(problem)s") % {"line": error.line, "problem": error.message}]
    problems = []
    if rules.code.upper() != code or (version is not None and rules.version != version):
        problems.append(
            _(
                "These rules are for %(rules)s version %(rules_version)s, not %(code)s version "
                "%(version)s."
            )
            % {
                "rules": rules.code,
                "rules_version": rules.version,
                "code": code,
                "version": version,
            }
        )
    named = unit_codes(rules)
    known = set(Unit.objects.filter(code__in=named).values_list("code", flat=True))
    problems.extend(
        _("Line %(line)d: unit %(code)s is not in the catalogue.")
        % {"line": reference.line, "code": reference.code}
        for reference in unknown_units(rules, known)
    )
    return problems


DIPLOMA_STATE = (
    "code",
    "version",
    "kind",
    "title_fr",
    "title_en",
    "department",
    "ects",
    "rules_text",
    "first_year",
    "last_year",
    "national_jury",
    "description_fr",
    "description_en",
)


def validate_diploma(*, values: Mapping[str, object], diploma: Diploma | None = None) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad diploma; save nothing."""
    if diploma is not None:
        _refuse_unknown_fields(values, DIPLOMA_FIELDS)
    _prepare_diploma(_working_copy(diploma, Diploma), values, Problems())


@transaction.atomic
def create_diploma(
    *,
    actor: User,
    code: str,
    version: int,
    kind: str,
    title_fr: str,
    title_en: str = "",
    department: str | None = None,
    ects: int | None = None,
    rules_text: str,
    first_year: int,
    last_year: int | None = None,
    national_jury: bool = False,
    description_fr: str = "",
    description_en: str = "",
) -> Diploma:
    """Add a version of a diploma with its rules, which must parse and name known units."""
    require(actor, Role.REGISTRAR)
    diploma = Diploma()
    values = {
        "code": code,
        "version": version,
        "kind": kind,
        "title_fr": title_fr,
        "title_en": title_en,
        "department": department,
        "ects": ects,
        "rules_text": rules_text,
        "first_year": first_year,
        "last_year": last_year,
        "national_jury": national_jury,
        "description_fr": description_fr,
        "description_en": description_en,
    }
    _prepare_diploma(diploma, values, Problems())
    _save(diploma)
    record_event(
        kind="catalogue.diploma_created",
        subject=diploma,
        actor=actor,
        data=_state(diploma, DIPLOMA_STATE),
    )
    return diploma


@transaction.atomic
def update_diploma(*, actor: User, diploma: Diploma, changes: Mapping[str, object]) -> Diploma:
    """Change a diploma version; its code and version never change (add a version instead)."""
    require(actor, Role.REGISTRAR)
    _refuse_unknown_fields(changes, DIPLOMA_FIELDS)
    diploma = _locked(Diploma, diploma)
    before = _state(diploma, changes)
    _prepare_diploma(diploma, changes, Problems())
    return _save_changes(diploma, before, "catalogue.diploma_updated", actor)


# Terms.


def _prepare_term(term: Term, values: Mapping[str, object], problems: Problems) -> None:
    _assign(term, values, ("semester", *TERM_DATE_FIELDS))
    orderings = (
        ("ends_on", "starts_on", False, _("Teaching must end after it starts.")),
        (
            "enrolment_closes_on",
            "enrolment_opens_on",
            True,
            _("Enrolment must close on or after the day it opens."),
        ),
        (
            "session1_ends_on",
            "session1_starts_on",
            True,
            _("Session 1 must end on or after its first day."),
        ),
        (
            "session2_starts_on",
            "session1_ends_on",
            False,
            _("Session 2 must start after session 1 ends."),
        ),
        (
            "session2_ends_on",
            "session2_starts_on",
            True,
            _("Session 2 must end on or after its first day."),
        ),
    )
    for later, earlier, same_day_allowed, message in orderings:
        end, start = getattr(term, later), getattr(term, earlier)
        if (
            isinstance(end, date)
            and isinstance(start, date)
            and (end < start or (end == start and not same_day_allowed))
        ):
            problems.add(later, message)
    problems.check_model(term, exclude=["academic_year"], validate_unique=False)
    problems.raise_if_any()


def validate_term(
    *, values: Mapping[str, object], term: Term | None = None, start_year: int | None = None
) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad term; save nothing."""
    if term is None:
        _check_new_term(start_year, values.get("semester"))
    else:
        _refuse_unknown_fields(values, TERM_FIELDS)
    _prepare_term(_working_copy(term, Term), values, Problems())


def _check_new_term(start_year: object, semester: object) -> None:
    problems = Problems()
    if not isinstance(start_year, int) or not FIRST_YEAR <= start_year <= LAST_YEAR:
        problems.add("start_year", _("Give the academic year's first calendar year, e.g. 2025."))
    if not isinstance(semester, int) or semester not in (1, 2):
        problems.add("semester", _("The semester is 1 or 2."))
    problems.raise_if_any()
    if (
        isinstance(start_year, int)
        and isinstance(semester, int)
        and Term.objects.filter(academic_year__start_year=start_year, semester=semester).exists()
    ):
        raise Conflict(
            _("Semester %(semester)s of %(year)s already exists.")
            % {"semester": semester, "year": start_year},
            field="semester",
        )


@transaction.atomic
def create_term(
    *,
    actor: User,
    start_year: int,
    semester: int,
    starts_on: date,
    ends_on: date,
    enrolment_opens_on: date,
    enrolment_closes_on: date,
    withdrawal_deadline: date,
    session1_starts_on: date,
    session1_ends_on: date,
    session2_starts_on: date,
    session2_ends_on: date,
) -> Term:
    """Open a semester of an academic year, creating the year (September–August) if needed."""
    require(actor, Role.REGISTRAR)
    _check_new_term(start_year, semester)
    values: dict[str, object] = {
        "semester": semester,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "enrolment_opens_on": enrolment_opens_on,
        "enrolment_closes_on": enrolment_closes_on,
        "withdrawal_deadline": withdrawal_deadline,
        "session1_starts_on": session1_starts_on,
        "session1_ends_on": session1_ends_on,
        "session2_starts_on": session2_starts_on,
        "session2_ends_on": session2_ends_on,
    }
    term = Term()
    _prepare_term(term, values, Problems())
    year, _created = AcademicYear.objects.get_or_create(
        start_year=start_year,
        defaults={"starts_on": date(start_year, 9, 1), "ends_on": date(start_year + 1, 8, 31)},
    )
    term.academic_year = year
    _save(term)
    record_event(
        kind="catalogue.term_created",
        subject=term,
        actor=actor,
        data={"code": term.code, **values},
    )
    return term


@transaction.atomic
def update_term(*, actor: User, term: Term, changes: Mapping[str, object]) -> Term:
    """Move a term's dates; its year and semester never change."""
    require(actor, Role.REGISTRAR)
    _refuse_unknown_fields(changes, TERM_FIELDS)
    term = _locked(Term, term)
    before = _state(term, changes)
    _prepare_term(term, changes, Problems())
    return _save_changes(term, before, "catalogue.term_updated", actor)


# Offerings.


@dataclass
class _OfferingLinks:
    slots: list[OfferingSlot] | None = None
    blocks: list[OfferingBlock] | None = None
    teachers: list[User] | None = None


def _prepare_offering(
    offering: Offering, values: Mapping[str, object], problems: Problems
) -> _OfferingLinks:
    _assign(offering, values, ("formula", "section", "capacity", "language", "published"))
    for name, model, key, message in (
        ("unit", Unit, "code", _("Unknown unit code “%(value)s”.")),
        ("centre", Centre, "code", _("Unknown centre “%(value)s”.")),
    ):
        if name in values:
            value = values[name]
            if name == "unit":
                value = str(value or "").strip().upper()
            found = _by_key(model, key, value, field=name, problems=problems, message=message)
            if found is not None:
                setattr(offering, name, found)
    if "term" in values:
        term = _term_by_code(str(values["term"] or ""))
        if term is None:
            problems.add(
                "term",
                _("Unknown term “%(value)s”; write it as 2025-S1.") % {"value": values["term"]},
            )
        else:
            offering.term = term
    if "institute" in values:
        if values["institute"] in (None, ""):
            offering.institute = None
        else:
            offering.institute = _by_key(
                Institute,
                "code",
                values["institute"],
                field="institute",
                problems=problems,
                message=_("Unknown institute “%(value)s”."),
            )
    if (
        offering.formula == Formula.INSTITUTE
        and offering.institute_id is None
        and not problems.has("institute")
    ):
        problems.add("institute", _("An institute offering must name its institute."))
    if isinstance(offering.capacity, int) and offering.capacity < 1:
        problems.add("capacity", _("The capacity is at least 1; leave it empty for no limit."))
    links = _OfferingLinks()
    if "slots" in values:
        links.slots = _slots(_sequence(values["slots"]), problems)
    if "blocks" in values:
        links.blocks = _blocks(_sequence(values["blocks"]), problems)
    if "teachers" in values:
        links.teachers = _teachers(_sequence(values["teachers"]), problems)
    problems.check_model(offering, validate_unique=False)
    if not problems and offering.unit_id and offering.term_id and offering.centre_id:
        clash = Offering.objects.filter(
            unit_id=offering.unit_id,
            term_id=offering.term_id,
            centre_id=offering.centre_id,
            formula=offering.formula,
            section=offering.section,
        ).exclude(pk=offering.pk)
        if clash.exists():
            problems.add_conflict(
                "section",
                _(
                    "This unit is already offered in this term, at this centre and under this "
                    "formula; give this group another section."
                ),
            )
    problems.raise_if_any()
    return links


def _term_by_code(code: str) -> Term | None:
    try:
        return queries.term_by_code(code)
    except Term.DoesNotExist:
        return None


def _slots(specs: Iterable[object], problems: Problems) -> list[OfferingSlot]:
    slots = []
    for index, spec in enumerate(specs):
        prefix = f"slots[{index}]."
        if not isinstance(spec, SlotSpec):
            problems.add(f"slots[{index}]", _("Give a weekday, a start and an end time."))
            continue
        if spec.weekday not in Weekday.values:
            problems.add(f"{prefix}weekday", _("The weekday is 0 (Monday) to 6 (Sunday)."))
        if spec.ends_at <= spec.starts_at:
            problems.add(f"{prefix}ends_at", _("A slot must end after it starts."))
        slot = OfferingSlot(
            weekday=spec.weekday, starts_at=spec.starts_at, ends_at=spec.ends_at, room=spec.room
        )
        problems.check_model(slot, exclude=["offering"], prefix=prefix)
        slots.append(slot)
    return slots


def validate_slots(slots: Sequence[SlotSpec]) -> None:
    """Raise InvalidInput naming each faulty field of the slots, as ``slots[1].ends_at``."""
    problems = Problems()
    _slots(slots, problems)
    problems.raise_if_any()


def _blocks(specs: Iterable[object], problems: Problems) -> list[OfferingBlock]:
    blocks = []
    for index, spec in enumerate(specs):
        if not isinstance(spec, BlockSpec):
            problems.add(f"blocks[{index}]", _("Give a first and a last day."))
            continue
        if spec.ends_on < spec.starts_on:
            problems.add(
                f"blocks[{index}].ends_on", _("A block must end on or after its first day.")
            )
        blocks.append(OfferingBlock(starts_on=spec.starts_on, ends_on=spec.ends_on))
    return blocks


def _teachers(users: Iterable[object], problems: Problems) -> list[User]:
    teachers = [user for user in users if isinstance(user, User)]
    teaching = set(
        RoleAssignment.objects.filter(
            user__in=[user.pk for user in teachers], role=Role.TEACHER
        ).values_list("user_id", flat=True)
    )
    strangers = [str(user) for user in teachers if user.pk not in teaching]
    if strangers:
        problems.add(
            "teachers",
            _("Not teachers (give them the teacher role first): %(names)s.")
            % {"names": ", ".join(strangers)},
        )
    return teachers


def _slot_state(slots: Iterable[OfferingSlot]) -> list[dict[str, object]]:
    return [
        {"weekday": s.weekday, "starts_at": s.starts_at, "ends_at": s.ends_at, "room": s.room}
        for s in slots
    ]


def _block_state(blocks: Iterable[OfferingBlock]) -> list[dict[str, object]]:
    return [{"starts_on": b.starts_on, "ends_on": b.ends_on} for b in blocks]


OFFERING_STATE = (
    "unit",
    "term",
    "centre",
    "formula",
    "institute",
    "section",
    "capacity",
    "language",
    "published",
)


def validate_offering(*, values: Mapping[str, object], offering: Offering | None = None) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad offering; save nothing."""
    if offering is not None:
        _refuse_unknown_fields(values, OFFERING_FIELDS)
    _prepare_offering(_working_copy(offering, Offering), values, Problems())


@transaction.atomic
def create_offering(
    *,
    actor: User,
    unit: str,
    term: str,
    centre: str,
    formula: str,
    institute: str | None = None,
    section: str = "",
    capacity: int | None = None,
    language: str = "fr",
    slots: Sequence[SlotSpec] = (),
    blocks: Sequence[BlockSpec] = (),
    teachers: Sequence[User] = (),
    published: bool = True,
) -> Offering:
    """Offer a unit in a term at a centre under a formula, with its weekly slots and blocks.

    The registrar may offer anywhere; centre staff at their own centres.
    """
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF)
    offering = Offering()
    links = _prepare_offering(
        offering,
        {
            "unit": unit,
            "term": term,
            "centre": centre,
            "formula": formula,
            "institute": institute,
            "section": section,
            "capacity": capacity,
            "language": language,
            "published": published,
            "slots": slots,
            "blocks": blocks,
            "teachers": teachers,
        },
        Problems(),
    )
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF, centre_id=offering.centre_id)
    _save(offering)
    _save_offering_links(offering, links)
    record_event(
        kind="catalogue.offering_created",
        subject=offering,
        actor=actor,
        data={
            **_state(offering, OFFERING_STATE),
            "slots": _slot_state(links.slots or []),
            "blocks": _block_state(links.blocks or []),
            "teachers": [user.pk for user in links.teachers or []],
        },
    )
    return offering


@transaction.atomic
def update_offering(*, actor: User, offering: Offering, changes: Mapping[str, object]) -> Offering:
    """Change an offering; given slots, blocks or teachers replace the current ones.

    Its unit, term and centre never change: learners enrol in that combination.
    """
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF, centre_id=offering.centre_id)
    _refuse_unknown_fields(changes, OFFERING_FIELDS)
    offering = _locked(Offering, offering)
    simple = [name for name in changes if name in OFFERING_STATE]
    before = _state(offering, simple)
    if "slots" in changes:
        before["slots"] = _slot_state(offering.slots.order_by("weekday", "starts_at"))
    if "blocks" in changes:
        before["blocks"] = _block_state(offering.blocks.order_by("starts_on"))
    if "teachers" in changes:
        before["teachers"] = sorted(offering.teachers.values_list("pk", flat=True))
    links = _prepare_offering(offering, changes, Problems())
    offering.save()
    _save_offering_links(offering, links)
    after = _state(offering, simple)
    if links.slots is not None:
        after["slots"] = _slot_state(links.slots)
    if links.blocks is not None:
        after["blocks"] = _block_state(links.blocks)
    if links.teachers is not None:
        after["teachers"] = sorted(user.pk for user in links.teachers)
    _record_changes(offering, before, after, "catalogue.offering_updated", actor)
    return offering


def _save_offering_links(offering: Offering, links: _OfferingLinks) -> None:
    if links.slots is not None:
        offering.slots.all().delete()
        for slot in links.slots:
            slot.offering = offering
        OfferingSlot.objects.bulk_create(links.slots)
    if links.blocks is not None:
        offering.blocks.all().delete()
        for block in links.blocks:
            block.offering = offering
        OfferingBlock.objects.bulk_create(links.blocks)
    if links.teachers is not None:
        offering.teachers.set(links.teachers)


# Updates.


def _working_copy(instance: M | None, model: type[M]) -> M:
    """Return an object to validate changes on, leaving the caller's instance untouched."""
    if instance is None or instance.pk is None:
        return model()
    return model._default_manager.get(pk=instance.pk)


def _locked(model: type[M], instance: M) -> M:
    """Return a fresh copy of the row, locked until the transaction ends."""
    return model._default_manager.select_for_update().get(pk=instance.pk)


def _save_changes(instance: M, before: Mapping[str, object], kind: str, actor: User) -> M:
    instance.save()
    _record_changes(instance, before, _state(instance, before), kind, actor)
    return instance


def _record_changes(
    instance: models.Model,
    before: Mapping[str, object],
    after: Mapping[str, object],
    kind: str,
    actor: User,
) -> None:
    changed = _diff(before, after)
    if changed:
        record_event(kind=kind, subject=instance, actor=actor, data={"changes": changed})


def _sequence(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


__all__ = [
    "BlockSpec",
    "SlotSpec",
    "create_centre",
    "create_department",
    "create_diploma",
    "create_institute",
    "create_offering",
    "create_term",
    "create_unit",
    "natural_key",
    "update_centre",
    "update_department",
    "update_diploma",
    "update_institute",
    "update_offering",
    "update_term",
    "update_unit",
    "validate_centre",
    "validate_department",
    "validate_diploma",
    "validate_institute",
    "validate_offering",
    "validate_slots",
    "validate_term",
    "validate_unit",
]
