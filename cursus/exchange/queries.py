"""Rows to export, in the columns the import reads, limited to what the user may see."""

from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import Offering, Unit
from cursus.core.errors import InvalidInput, NotFound
from cursus.core.models import Role, User
from cursus.core.scoping import require, restrict
from cursus.enrolment.models import Enrolment, EnrolmentStatus, Learner
from cursus.exchange.formats import COLUMNS, KINDS
from cursus.exchange.models import ImportJob
from cursus.records.grades import format_mark
from cursus.records.models import Result

CHUNK = 5000


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _learners(user: User | None, year: int | None, centre: str | None) -> Iterator[dict[str, str]]:
    learners: QuerySet[Learner] = Learner.objects.select_related("home_centre", "employer")
    if user is not None:
        learners = restrict(learners, user, centre="home_centre_id")
    if centre:
        learners = learners.filter(home_centre__code=centre)
    if year is not None:
        learners = learners.filter(Q(enrolments__term__academic_year__start_year=year)).distinct()
    for learner in learners.order_by("number").iterator(chunk_size=CHUNK):
        yield {
            "number": learner.number,
            "last_name": learner.last_name,
            "first_name": learner.first_name,
            "home_centre": learner.home_centre.code,
            "birth_date": _text(learner.birth_date),
            "ine": _text(learner.ine),
            "email": learner.email,
            "phone": learner.phone,
            "address": learner.address,
            "profession": learner.profession,
            "sector": learner.sector,
            "employer": learner.employer.siret if learner.employer is not None else "",
        }


def _units(year: int | None) -> Iterator[dict[str, str]]:
    units = Unit.objects.select_related("department").order_by("code")
    if year is not None:
        units = units.filter(offerings__term__academic_year__start_year=year).distinct()
    for unit in units.iterator(chunk_size=CHUNK):
        yield {
            "code": unit.code,
            "title_fr": unit.title_fr,
            "department": unit.department.slug,
            "ects": _text(unit.ects),
            "title_en": unit.title_en,
            "hours": _text(unit.hours),
            "kind": unit.kind,
            "first_year": _text(unit.first_year),
            "last_year": _text(unit.last_year),
            "description_fr": unit.description_fr,
            "description_en": unit.description_en,
        }


def _offerings(user: User | None, year: int | None, centre: str | None) -> Iterator[dict[str, str]]:
    offerings = Offering.objects.select_related(
        "unit", "term__academic_year", "centre", "institute"
    ).order_by("term__academic_year__start_year", "term__semester", "unit__code", "pk")
    if user is not None:
        offerings = restrict(offerings, user, centre="centre_id")
    if centre:
        offerings = offerings.filter(centre__code=centre)
    if year is not None:
        offerings = offerings.filter(term__academic_year__start_year=year)
    for offering in offerings.iterator(chunk_size=CHUNK):
        yield {
            "unit": offering.unit.code,
            "term": offering.term.code,
            "centre": offering.centre.code,
            "formula": offering.formula,
            "section": offering.section,
            "institute": offering.institute.code if offering.institute is not None else "",
            "capacity": _text(offering.capacity),
            "language": offering.language,
            "published": _text(offering.published),
        }


def _offering_cells(offering: Offering) -> dict[str, str]:
    return {
        "unit": offering.unit.code,
        "term": offering.term.code,
        "centre": offering.centre.code,
        "formula": offering.formula,
        "section": offering.section,
    }


def _enrolments(
    user: User | None, year: int | None, centre: str | None
) -> Iterator[dict[str, str]]:
    enrolments = (
        Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED)
        .select_related(
            "learner", "offering__unit", "offering__term__academic_year", "offering__centre"
        )
        .order_by("pk")
    )
    if user is not None:
        enrolments = restrict(enrolments, user, centre="offering__centre_id")
    if centre:
        enrolments = enrolments.filter(offering__centre__code=centre)
    if year is not None:
        enrolments = enrolments.filter(term__academic_year__start_year=year)
    for enrolment in enrolments.iterator(chunk_size=CHUNK):
        yield {"learner": enrolment.learner.number, **_offering_cells(enrolment.offering)}


def _results(user: User | None, year: int | None, centre: str | None) -> Iterator[dict[str, str]]:
    results = (
        Result.objects.filter(published_at__isnull=False)
        .select_related(
            "enrolment__learner",
            "enrolment__offering__unit",
            "enrolment__offering__term__academic_year",
            "enrolment__offering__centre",
        )
        .order_by("enrolment_id", "session")
    )
    if user is not None:
        results = restrict(results, user, centre="enrolment__offering__centre_id")
    if centre:
        results = results.filter(enrolment__offering__centre__code=centre)
    if year is not None:
        results = results.filter(enrolment__term__academic_year__start_year=year)
    for result in results.iterator(chunk_size=CHUNK):
        assert result.published_at is not None
        yield {
            "learner": result.enrolment.learner.number,
            **_offering_cells(result.enrolment.offering),
            "session": str(result.session),
            "grade": format_mark(result.status, result.grade),
            "published": timezone.localdate(result.published_at).isoformat(),
        }


def export_rows(
    *, user: User | None, kind: str, year: int | None = None, centre: str | None = None
) -> Iterator[dict[str, str]]:
    """Return the rows of one kind in the import's columns; ``user`` None exports everything.

    Centre staff export the rows of their centres; units are the registrar's.
    """
    if kind not in KINDS:
        raise InvalidInput({"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]})
    if user is not None:
        require(
            user, *((Role.REGISTRAR,) if kind == "units" else (Role.REGISTRAR, Role.CENTRE_STAFF))
        )
    if kind == "learners":
        rows = _learners(user, year, centre)
    elif kind == "units":
        rows = _units(year)
    elif kind == "offerings":
        rows = _offerings(user, year, centre)
    elif kind == "enrolments":
        rows = _enrolments(user, year, centre)
    else:
        rows = _results(user, year, centre)
    columns = COLUMNS[kind]
    for row in rows:
        yield {column: row[column] for column in columns}


def import_jobs(user: User, limit: int = 10) -> list[ImportJob]:
    """Return the latest imports: every one for the registrar, one's own for centre staff."""
    scope = require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    jobs = ImportJob.objects.select_related("requested_by").defer("content")
    if not scope.is_registrar:
        jobs = jobs.filter(requested_by=user)
    return list(jobs[:limit])


def import_job(user: User, job_id: int) -> ImportJob:
    """Return one import its requester or the registrar may see, or raise NotFound."""
    scope = require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    jobs = ImportJob.objects.defer("content")
    if not scope.is_registrar:
        jobs = jobs.filter(requested_by=user)
    found = jobs.filter(pk=job_id).first()
    if found is None:
        raise NotFound(_("No such import."), field="job")
    return found
