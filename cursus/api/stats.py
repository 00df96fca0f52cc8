"""Statistics: the headline figures of an academic year, for the registrar and centre staff."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from cursus.api.auth import actor
from cursus.api.schemas import Errors
from cursus.reporting import queries

router = Router(tags=["statistics"])


class LearnersOut(Schema):
    total: int
    by_formula: dict[str, int]
    by_department: dict[str, int]
    by_centre_kind: dict[str, int]
    by_centre: dict[str, int]
    by_institute: dict[str, int]
    by_age_band: dict[str, int]
    by_sector: dict[str, int]


class DiplomasOut(Schema):
    total: int
    by_kind: dict[str, int]
    by_department: dict[str, int]
    by_centre: dict[str, int]


class StatsOut(Schema):
    year: int
    label: str
    centre: str | None
    learners: LearnersOut
    diplomas: DiplomasOut


@router.get(
    "/stats/{year}",
    response={200: StatsOut, 401: Errors, 403: Errors, 404: Errors, 422: Errors},
    summary="A year's headline figures",
)
def year_stats(request: HttpRequest, year: int, centre: str = "") -> dict[str, Any]:
    """Return a year's learners and diplomas awarded, as ``cursus stats --json`` prints them;
    centre staff read their own centres only."""
    reach = queries.reach_of(actor(request), centre)
    return queries.headline(queries.academic_year(year), reach)
