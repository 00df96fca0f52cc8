"""The statistics as labelled tables: what the page shows beside its charts and what the
exports write, cell for cell."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cursus.catalogue.models import CentreKind, DiplomaKind, Formula
from cursus.reporting.queries import (
    DIPLOMA_KINDS,
    NATIONAL,
    NO_DEPARTMENT,
    UNKNOWN,
    Names,
    Statistics,
)

Cell = str | int | float | None


class Kind(StrEnum):
    """What a column holds, which decides how it is written and suppressed."""

    TEXT = "text"
    COUNT = "count"
    RATE = "rate"
    YEARS = "years"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its heading, its kind, and for a derived figure the counts it comes from.

    Counts of one ``group`` add up to one another, so that when one of them is suppressed
    the others are blanked too. A column not ``exported`` is shown on the page only.
    """

    label: str
    kind: Kind = Kind.COUNT
    basis: tuple[int, ...] = ()
    group: str = ""
    exported: bool = True


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the statistics, named by a slug used in the export addresses."""

    slug: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def age_band_label(band: str) -> str:
    """Return an age band as people write it."""
    labels = {
        "<25": _("Under 25"),
        "55+": _("55 and over"),
        UNKNOWN: _("Unknown"),
    }
    return labels.get(band, band.replace("-", "–"))


def department_label(names: Names, slug: str) -> str:
    """Return a department's name, or say there is none."""
    if slug == NO_DEPARTMENT:
        return _("No department")
    return names.departments.get(slug, slug)


def centre_label(names: Names, code: str) -> str:
    """Return a centre's name, or the national jury for an award without a centre."""
    if code == NATIONAL:
        return _("National jury")
    return names.centres.get(code, (code, ""))[0]


def _counts(slug: str, title: str, heading: str, rows: list[tuple[str, int]]) -> Table:
    return Table(
        slug=slug,
        title=title,
        columns=(Column(heading, Kind.TEXT), Column(_("Learners"))),
        rows=tuple(rows),
    )


def learner_tables(stats: Statistics) -> list[Table]:
    """Return the tables of the year's learners."""
    figures, names = stats.learners, stats.names
    kinds = dict(CentreKind.choices)
    centre_rows: list[tuple[Cell, ...]] = [
        (centre_label(names, code), str(kinds.get(names.centres.get(code, ("", ""))[1], "")), n)
        for code, n in figures.by_centre.items()
    ]
    return [
        _counts(
            "learners-formula",
            _("Learners by formula"),
            _("Formula"),
            [(str(Formula(key).label), n) for key, n in figures.by_formula.items()],
        ),
        _counts(
            "learners-department",
            _("Learners by department"),
            _("Department"),
            [(department_label(names, key), n) for key, n in figures.by_department.items()],
        ),
        _counts(
            "learners-centre-kind",
            _("Learners by kind of centre"),
            _("Kind of centre"),
            [(str(CentreKind(key).label), n) for key, n in figures.by_centre_kind.items()],
        ),
        Table(
            slug="learners-centre",
            title=_("Learners by centre"),
            columns=(
                Column(_("Centre"), Kind.TEXT),
                Column(_("Kind of centre"), Kind.TEXT),
                Column(_("Learners")),
            ),
            rows=tuple(centre_rows),
        ),
        _counts(
            "learners-institute",
            _("Learners by institute"),
            _("Institute"),
            [(names.institutes.get(key, key), n) for key, n in figures.by_institute.items()],
        ),
        _counts(
            "learners-age",
            _("Learners by age band"),
            _("Age at the start of the year"),
            [(age_band_label(key), n) for key, n in figures.by_age_band.items()],
        ),
        _counts(
            "learners-sector",
            _("Learners by sector of activity"),
            _("Sector"),
            [(key if key != UNKNOWN else _("Unknown"), n) for key, n in figures.by_sector.items()],
        ),
    ]


def diploma_tables(stats: Statistics) -> list[Table]:
    """Return the tables of the diplomas awarded: every year by kind, then the chosen year."""
    figures, names = stats.diplomas, stats.names
    kind_labels = dict(DiplomaKind.choices)
    present = [k for k in DIPLOMA_KINDS if any(counts[k] for _y, counts in stats.per_year)]
    per_year = Table(
        slug="diplomas-per-year",
        title=_("Diplomas awarded per year, by kind"),
        columns=(
            Column(_("Academic year"), Kind.TEXT),
            *(Column(str(kind_labels[k])) for k in present),
        ),
        rows=tuple(
            (f"{year}–{year + 1}", *(counts[k] for k in present)) for year, counts in stats.per_year
        ),
    )

    def one(slug: str, title: str, heading: str, rows: list[tuple[str, int]]) -> Table:
        return Table(slug, title, (Column(heading, Kind.TEXT), Column(_("Diplomas"))), tuple(rows))

    return [
        per_year,
        one(
            "diplomas-kind",
            _("Diplomas awarded by kind"),
            _("Kind of diploma"),
            [(str(kind_labels[k]), n) for k, n in figures.by_kind.items()],
        ),
        one(
            "diplomas-department",
            _("Diplomas awarded by department"),
            _("Department"),
            [(department_label(names, k), n) for k, n in figures.by_department.items()],
        ),
        one(
            "diplomas-centre",
            _("Diplomas awarded by centre"),
            _("Centre"),
            [(centre_label(names, k), n) for k, n in figures.by_centre.items()],
        ),
    ]


def pass_rate_table(stats: Statistics) -> Table:
    """Return the pass rates of the units, by code."""
    english = (get_language() or "fr").startswith("en")
    return Table(
        slug="pass-rates",
        title=_("Pass rates per unit"),
        columns=(
            Column(_("Unit"), Kind.TEXT),
            Column(_("Title"), Kind.TEXT),
            # The enrolled and those assessed would give away the few without a result.
            Column(_("Enrolled"), exported=False),
            Column(_("With a published result"), group="assessed"),
            Column(_("Passed"), group="assessed"),
            Column(_("Not passed"), group="assessed"),
            Column(_("Pass rate (%)"), Kind.RATE, basis=(3, 4, 5)),
        ),
        rows=tuple(
            (
                r.code,
                r.title_en if english and r.title_en else r.title_fr,
                r.enrolled,
                r.assessed,
                r.passed,
                r.failed,
                None if r.rate is None else 100 * r.rate,
            )
            for r in stats.pass_rates
        ),
    )


def time_to_diploma_table(stats: Statistics) -> Table:
    """Return the quartiles of the years from the first unit acquired to the diploma."""
    kind_labels = dict(DiplomaKind.choices)
    basis = (1,)
    return Table(
        slug="time-to-diploma",
        title=_("Years from the first unit to the diploma"),
        columns=(
            Column(_("Kind of diploma"), Kind.TEXT),
            Column(_("Diplomas")),
            Column(_("First quartile"), Kind.YEARS, basis=basis),
            Column(_("Median"), Kind.YEARS, basis=basis),
            Column(_("Third quartile"), Kind.YEARS, basis=basis),
        ),
        rows=tuple((str(kind_labels[t.kind]), t.awards, *t.years()) for t in stats.time_to_diploma),
    )


def all_tables(stats: Statistics) -> list[Table]:
    """Return every table of the statistics, in the order of the page."""
    return [
        *learner_tables(stats),
        *diploma_tables(stats),
        pass_rate_table(stats),
        time_to_diploma_table(stats),
    ]
