"""The statistics pages: a year's learners and diplomas for the registrar and centre staff,
each chart with its table, and their CSV and XLSX exports."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cursus.catalogue.models import DiplomaKind
from cursus.core.errors import NotFound
from cursus.reporting import charts, exports, queries, tables
from cursus.reporting.charts import count_text, rate_text, years_text
from cursus.reporting.tables import Kind, Table
from cursus.web.permissions import member_view, user_of

# The page charts this many centres, and the lowest and highest pass rates.
TOP_CENTRES = 15
PASS_RATES_CHARTED = 10
# How the table of pass rates may be sorted; units without a result come last.
SORTS: dict[str, Callable[[queries.PassRate], Any]] = {
    "unit": lambda r: r.code,
    "rate": lambda r: (r.rate is None, r.rate or 0.0, r.code),
    "-rate": lambda r: (r.rate is None, -(r.rate or 0.0), r.code),
    "enrolled": lambda r: (-r.enrolled, r.code),
}


@dataclass(frozen=True, slots=True)
class Shown:
    """A table ready for the page: headings, formatted rows, its chart and its CSV address."""

    table: Table
    headings: list[tuple[str, bool]]
    rows: list[list[tuple[str, bool]]]
    chart: SafeString | None
    csv_url: str


def _formatted(value: object, kind: Kind) -> str:
    if value is None:
        return "—"
    if kind == Kind.COUNT and isinstance(value, int):
        return count_text(value)
    if kind == Kind.RATE and isinstance(value, float):
        return rate_text(value)
    if kind == Kind.YEARS and isinstance(value, float):
        return years_text(value)
    return str(value)


def _shown(
    table: Table, query: str, chart: SafeString | None = None, limit: int | None = None
) -> Shown:
    numeric = [column.kind != Kind.TEXT for column in table.columns]
    rows = table.rows if limit is None else table.rows[:limit]
    return Shown(
        table=table,
        headings=[(column.label, numeric[i]) for i, column in enumerate(table.columns)],
        rows=[
            [
                (_formatted(value, column.kind), numeric[i])
                for i, (value, column) in enumerate(zip(row, table.columns, strict=True))
            ]
            for row in rows
        ],
        chart=chart,
        csv_url=f"{reverse('web:stats_csv', args=[table.slug])}?{query}",
    )


def _bars(table: Table, title: str, limit: int | None = None) -> SafeString:
    rows = table.rows if limit is None else table.rows[:limit]
    count_column = len(table.columns) - 1
    return charts.bar_chart(
        [(str(row[0]), float(row[count_column] or 0)) for row in rows],
        title=title,
        describe=count_text,
    )


def _asked(request: HttpRequest) -> tuple[queries.Reach, list[queries.YearOption], int | None]:
    user = user_of(request)
    reach = queries.reach_of(user, request.GET.get("centre", ""))
    options = queries.year_options()
    value = request.GET.get("year", "")
    if value.isdigit() and any(o.start_year == int(value) for o in options):
        return reach, options, int(value)
    if value:
        raise NotFound("No such academic year.", field="year")
    return reach, options, queries.default_year(options)


def _query(year: int, reach: queries.Reach) -> str:
    params: dict[str, Any] = {"year": year}
    if reach.centre is not None:
        params["centre"] = reach.centre.code
    return urlencode(params)


def _statistics(request: HttpRequest) -> tuple[queries.Statistics, list[queries.YearOption]]:
    reach, options, start_year = _asked(request)
    if start_year is None:
        raise Http404(_("No academic year has begun yet."))
    return queries.statistics(queries.academic_year(start_year), reach), options


def _pass_rate_chart(stats: queries.Statistics) -> SafeString:
    rated = sorted((r for r in stats.pass_rates if r.rate is not None), key=lambda r: r.rate or 0)
    if len(rated) > 2 * PASS_RATES_CHARTED:
        rated = rated[:PASS_RATES_CHARTED] + rated[-PASS_RATES_CHARTED:]
    return charts.bar_chart(
        [(r.code, 100 * (r.rate or 0)) for r in rated],
        title=_("Lowest and highest pass rates"),
        describe=rate_text,
        maximum=100,
    )


def _per_year_chart(stats: queries.Statistics) -> SafeString:
    labels = dict(DiplomaKind.choices)
    return charts.stacked_columns(
        [f"{year}–{year + 1}" for year, _counts in stats.per_year],
        [
            (str(labels[kind]), [counts[kind] for _year, counts in stats.per_year])
            for kind in queries.DIPLOMA_KINDS
        ],
        title=_("Diplomas awarded per year, stacked by kind"),
        describe=count_text,
    )


def _sorted_rates(stats: queries.Statistics, sort: str) -> queries.Statistics:
    ordered = sorted(stats.pass_rates, key=SORTS.get(sort, SORTS["unit"]))
    return replace(stats, pass_rates=ordered)


@member_view
def page(request: HttpRequest) -> HttpResponse:
    """Show a year's learners and diplomas within the reader's centres, charts and tables."""
    user = user_of(request)
    stats, options = _statistics(request)
    sort = request.GET.get("sort", "unit")
    stats = _sorted_rates(stats, sort)
    query = _query(stats.year.start_year, stats.reach)
    formula, department, kind, centre, institute, age, sector = tables.learner_tables(stats)
    per_year, by_kind, by_department, by_centre = tables.diploma_tables(stats)
    rates = tables.pass_rate_table(stats)
    durations = tables.time_to_diploma_table(stats)
    median_rows = [(str(row[0]), float(row[3] or 0)) for row in durations.rows]
    sections: Sequence[tuple[str, str, list[Shown]]] = [
        (
            "learners",
            _("Learners"),
            [
                _shown(formula, query, _bars(formula, formula.title)),
                _shown(department, query, _bars(department, department.title)),
                _shown(kind, query, _bars(kind, kind.title)),
                _shown(
                    centre,
                    query,
                    _bars(centre, _("The centres with the most learners"), TOP_CENTRES),
                    TOP_CENTRES,
                ),
                _shown(institute, query, _bars(institute, institute.title)),
                _shown(age, query, _bars(age, age.title)),
                _shown(sector, query, _bars(sector, sector.title, TOP_CENTRES)),
            ],
        ),
        (
            "diplomas",
            _("Diplomas awarded"),
            [
                _shown(per_year, query, _per_year_chart(stats)),
                _shown(by_kind, query, _bars(by_kind, by_kind.title)),
                _shown(by_department, query, _bars(by_department, by_department.title)),
                _shown(by_centre, query, _bars(by_centre, by_centre.title, TOP_CENTRES)),
            ],
        ),
        (
            "results",
            _("Results and paths"),
            [
                _shown(rates, query, _pass_rate_chart(stats)),
                _shown(
                    durations,
                    query,
                    charts.bar_chart(
                        median_rows,
                        title=_("Median years from the first unit to the diploma"),
                        describe=years_text,
                    ),
                ),
            ],
        ),
    ]
    context = {
        "stats": stats,
        "years": options,
        "centres": queries.reachable_centres(user),
        "chosen_centre": stats.reach.centre.code if stats.reach.centre else "",
        "in_progress": any(
            o.in_progress and o.start_year == stats.year.start_year for o in options
        ),
        "learners_total": count_text(stats.learners.total),
        "diplomas_total": count_text(stats.diplomas.total),
        "sections": sections,
        "sort": sort,
        "query": query,
        "min_enrolled": queries.MIN_ENROLLED,
        "suppression_rule": suppression_rule(),
        "xlsx_url": f"{reverse('web:stats_xlsx')}?{query}",
    }
    return render(request, "stats/page.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_view
def table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Send one table of the statistics as CSV, small counts suppressed."""
    stats, _options = _statistics(request)
    found = next((t for t in tables.all_tables(stats) if t.slug == slug), None)
    if found is None:
        raise Http404(_("No such table."))
    name = f"cursus-{slug}-{stats.year.start_year}{_centre_suffix(stats)}.csv"
    return _download(exports.to_csv(found), "text/csv; charset=utf-8", name)


@member_view
def workbook(request: HttpRequest) -> HttpResponse:
    """Send every table of the statistics as one XLSX workbook, small counts suppressed."""
    stats, _options = _statistics(request)
    where = stats.reach.centre.name if stats.reach.centre else _("every centre within reach")
    notes = [
        _("Cursus statistics, %(year)s, %(where)s") % {"year": stats.year.label, "where": where},
        suppression_rule(),
    ]
    name = f"cursus-statistics-{stats.year.start_year}{_centre_suffix(stats)}.xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(exports.to_xlsx(tables.all_tables(stats), notes), content_type, name)


def _centre_suffix(stats: queries.Statistics) -> str:
    return f"-{stats.reach.centre.code}" if stats.reach.centre is not None else ""


def suppression_rule() -> str:
    """Return the rule of suppression, as the page and the workbook state it."""
    return _(
        "In the exports, any count under %(n)s is written “<%(n)s”; counts that add up with "
        "a suppressed one are left blank, as is any rate or duration worked out from one; "
        "totals are not exported."
    ) % {"n": exports.THRESHOLD}
