"""The simulated learners' paths: their distributions come out near the seed's figures."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cursus.demo.steps import population as pop
from cursus.demo.steps.trajectories import (
    Profile,
    Trajectory,
    draw_profile,
    simulate,
    walk,
)

# About 3,000 learners a year: enough for shares within a few points, fast to draw.
SCALE = 0.03
YEAR = 2025
FORMULA_ORDER = list(pop.FORMULAS)


@pytest.fixture(scope="module")
def paths() -> list[Trajectory]:
    return simulate(random.Random(7), scale=SCALE, first_year=2021, last_year=2026)


def _main_formula(path: Trajectory, year: int) -> str:
    """Return the formula of most of a learner's units in a year, as the statistics count it."""
    counts = Counter(attempt.formula for attempt in path.attempts_in(year))
    return min(counts, key=lambda formula: (-counts[formula], FORMULA_ORDER.index(formula)))


def _active(paths: list[Trajectory], year: int) -> list[Trajectory]:
    return [path for path in paths if year in path.years()]


def test_a_year_counts_about_the_seed_learners_for_the_scale(paths):
    active = len(_active(paths, YEAR))
    assert active == pytest.approx(pop.ACTIVE_LEARNERS * SCALE, rel=0.1)


def test_the_current_year_looks_like_the_last_complete_one(paths):
    assert len(_active(paths, 2026)) == pytest.approx(len(_active(paths, YEAR)), rel=0.06)


def test_three_learners_in_ten_study_in_an_institute(paths):
    active = _active(paths, YEAR)
    formulas = Counter(_main_formula(path, YEAR) for path in active)
    assert formulas["institute"] / len(active) == pytest.approx(0.30, abs=0.05)
    evening_like = formulas["evening_saturday"] + formulas["distance"] + formulas["daytime"]
    assert evening_like / len(active) == pytest.approx(0.70, abs=0.05)
    # A few thousand at full scale study mostly at a distance or in daytime.
    assert 0.02 < (formulas["distance"] + formulas["daytime"]) / len(active) < 0.1


def test_evening_learners_take_about_three_units_a_year_institute_learners_five(paths):
    units: dict[bool, list[int]] = {True: [], False: []}
    for path in _active(paths, YEAR):
        institute = path.profile.formula == pop.INSTITUTE
        units[institute].append(len(path.attempts_in(YEAR)))
    assert sum(units[False]) / len(units[False]) == pytest.approx(3.2, abs=0.5)
    assert sum(units[True]) / len(units[True]) == pytest.approx(4.6, abs=0.6)


def test_about_seven_in_a_hundred_learners_complete_a_diploma_a_year(paths):
    completed = [path for path in paths if path.completed_in == YEAR]
    active = len(_active(paths, YEAR))
    assert len(completed) / active == pytest.approx(0.07, abs=0.015)
    engineers = [path for path in completed if path.profile.goal_kind == "ingenieur"]
    # About one in ten; the real plans (``steps.history``) are longer than the typical ones.
    assert 0.05 < len(engineers) / len(completed) < 0.22
    assert all(path.profile.formula != pop.INSTITUTE for path in engineers)


def test_about_seven_in_ten_first_sessions_are_passed(paths):
    attempts = [a for path in _active(paths, YEAR) for a in path.attempts_in(YEAR)]
    passed = sum(a.first not in {"ABS"} and float(a.first) >= 10 for a in attempts)
    assert passed / len(attempts) == pytest.approx(0.78, abs=0.06)
    assert any(a.first == "ABS" for a in attempts)
    assert any(a.second is not None for a in attempts)


def test_the_same_seed_draws_the_same_paths():
    first = simulate(random.Random(3), scale=0.002, first_year=2021, last_year=2026)
    again = simulate(random.Random(3), scale=0.002, first_year=2021, last_year=2026)
    other = simulate(random.Random(4), scale=0.002, first_year=2021, last_year=2026)
    assert first == again
    assert first != other


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10**6), first_year=st.integers(2008, 2026))
def test_a_path_passes_each_step_once_and_completes_only_its_whole_plan(seed, first_year):
    rng = random.Random(seed)
    profile = draw_profile(rng, first_year)
    path = walk(rng, profile, 2026)
    passed = [attempt.step for attempt in path.attempts if attempt.passed]
    assert len(passed) == len(set(passed))
    assert all(first_year <= a.year <= 2026 for a in path.attempts)
    years = [a.year for a in path.attempts]
    assert years == sorted(years)
    for year in path.years():
        steps = [a.step for a in path.attempts_in(year)]
        # A unit failed is taken again in a later year, never twice in one.
        assert len(steps) == len(set(steps))
        assert len(steps) <= profile.pace
    if path.completed_in is not None:
        assert profile.plan_length is not None
        done = {a.step for a in path.attempts if a.passed and a.year <= path.completed_in}
        assert done >= set(range(profile.plan_length))


def test_a_learner_without_a_diploma_in_mind_never_completes_one():
    profile = Profile(
        formula=pop.EVENING,
        department="informatique",
        first_year=2020,
        pace=3,
        pass_rate=0.9,
        goal_kind=None,
        goal_code=None,
        plan_length=None,
        moves_in=None,
    )
    for seed in range(50):
        assert walk(random.Random(seed), profile, 2026).completed_in is None
