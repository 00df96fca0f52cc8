"""The catalogue: public reads of departments, centres, institutes, units, diplomas, terms and
offerings; the registrar's writes (centre staff may also offer units at their centres)."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cursus.api.auth import actor
from cursus.api.schemas import (
    BlockIn,
    CentreIn,
    CentreKindName,
    CentreOut,
    CentrePatch,
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    DiplomaDetailOut,
    DiplomaIn,
    DiplomaOut,
    DiplomaPatch,
    DiplomaQuery,
    Errors,
    InstituteIn,
    InstituteOut,
    InstitutePatch,
    OfferingIn,
    OfferingOut,
    OfferingPatch,
    OfferingQuery,
    Page,
    PageParams,
    SlotIn,
    TermIn,
    TermOut,
    TermPatch,
    UnitDetailOut,
    UnitIn,
    UnitOut,
    UnitPatch,
    UnitQuery,
)
from cursus.catalogue import actions, queries
from cursus.catalogue.models import Centre, Department, Diploma, Institute, Offering, Term, Unit
from cursus.core.errors import InvalidInput
from cursus.core.models import User
from cursus.core.queries import users_by_email

M = TypeVar("M", bound=Model)

router = Router(tags=["catalogue"])

# What a write may answer besides its success.
WRITE_ERRORS: dict[int, type[Errors]] = {401: Errors, 403: Errors, 409: Errors, 422: Errors}
PATCH_ERRORS: dict[int, type[Errors]] = {**WRITE_ERRORS, 404: Errors}


def paginate(queryset: QuerySet[M], page: PageParams) -> dict[str, Any]:
    """Return one page of a list: its items, and how many there are in all."""
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(queryset[page.offset : page.offset + page.limit]),
    }


# Departments.


@router.get("/departments", response=Page[DepartmentOut], auth=None, summary="Departments")
def list_departments(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """List the teaching departments with their number of units."""
    return paginate(queries.departments().order_by("name_fr"), page)


@router.get(
    "/departments/{slug}",
    response={200: DepartmentOut, 404: Errors},
    auth=None,
    summary="A department",
)
def get_department(request: HttpRequest, slug: str) -> Department:
    """Return one department."""
    return queries.department_by_slug(slug)


@router.post("/departments", response={201: DepartmentOut, **WRITE_ERRORS}, summary="Add")
def create_department(request: HttpRequest, payload: DepartmentIn) -> Status[Department]:
    """Create a department (registrar)."""
    department = actions.create_department(actor=actor(request), **payload.dict())
    return Status(201, queries.department_by_slug(department.slug))


@router.patch("/departments/{slug}", response={200: DepartmentOut, **PATCH_ERRORS})
def update_department(request: HttpRequest, slug: str, payload: DepartmentPatch) -> Department:
    """Rename a department (registrar); its slug never changes."""
    user = actor(request)
    department = queries.department_by_slug(slug)
    actions.update_department(actor=user, department=department, changes=_changes(payload))
    return queries.department_by_slug(slug)


# Centres.


@router.get("/centres", response=Page[CentreOut], auth=None, summary="Centres")
def list_centres(
    request: HttpRequest, page: Query[PageParams], kind: CentreKindName | None = None
) -> dict[str, Any]:
    """List the centres: the seat, regional centres and centres abroad."""
    return paginate(queries.centres(kind=kind or "").order_by("kind", "name", "pk"), page)


@router.get("/centres/{code}", response={200: CentreOut, 404: Errors}, auth=None)
def get_centre(request: HttpRequest, code: str) -> Centre:
    """Return one centre."""
    return queries.centres().get(code=code)


@router.post("/centres", response={201: CentreOut, **WRITE_ERRORS})
def create_centre(request: HttpRequest, payload: CentreIn) -> Status[Centre]:
    """Open a centre (registrar)."""
    return Status(201, actions.create_centre(actor=actor(request), **payload.dict()))


@router.patch("/centres/{code}", response={200: CentreOut, **PATCH_ERRORS})
def update_centre(request: HttpRequest, code: str, payload: CentrePatch) -> Centre:
    """Change a centre (registrar); its code never changes."""
    user = actor(request)
    centre = queries.centres().get(code=code)
    return actions.update_centre(actor=user, centre=centre, changes=_changes(payload))


# Institutes.


@router.get("/institutes", response=Page[InstituteOut], auth=None, summary="Institutes")
def list_institutes(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """List the sector institutes with the centres where they teach."""
    return paginate(queries.institutes().order_by("name", "pk"), page)


@router.get("/institutes/{code}", response={200: InstituteOut, 404: Errors}, auth=None)
def get_institute(request: HttpRequest, code: str) -> Institute:
    """Return one institute."""
    return queries.institute_by_code(code)


@router.post("/institutes", response={201: InstituteOut, **WRITE_ERRORS})
def create_institute(request: HttpRequest, payload: InstituteIn) -> Status[Institute]:
    """Create an institute (registrar)."""
    institute = actions.create_institute(actor=actor(request), **payload.dict())
    return Status(201, queries.institute_by_code(institute.code))


@router.patch("/institutes/{code}", response={200: InstituteOut, **PATCH_ERRORS})
def update_institute(request: HttpRequest, code: str, payload: InstitutePatch) -> Institute:
    """Change an institute (registrar); its code never changes."""
    user = actor(request)
    institute = queries.institute_by_code(code)
    actions.update_institute(actor=user, institute=institute, changes=_changes(payload))
    return queries.institute_by_code(code)


# Units.


@router.get("/units", response=Page[UnitOut], auth=None, summary="Search units")
def list_units(
    request: HttpRequest, page: Query[PageParams], filters: Query[UnitQuery]
) -> dict[str, Any]:
    """Search the units: every word of ``q`` (accents and case ignored) and the filters."""
    return paginate(
        queries.search_units(
            queries.UnitFilters(
                text=filters.q,
                department=filters.department,
                ects=filters.ects,
                kind=filters.kind or "",
            )
        ),
        page,
    )


@router.get("/units/{code}", response={200: UnitDetailOut, 404: Errors}, auth=None)
def get_unit(request: HttpRequest, code: str) -> Unit:
    """Return a unit with its links and where it is offered from the current term on."""
    return queries.unit_by_code(code)


@router.post("/units", response={201: UnitDetailOut, **WRITE_ERRORS})
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    """Add a unit to the catalogue (registrar)."""
    unit = actions.create_unit(actor=actor(request), **payload.dict())
    return Status(201, queries.unit_by_code(unit.code))


@router.patch("/units/{code}", response={200: UnitDetailOut, **PATCH_ERRORS})
def update_unit(request: HttpRequest, code: str, payload: UnitPatch) -> Unit:
    """Change a unit (registrar); its code never changes."""
    user = actor(request)
    unit = queries.unit_by_code(code)
    actions.update_unit(actor=user, unit=unit, changes=_changes(payload))
    return queries.unit_by_code(code)


# Diplomas.


@router.get("/diplomas", response=Page[DiplomaOut], auth=None, summary="Diplomas")
def list_diplomas(
    request: HttpRequest, page: Query[PageParams], filters: Query[DiplomaQuery]
) -> dict[str, Any]:
    """List the diplomas, every version, by code then latest version first."""
    found = queries.diplomas(kind=filters.kind or "", department=filters.department, text=filters.q)
    return paginate(found, page)


@router.get("/diplomas/{code}/{version}", response={200: DiplomaDetailOut, 404: Errors}, auth=None)
def get_diploma(request: HttpRequest, code: str, version: int) -> Diploma:
    """Return one version of a diploma, with its rules."""
    return queries.diploma_version(code, version)


@router.post("/diplomas", response={201: DiplomaDetailOut, **WRITE_ERRORS})
def create_diploma(request: HttpRequest, payload: DiplomaIn) -> Status[Diploma]:
    """Add a version of a diploma (registrar); its rules must parse and name known units."""
    diploma = actions.create_diploma(actor=actor(request), **payload.dict())
    return Status(201, queries.diploma_version(diploma.code, diploma.version))


@router.patch("/diplomas/{code}/{version}", response={200: DiplomaDetailOut, **PATCH_ERRORS})
def update_diploma(request: HttpRequest, code: str, version: int, payload: DiplomaPatch) -> Diploma:
    """Change a version of a diploma (registrar); its code and version never change."""
    user = actor(request)
    diploma = queries.diploma_version(code, version)
    actions.update_diploma(actor=user, diploma=diploma, changes=_changes(payload))
    return queries.diploma_version(code, version)


# Terms.


@router.get("/terms", response=Page[TermOut], auth=None, summary="Terms")
def list_terms(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """List the terms, latest first, with their enrolment windows and exam sessions."""
    return paginate(queries.terms(), page)


@router.get("/terms/{code}", response={200: TermOut, 404: Errors}, auth=None)
def get_term(request: HttpRequest, code: str) -> Term:
    """Return one term, by its code such as 2025-S1."""
    return queries.term_by_code(code)


@router.post("/terms", response={201: TermOut, **WRITE_ERRORS})
def create_term(request: HttpRequest, payload: TermIn) -> Status[Term]:
    """Open a term (registrar), creating its academic year if needed."""
    term = actions.create_term(actor=actor(request), **payload.dict())
    return Status(201, queries.term_by_code(term.code))


@router.patch("/terms/{code}", response={200: TermOut, **PATCH_ERRORS})
def update_term(request: HttpRequest, code: str, payload: TermPatch) -> Term:
    """Move a term's dates (registrar)."""
    user = actor(request)
    term = queries.term_by_code(code)
    actions.update_term(actor=user, term=term, changes=_changes(payload))
    return queries.term_by_code(code)


# Offerings.


@router.get("/offerings", response=Page[OfferingOut], auth=None, summary="Search offerings")
def list_offerings(
    request: HttpRequest, page: Query[PageParams], filters: Query[OfferingQuery]
) -> dict[str, Any]:
    """List the published offerings matching every filter."""
    found = queries.search_offerings(
        queries.OfferingFilters(
            term=filters.term,
            centre=filters.centre,
            formula=filters.formula or "",
            weekday=filters.weekday,
            unit=filters.unit,
            institute=filters.institute,
        )
    )
    return paginate(found, page)


@router.get("/offerings/{offering_id}", response={200: OfferingOut, 404: Errors}, auth=None)
def get_offering(request: HttpRequest, offering_id: int) -> Offering:
    """Return one published offering with its weekly slots and blocks."""
    return queries.published_offering(offering_id)


@router.post("/offerings", response={201: OfferingOut, **WRITE_ERRORS})
def create_offering(request: HttpRequest, payload: OfferingIn) -> Status[Offering]:
    """Offer a unit (registrar, or staff of the centre)."""
    values = payload.dict()
    offering = actions.create_offering(
        actor=actor(request),
        **{
            **values,
            "slots": _slots(payload.slots),
            "blocks": _blocks(payload.blocks),
            "teachers": _teachers(payload.teachers),
        },
    )
    return Status(201, queries.offerings().get(pk=offering.pk))


@router.patch("/offerings/{offering_id}", response={200: OfferingOut, **PATCH_ERRORS})
def update_offering(request: HttpRequest, offering_id: int, payload: OfferingPatch) -> Offering:
    """Change an offering (registrar, or staff of its centre); given lists replace the old."""
    user = actor(request)
    offering = queries.offerings().get(pk=offering_id)
    changes = _changes(payload)
    if payload.slots is not None:
        changes["slots"] = _slots(payload.slots)
    if payload.blocks is not None:
        changes["blocks"] = _blocks(payload.blocks)
    if payload.teachers is not None:
        changes["teachers"] = _teachers(payload.teachers)
    actions.update_offering(actor=user, offering=offering, changes=changes)
    return queries.offerings().get(pk=offering_id)


def _changes(payload: Any) -> dict[str, object]:
    """Return the fields the client sent, and only those."""
    changes: Mapping[str, object] = payload.dict(exclude_unset=True)
    return dict(changes)


def _slots(slots: list[SlotIn]) -> list[actions.SlotSpec]:
    return [
        actions.SlotSpec(
            weekday=slot.weekday, starts_at=slot.starts_at, ends_at=slot.ends_at, room=slot.room
        )
        for slot in slots
    ]


def _blocks(blocks: list[BlockIn]) -> list[actions.BlockSpec]:
    return [actions.BlockSpec(starts_on=block.starts_on, ends_on=block.ends_on) for block in blocks]


def _teachers(emails: list[str]) -> list[User]:
    found = users_by_email(emails)
    unknown = [email for email in emails if email.strip().lower() not in found]
    if unknown:
        raise InvalidInput(
            {"teachers": [_("No user has the e-mail %(emails)s.") % {"emails": ", ".join(unknown)}]}
        )
    return [found[email.strip().lower()] for email in emails]
