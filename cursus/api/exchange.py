"""Import and export: files of learners, units, offerings, enrolments and results.

An import answers once the file is read: its counts, or 422 naming each line
and column at fault, with nothing written. Registrar and centre staff only.
"""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from cursus.api.auth import actor
from cursus.api.schemas import Errors
from cursus.core.errors import InvalidInput
from cursus.exchange import actions, queries
from cursus.exchange.files import csv_bytes, xlsx_bytes
from cursus.exchange.formats import COLUMNS

router = Router(tags=["exchange"])

Kind = Literal["learners", "units", "offerings", "enrolments", "results"]
ERRORS: dict[int, type[Errors]] = {401: Errors, 403: Errors, 404: Errors, 422: Errors}


class CountsOut(Schema):
    created: int
    updated: int
    unchanged: int


class ImportOut(Schema):
    kind: str
    dry_run: bool
    rows: int
    counts: dict[str, CountsOut]


@router.post("/imports/{kind}", response={200: ImportOut, **ERRORS})
def import_file(
    request: HttpRequest, kind: Kind, file: File[UploadedFile], dry_run: bool = False
) -> dict[str, Any]:
    """Import a CSV or XLSX file: every line or none; ``dry_run`` checks and writes nothing.

    Problems answer 422, keyed ``line N``, each message naming its column.
    """
    report = actions.import_file(
        actor=actor(request),
        kind=kind,
        content=file.read(),
        name=file.name or "",
        dry_run=dry_run,
    )
    if not report.ok:
        errors: dict[str, list[str]] = {}
        for problem in sorted(report.problems):
            message = (
                _("column “%(column)s”: %(message)s")
                % {"column": problem.column, "message": problem.message}
                if problem.column
                else problem.message
            )
            errors.setdefault(_("line %(number)s") % {"number": problem.line}, []).append(message)
        raise InvalidInput(errors)
    data = report.as_dict()
    return {key: data[key] for key in ("kind", "dry_run", "rows", "counts")}


@router.get("/exports/{kind}", response={200: None, **ERRORS})
def export(
    request: HttpRequest,
    kind: Kind,
    format: Literal["csv", "xlsx"] = "csv",
    year: int | None = None,
    centre: str | None = None,
) -> HttpResponse:
    """Download the rows of one kind in the import's columns, as CSV or XLSX."""
    rows = queries.export_rows(user=actor(request), kind=kind, year=year, centre=centre)
    if format == "xlsx":
        content = xlsx_bytes(rows, COLUMNS[kind], title=kind)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, media = csv_bytes(rows, COLUMNS[kind]), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{format}"'
    return response
