"""The statistics of a year, aggregated in the database: learners, diplomas, pass rates and
the time from the first unit to a diploma.

Every figure follows the shared definitions: the learners of a year hold at least one
enrolment with the status ``enrolled`` in an offering of a term of that year, and each
learner is counted once per breakdown, under the value of most of their counted enrolments
(ties go to the first formula or centre kind in the order of the choices, or to the lowest
code). The diplomas of a year were awarded between its first and last day and are not
revoked. A centre filter keeps the enrolments at those centres and the diplomas awarded
there.

Each breakdown is one SQL statement whatever the size of the institution (``GROUP BY``
and window functions, on SQLite and PostgreSQL alike); Python only relabels the few rows
that come back.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from cursus.catalogue.models import (
    AcademicYear,
    Centre,
    CentreKind,
    Department,
    Diploma,
    DiplomaKind,
    Formula,
    Institute,
    Offering,
    Term,
    Unit,
)
from cursus.core.errors import NotAllowed, NotFound
from cursus.core.models import Role
from cursus.core.scoping import require
from cursus.credentials.models import AwardedDiploma, AwardStatus
from cursus.enrolment.models import Enrolment, EnrolmentStatus, Learner
from cursus.records.models import PASS_GRADE, Acquisition, Result

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User

FORMULAS: tuple[str, ...] = tuple(Formula.values)
CENTRE_KINDS: tuple[str, ...] = tuple(CentreKind.values)
DIPLOMA_KINDS: tuple[str, ...] = tuple(DiplomaKind.values)
# Age at the first day of the year; each band starts at its age, the last is open.
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("<25", 0),
    ("25-34", 25),
    ("35-44", 35),
    ("45-54", 45),
    ("55+", 55),
)
UNKNOWN = "unknown"
# The key of awards made by a national jury (no centre) and of diplomas without department.
NATIONAL = "national"
NO_DEPARTMENT = "none"
# Pass rates are shown for units with at least this many enrolled learners.
MIN_ENROLLED = 20
DAYS_A_YEAR = 365.25
# How long the pages keep a year's figures: minutes, so that the figures of the year in
# progress stay fresh; ``cursus stats`` and the API always compute afresh.
CACHE_SECONDS = 300


@dataclass(frozen=True, slots=True)
class Reach:
    """The centres a reader's statistics cover: every centre (``None``) or some of them."""

    centre_ids: frozenset[int] | None
    centre: Centre | None = None

    @property
    def everywhere(self) -> bool:
        """Tell whether the figures cover every centre."""
        return self.centre_ids is None


EVERYWHERE = Reach(centre_ids=None)


@dataclass(frozen=True, slots=True)
class LearnerFigures:
    """A year's learners, each counted once in every breakdown."""

    total: int
    by_formula: dict[str, int]
    by_department: dict[str, int]
    by_centre_kind: dict[str, int]
    by_centre: dict[str, int]
    by_institute: dict[str, int]
    by_age_band: dict[str, int]
    by_sector: dict[str, int]


@dataclass(frozen=True, slots=True)
class DiplomaFigures:
    """A year's diplomas awarded, revoked ones left out."""

    total: int
    by_kind: dict[str, int]
    by_department: dict[str, int]
    by_centre: dict[str, int]


@dataclass(frozen=True, slots=True)
class PassRate:
    """A unit's enrolled learners in a year, those with a published result, those who passed."""

    code: str
    title_fr: str
    title_en: str
    enrolled: int
    assessed: int
    passed: int

    @property
    def failed(self) -> int:
        """Return the number assessed who did not pass."""
        return self.assessed - self.passed

    @property
    def rate(self) -> float | None:
        """Return the share of those assessed who passed, or None when nobody was assessed."""
        return self.passed / self.assessed if self.assessed else None


@dataclass(frozen=True, slots=True)
class TimeToDiploma:
    """The days from the first unit acquired to the award, for one kind of diploma."""

    kind: str
    awards: int
    first_quartile: int
    median: int
    third_quartile: int

    def years(self) -> tuple[float, float, float]:
        """Return the quartiles and the median in years."""
        return (
            self.first_quartile / DAYS_A_YEAR,
            self.median / DAYS_A_YEAR,
            self.third_quartile / DAYS_A_YEAR,
        )


@dataclass(frozen=True, slots=True)
class YearOption:
    """An academic year the statistics can show."""

    start_year: int
    label: str
    in_progress: bool


@dataclass(frozen=True, slots=True)
class Names:
    """Display names of the codes the figures use."""

    departments: dict[str, str] = field(default_factory=dict)
    centres: dict[str, tuple[str, str]] = field(default_factory=dict)
    institutes: dict[str, str] = field(default_factory=dict)


# Who may read statistics, and of which centres


def reach_of(user: "User | AnonymousUser | None", centre_code: str = "") -> Reach:
    """Return the centres whose figures the user reads: the registrar any or all, centre
    staff only theirs (all of them unless one is named); anybody else is refused."""
    scope = require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    code = centre_code.strip()
    if code:
        found = Centre.objects.filter(code=code).first()
        if found is None:
            raise NotFound("No such centre.", field="centre")
        if not scope.covers_centre(found.pk):
            raise NotAllowed("This centre is outside your scope.", field="centre")
        return Reach(centre_ids=frozenset({found.pk}), centre=found)
    if scope.is_registrar:
        return EVERYWHERE
    return Reach(centre_ids=scope.centre_ids)


def centre_reach(centre_code: str) -> Reach:
    """Return the reach of one centre, or of every centre for an empty code (for commands,
    which run with the operator's rights)."""
    code = centre_code.strip()
    if not code:
        return EVERYWHERE
    found = Centre.objects.filter(code=code).first()
    if found is None:
        raise NotFound("No such centre.", field="centre")
    return Reach(centre_ids=frozenset({found.pk}), centre=found)


def reachable_centres(user: "User | AnonymousUser | None") -> list[Centre]:
    """Return the centres the user may filter on, the seat first."""
    scope = require(user, Role.REGISTRAR, Role.CENTRE_STAFF)
    centres = Centre.objects.order_by("kind", "name")
    if not scope.is_registrar:
        centres = centres.filter(pk__in=scope.centre_ids)
    return list(centres)


# Years


def year_options(today: date | None = None) -> list[YearOption]:
    """Return the years begun by today, latest first, the one under way marked in progress."""
    day = today or timezone.localdate()
    return [
        YearOption(start_year=y.start_year, label=y.label, in_progress=y.ends_on >= day)
        for y in AcademicYear.objects.filter(starts_on__lte=day).order_by("-start_year")
    ]


def default_year(options: Sequence[YearOption]) -> int | None:
    """Return the last complete year, or the one in progress when none is complete."""
    complete = [option.start_year for option in options if not option.in_progress]
    if complete:
        return complete[0]
    return options[0].start_year if options else None


def academic_year(start_year: int) -> AcademicYear:
    """Return the academic year starting in September of the given year."""
    found = AcademicYear.objects.filter(start_year=start_year).first()
    if found is None:
        raise NotFound("No such academic year.", field="year")
    return found


# Learners


def _table(model: type[object]) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


def _ordered_text(expression: str) -> str:
    # Codes compare byte by byte, as on SQLite, whatever the PostgreSQL locale.
    return f'{expression} COLLATE "C"' if connection.vendor == "postgresql" else expression


def _centre_condition(column: str, reach: Reach) -> tuple[str, list[int]]:
    if reach.centre_ids is None:
        return "", []
    ids = sorted(reach.centre_ids)
    if not ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


# A learner's vote in a breakdown is the largest of ``n * VOTE_SCALE - rank`` over the values
# of their enrolments: the value of most enrolments, ties to the lowest rank (the order of
# the choices, or of the codes). One aggregate, with no sort, whatever the database.
VOTE_SCALE = 100_000


def _ranks_of(values: Sequence[str]) -> str:
    return " UNION ALL ".join(
        f"SELECT {rank} AS r, '{value}' AS code" for rank, value in enumerate(values, start=1)
    )


def _rank_case(column: str, values: Sequence[str]) -> str:
    cases = " ".join(f"WHEN '{value}' THEN {rank}" for rank, value in enumerate(values, start=1))
    return f"CASE {column} {cases} END"


def learner_figures(year: AcademicYear, reach: Reach = EVERYWHERE) -> LearnerFigures:
    """Return the year's learners in total and by formula, department, centre kind, centre,
    institute, age band and sector, in one statement."""
    where_centre, centre_params = _centre_condition("o.centre_id", reach)
    dimensions = ("formula", "department", "centre_kind", "centre", "institute")
    vote_sql = "\nUNION ALL\n".join(
        f"SELECT '{name}' AS dimension, learner_id, MAX(n * {VOTE_SCALE} - value) AS k "  # noqa: S608
        f"FROM (SELECT learner_id, {name} AS value, COUNT(*) AS n FROM base "
        f"WHERE {name} IS NOT NULL GROUP BY learner_id, {name}) g GROUP BY learner_id"
        for name in dimensions
    )
    bands = " ".join(f"WHEN l.birth_date > %s THEN '{label}'" for label, _ in AGE_BANDS[:-1])
    sql = f"""
WITH formulas AS ({_ranks_of(FORMULAS)}),
kinds AS ({_ranks_of(CENTRE_KINDS)}),
departments AS (
    SELECT id, slug AS code, ROW_NUMBER() OVER (ORDER BY {_ordered_text("slug")}) AS r
    FROM {_table(Department)}
),
centres AS (
    SELECT id, code, ROW_NUMBER() OVER (ORDER BY {_ordered_text("code")}) AS r
    FROM {_table(Centre)}
),
institutes AS (
    SELECT id, code, ROW_NUMBER() OVER (ORDER BY {_ordered_text("code")}) AS r
    FROM {_table(Institute)}
),
base AS (
    SELECT e.learner_id AS learner_id,
           {_rank_case("o.formula", FORMULAS)} AS formula,
           departments.r AS department,
           {_rank_case("c.kind", CENTRE_KINDS)} AS centre_kind,
           centres.r AS centre,
           CASE WHEN o.formula = 'institute' THEN institutes.r END AS institute
    FROM {_table(Enrolment)} e
    JOIN {_table(Offering)} o ON o.id = e.offering_id
    JOIN {_table(Unit)} u ON u.id = e.unit_id
    JOIN departments ON departments.id = u.department_id
    JOIN {_table(Centre)} c ON c.id = o.centre_id
    JOIN centres ON centres.id = o.centre_id
    LEFT JOIN institutes ON institutes.id = o.institute_id
    WHERE e.status = %s
      AND e.term_id IN (SELECT t.id FROM {_table(Term)} t WHERE t.academic_year_id = %s)
      {where_centre}
),
votes AS (
{vote_sql}
),
chosen AS (
    SELECT dimension, r, COUNT(*) AS n
    FROM (SELECT dimension, {VOTE_SCALE} - k %% {VOTE_SCALE} AS r FROM votes) picked
    GROUP BY dimension, r
),
learners AS (SELECT DISTINCT learner_id FROM base)
SELECT chosen.dimension, COALESCE(f.code, k.code, d.code, c.code, i.code), chosen.n
FROM chosen
LEFT JOIN formulas f ON chosen.dimension = 'formula' AND f.r = chosen.r
LEFT JOIN kinds k ON chosen.dimension = 'centre_kind' AND k.r = chosen.r
LEFT JOIN departments d ON chosen.dimension = 'department' AND d.r = chosen.r
LEFT JOIN centres c ON chosen.dimension = 'centre' AND c.r = chosen.r
LEFT JOIN institutes i ON chosen.dimension = 'institute' AND i.r = chosen.r
UNION ALL
SELECT 'age_band', band, COUNT(*) FROM (
    SELECT CASE WHEN l.birth_date IS NULL THEN '{UNKNOWN}' {bands}
                ELSE '{AGE_BANDS[-1][0]}' END AS band
    FROM learners JOIN {_table(Learner)} l ON l.id = learners.learner_id
) banded GROUP BY band
UNION ALL
SELECT 'sector', l.sector, COUNT(*)
FROM learners JOIN {_table(Learner)} l ON l.id = learners.learner_id GROUP BY l.sector
UNION ALL
SELECT 'total', '', COUNT(*) FROM learners
"""  # noqa: S608 (only table names and constants are spliced in)
    band_params = [_years_before(year.starts_on, age) for _, age in AGE_BANDS[1:]]
    params: list[str | int | date] = [
        EnrolmentStatus.ENROLLED.value,
        year.pk,
        *centre_params,
        *band_params,
    ]
    found: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dimension, value, count in cursor.fetchall():
            key = (value or UNKNOWN) if dimension == "sector" else value
            slot = found.setdefault(dimension, {})
            slot[key] = slot.get(key, 0) + count
    return LearnerFigures(
        total=found.get("total", {}).get("", 0),
        by_formula=_in_order(found.get("formula", {}), FORMULAS),
        by_department=_by_count(found.get("department", {})),
        by_centre_kind=_in_order(found.get("centre_kind", {}), CENTRE_KINDS),
        by_centre=_by_count(found.get("centre", {})),
        by_institute=_by_count(found.get("institute", {})),
        by_age_band=_in_order(
            found.get("age_band", {}), (*(label for label, _ in AGE_BANDS), UNKNOWN)
        ),
        by_sector=_by_count(found.get("sector", {})),
    )


def _in_order(counts: dict[str, int], keys: Sequence[str]) -> dict[str, int]:
    return {key: counts.get(key, 0) for key in keys}


def _by_count(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# Diplomas


def diploma_figures(year: AcademicYear, reach: Reach = EVERYWHERE) -> DiplomaFigures:
    """Return the year's diplomas awarded in total and by kind, department and centre."""
    awards = AwardedDiploma.objects.exclude(status=AwardStatus.REVOKED).filter(
        awarded_on__gte=year.starts_on, awarded_on__lte=year.ends_on
    )
    if reach.centre_ids is not None:
        awards = awards.filter(centre_id__in=reach.centre_ids)
    groups = (
        awards.values_list("diploma__kind", "diploma__department__slug", "centre__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kind: dict[str, int] = {}
    by_department: dict[str, int] = {}
    by_centre: dict[str, int] = {}
    total = 0
    for kind, department, centre, count in groups:
        total += count
        by_kind[kind] = by_kind.get(kind, 0) + count
        department_key = department or NO_DEPARTMENT
        by_department[department_key] = by_department.get(department_key, 0) + count
        centre_key = centre or NATIONAL
        by_centre[centre_key] = by_centre.get(centre_key, 0) + count
    return DiplomaFigures(
        total=total,
        by_kind=_in_order(by_kind, DIPLOMA_KINDS),
        by_department=_by_count(by_department),
        by_centre=_by_count(by_centre),
    )


def diplomas_per_year(reach: Reach = EVERYWHERE) -> list[tuple[int, dict[str, int]]]:
    """Return the diplomas awarded in every academic year, by kind, oldest year first."""
    where_centre, centre_params = _centre_condition("a.centre_id", reach)
    sql = f"""
SELECT y.start_year, d.kind, COUNT(*)
FROM {_table(AwardedDiploma)} a
JOIN {_table(AcademicYear)} y ON a.awarded_on BETWEEN y.starts_on AND y.ends_on
JOIN {_table(Diploma)} d ON d.id = a.diploma_id
WHERE a.status <> %s {where_centre}
GROUP BY y.start_year, d.kind
ORDER BY y.start_year
"""  # noqa: S608
    years: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [AwardStatus.REVOKED.value, *centre_params])
        for start_year, kind, count in cursor.fetchall():
            years.setdefault(start_year, dict.fromkeys(DIPLOMA_KINDS, 0))[kind] = count
    return list(years.items())


# Pass rates and time to a diploma


def pass_rates(
    year: AcademicYear, reach: Reach = EVERYWHERE, *, min_enrolled: int = MIN_ENROLLED
) -> list[PassRate]:
    """Return, for each unit with at least ``min_enrolled`` learners enrolled in the year,
    those enrolled, those with a published result and those who passed, by code."""
    where_centre, centre_params = _centre_condition("o.centre_id", reach)
    # One look-up of the (enrolment, session) index per enrolment gives its outcome: none
    # published, published without a pass (1), passed in either session (2).
    sql = f"""
SELECT u.code, u.title_fr, u.title_en, s.enrolled, s.assessed, s.passed
FROM (
    SELECT unit_id, COUNT(*) AS enrolled,
           SUM(CASE WHEN outcome IS NULL THEN 0 ELSE 1 END) AS assessed,
           SUM(CASE WHEN outcome = 2 THEN 1 ELSE 0 END) AS passed
    FROM (
        SELECT e.unit_id AS unit_id,
               (SELECT MAX(CASE WHEN r.grade >= %s THEN 2 ELSE 1 END)
                FROM {_table(Result)} r
                WHERE r.enrolment_id = e.id AND r.published_at IS NOT NULL) AS outcome
        FROM {_table(Enrolment)} e JOIN {_table(Offering)} o ON o.id = e.offering_id
        WHERE e.status = %s
          AND e.term_id IN (SELECT t.id FROM {_table(Term)} t WHERE t.academic_year_id = %s)
          {where_centre}
    ) outcomes
    GROUP BY unit_id
    HAVING COUNT(*) >= %s
) s
JOIN {_table(Unit)} u ON u.id = s.unit_id
ORDER BY u.code
"""  # noqa: S608 (only table names and constants are spliced in)
    params: list[str | int] = [
        PASS_GRADE,
        EnrolmentStatus.ENROLLED.value,
        year.pk,
        *centre_params,
        min_enrolled,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [PassRate(*row) for row in cursor.fetchall()]


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def time_to_diploma(year: AcademicYear, reach: Reach = EVERYWHERE) -> list[TimeToDiploma]:
    """Return, by kind, the quartiles of the days from the learner's first unit acquired to
    the award, for the diplomas awarded in the year (nearest-rank quartiles)."""
    where_centre, centre_params = _centre_condition("a.centre_id", reach)
    sql = f"""
WITH firsts AS (
    SELECT d.kind AS kind, a.awarded_on AS awarded_on,
           (SELECT MIN(q.acquired_on) FROM {_table(Acquisition)} q
            WHERE q.learner_id = a.learner_id) AS first_on
    FROM {_table(AwardedDiploma)} a JOIN {_table(Diploma)} d ON d.id = a.diploma_id
    WHERE a.status <> %s AND a.awarded_on BETWEEN %s AND %s {where_centre}
),
spans AS (
    SELECT kind, {_days_between("awarded_on", "first_on")} AS days
    FROM firsts WHERE first_on IS NOT NULL
),
ranked AS (
    SELECT kind, days,
           ROW_NUMBER() OVER (PARTITION BY kind ORDER BY days) AS pos,
           COUNT(*) OVER (PARTITION BY kind) AS n
    FROM spans
)
SELECT kind, n, pos, days FROM ranked
WHERE pos IN ((n + 3) / 4, (n + 1) / 2, (3 * n + 3) / 4)
ORDER BY kind, pos
"""  # noqa: S608
    params: list[str | int | date] = [
        AwardStatus.REVOKED.value,
        year.starts_on,
        year.ends_on,
        *centre_params,
    ]
    points: dict[str, tuple[int, dict[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, n, pos, days in cursor.fetchall():
            points.setdefault(kind, (n, {}))[1][pos] = days
    found = []
    for kind in DIPLOMA_KINDS:
        if kind not in points:
            continue
        n, at = points[kind]
        found.append(
            TimeToDiploma(
                kind=kind,
                awards=n,
                first_quartile=at[(n + 3) // 4],
                median=at[(n + 1) // 2],
                third_quartile=at[(3 * n + 3) // 4],
            )
        )
    return found


# Names and the headline figures


def names() -> Names:
    """Return the display names of departments, centres (with their kind) and institutes."""
    return Names(
        departments={d.slug: d.name for d in Department.objects.all()},
        centres={
            code: (name, kind)
            for code, name, kind in Centre.objects.values_list("code", "name", "kind")
        },
        institutes=dict(Institute.objects.values_list("code", "name")),
    )


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one year within one reach, as computed (codes, not names)."""

    learners: LearnerFigures
    diplomas: DiplomaFigures
    per_year: list[tuple[int, dict[str, int]]]
    pass_rates: list[PassRate]
    time_to_diploma: list[TimeToDiploma]


@dataclass(frozen=True, slots=True)
class Statistics:
    """Every figure of the statistics page for one year and one reach, with display names."""

    year: AcademicYear
    reach: Reach
    learners: LearnerFigures
    diplomas: DiplomaFigures
    per_year: list[tuple[int, dict[str, int]]]
    pass_rates: list[PassRate]
    time_to_diploma: list[TimeToDiploma]
    names: Names


def figures(year: AcademicYear, reach: Reach = EVERYWHERE) -> Figures:
    """Compute every figure of the year within the reach, in five queries."""
    return Figures(
        learners=learner_figures(year, reach),
        diplomas=diploma_figures(year, reach),
        per_year=diplomas_per_year(reach),
        pass_rates=pass_rates(year, reach),
        time_to_diploma=time_to_diploma(year, reach),
    )


def cache_key(year: AcademicYear, reach: Reach) -> str:
    """Return the key under which the figures of a year and a reach are kept."""
    centres = "all" if reach.centre_ids is None else ",".join(map(str, sorted(reach.centre_ids)))
    return f"cursus:stats:v1:{year.start_year}:{centres}"


def statistics(year: AcademicYear, reach: Reach = EVERYWHERE) -> Statistics:
    """Return every figure of the year within the reach, with the names to show them.

    At full size the learners' breakdowns alone read some 350,000 enrolments (seconds on
    SQLite), so the figures are kept in Django's cache for ``CACHE_SECONDS``, keyed by
    year and centres: the page, its CSV files and its workbook then cost a few queries.
    Names are read on every call, in the reader's language.
    """
    key = cache_key(year, reach)
    found = cache.get(key)
    if not isinstance(found, Figures):
        found = figures(year, reach)
        cache.set(key, found, CACHE_SECONDS)
    return Statistics(
        year=year,
        reach=reach,
        learners=found.learners,
        diplomas=found.diplomas,
        per_year=found.per_year,
        pass_rates=found.pass_rates,
        time_to_diploma=found.time_to_diploma,
        names=names(),
    )


def headline(year: AcademicYear, reach: Reach = EVERYWHERE) -> dict[str, Any]:
    """Return the headline figures of a year as one JSON-ready mapping."""
    learners = learner_figures(year, reach)
    diplomas = diploma_figures(year, reach)
    return {
        "year": year.start_year,
        "label": year.label,
        "centre": reach.centre.code if reach.centre is not None else None,
        "learners": {
            "total": learners.total,
            "by_formula": learners.by_formula,
            "by_department": learners.by_department,
            "by_centre_kind": learners.by_centre_kind,
            "by_centre": learners.by_centre,
            "by_institute": learners.by_institute,
            "by_age_band": learners.by_age_band,
            "by_sector": learners.by_sector,
        },
        "diplomas": {
            "total": diplomas.total,
            "by_kind": diplomas.by_kind,
            "by_department": diplomas.by_department,
            "by_centre": diplomas.by_centre,
        },
    }
