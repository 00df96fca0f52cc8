"""The institution's past years at full size: every learner's path loaded as real records are.

``plan_history`` works out, for every diploma in force, a study plan that
satisfies its rules (units, then milestones), found with the rules engine
itself from an empty record, then draws the paths (``steps.trajectories``)
of everyone who studies from the first year of the calendar (2021) to the
current one. ``assign_history`` gives them to the last generated learners;
the first ones are newcomers, whom the records step, this year's enrolments
and the demo's juries draw from, so that no two steps write the same record.

``build_history`` turns each attempt into rows of the bulk import
(``cursus.exchange.actions.import_rows``), year by year: results, both
sessions, for the complete years; enrolments for the current one. That is
how an institution loads its records, and the import writes the
registrations, the ledger and the event log as the actions do. Each plan
step gets the first unit of the learner's plan taught that year, in the
learner's formula if it can, and the offering at their centre, else at Paris
or at a distance; this year's offerings take no one beyond their capacity.

The calendar begins in 2021: extending it back by decades would multiply the
offerings even the small demo writes. So the paths start up to fifteen years
earlier, and what a learner passed before 2021 reaches their record only
when it matters: before a jury, as an equivalence (``validate_prior_learning``),
with, as transfers, the plan's units no offering of their year taught
(activities, units taught elsewhere).

``build_year_juries`` ends a complete year: the learners whose path completed
their diploma that year get their milestones recorded (``record_milestones``)
and those units validated, are audited in bulk with the engine over their
ledgers (``records_of``), and those satisfied go before the jury of their
diploma and home centre, or the national jury for engineering degrees, which
awards every satisfied candidate at once through the credentials' actions.
Every complete year's juries are held (``JURY_YEARS``), so that diplomas come
year after year; a commission's bulk decisions and the jury's bulk award keep
this to about 14 s for each thousand graduates on SQLite (36,617 awards over
five years in 8.6 minutes at full size).
"""

import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from cursus.audit.engine import (
    ChoiceNeeded,
    CreditsNeeded,
    Diploma,
    MilestoneEntry,
    MilestoneNeeded,
    Missing,
    Record,
    UnitEntry,
    UnitNeeded,
    evaluate,
    holdings,
)
from cursus.audit.engine.rules import (
    AllNode,
    ChooseNode,
    CreditsNode,
    MilestoneNode,
    Node,
    Selector,
    UnitNode,
)
from cursus.audit.queries import catalogue, records_of
from cursus.catalogue.models import Formula, Offering, Unit, UnitKind
from cursus.core.models import Role, RoleAssignment, User
from cursus.demo.steps.calendar import FIRST_YEAR, REFERENCE_DAY
from cursus.demo.steps.context import BuildContext
from cursus.demo.steps.trajectories import Attempt, GoalChooser, Trajectory, simulate
from cursus.enrolment.models import Learner
from cursus.exchange.actions import import_rows
from cursus.records.actions import (
    NewMilestone,
    PriorLearning,
    record_milestones,
    validate_prior_learning_in_bulk,
)
from cursus.records.models import Acquisition, Validation

# Rows handed to the import at once: a year of results at full scale is about a million.
IMPORT_BATCH = 50_000
# The current academic year: enrolments only, its exams are still to come.
CURRENT_YEAR = REFERENCE_DAY.year if REFERENCE_DAY.month >= 9 else REFERENCE_DAY.year - 1
# The complete years whose juries are held: every one the calendar holds.
JURY_YEARS = tuple(range(FIRST_YEAR, CURRENT_YEAR))
# Candidates' files a commission decides at once before the juries.
COMMISSION_BATCH = 1000
# A study plan holds at most this many units (a bound for odd rules).
LONGEST_PLAN = 40
# Diplomas no simulated learner aims at: the demo's story holds their juries (steps.juries).
STORY_DIPLOMAS = frozenset({"CC-ABD"})
HISTORIC_KINDS = frozenset({"dpct", "dest"})
# The day pre-2021 units are brought into the record as equivalences.
EQUIVALENCE_DAY = date(FIRST_YEAR, 9, 1)


# An offering of a unit in a year: semester, formula, centre, section, institute.
Offered = tuple[int, str, str, str, str]


@dataclass(frozen=True, slots=True)
class StudyPlan:
    """What satisfies one diploma: units in the order a learner takes them, and milestones."""

    code: str
    kind: str
    department: str | None
    national: bool
    units: tuple[str, ...]
    milestones: tuple[MilestoneEntry, ...]


@dataclass
class Catalogue:
    """What the paths are mapped onto: units, their offerings by year, the study plans."""

    departments: dict[str, str]
    ects: dict[str, float]
    # (year, unit code) -> offerings as (semester, formula, centre code, section, institute).
    offered: dict[tuple[int, str], list[Offered]]
    by_department: dict[str, list[str]]
    taught: set[str]
    # (year, unit code) -> the formulas it is taught in that year.
    formulas: dict[tuple[int, str], set[str]]
    # The places left in this year's offerings that have a capacity.
    places: dict[tuple[int, str, Offered], int]
    by_institute: dict[str, list[str]]
    plans: dict[str, StudyPlan]
    by_kind: dict[str, list[StudyPlan]] = field(default_factory=dict)


def _entry(code: str, cat: Catalogue) -> UnitEntry:
    return UnitEntry(
        code=code, ects=cat.ects.get(code, 6.0), grade=12.0, department=cat.departments.get(code)
    )


def _pool(
    selector: Selector,
    missing: float,
    *,
    max_units: int | None,
    cat: Catalogue,
    held: list[str],
    offered: set[str],
) -> list[str]:
    """Return units that fill a credits pool, those taught in the history first."""
    chosen: list[str] = []
    candidates = sorted(
        (
            code
            for code in cat.ects
            if code not in held and selector.matches(code, cat.departments.get(code))
        ),
        key=lambda code: (code not in offered, -cat.ects[code], code),
    )
    for code in candidates:
        if missing <= 0 or (max_units is not None and len(chosen) >= max_units):
            break
        chosen.append(code)
        missing -= cat.ects[code]
    return chosen


def _milestone(node: MilestoneNode) -> MilestoneEntry:
    return MilestoneEntry(
        kind=node.kind,
        years=node.years or 0.0,
        in_field_years=node.in_field_years or 0.0,
        language=node.language,
        level=node.level,
    )


@dataclass
class _Solver:
    """Grow a record until it satisfies a diploma."""

    cat: Catalogue
    offered: set[str]
    units: list[str] = field(default_factory=list)
    milestones: list[MilestoneEntry] = field(default_factory=list)

    def add(self, codes: list[str]) -> bool:
        fresh = [c for c in dict.fromkeys(codes) if c in self.cat.ects and c not in self.units]
        self.units += fresh
        return bool(fresh)

    def meet(self, node: Node) -> bool:
        """Add what meets a node: all of an ``all``, the first options of an ``any``/``choose``."""
        if isinstance(node, UnitNode):
            return self.add([node.code])
        if isinstance(node, MilestoneNode):
            self.milestones.append(_milestone(node))
            return True
        if isinstance(node, CreditsNode):
            return self.add(
                _pool(
                    node.selector,
                    node.credits,
                    max_units=node.max_units,
                    cat=self.cat,
                    held=self.units,
                    offered=self.offered,
                )
            )
        if isinstance(node, AllNode):
            # Every part is met, so none may be skipped once one adds something.
            added = [self.meet(child) for child in node.children]
            return any(added)
        wanted = node.count if isinstance(node, ChooseNode) else 1
        met = 0
        for child in node.children:
            if met >= wanted:
                break
            met += self.meet(child)
        return met > 0

    def round(self, missing: Missing) -> bool:
        """Add what one missing item asks for; tell whether anything was added."""
        reason = missing.reason
        if isinstance(reason, UnitNeeded):
            options = [reason.code, *reason.equivalents]
            return self.add([next((c for c in options if c in self.cat.ects), reason.code)])
        if isinstance(reason, CreditsNeeded):
            return self.add(
                _pool(
                    reason.selector,
                    reason.missing,
                    max_units=reason.max_units,
                    cat=self.cat,
                    held=self.units,
                    offered=self.offered,
                )
            )
        if isinstance(reason, ChoiceNeeded):
            met = 0
            for option in reason.options:
                if met >= reason.more:
                    break
                met += self.meet(option)
            return met > 0
        if isinstance(reason, MilestoneNeeded):
            self.milestones.append(_milestone(reason.node))
            return True
        return False


def study_plan(diploma: Diploma, cat: Catalogue, offered: set[str]) -> StudyPlan | None:
    """Return units and milestones that satisfy a diploma, found with the engine; None if none.

    Starting from an empty record, each round adds what the audit says is
    missing (a unit, a pool's ECTS from units taught in the history first,
    a group's first options, a milestone) until the record satisfies it.
    """
    solver = _Solver(cat, offered)
    for _round in range(12):
        record = Record(
            units=tuple(_entry(c, cat) for c in solver.units), milestones=tuple(solver.milestones)
        )
        result = evaluate(diploma, record)
        if result.satisfied:
            return StudyPlan(
                code=diploma.code,
                kind=diploma.kind or "",
                department=diploma.department,
                national=False,
                units=tuple(solver.units),
                milestones=tuple(solver.milestones),
            )
        added = [solver.round(missing) for missing in result.missing]
        if not any(added) or len(solver.units) > LONGEST_PLAN:
            return None
    return None


def _catalogue(ctx: BuildContext) -> Catalogue:
    """Read the units, the history's offerings and the diplomas, and work out the plans."""
    units = Unit.objects.values_list("code", "department__slug", "ects")
    departments = {code: slug for code, slug, _ in units}
    ects = {code: float(value) for code, _, value in units}
    offered: dict[tuple[int, str], list[Offered]] = defaultdict(list)
    by_institute: dict[str, set[str]] = defaultdict(set)
    rows = (
        Offering.objects.filter(
            term__academic_year__start_year__gte=FIRST_YEAR,
            term__academic_year__start_year__lte=CURRENT_YEAR,
            published=True,
            unit__kind=UnitKind.COURSE,
        )
        .order_by("pk")
        .values_list(
            "term__academic_year__start_year",
            "term__semester",
            "unit__code",
            "formula",
            "centre__code",
            "section",
            "institute__code",
            "capacity",
        )
    )
    capacities: dict[tuple[int, str, Offered], int] = {}
    for year, semester, code, formula, centre, section, institute, capacity in rows:
        option = (semester, formula, centre, section, institute or "")
        offered[(year, code)].append(option)
        if year == CURRENT_YEAR and capacity is not None:
            capacities[(year, code, option)] = capacity
        if institute:
            by_institute[institute].add(code)
    taught = {code for (_year, code) in offered}
    by_department: dict[str, list[str]] = defaultdict(list)
    for code in sorted(taught):
        by_department[departments[code]].append(code)
    cat = Catalogue(
        departments=departments,
        ects=ects,
        offered=dict(offered),
        by_department=dict(by_department),
        taught=taught,
        places=capacities,
        formulas={key: {o[1] for o in found} for key, found in offered.items()},
        by_institute={code: sorted(found) for code, found in sorted(by_institute.items())},
        plans={},
    )
    national = {diploma.code for diploma in ctx.diplomas if diploma.national_jury}
    for version in catalogue().latest:
        if (
            version.last_year is not None
            or version.kind in HISTORIC_KINDS
            or version.code in STORY_DIPLOMAS
        ):
            continue
        plan = study_plan(version.compiled.diploma, cat, taught)
        if plan is None:
            continue
        plan = StudyPlan(
            code=version.code,
            kind=version.kind,
            department=plan.department,
            national=version.code in national,
            units=plan.units,
            milestones=plan.milestones,
        )
        cat.plans[plan.code] = plan
        cat.by_kind.setdefault(plan.kind, []).append(plan)
    return cat


def _goals(cat: Catalogue) -> GoalChooser:
    def choose(kind: str, department: str, rng: random.Random) -> tuple[str, int]:
        plans = cat.by_kind.get(kind) or [p for found in cat.by_kind.values() for p in found]
        near = [plan for plan in plans if plan.department == department]
        plan = rng.choice(near or plans)
        return plan.code, len(plan.units)

    return choose


@dataclass
class History:
    """The drawn paths and what they are mapped onto, kept between the build's steps."""

    catalogue: Catalogue
    paths: list[Trajectory]
    # Learner numbers, in the order of the paths.
    numbers: list[str] = field(default_factory=list)
    # Home centre codes by learner number.
    homes: dict[str, str] = field(default_factory=dict)
    # Learner ids, in the order of the paths.
    learner_ids: list[int] = field(default_factory=list)
    # Per path: how its plan steps map onto units and offerings, filled year by year.
    mappers: list["_Mapper"] = field(default_factory=list)


def plan_history(ctx: BuildContext) -> History:
    """Draw the paths of everyone who studies from the first year of the calendar on."""
    cat = _catalogue(ctx)
    rng = ctx.rng("history")
    if not cat.plans:
        return History(catalogue=cat, paths=[])
    paths = simulate(
        rng,
        scale=ctx.scale,
        first_year=FIRST_YEAR,
        last_year=CURRENT_YEAR,
        goals=_goals(cat),
    )
    return History(catalogue=cat, paths=paths)


# -- Mapping paths onto the catalogue ------------------------------------------------------


def _pick(options: list[Offered], semester: int, formula: str, centre: str) -> Offered:
    """Return the offering a learner takes: their formula, centre and semester if they can."""
    same = [o for o in options if o[1] == formula]
    if not same and formula != Formula.INSTITUTE:
        same = [o for o in options if o[1] != Formula.INSTITUTE]
    pool = same or options
    return min(
        pool,
        key=lambda o: (
            o[1] != Formula.DISTANCE and o[2] != centre,
            o[0] != semester,
            o[2] != "paris",
        ),
    )


@dataclass
class _Mapper:
    """Give each plan step a unit and each attempt an offering, for one learner."""

    cat: Catalogue
    path: Trajectory
    centre: str
    units: list[str]
    assigned: dict[int, str | None] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def unit(self, attempt: Attempt) -> str | None:
        """Return the attempt's unit: its step's, or the next plan unit taught that year."""
        if attempt.step in self.assigned:
            return self.assigned[attempt.step]
        found = None
        if attempt.year < FIRST_YEAR:
            found = next((code for code in self.units if code not in self.used), None)
        else:
            # A unit taught that year in the attempt's formula, else in any other.
            taught = [
                code
                for code in self.units
                if code not in self.used and (attempt.year, code) in self.cat.offered
            ]
            found = next(
                (
                    code
                    for code in taught
                    if attempt.formula in self.cat.formulas[(attempt.year, code)]
                ),
                taught[0] if taught else None,
            )
        if found is not None:
            self.used.add(found)
        self.assigned[attempt.step] = found
        return found

    def offering(self, attempt: Attempt, code: str) -> Offered | None:
        """Return the offering the attempt takes, or None when the unit is not taught that year."""
        options = self.cat.offered.get((attempt.year, code))
        places = self.cat.places
        if options and attempt.year == CURRENT_YEAR:
            # This year's offerings take no one beyond their capacity.
            options = [o for o in options if places.get((attempt.year, code, o), 1) > 0]
        if not options:
            return None
        centre = self.centre
        moved = self.path.profile.moves_in
        if moved is not None and attempt.year >= moved:
            centre = "paris" if centre != "paris" else "lyon"
        chosen = _pick(options, attempt.semester, attempt.formula, centre)
        key = (attempt.year, code, chosen)
        if key in places:
            places[key] -= 1
        return chosen


def _units_of(cat: Catalogue, path: Trajectory, rng: random.Random) -> list[str]:
    """Return a learner's study plan: their diploma's units, then their department's or
    institute's, in the order they take them."""
    profile = path.profile
    if profile.formula == Formula.INSTITUTE and cat.by_institute:
        # Institutes take learners in proportion to the units they teach.
        names = sorted(cat.by_institute)
        institute = rng.choices(names, [len(cat.by_institute[name]) for name in names])[0]
        units = list(cat.by_institute[institute])
        rng.shuffle(units)
        return units
    extra = list(cat.by_department.get(profile.department, ()))
    rng.shuffle(extra)
    plan = cat.plans.get(profile.goal_code or "")
    head = list(plan.units) if plan is not None else []
    return head + [code for code in extra if code not in head]


def _rows(
    history: History, homes: Mapping[str, str], year: int
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (kind, row) for every attempt of a year: results, or enrolments this year.

    Plan steps get their units in the order the learner first takes them, so
    the years are read in order, the earlier ones first.
    """
    cat = history.catalogue
    for index, path in enumerate(history.paths):
        number = history.numbers[index]
        if index >= len(history.mappers):
            units = _units_of(cat, path, random.Random(f"{number}:plan"))
            history.mappers.append(_Mapper(cat, path, homes[number], units))
        mapper = history.mappers[index]
        for attempt in path.attempts:
            if attempt.year > year:
                break
            code = mapper.unit(attempt)
            if attempt.year < year or code is None:
                continue
            taught = mapper.offering(attempt, code)
            if taught is None:
                continue
            semester, formula, centre, section, _institute = taught
            key = {
                "learner": number,
                "unit": code,
                "term": f"{attempt.year}-S{semester}",
                "centre": centre,
                "formula": formula,
                "section": section,
            }
            if attempt.year >= CURRENT_YEAR:
                yield "enrolments", key
                continue
            yield "results", {**key, "session": "1", "grade": attempt.first}
            if attempt.second is not None:
                yield "results", {**key, "session": "2", "grade": attempt.second}


# -- Loading the paths through the bulk import ---------------------------------------------


class HistoryImportError(RuntimeError):
    """The import refused the simulated rows: a bug of the simulation, named by its first line."""


def _import(kind: str, rows: list[dict[str, str]]) -> None:
    report = import_rows(actor=None, kind=kind, rows=rows, total=len(rows))
    if not report.ok:
        first = report.problems[0]
        raise HistoryImportError(
            f"{kind}: {len(report.problems)} problems; line {first.line}, "
            f"{first.column}: {first.message} ({rows[first.line - 2]})"
        )


def assign_history(ctx: BuildContext, history: History) -> None:
    """Give the paths to the last generated learners, in number order.

    The first ones, the demo learner's neighbours, are the newcomers the other
    steps (records, this year's enrolments, the demo's juries) draw from.
    """
    demo_id = ctx.demo_learner.pk if ctx.demo_learner is not None else 0
    found = list(
        Learner.objects.exclude(pk=demo_id)
        .order_by("number")
        .values_list("pk", "number", "home_centre__code")
    )
    learners = found[max(0, len(found) - len(history.paths)) :]
    history.paths = history.paths[: len(learners)]
    history.numbers = [number for _pk, number, _home in learners]
    history.learner_ids = [pk for pk, _number, _home in learners]
    history.homes = {number: home for _pk, number, home in learners}
    ctx.history_learners = set(history.learner_ids)


def _set_tariffs(ctx: BuildContext) -> None:
    """Set the fees of the history's years that have none: the import registers under them."""
    from cursus.demo.steps.enrolment import TARIFF
    from cursus.enrolment.actions import set_tariff
    from cursus.enrolment.models import Tariff

    assert ctx.registrar is not None
    for year in range(FIRST_YEAR, CURRENT_YEAR + 1):
        if not Tariff.objects.filter(academic_year__start_year=year, centre=None).exists():
            set_tariff(
                actor=ctx.registrar,
                academic_year=year,
                basis=str(TARIFF["basis"]),
                registration_fee=str(TARIFF["registration_fee"]),
                full_amount=str(TARIFF["full_amount"]),
                reduced_amount=str(TARIFF["reduced_amount"]),
                employer_amount=str(TARIFF["employer_amount"]),
            )


def _take_places(cat: Catalogue) -> None:
    """Count out of this year's places those the enrolment step has filled already."""
    from cursus.enrolment.models import ACTIVE_STATUSES, Enrolment

    taken = (
        Enrolment.objects.filter(
            term__academic_year__start_year=CURRENT_YEAR, status__in=ACTIVE_STATUSES
        )
        .values_list(
            "term__semester",
            "unit__code",
            "offering__formula",
            "offering__centre__code",
            "offering__section",
            "offering__institute__code",
        )
        .annotate(count=Count("pk"))
    )
    for semester, code, formula, centre, section, institute, count in taken:
        key = (CURRENT_YEAR, code, (semester, formula, centre, section, institute or ""))
        if key in cat.places:
            cat.places[key] -= count


def build_history(ctx: BuildContext, history: History) -> int:
    """Load every path's attempts, year by year, through the bulk import; return rows loaded."""
    if not history.paths:
        return 0
    _set_tariffs(ctx)
    _take_places(history.catalogue)
    homes = history.homes
    total = sum(
        len(path.attempts_in(year))
        for path in history.paths
        for year in range(FIRST_YEAR, CURRENT_YEAR + 1)
    )
    ctx.report("history", 0, total)
    loaded = done = 0
    for year in range(FIRST_YEAR, CURRENT_YEAR + 1):
        batches: dict[str, list[dict[str, str]]] = {"results": [], "enrolments": []}
        for kind, row in _rows(history, homes, year):
            batch = batches[kind]
            batch.append(row)
            if row.get("session") != "2":
                done += 1
            if len(batch) >= IMPORT_BATCH and row.get("session") != "1":
                _import(kind, batch)
                loaded += len(batch)
                batches[kind] = []
                ctx.report("history", done, total)
        for kind, batch in batches.items():
            if batch:
                _import(kind, batch)
                loaded += len(batch)
        ctx.report("history", done, total)
    ctx.report("history", total, total)
    return loaded


# -- Year-end audits and juries --------------------------------------------------------------

JURY_MEMBER_NAMES = ("Claire", "Dubois")
EVIDENCE = {
    "experience": "Attestations d'employeurs",
    "language": "Certificat de langue",
    "thesis": "Procès-verbal de soutenance",
    "admission": "Procès-verbal du jury d'admission",
    "internship": "Attestation de stage",
}


def _jury_members(ctx: BuildContext) -> dict[str, User]:
    """Return a jury member per centre code ("" for the national jury), made on first use."""
    from cursus.demo.steps.people import DEMO_DOMAIN

    members: dict[str, User] = {}
    for code in ["", *sorted(ctx.centres)]:
        local = f"jury.{code or 'national'}"
        user, made = User.objects.get_or_create(
            email=f"{local}@{DEMO_DOMAIN}",
            defaults={"first_name": "Jury", "last_name": code.title() or "National"},
        )
        if made:
            RoleAssignment.objects.create(
                user=user, role=Role.JURY_MEMBER, centre=ctx.centres.get(code)
            )
        members[code] = user
    return members


def _files(
    history: History, index: int, year: int, learner: Learner, held: set[str]
) -> tuple[list[PriorLearning], list[NewMilestone]]:
    """Return a candidate's equivalences and transfers, and milestones, for the commission."""
    path = history.paths[index]
    plan = history.catalogue.plans[path.profile.goal_code or ""]
    mapper = history.mappers[index]
    early = {mapper.assigned.get(step) for step in path.passed_before(FIRST_YEAR)}
    missing = [code for code in plan.units if code not in held]
    decisions = []
    # Units passed before 2021 come in as equivalences; those the path passed in a year
    # whose offerings did not teach them (activities, units taught elsewhere) as transfers.
    for source, codes, day, grounds in (
        (
            "equivalence",
            [code for code in missing if code in early],
            EQUIVALENCE_DAY,
            "Unités acquises avant la reprise des dossiers",
        ),
        (
            "transfer",
            [code for code in missing if code not in early],
            date(year + 1, 6, 1),
            "Unités suivies dans un établissement partenaire",
        ),
    ):
        if codes:
            decisions.append(
                PriorLearning(
                    learner=learner,
                    units=codes,
                    source=source,
                    decision_reference=f"{source[:2].upper()}-{day.year}-{learner.number}",
                    jury="Commission des équivalences",
                    decided_on=day,
                    grounds=grounds,
                )
            )
    achieved_on = date(year + 1, 6, 1)
    milestones = []
    for milestone in plan.milestones:
        years = milestone.years or 2.0
        experience = milestone.kind == "experience"
        language = milestone.kind == "language"
        milestones.append(
            NewMilestone(
                learner=learner,
                kind=milestone.kind,
                achieved_on=achieved_on,
                evidence=EVIDENCE.get(milestone.kind, "Pièce justificative"),
                years=f"{years:.1f}" if experience else None,
                in_field_years=f"{min(years, milestone.in_field_years or 1.0):.1f}"
                if experience
                else None,
                language=milestone.language or ("en" if language else ""),
                level=milestone.level or ("B2" if language else ""),
                test="Linguaskill" if language else "",
                title="Mémoire" if milestone.kind == "thesis" else "",
            )
        )
    return decisions, milestones


def _prepare(ctx: BuildContext, history: History, year: int, chosen: list[int]) -> None:
    """Record the candidates' milestones and bring their missing units in, a commission at a time.

    Each batch of files goes through the records' bulk actions, as a commission's
    session decides them: checked as one decision would be, logged, in the ledger.
    """
    assert ctx.registrar is not None
    for start in range(0, len(chosen), COMMISSION_BATCH):
        batch = chosen[start : start + COMMISSION_BATCH]
        ids = [history.learner_ids[index] for index in batch]
        learners = Learner.objects.in_bulk(ids)
        held: dict[int, set[str]] = defaultdict(set)
        for learner_id, code in Acquisition.objects.filter(learner_id__in=ids).values_list(
            "learner_id", "unit__code"
        ):
            held[learner_id].add(code)
        decisions: list[PriorLearning] = []
        milestones: list[NewMilestone] = []
        for index, learner_id in zip(batch, ids, strict=True):
            files = _files(history, index, year, learners[learner_id], held[learner_id])
            decisions += files[0]
            milestones += files[1]
        if decisions:
            validate_prior_learning_in_bulk(actor=ctx.registrar, decisions=decisions)
        if milestones:
            record_milestones(actor=ctx.registrar, milestones=milestones)
        ctx.report("year juries", start + len(batch), 2 * len(chosen))


def build_year_juries(ctx: BuildContext, history: History, year: int) -> int:
    """Hold the juries of a complete year for those whose path completed a diploma; return awards.

    The candidates' ledgers are audited in bulk with the engine first; only
    those satisfied go before the jury of their diploma and home centre, which
    awards them at once (``award_satisfied``), as a jury does its satisfied candidates.
    """
    from cursus.credentials.actions import (
        add_candidates,
        award_satisfied,
        close_jury_session,
        decide,
        open_jury_session,
    )
    from cursus.credentials.models import Decision

    cat = history.catalogue
    chosen = [
        index
        for index, path in enumerate(history.paths[: len(history.learner_ids)])
        if path.completed_in == year and (path.profile.goal_code or "") in cat.plans
    ]
    # Learners whose records other steps touched (the demo's jury grants units) stay out.
    validated = set(
        Validation.objects.filter(
            learner_id__in=[history.learner_ids[index] for index in chosen]
        ).values_list("learner_id", flat=True)
    )
    chosen = [index for index in chosen if history.learner_ids[index] not in validated]
    if not chosen:
        return 0
    _prepare(ctx, history, year, chosen)
    learners = Learner.objects.select_related("home_centre").in_bulk(
        [history.learner_ids[index] for index in chosen]
    )
    latest = {version.code: version for version in catalogue().latest}
    records = records_of([history.learner_ids[index] for index in chosen])
    groups: dict[tuple[str, str], list[Learner]] = defaultdict(list)
    for index in chosen:
        learner = learners[history.learner_ids[index]]
        plan = cat.plans[history.paths[index].profile.goal_code or ""]
        version = latest[plan.code]
        if evaluate(version.compiled, holdings(records[learner.pk])).satisfied:
            centre = "" if plan.national else learner.home_centre.code
            groups[(plan.code, centre)].append(learner)
    members = _jury_members(ctx)
    held_on = date(year + 1, 7, 3)
    awarded = done = 0
    for (code, centre), group in sorted(groups.items()):
        member = members[centre]
        session = open_jury_session(
            actor=ctx.registrar,
            diploma_code=code,
            held_on=held_on,
            members=[member],
            centre=ctx.centres[centre] if centre else None,
        )
        add_candidates(actor=ctx.registrar, session=session, learners=group)
        awarded += len(award_satisfied(actor=member, session=session))
        for candidate in session.candidates.filter(decision=Decision.PENDING):
            decide(
                actor=member,
                candidate=candidate,
                decision=Decision.DEFER,
                reason="Dossier incomplet",
            )
        close_jury_session(actor=member, session=session)
        done += len(group)
        ctx.report("year juries", len(chosen) + done, 2 * len(chosen))
    ctx.report("year juries", 2 * len(chosen), 2 * len(chosen))
    return awarded
