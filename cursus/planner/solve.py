"""Find the fastest plan to a diploma with CP-SAT, verify it and explain it.

The model has one Boolean per candidate offering (taken or not) and, for every
unit the learner holds or may take, one Boolean per requirement that accepts
it (counted there or not). The rules tree is encoded as the audit engine reads
it: a unit counts for one consuming requirement at most (unit nodes and
credits pools outside shared subtrees), shared subtrees count units without
consuming them, credits pools need their ECTS within ``max_units``, groups
need all, one or ``count`` of their children, the course share bounds the
ECTS validated without assessment, and milestones are facts of the record
(one not yet held is assumed, at a cost, and reported). Offerings of one term
that meet at the same time exclude each other; each term holds at most the
learner's maximum of units and ECTS.

Objectives are solved in turn, each fixed before the next: fewest milestones
assumed, the earliest last term, the fewest ECTS, recommended prior units
before the units they prepare, then the earliest terms, the home centre and
published offerings. One worker, a fixed seed and a deterministic time limit
make the same input give the same plan.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

from cursus.audit.engine import (
    AllNode,
    AnyNode,
    AuditResult,
    ChoiceNeeded,
    ChooseNode,
    CreditsNeeded,
    Diploma,
    MilestoneEntry,
    MilestoneNeeded,
    MilestoneNode,
    Node,
    Record,
    UnitEntry,
    UnitNeeded,
    UnitNode,
    compile_diploma,
    evaluate,
    holdings,
)
from cursus.audit.engine.compiled import ALL, ANY, CHOOSE, CREDITS, MILESTONE, UNIT
from cursus.audit.engine.record import PASS_GRADE
from cursus.audit.engine.solve import milestone_met
from cursus.planner.problem import (
    DISTANCE,
    Candidate,
    Constraints,
    DateBlock,
    PlanTerm,
    Problem,
    TimeSlot,
)

# ECTS are scaled to integers: hundredths of a credit.
SCALE: Final = 100
# Deterministic time (the solver's own unit, about a second) per objective: large
# diplomas get the best plan found in that time, the same on every machine.
STEP_LIMIT: Final = 0.5
SEED: Final = 7
WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _weekday(day: int) -> str:
    names = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
    return names[day]


def when(candidate: Candidate) -> str:
    """Return an offering's weekly classes as written: Tue 18:00–21:00, Thu 18:00–21:00."""
    parts = [f"{_weekday(slot.weekday)} {slot.hours}" for slot in candidate.slots]
    parts.extend(f"{block.starts_on:%d/%m}–{block.ends_on:%d/%m}" for block in candidate.blocks)
    if not parts:
        return _("no weekly class") if candidate.formula == DISTANCE else _("no timetable yet")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an offering was chosen over another: a kind and what the sentence names."""

    kind: str
    alternative: Candidate | None = None
    other: str = ""
    term_label: str = ""

    def text(self) -> str:
        """Say the reason in the active language."""
        alt = self.alternative
        where = (
            _("%(centre)s's offering in %(term)s")
            % {"centre": alt.centre_name, "term": self.term_label}
            if alt is not None
            else ""
        )
        match self.kind:
            case "clash":
                return _("%(where)s clashes with %(unit)s") % {"where": where, "unit": self.other}
            case "full":
                return _("%(where)s falls in a term already full") % {"where": where}
            case "prior":
                return _("%(unit)s, recommended before it, comes first") % {"unit": self.other}
            case "centre":
                return _("%(where)s is at a centre you did not choose") % {"where": where}
            case "formula":
                return _("%(where)s is under a formula you did not accept") % {"where": where}
            case "time":
                return _("%(where)s meets when you are not free") % {"where": where}
            case "skip":
                return _("%(where)s falls in a term you skip") % {"where": where}
            case "closed":
                return _("%(where)s is no longer open for enrolment") % {"where": where}
            case "home":
                return _("it is taught at your home centre")
            case "published":
                return _("its offering is published, not a forecast")
            case "earliest":
                return _("it is the first offering that fits your constraints")
        return _("it keeps the plan balanced")


@dataclass(frozen=True, slots=True)
class PlannedOffering:
    """An offering of the plan and why it was chosen."""

    candidate: Candidate
    term: PlanTerm
    reasons: tuple[Reason, ...]

    def explanation(self) -> str:
        """Say where and when the unit is taken, and why."""
        c = self.candidate
        head = _("%(unit)s is taken in %(term)s at %(centre)s (%(when)s)") % {
            "unit": c.unit,
            "term": self.term.label,
            "centre": c.centre_name,
            "when": when(c),
        }
        if not self.reasons:
            return head
        return _("%(head)s because %(reasons)s.") % {
            "head": head,
            "reasons": "; ".join(reason.text() for reason in self.reasons),
        }


@dataclass(frozen=True, slots=True)
class PlannedTerm:
    """One term of a plan and its offerings."""

    term: PlanTerm
    offerings: tuple[PlannedOffering, ...]

    @property
    def ects(self) -> float:
        """Return the ECTS the term's units carry."""
        return sum(o.candidate.ects for o in self.offerings)


@dataclass(frozen=True, slots=True)
class Obstacle:
    """Something that prevents a plan, and the constraint to relax if one would help."""

    kind: str
    text: str
    requirement: str = ""
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A constraint relaxed and what the plan would then be."""

    constraint: str
    text: str
    finishes: PlanTerm | None


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan to a diploma, or why there is none."""

    diploma: Diploma
    feasible: bool
    terms: tuple[PlannedTerm, ...]
    # The diploma's audit once every planned unit is passed.
    audit: AuditResult
    # What the rules require that no offering gives (experience, a project): (requirement, text).
    outside: tuple[tuple[str, str], ...] = ()
    obstacles: tuple[Obstacle, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    # The units the learner held, and the offerings they were enrolled in, when planning.
    held: frozenset[str] = frozenset()
    enrolled: frozenset[int] = frozenset()
    seconds: float = 0.0
    status: str = ""
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def finishes(self) -> PlanTerm | None:
        """Return the last term of the plan."""
        return self.terms[-1].term if self.terms else None

    @property
    def next_term(self) -> PlannedTerm | None:
        """Return the first term of the plan open for enrolment and not all enrolled in yet."""
        for planned in self.terms:
            waiting = (o.candidate.offering_id not in self.enrolled for o in planned.offerings)
            if planned.term.open and not planned.term.projected and any(waiting):
                return planned
        return None

    @property
    def ects(self) -> float:
        """Return the ECTS the plan adds."""
        return sum(t.ects for t in self.terms)

    @property
    def offerings(self) -> list[PlannedOffering]:
        """Return every offering of the plan, term by term."""
        return [o for t in self.terms for o in t.offerings]

    def as_json(self, lang: str = "en") -> dict[str, object]:
        """Return the plan as the command line and the API give it."""
        return {
            "diploma": {"code": self.diploma.code, "version": self.diploma.version},
            "feasible": self.feasible,
            # False when the solver's time ran out first: the plan holds, a faster one may exist.
            "proven_best": self.status == "OPTIMAL",
            "finishes": self.finishes.code if self.finishes else None,
            "ects": self.ects,
            "terms": [
                {
                    "term": t.term.code,
                    "label": t.term.label,
                    "projected": t.term.projected,
                    "offerings": [
                        {
                            "unit": o.candidate.unit,
                            "ects": o.candidate.ects,
                            "offering": o.candidate.offering_id,
                            "centre": o.candidate.centre,
                            "formula": o.candidate.formula,
                            "published": o.candidate.published,
                            "slots": [
                                {
                                    "weekday": WEEKDAYS[s.weekday].lower(),
                                    "starts_at": s.hours.split("–")[0],
                                    "ends_at": s.hours.split("–")[1],
                                }
                                for s in o.candidate.slots
                            ],
                            "blocks": [
                                {
                                    "starts_on": b.starts_on.isoformat(),
                                    "ends_on": b.ends_on.isoformat(),
                                }
                                for b in o.candidate.blocks
                            ],
                            "why": o.explanation(),
                        }
                        for o in t.offerings
                    ],
                }
                for t in self.terms
            ],
            "outside_courses": [{"node": node, "text": text} for node, text in self.outside],
            "obstacles": [
                {
                    "kind": o.kind,
                    "text": o.text,
                    "requirement": o.requirement,
                    "units": list(o.units),
                }
                for o in self.obstacles
            ],
            "suggestions": [
                {
                    "constraint": s.constraint,
                    "text": s.text,
                    "finishes": s.finishes.code if s.finishes else None,
                }
                for s in self.suggestions
            ],
            "audit": self.audit.as_json(lang),
        }


@dataclass(slots=True)
class _Item:
    """A unit that may count: held already (``have`` is None) or to take."""

    code: str
    ects: float
    assessed: bool
    targets: tuple[int, ...]
    consuming: tuple[int, ...]
    have: cp_model.IntVar | None = None


@dataclass(slots=True)
class _Built:
    model: cp_model.CpModel
    taken: dict[int, cp_model.IntVar]
    objectives: list[cp_model.LinearExprT]
    # Milestones (by requirement key) and activity units (by code) assumed earned outside courses.
    assumed: dict[str, cp_model.IntVar]


def eligible(
    problem: Problem, constraints: Constraints
) -> tuple[list[Candidate], list[tuple[Candidate, str]]]:
    """Split the candidates worth considering into those allowed and those refused, with why."""
    cd = compile_diploma(problem.diploma)
    held = problem.holdings.by_code
    codes = {term.index: term.code for term in problem.terms}
    closed = {term.index for term in problem.terms if not term.open}
    allowed: list[Candidate] = []
    refused: list[tuple[Candidate, str]] = []
    for candidate in problem.candidates:
        if candidate.unit in held or not cd.accepts(candidate.unit, candidate.department):
            continue
        if candidate.offering_id in problem.enrolled:
            allowed.append(candidate)
            continue
        why = (
            "closed"
            if candidate.term in closed
            else constraints.refusal(candidate, codes[candidate.term])
        )
        if why is None:
            allowed.append(candidate)
        else:
            refused.append((candidate, why))
    return allowed, refused


def _build(problem: Problem, constraints: Constraints, candidates: Sequence[Candidate]) -> _Built:
    cd = compile_diploma(problem.diploma)
    hold = problem.holdings
    model = cp_model.CpModel()
    size = len(cd.nodes)

    items: list[_Item] = []
    for acq in hold.acquisitions:
        targets, consuming, floored = cd.lookup(acq.code, acq.department)
        if floored:
            targets, consuming = cd.above_floors(targets, acq.grade)
        if targets:
            items.append(_Item(acq.code, acq.ects, acq.assessed, targets, consuming))

    taken = {i: model.new_bool_var(f"x{i}") for i in range(len(candidates))}
    for i, candidate in enumerate(candidates):
        if candidate.offering_id in problem.enrolled:
            model.add(taken[i] == 1)
    by_unit: dict[str, list[int]] = defaultdict(list)
    for i, candidate in enumerate(candidates):
        by_unit[candidate.unit].append(i)
    for code in sorted(by_unit):
        group = by_unit[code]
        first = candidates[group[0]]
        targets, consuming, _floored = cd.lookup(code, first.department)
        took = model.new_bool_var(f"took_{code}")
        model.add(sum(taken[i] for i in group) == took)
        items.append(_Item(code, first.ects, True, targets, consuming, took))

    # Activity units (a project, experience) are earned outside the offerings: assumed, at a cost.
    assumed: dict[str, cp_model.IntVar] = {}
    for code in sorted(problem.activity_units - hold.by_code.keys() - by_unit.keys()):
        targets, consuming, _floored = cd.lookup(code, None)
        if targets:
            have = model.new_bool_var(f"activity_{code}")
            assumed[code] = have
            items.append(_Item(code, 0.0, True, targets, consuming, have))

    counts: list[list[tuple[cp_model.IntVar, float, bool]]] = [[] for _ in range(size)]
    for k, item in enumerate(items):
        placed = []
        for n in item.targets:
            y = model.new_bool_var(f"y{k}_{n}")
            if item.have is not None:
                model.add_implication(y, item.have)
            counts[n].append((y, item.ects, item.assessed))
            if n in item.consuming:
                placed.append((y, item))
        if len(placed) > 1:
            model.add_at_most_one(y for y, _item in placed)

    met = [model.new_bool_var(f"met{n}") for n in range(size)]
    share_terms: list[cp_model.LinearExprT] = []
    for n in range(size):
        kind = cd.kind[n]
        node = cd.nodes[n]
        if kind == UNIT:
            model.add(sum(y for y, _e, _a in counts[n]) >= met[n])
        elif kind == CREDITS:
            need = round(cd.need[n] * SCALE)
            model.add(sum(y * round(e * SCALE) for y, e, _a in counts[n]) >= need).only_enforce_if(
                met[n]
            )
            if cd.cap[n] < len(counts[n]):
                model.add(sum(y for y, _e, _a in counts[n]) <= cd.cap[n])
        elif kind == ALL:
            for c in cd.children[n]:
                model.add_implication(met[n], met[c])
        elif kind == ANY:
            model.add(sum(met[c] for c in cd.children[n]) >= met[n])
        elif kind == CHOOSE:
            model.add(sum(met[c] for c in cd.children[n]) >= round(cd.need[n])).only_enforce_if(
                met[n]
            )
        elif (
            kind == MILESTONE and isinstance(node, MilestoneNode) and not milestone_met(node, hold)
        ):
            assumed[cd.keys[n]] = met[n]
    model.add(met[0] == 1)
    if cd.share > 0:
        share = round(cd.share * 1000)
        for n in cd.consumers:
            share_terms.extend(
                y * (round(ects * SCALE) * ((1000 if assessed else 0) - share))
                for y, ects, assessed in counts[n]
            )
        model.add(sum(share_terms) >= 0)

    # Offerings of one term that meet at the same time exclude each other.
    by_term: dict[int, list[int]] = defaultdict(list)
    for i, candidate in enumerate(candidates):
        by_term[candidate.term].append(i)
    for group in by_term.values():
        _exclude_clashes(model, taken, candidates, group, problem.enrolled)
        # What the learner is already enrolled in counts, even beyond their pace.
        enrolled_here = sum(1 for i in group if candidates[i].offering_id in problem.enrolled)
        if constraints.max_units is not None:
            model.add(sum(taken[i] for i in group) <= max(constraints.max_units, enrolled_here))
        if constraints.max_ects is not None:
            model.add(
                sum(taken[i] * round(candidates[i].ects * SCALE) for i in group)
                <= round(constraints.max_ects * SCALE)
            )

    last = max((t.index for t in problem.terms), default=0)
    finish = model.new_int_var(-1, last, "finish")
    for i, candidate in enumerate(candidates):
        model.add(finish >= candidate.term).only_enforce_if(taken[i])
    total_ects = sum(taken[i] * round(c.ects * SCALE) for i, c in enumerate(candidates))

    # A recommended prior unit planned too should come in an earlier term.
    term_of: dict[str, cp_model.LinearExprT] = {
        code: sum(taken[i] * candidates[i].term for i in group) for code, group in by_unit.items()
    }
    took_of = {
        code: item.have
        for item in items
        if item.have is not None and (code := item.code) in by_unit
    }
    late = []
    for code in sorted(by_unit):
        for prior in problem.recommended_prior.get(code, ()):
            if prior in took_of and prior != code:
                penalty = model.new_bool_var(f"late_{prior}_{code}")
                model.add(term_of[prior] < term_of[code]).only_enforce_if(
                    [took_of[prior], took_of[code], penalty.Not()]
                )
                late.append(penalty)

    home = problem.home_centre
    preference = sum(
        taken[i]
        * (
            c.term * 100
            + (0 if c.published else 20)
            + (0 if c.centre == home or c.formula == DISTANCE else 10)
        )
        for i, c in enumerate(candidates)
    )
    # Any preference is worth less than one recommended order kept.
    worst = sum(
        max(c.term * 100 + 30 for c in (candidates[i] for i in group)) for group in by_unit.values()
    )
    objectives: list[cp_model.LinearExprT] = [
        sum(assumed.values()),
        finish,
        total_ects,
        sum(late) * (worst + 1) + preference,
    ]
    return _Built(model, taken, objectives, assumed)


def _exclude_clashes(
    model: cp_model.CpModel,
    taken: dict[int, cp_model.IntVar],
    candidates: Sequence[Candidate],
    group: Sequence[int],
    enrolled: frozenset[int],
) -> None:
    """Forbid two offerings of one term that meet at the same time.

    Offerings sharing a weekly class (or a block of dates) form a clique: at
    most one of them. Two cliques whose classes overlap share the same bound.
    Offerings already enrolled in may clash between themselves (the learner
    chose so), never with a new one.
    """
    fresh = [i for i in group if candidates[i].offering_id not in enrolled]
    kept = [i for i in group if candidates[i].offering_id in enrolled]
    slots: dict[TimeSlot, list[int]] = defaultdict(list)
    blocks: dict[DateBlock, list[int]] = defaultdict(list)
    for i in fresh:
        for slot in candidates[i].slots:
            slots[slot].append(i)
        for block in candidates[i].blocks:
            blocks[block].append(i)
    _cliques(model, taken, slots)
    _cliques(model, taken, blocks)
    for i in kept:
        for j in fresh:
            if candidates[i].clashes(candidates[j]):
                model.add_implication(taken[i], taken[j].Not())


def _cliques(
    model: cp_model.CpModel,
    taken: dict[int, cp_model.IntVar],
    table: dict[TimeSlot, list[int]] | dict[DateBlock, list[int]],
) -> None:
    keys: list[Any] = sorted(table, key=repr)
    for k, key in enumerate(keys):
        members = table[key]
        if len(members) > 1:
            model.add_at_most_one(taken[i] for i in members)
        for other in keys[k + 1 :]:
            if key.overlaps(other):
                model.add(sum(taken[i] for i in sorted({*members, *table[other]})) <= 1)


def _solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = STEP_LIMIT
    return solver


def _solve(
    built: _Built, *, stages: int | None = None
) -> tuple[str, dict[int, bool], frozenset[str]]:
    """Minimise the objectives in turn; return the status, the offerings taken, what is assumed."""
    model = built.model
    solver = _solver()
    chosen: dict[int, bool] = {}
    assumed: frozenset[str] = frozenset()
    status_name = "INFEASIBLE"
    for objective in built.objectives[: stages or len(built.objectives)]:
        model.minimize(objective)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if not chosen:
                return solver.status_name(status), {}, frozenset()
            break
        status_name = solver.status_name(status)
        value = round(solver.objective_value)
        chosen = {i: bool(solver.value(var)) for i, var in built.taken.items()}
        assumed = frozenset(key for key, var in built.assumed.items() if solver.value(var))
        model.clear_hints()  # type: ignore[no-untyped-call]
        for i, var in built.taken.items():
            model.add_hint(var, chosen[i])
        if status == cp_model.OPTIMAL:
            model.add(objective == value)
        else:
            model.add(objective <= value)
    return status_name, chosen, assumed


def _planned_grade(problem: Problem, code: str, department: str | None) -> float:
    """Return the grade a planned unit is assumed to reach: a pass, or the floor it needs."""
    cd = compile_diploma(problem.diploma)
    targets = cd.lookup(code, department)[0]
    floors = [f for n in targets if (f := cd.grade_floor[n]) is not None]
    return max([PASS_GRADE, *floors])


def outside_keys(problem: Problem) -> frozenset[str]:
    """Return what may be earned outside courses: milestones not held, activity units named."""
    cd = compile_diploma(problem.diploma)
    milestones = {
        cd.keys[n]
        for n in cd.milestones
        if isinstance(node := cd.nodes[n], MilestoneNode)
        and not milestone_met(node, problem.holdings)
    }
    activities = {
        code
        for code in problem.activity_units - problem.holdings.by_code.keys()
        if cd.lookup(code, None)[0]
    }
    return frozenset(milestones | activities)


def _assumed_entries(
    problem: Problem, assume: Iterable[str]
) -> tuple[list[UnitEntry], list[MilestoneEntry]]:
    cd = compile_diploma(problem.diploma)
    units: list[UnitEntry] = []
    milestones: list[MilestoneEntry] = []
    for key in sorted(assume):
        if key in cd.keys:
            node = cd.nodes[cd.keys.index(key)]
            if isinstance(node, MilestoneNode):
                milestones.append(
                    MilestoneEntry(
                        kind=node.kind,
                        years=node.years or 0.0,
                        in_field_years=node.in_field_years or 0.0,
                        language=node.language,
                        level=node.level,
                    )
                )
                continue
        units.append(UnitEntry(code=key, ects=0.0, grade=20.0))
    return units, milestones


def audit_with(
    problem: Problem, planned: Sequence[Candidate], *, assume: Iterable[str] = ()
) -> AuditResult:
    """Return the diploma's audit once the planned units are passed.

    ``assume`` names milestones (by requirement) and activity units (by code)
    to count as earned outside courses.
    """
    record = problem.holdings.record
    extra_units, extra_milestones = _assumed_entries(problem, assume)
    entries = tuple(
        UnitEntry(
            code=c.unit,
            ects=c.ects,
            grade=_planned_grade(problem, c.unit, c.department),
            department=c.department,
        )
        for c in planned
    )
    extended = Record(
        units=(*record.units, *entries, *extra_units),
        milestones=(*record.milestones, *extra_milestones),
        learner=record.learner,
    )
    return evaluate(problem.diploma, holdings(extended))


def _reasons(
    problem: Problem,
    *,
    chosen: Candidate,
    plan: Sequence[Candidate],
    allowed: Sequence[Candidate],
    refused: Sequence[tuple[Candidate, str]],
    constraints: Constraints,
) -> tuple[Reason, ...]:
    labels = {t.index: t.label for t in problem.terms}
    reasons: list[Reason] = []
    seen: set[tuple[int, str, str]] = set()

    def fresh(c: Candidate) -> bool:
        key = (c.term, c.centre, c.formula)
        if key in seen or (c.term, c.centre, c.formula) == (
            chosen.term,
            chosen.centre,
            chosen.formula,
        ):
            return False
        seen.add(key)
        return True

    per_term: dict[int, list[Candidate]] = defaultdict(list)
    for c in plan:
        per_term[c.term].append(c)
    others = sorted(
        (
            c
            for c in allowed
            if c.unit == chosen.unit and c.term <= chosen.term and c.ref != chosen.ref
        ),
        key=lambda c: (c.term, c.centre_name, c.ref),
    )
    for alt in others:
        if not fresh(alt):
            continue
        label = labels[alt.term]
        partner = next(
            (d for d in per_term[alt.term] if d.unit != chosen.unit and alt.clashes(d)), None
        )
        if partner is not None:
            reasons.append(Reason("clash", alt, partner.unit, label))
            continue
        load = [d for d in per_term[alt.term] if d.unit != chosen.unit]
        if (constraints.max_units is not None and len(load) >= constraints.max_units) or (
            constraints.max_ects is not None
            and sum(d.ects for d in load) + alt.ects > constraints.max_ects
        ):
            reasons.append(Reason("full", alt, "", label))
            continue
        if alt.term < chosen.term:
            prior = next(
                (
                    d.unit
                    for d in plan
                    if d.unit in problem.recommended_prior.get(chosen.unit, ())
                    and d.term >= alt.term
                ),
                None,
            )
            reasons.append(
                Reason("prior", alt, prior, label) if prior else Reason("balanced", alt, "", label)
            )
        elif chosen.centre == problem.home_centre and alt.centre != problem.home_centre:
            reasons.append(Reason("home"))
        elif chosen.published and not alt.published:
            reasons.append(Reason("published"))
        if len(reasons) >= 3:
            break
    for alt, why in sorted(refused, key=lambda r: (r[0].term, r[0].centre_name, r[0].ref)):
        if len(reasons) >= 3:
            break
        if alt.unit == chosen.unit and alt.term <= chosen.term and fresh(alt):
            reasons.append(Reason(why, alt, "", labels[alt.term]))
    if not reasons:
        reasons.append(Reason("earliest"))
    return tuple(dict.fromkeys(reasons))


RELAXATIONS: Final = ("centres", "formulas", "windows", "max_units", "skip_terms")


def _relaxed(constraints: Constraints, name: str) -> Constraints | None:
    """Return the constraints with one of them lifted, or None when it was not set."""
    match name:
        case "centres":
            return replace(constraints, centres=None) if constraints.centres is not None else None
        case "formulas":
            return replace(constraints, formulas=None) if constraints.formulas is not None else None
        case "windows":
            return replace(constraints, windows=None) if constraints.windows is not None else None
        case "max_units":
            if constraints.max_units is None and constraints.max_ects is None:
                return None
            return replace(constraints, max_units=None, max_ects=None)
        case "skip_terms":
            return replace(constraints, skip_terms=frozenset()) if constraints.skip_terms else None
    return None


def _suggestion_text(name: str, finishes: PlanTerm | None) -> str:
    term = finishes.label if finishes else ""
    texts = {
        "centres": _("Accept any centre: the diploma could be finished in %(term)s."),
        "formulas": _("Accept every formula (daytime, institute, distance): finished in %(term)s."),
        "windows": _("Free more weekdays or times: finished in %(term)s."),
        "max_units": _("Take more units per term: finished in %(term)s."),
        "skip_terms": _("Skip no term: finished in %(term)s."),
    }
    return texts[name] % {"term": term}


def earliest_finish(problem: Problem, constraints: Constraints) -> tuple[bool, PlanTerm | None]:
    """Return whether a plan exists under ``constraints``, and its earliest last term."""
    allowed, _refused = eligible(problem, constraints)
    built = _build(problem, constraints, allowed)
    status, chosen, _assumed = _solve(built, stages=2)
    if not chosen and status not in ("OPTIMAL", "FEASIBLE"):
        return False, None
    used = [allowed[i].term for i, on in chosen.items() if on]
    return True, problem.terms[max(used)] if used else None


def _lang() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _codes_named(reason: Reason | object) -> tuple[str, ...]:
    """Return the unit codes a missing requirement names."""
    if isinstance(reason, UnitNeeded):
        return (reason.code, *reason.equivalents)
    if isinstance(reason, CreditsNeeded):
        return tuple(reason.selector.units)
    if isinstance(reason, ChoiceNeeded):
        found: list[str] = []
        stack: list[Node] = list(reason.options)
        while stack:
            node = stack.pop(0)
            if isinstance(node, UnitNode):
                found.append(node.code)
            elif isinstance(node, AllNode | AnyNode | ChooseNode):
                stack.extend(node.children)
        return tuple(found)
    return ()


def _obstacles(
    problem: Problem, allowed: Sequence[Candidate], refused: Sequence[tuple[Candidate, str]]
) -> list[Obstacle]:
    """Say which requirement cannot be met and why, reading the audit with every allowed unit."""
    best: dict[str, Candidate] = {}
    for c in allowed:
        best.setdefault(c.unit, c)
    everything = audit_with(problem, list(best.values()), assume=outside_keys(problem))
    offered = {c.unit for c in problem.candidates}
    refusals: dict[str, set[str]] = defaultdict(set)
    for c, why in refused:
        refusals[c.unit].add(why)
    words = {
        "centre": _("at a centre you can reach"),
        "formula": _("under a formula you accept"),
        "time": _("when you are free"),
        "skip": _("outside the terms you skip"),
        "closed": _("in a term still open for enrolment"),
    }
    places: dict[str, set[str]] = defaultdict(set)
    for c, _why in refused:
        places[c.unit].add(c.centre_name)
    found: list[Obstacle] = []
    for missing in everything.missing:
        codes = _codes_named(missing.reason)
        detail = []
        for code in codes:
            if code not in offered:
                detail.append(_("%(unit)s has no offering in the terms planned") % {"unit": code})
            elif code in refusals:
                detail.append(
                    _("%(unit)s is offered (%(where)s), but not %(how)s")
                    % {
                        "unit": code,
                        "where": ", ".join(sorted(places[code])[:4]),
                        "how": _(" or ").join(str(words[w]) for w in sorted(refusals[code])),
                    }
                )
        text = missing.text(_lang())
        if detail:
            text = f"{text} — {'; '.join(detail)}"
        kind = "milestone" if isinstance(missing.reason, MilestoneNeeded) else "requirement"
        found.append(Obstacle(kind, text, missing.node, codes))
    if not found:
        found.append(
            Obstacle(
                "timetable",
                _(
                    "Every requirement has an offering you can take, but not all fit the "
                    "terms planned: their classes clash or the terms are full."
                ),
            )
        )
    return found


def _outside_texts(
    problem: Problem, audit: AuditResult, assumed: frozenset[str]
) -> list[tuple[str, str]]:
    """Say what the plan leaves to earn outside courses, as the audit words it where it can."""
    lang = _lang()
    said = {m.node: m.text(lang) for m in audit.missing}
    found = []
    for key in sorted(assumed):
        if key in said:
            found.append((key, said[key]))
        elif key in problem.activity_units:
            text = _("%(unit)s, an activity unit earned outside the courses") % {"unit": key}
            found.append((key, text))
        else:
            found.append((key, _("%(requirement)s, outside the courses") % {"requirement": key}))
    return found


def make_plan(problem: Problem) -> Plan:
    """Return the fastest plan to the diploma under the learner's constraints, or why not."""
    started = time.perf_counter()
    constraints = problem.constraints
    allowed, refused = eligible(problem, constraints)
    built = _build(problem, constraints, allowed)
    status, chosen, assumed = _solve(built)
    stats = {"candidates": len(problem.candidates), "allowed": len(allowed)}
    if not chosen and status not in ("OPTIMAL", "FEASIBLE"):
        obstacles = _obstacles(problem, allowed, refused)
        suggestions = []
        for name in RELAXATIONS:
            relaxed = _relaxed(constraints, name)
            if relaxed is None:
                continue
            feasible, finishes = earliest_finish(problem, relaxed)
            if feasible:
                suggestions.append(Suggestion(name, _suggestion_text(name, finishes), finishes))
        return Plan(
            diploma=problem.diploma,
            feasible=False,
            terms=(),
            audit=evaluate(problem.diploma, problem.holdings),
            obstacles=tuple(obstacles),
            suggestions=tuple(suggestions),
            held=frozenset(problem.holdings.by_code),
            enrolled=problem.enrolled,
            seconds=time.perf_counter() - started,
            status=status,
            stats=stats,
        )
    plan = sorted(
        (allowed[i] for i, on in chosen.items() if on), key=lambda c: (c.term, c.unit, c.ref)
    )
    terms_by_index = {t.index: t for t in problem.terms}
    planned_terms: list[PlannedTerm] = []
    for index in sorted({c.term for c in plan}):
        term = terms_by_index[index]
        planned_terms.append(
            PlannedTerm(
                term,
                tuple(
                    PlannedOffering(
                        c,
                        term,
                        _reasons(
                            problem,
                            chosen=c,
                            plan=plan,
                            allowed=allowed,
                            refused=refused,
                            constraints=constraints,
                        ),
                    )
                    for c in plan
                    if c.term == index
                ),
            )
        )
    # The engine has the last word: with what is earned outside courses, the plan must satisfy it.
    verified = audit_with(problem, plan, assume=assumed)
    if not verified.satisfied:
        raise AssertionError(
            f"plan for {problem.diploma.code} fails the audit: "
            + "; ".join(m.text("en") for m in verified.missing)
        )
    audit = audit_with(problem, plan)
    outside = _outside_texts(problem, audit, assumed)
    return Plan(
        diploma=problem.diploma,
        feasible=True,
        terms=tuple(planned_terms),
        audit=audit,
        outside=tuple(outside),
        held=frozenset(problem.holdings.by_code),
        enrolled=problem.enrolled,
        seconds=time.perf_counter() - started,
        status=status,
        stats=stats,
    )
