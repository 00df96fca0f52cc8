"""A fingerprint of the demo's tables by natural keys, to compare two builds."""

import hashlib
import json
from typing import Any

from django.db.models import Model, QuerySet

from cursus.catalogue.models import (
    Centre,
    Department,
    Diploma,
    Institute,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
    Unit,
)
from cursus.core.models import RoleAssignment, User
from cursus.credentials.models import AwardedDiploma
from cursus.enrolment.models import Employer, Enrolment, Learner
from cursus.records.models import Result, Validation

OFFERING = ("unit__code", "term__academic_year__start_year", "term__semester", "centre__code")


def _rows(queryset: QuerySet[Any], *fields: str) -> list[list[str]]:
    """Return the rows of a queryset as sorted lists of strings (ids and timestamps left out)."""
    return sorted([str(value) for value in row] for row in queryset.values_list(*fields))


def _through(model: type[Model], field: str, *fields: str) -> list[list[str]]:
    through = getattr(model, field).through
    return _rows(through.objects.all(), *fields)


def table_rows() -> dict[str, list[list[str]]]:
    """Return every demo table's rows, by natural keys."""
    return {
        "departments": _rows(Department.objects.all(), "slug", "name_fr", "name_en"),
        "centres": _rows(
            Centre.objects.all(),
            "code",
            "name",
            "kind",
            "city",
            "region",
            "country",
            "time_zone",
            "address",
        ),
        "institutes": _rows(Institute.objects.all(), "code", "name", "sector", "description"),
        "institute_centres": _through(Institute, "centres", "institute__code", "centre__code"),
        "units": _rows(
            Unit.objects.all(),
            "code",
            "title_fr",
            "title_en",
            "department__slug",
            "ects",
            "hours",
            "kind",
            "description_fr",
            "description_en",
            "first_year",
            "last_year",
            "search_text",
        ),
        "recommended": _through(Unit, "recommended_prior", "from_unit__code", "to_unit__code"),
        "replaces": _through(Unit, "replaces", "from_unit__code", "to_unit__code"),
        "diplomas": _rows(
            Diploma.objects.all(),
            "code",
            "version",
            "kind",
            "title_fr",
            "title_en",
            "department__slug",
            "ects",
            "rules_text",
            "first_year",
            "last_year",
            "national_jury",
        ),
        "terms": _rows(
            Term.objects.all(),
            "academic_year__start_year",
            "semester",
            "starts_on",
            "ends_on",
            "enrolment_opens_on",
            "enrolment_closes_on",
            "withdrawal_deadline",
            "session1_starts_on",
            "session1_ends_on",
            "session2_starts_on",
            "session2_ends_on",
        ),
        "offerings": _rows(
            Offering.objects.all(),
            *OFFERING,
            "formula",
            "section",
            "institute__code",
            "capacity",
            "language",
            "published",
        ),
        "slots": _rows(
            OfferingSlot.objects.all(),
            *(f"offering__{f}" for f in (*OFFERING, "formula", "section")),
            "weekday",
            "starts_at",
            "ends_at",
            "room",
        ),
        "blocks": _rows(
            OfferingBlock.objects.all(),
            *(f"offering__{f}" for f in (*OFFERING, "formula", "section")),
            "starts_on",
            "ends_on",
        ),
        "teaching": _through(
            Offering,
            "teachers",
            *(f"offering__{f}" for f in (*OFFERING, "formula", "section")),
            "user__email",
        ),
        "users": _rows(
            User.objects.all(), "email", "first_name", "last_name", "is_staff", "is_superuser"
        ),
        "roles": _rows(
            RoleAssignment.objects.all(), "user__email", "role", "centre__code", "employer__siret"
        ),
        "employers": _rows(Employer.objects.all(), "siret", "name", "address", "city", "sector"),
        "learners": _rows(
            Learner.objects.all(),
            "number",
            "user__email",
            "ine",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "address",
            "profession",
            "sector",
            "employer__siret",
            "home_centre__code",
        ),
        "enrolments": _rows(
            Enrolment.objects.all(),
            "learner__number",
            *(f"offering__{field}" for field in OFFERING),
            "offering__formula",
            "status",
        ),
        "results": _rows(
            Result.objects.all(),
            "enrolment__learner__number",
            *(f"enrolment__offering__{field}" for field in OFFERING),
            "session",
            "grade",
            "status",
        ),
        "validations": _rows(
            Validation.objects.all(), "learner__number", "unit__code", "source", "decided_on"
        ),
        "awards": _rows(
            AwardedDiploma.objects.all(),
            "number",
            "learner__number",
            "diploma_code",
            "centre__code",
            "awarded_on",
            "status",
        ),
    }


def fingerprint(tables: dict[str, list[list[str]]] | None = None) -> dict[str, str]:
    """Return a digest of each demo table (of the rows given, or of the database's)."""
    return {
        table: hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
        for table, rows in (tables or table_rows()).items()
    }
