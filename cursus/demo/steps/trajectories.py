"""Each simulated learner's path, year by year: what they take, how they fare, when they stop.

A path is drawn from the inputs of ``steps.population``: the learner starts in
some September, with a main formula, a department, a pace, a chance of
passing and perhaps a diploma in mind. Each year they take ``pace`` units of
their study plan (failed units first, spread over the two semesters), pass or
fail each at the first session, sometimes retry at the second; they come back
next year with the formula's return rate, leave on completing their diploma
or at the end of an institute's programme, and a few move to another centre.

Paths speak of plan steps, not units: step ``k`` is the ``k``-th unit of the
learner's study plan, which ``steps.history`` draws from the catalogue
(the units the intended diploma needs, then others of the department). The
generator is pure (random numbers in, frozen dataclasses out), so its
distributions are tested on thousands of learners without a database.

Entrants come every year from ``LONGEST_STAY`` years before the history
begins; only those still studying in the history's years are kept. Their
units passed before the history begins are known (the path holds them) and
are brought into the record as equivalences when they count for a diploma.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from cursus.demo.steps import population as pop

# How a learner with a diploma in mind gets a concrete one: (kind, department, rng) ->
# (diploma code, number of units its plan needs).
GoalChooser = Callable[[str, str, random.Random], tuple[str, int]]
# Entrants a year at scale 1.0, set so that about ACTIVE_LEARNERS study in a steady year.
ENTRANTS_AT_FULL_SCALE = 32_000


@dataclass(frozen=True, slots=True)
class Profile:
    """What a learner brings when they start: formula, department, pace, aims."""

    formula: str
    department: str
    first_year: int
    pace: int
    pass_rate: float
    goal_kind: str | None
    goal_code: str | None
    plan_length: int | None
    moves_in: int | None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One enrolment: the plan step, when and how it was taught, and the marks."""

    year: int
    semester: int
    formula: str
    step: int
    first: str
    second: str | None = None

    @property
    def passed(self) -> bool:
        """Tell whether either session's mark is at least 10."""
        return _passes(self.first) or (self.second is not None and _passes(self.second))


@dataclass(frozen=True, slots=True)
class Trajectory:
    """A learner's whole path: their profile, every attempt, and how it ended."""

    profile: Profile
    attempts: tuple[Attempt, ...]
    last_year: int
    completed_in: int | None

    def years(self) -> set[int]:
        """Return the academic years in which the learner took at least one unit."""
        return {attempt.year for attempt in self.attempts}

    def attempts_in(self, year: int) -> list[Attempt]:
        """Return the attempts of one academic year."""
        return [attempt for attempt in self.attempts if attempt.year == year]

    def passed_before(self, year: int) -> list[int]:
        """Return the plan steps passed before an academic year."""
        return sorted({a.step for a in self.attempts if a.year < year and a.passed})


def _passes(mark: str) -> bool:
    return mark != "ABS" and float(mark) >= 10


def _typical_goal(kind: str, _department: str, _rng: random.Random) -> tuple[str, int]:
    return kind, pop.TYPICAL_UNITS[kind]


def _weighted(rng: random.Random, weights: dict[str, float] | dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def draw_profile(
    rng: random.Random, first_year: int, goals: GoalChooser = _typical_goal
) -> Profile:
    """Draw what a learner starting in ``first_year`` brings."""
    formula = _weighted(rng, pop.MAIN_FORMULA_SHARES)
    department = _weighted(rng, pop.DEPARTMENT_WEIGHTS)
    institute = formula == pop.INSTITUTE
    paces = pop.INSTITUTE_PACE_WEIGHTS if institute else pop.EVENING_PACE_WEIGHTS
    pace = rng.choices(range(1, len(paces) + 1), paces)[0]
    pass_rate = min(0.97, max(0.2, rng.gauss(pop.PASS_RATE[formula], 0.1)))
    goal_kind = goal_code = None
    plan_length = None
    if rng.random() < pop.GOAL_SHARE[formula]:
        goal_kind = _weighted(rng, pop.GOAL_KIND_WEIGHTS)
        goal_code, plan_length = goals(goal_kind, department, rng)
    moves_in = first_year + rng.randint(1, 4) if rng.random() < pop.MOVE_SHARE else None
    return Profile(
        formula=formula,
        department=department,
        first_year=first_year,
        pace=pace,
        pass_rate=pass_rate,
        goal_kind=goal_kind,
        goal_code=goal_code,
        plan_length=plan_length,
        moves_in=moves_in,
    )


def _formula_of_unit(rng: random.Random, main: str) -> str:
    """Return the formula of one unit: mostly the main one, sometimes at a distance."""
    if main == pop.EVENING:
        return pop.DISTANCE if rng.random() < pop.EVENING_DISTANCE_SHARE else pop.EVENING
    if main in {pop.DISTANCE, pop.DAYTIME}:
        return main if rng.random() < 0.8 else pop.EVENING
    return main


def _mark(rng: random.Random, passing: bool) -> str:
    if passing:
        grade = rng.uniform(10, 17.5)
    elif rng.random() < pop.ABSENT_SHARE:
        return "ABS"
    else:
        grade = rng.uniform(2, 9.75)
    return f"{round(grade * 4) / 4:.2f}"


def walk(rng: random.Random, profile: Profile, until: int) -> Trajectory:
    """Lay out a learner's attempts from their first year to ``until`` at the latest."""
    attempts: list[Attempt] = []
    pending: list[int] = []
    next_step = 0
    length = profile.plan_length
    year = profile.first_year
    completed_in = None
    while year <= until:
        failed: list[int] = []
        for _ in range(profile.pace):
            if pending:
                step = pending.pop(0)
            elif length is None or next_step < length:
                step, next_step = next_step, next_step + 1
            else:
                break
            first = _mark(rng, rng.random() < profile.pass_rate)
            second = None
            if not _passes(first) and rng.random() < pop.SESSION_TWO_SHARE:
                second = _mark(rng, rng.random() < pop.SESSION_TWO_PASS_RATE)
            attempt = Attempt(
                year=year,
                semester=rng.choice((1, 2)),
                formula=_formula_of_unit(rng, profile.formula),
                step=step,
                first=first,
                second=second,
            )
            attempts.append(attempt)
            if not attempt.passed:
                failed.append(step)
        # A unit failed this year is taken again next year, before any new one.
        pending += failed
        if length is not None and next_step >= length and not pending:
            completed_in = year
            if rng.random() < pop.LEAVE_AFTER_DIPLOMA:
                break
            length = None
        if not _returns(rng, profile, year):
            break
        year += 1
    last = attempts[-1].year if attempts else profile.first_year
    return Trajectory(
        profile=profile, attempts=tuple(attempts), last_year=last, completed_in=completed_in
    )


def _returns(rng: random.Random, profile: Profile, year: int) -> bool:
    if profile.formula == pop.INSTITUTE:
        in_programme = year - profile.first_year + 1 < pop.INSTITUTE_PROGRAMME_YEARS
        return in_programme and rng.random() >= pop.INSTITUTE_DROPOUT_RATE
    if profile.goal_kind is not None:
        return rng.random() < pop.GOAL_RETURN_RATE[profile.goal_kind]
    return rng.random() < pop.EVENING_RETURN_RATE


def entrants(scale: float) -> int:
    """Return how many learners start each year at a scale."""
    return max(1, round(ENTRANTS_AT_FULL_SCALE * scale))


def simulate(
    rng: random.Random,
    *,
    scale: float,
    first_year: int,
    last_year: int,
    goals: GoalChooser = _typical_goal,
) -> list[Trajectory]:
    """Return the paths of everyone who studies between two academic years, in start order.

    Entrants start every year from ``LONGEST_STAY`` years before ``first_year``;
    those who left before it are dropped.
    """
    kept: list[Trajectory] = []
    for start in range(first_year - pop.LONGEST_STAY, last_year + 1):
        for _ in range(entrants(scale)):
            path = walk(rng, draw_profile(rng, start, goals), last_year)
            if path.last_year >= first_year and path.attempts:
                kept.append(path)
    return kept
