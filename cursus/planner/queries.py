"""Reads for plans: the terms ahead, the offerings a diploma can use, a learner's problem.

A plan uses the terms whose enrolment has not closed, published offerings and
forecasts, and beyond the catalogue's last year, terms projected from the
latest known year of the same semester: units tend to run in the same
semester year after year, and a plan longer than the catalogue still says
when the diploma could be reached.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.audit.engine import CompiledDiploma, Holdings, holdings
from cursus.audit.queries import (
    DiplomaVersion,
    auditable_learner,
    catalogue,
    closest_diplomas,
    record_of,
)
from cursus.catalogue.models import (
    Centre,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
    Unit,
    UnitKind,
)
from cursus.core.errors import NotFound
from cursus.enrolment.models import ACTIVE_STATUSES, Enrolment, Learner
from cursus.planner.problem import (
    DISTANCE,
    PERIODS,
    Candidate,
    Constraints,
    DateBlock,
    PlanTerm,
    Problem,
    TimeSlot,
)
from cursus.planner.solve import Plan, earliest_finish, make_plan

if TYPE_CHECKING:
    from cursus.audit.queries import Reader

# How many terms a plan looks ahead, projected ones included: four years.
HORIZON: Final = 8


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def plan_terms(today: datetime.date | None = None, horizon: int = HORIZON) -> list[PlanTerm]:
    """Return the terms a plan may use: those still to teach, then projected ones to the horizon."""
    day = today or timezone.localdate()
    # Terms still to teach: one in progress keeps its enrolments, later ones are open.
    known = list(
        Term.objects.filter(ends_on__gte=day)
        .select_related("academic_year")
        .order_by("starts_on")[:horizon]
    )
    found = [
        PlanTerm(
            index=i,
            code=t.code,
            label=t.label,
            starts_on=t.starts_on,
            open=t.enrolment_closes_on >= day,
        )
        for i, t in enumerate(known)
    ]
    if found:
        year, semester = (int(p) for p in found[-1].code.replace("S", "").split("-"))
    else:
        year, semester = (day.year if day.month >= 9 else day.year - 1), 1
    while len(found) < horizon:
        year, semester = (year, 2) if semester == 1 else (year + 1, 1)
        starts = datetime.date(year + 1, 2, 1) if semester == 2 else datetime.date(year, 9, 28)
        found.append(
            PlanTerm(
                index=len(found),
                code=f"{year}-S{semester}",
                label=f"{year}–{year + 1} S{semester}",
                starts_on=starts,
                projected=True,
            )
        )
    return found


def _term_key(code: str) -> tuple[int, int]:
    year, semester = code.split("-S")
    return int(year), int(semester)


@dataclass(frozen=True, slots=True)
class Offerings:
    """The offerings a diploma can use, the units recommended before others, activity units."""

    candidates: list[Candidate]
    prior: dict[str, tuple[str, ...]]
    activities: frozenset[str]


def candidates_for(compiled: CompiledDiploma, terms: Sequence[PlanTerm]) -> Offerings:
    """Return the offerings a diploma can use over ``terms``, and recommended prior units.

    Projected terms repeat the offerings of the latest year known for their
    semester. Five queries, whatever the number of offerings.
    """
    units: dict[str, tuple[int, str]] = {}
    activities = set()
    for code, ects, department, kind in Unit.objects.values_list(
        "code", "ects", "department__slug", "kind"
    ):
        if compiled.accepts(code, department):
            units[code] = (ects, department)
            if kind == UnitKind.ACTIVITY:
                activities.add(code)
    known = {t.code: t for t in terms if not t.projected}
    semesters_known: dict[int, list[str]] = defaultdict(list)
    for code in known:
        semesters_known[_term_key(code)[1]].append(code)
    # Offerings of the latest year of each semester, to project beyond the catalogue.
    latest_year: dict[int, int] = {}
    source_terms: set[tuple[int, int]] = {_term_key(code) for code in known}
    for semester in (1, 2):
        last = (
            Term.objects.filter(semester=semester, offerings__isnull=False)
            .order_by("-academic_year__start_year")
            .values_list("academic_year__start_year", flat=True)
            .first()
        )
        if last is not None:
            latest_year[semester] = last
            source_terms.add((last, semester))
    which = Q(pk__in=[])
    for year, semester in sorted(source_terms):
        which |= Q(term__academic_year__start_year=year, term__semester=semester)
    rows = list(
        Offering.objects.filter(which, unit__code__in=list(units))
        .order_by("pk")
        .values_list(
            "pk",
            "unit__code",
            "term__academic_year__start_year",
            "term__semester",
            "centre__code",
            "centre__name",
            "formula",
            "published",
        )
    )
    ids = [row[0] for row in rows]
    slots: dict[int, list[TimeSlot]] = defaultdict(list)
    for offering_id, weekday, starts, ends in OfferingSlot.objects.filter(
        offering_id__in=ids
    ).values_list("offering_id", "weekday", "starts_at", "ends_at"):
        slots[offering_id].append(TimeSlot(weekday, _minutes(starts), _minutes(ends)))
    blocks: dict[int, list[DateBlock]] = defaultdict(list)
    for offering_id, starts_on, ends_on in OfferingBlock.objects.filter(
        offering_id__in=ids
    ).values_list("offering_id", "starts_on", "ends_on"):
        blocks[offering_id].append(DateBlock(starts_on, ends_on))

    found: list[Candidate] = []
    for term in terms:
        year, semester = _term_key(term.code)
        source = (year, semester) if not term.projected else (latest_year.get(semester), semester)
        shift = year - source[0] if source[0] is not None else 0
        for pk, unit, o_year, o_semester, centre, centre_name, formula, published in rows:
            if (o_year, o_semester) != source:
                continue
            ects, department = units[unit]
            found.append(
                Candidate(
                    ref=f"{term.code}:{pk}",
                    unit=unit,
                    ects=float(ects),
                    term=term.index,
                    centre=centre,
                    centre_name=centre_name,
                    formula=formula,
                    slots=tuple(sorted(slots.get(pk, ()))),
                    # Blocks of dates move with the year they are projected to.
                    blocks=tuple(
                        DateBlock(_shift(b.starts_on, shift), _shift(b.ends_on, shift))
                        for b in blocks.get(pk, ())
                    ),
                    department=department,
                    offering_id=None if term.projected else pk,
                    published=published and not term.projected,
                )
            )
    through = Unit.recommended_prior.through
    prior: dict[str, list[str]] = defaultdict(list)
    for unit, before in through.objects.filter(from_unit__code__in=list(units)).values_list(
        "from_unit__code", "to_unit__code"
    ):
        prior[unit].append(before)
    return Offerings(
        candidates=found,
        prior={code: tuple(sorted(codes)) for code, codes in prior.items()},
        activities=frozenset(activities),
    )


def _shift(day: datetime.date, years: int) -> datetime.date:
    if not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def diploma_version(code: str) -> DiplomaVersion:
    """Return the latest version of a diploma, compiled, or raise NotFound naming the field."""
    versions = catalogue().versions.get(code.strip().upper())
    if not versions:
        raise NotFound(_("No diploma has the code %(code)s.") % {"code": code}, field="diploma")
    return versions[-1]


def learner_for(user: Reader, number: str) -> Learner:
    """Return a learner the user may plan for: themselves, staff in scope, the registrar."""
    return auditable_learner(user, number)


def enrolled_offerings(learner: Learner, terms: Iterable[PlanTerm]) -> frozenset[int]:
    """Return the offerings of the plan's terms the learner is enrolled or waitlisted in."""
    codes = [_term_key(t.code) for t in terms if not t.projected]
    return frozenset(
        pk
        for pk, year, semester in Enrolment.objects.filter(
            learner=learner, status__in=ACTIVE_STATUSES
        ).values_list("offering_id", "term__academic_year__start_year", "term__semester")
        if (year, semester) in codes
    )


@dataclass(frozen=True, slots=True)
class LearnerContext:
    """What every plan of one learner starts from."""

    learner: Learner
    holdings: Holdings
    terms: tuple[PlanTerm, ...]
    enrolled: frozenset[int]


def learner_context(learner: Learner, today: datetime.date | None = None) -> LearnerContext:
    """Return a learner's holdings, the terms ahead and what they are enrolled in."""
    terms = tuple(plan_terms(today))
    return LearnerContext(
        learner=learner,
        holdings=holdings(record_of(learner)),
        terms=terms,
        enrolled=enrolled_offerings(learner, terms),
    )


def problem_for(
    context: LearnerContext, version: DiplomaVersion, constraints: Constraints
) -> Problem:
    """Return the planning problem of one learner, one diploma and their constraints."""
    offerings = candidates_for(version.compiled, context.terms)
    home = context.learner.home_centre.code if context.learner.home_centre_id else None
    return Problem(
        diploma=version.compiled.diploma,
        holdings=context.holdings,
        terms=context.terms,
        candidates=tuple(offerings.candidates),
        constraints=constraints,
        recommended_prior=offerings.prior,
        home_centre=home,
        enrolled=context.enrolled,
        activity_units=offerings.activities,
    )


def plan_for(context: LearnerContext, code: str, constraints: Constraints) -> Plan:
    """Return the plan of one learner to one diploma (by code, latest version)."""
    return make_plan(problem_for(context, diploma_version(code), constraints))


def closest_codes(context: LearnerContext, limit: int = 3) -> list[str]:
    """Return the codes of the diplomas the learner is closest to, closest first."""
    ranked = closest_diplomas(context.learner, limit=limit + 10, held=context.holdings)
    return [c.diploma.code for c in ranked if not c.closeness.satisfied][:limit]


def centres() -> list[tuple[str, str]]:
    """Return the centres a learner may choose, by name, as (code, name)."""
    return list(Centre.objects.order_by("name").values_list("code", "name"))


@dataclass(frozen=True, slots=True)
class Variation:
    """The plan if the learner accepted a little more: distance learning, one more evening."""

    kind: str
    text: str
    plan: Plan


def variations(problem: Problem) -> list[Variation]:
    """Return what changes with distance learning, and with the best extra evening."""
    constraints = problem.constraints
    found = []
    if constraints.formulas is not None and DISTANCE not in constraints.formulas:
        relaxed = replace(constraints, formulas=constraints.formulas | {DISTANCE})
        found.append(
            Variation(
                "distance",
                _("With distance learning"),
                make_plan(replace(problem, constraints=relaxed)),
            )
        )
    if constraints.windows is not None:
        starts, ends = PERIODS["evening"]
        # Each extra evening is tried for the earliest finish only; the best gets a full plan.
        best: tuple[tuple[bool, int, int], tuple[TimeSlot, ...]] | None = None
        for day in range(5):
            if any(
                w.weekday == day and w.starts <= starts and w.ends >= ends
                for w in constraints.windows
            ):
                continue
            windows = tuple(sorted((*constraints.windows, TimeSlot(day, starts, ends))))
            feasible, finishes = earliest_finish(problem, replace(constraints, windows=windows))
            key = (not feasible, finishes.index if finishes is not None else -1, day)
            if best is None or key < best[0]:
                best = (key, windows)
        if best is not None:
            day = best[0][2]
            plan = make_plan(replace(problem, constraints=replace(constraints, windows=best[1])))
            text = _("With one more evening free: %(day)s") % {"day": _day_name(day)}
            found.append(Variation("evening", text, plan))
    return found


def _day_name(day: int) -> str:
    names = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"))
    return str(names[day])


def alternatives(
    context: LearnerContext, constraints: Constraints, *, besides: str, limit: int = 2
) -> list[Plan]:
    """Return plans, under the same constraints, to the diplomas the learner is closest to."""
    codes = [c for c in closest_codes(context, limit=limit + 1) if c != besides.upper()][:limit]
    return [plan_for(context, code, constraints) for code in codes]


def target_code(context: LearnerContext, code: str) -> str:
    """Return the diploma asked for, or the closest one when none is, or raise NotFound."""
    if code.strip():
        return code.strip().upper()
    closest = closest_codes(context, limit=1)
    if not closest:
        raise NotFound(_("No diploma is close enough to plan for: name one."), field="diploma")
    return closest[0]
