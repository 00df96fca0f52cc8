"""The planning core: plans the audit accepts, the learner's constraints, explanations."""

import itertools
from dataclasses import replace

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from cursus.planner.problem import Candidate, Constraints, TimeSlot, parse_windows
from cursus.planner.solve import audit_with, make_plan
from cursus.planner.tests.factories import offering, problem

TUESDAY, THURSDAY, SATURDAY = 1, 3, 5
LYON_ONLY = Constraints(centres=frozenset({"lyon"}))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def catalogue_for_half_held() -> list[Candidate]:
    """Offerings of the four CC-ABD units a learner holding NFA008 and NFA011 still needs."""
    return [
        offering("NSY103", 0, day=TUESDAY),
        offering("NSY103", 0, "paris", day=THURSDAY),
        offering("NFP107", 0, "paris", day=THURSDAY),
        offering("NFE113", 2, day=TUESDAY),
        offering("NFE156", 0, day=TUESDAY),
        offering("NFE156", 1, day=TUESDAY),
        offering("NSY107", 1, day=THURSDAY),
    ]


def test_plan_completes_the_diploma_as_the_audit_reads_it() -> None:
    plan = make_plan(problem(catalogue_for_half_held(), held=["NFA008", "NFA011"]))

    assert plan.feasible
    assert plan.audit.satisfied
    assert {o.candidate.unit for o in plan.offerings} == {"NSY103", "NFP107", "NFE156", "NSY107"}
    assert plan.finishes is not None
    assert plan.finishes.index == 1


def test_clashing_offerings_are_never_taken_in_the_same_term() -> None:
    plan = make_plan(problem(catalogue_for_half_held(), held=["NFA008", "NFA011"]))

    for term in plan.terms:
        for a, b in itertools.combinations(term.offerings, 2):
            assert not a.candidate.clashes(b.candidate)


def test_explanation_names_the_offering_that_clashes() -> None:
    plan = make_plan(problem(catalogue_for_half_held(), held=["NFA008", "NFA011"]))

    nsy103 = next(o for o in plan.offerings if o.candidate.unit == "NSY103")
    assert nsy103.candidate.centre == "lyon"
    text = nsy103.explanation()
    assert "NSY103" in text
    assert "Paris" in text
    assert "NFP107" in text


def test_plan_keeps_to_the_centres_the_learner_reaches_but_allows_distance() -> None:
    candidates = [
        *catalogue_for_half_held(),
        offering("NFP107", 1, "paris", day=SATURDAY, formula="distance", slots=()),
    ]
    plan = make_plan(problem(candidates, held=["NFA008", "NFA011"], constraints=LYON_ONLY))

    assert plan.feasible
    for o in plan.offerings:
        assert o.candidate.centre == "lyon" or o.candidate.formula == "distance"


def test_plan_takes_only_accepted_formulas() -> None:
    candidates = [
        *catalogue_for_half_held(),
        offering("NFE156", 0, "lyon", day=0, formula="daytime", hours=(9 * 60, 17 * 60)),
    ]
    plan = make_plan(
        problem(
            candidates,
            held=["NFA008", "NFA011"],
            constraints=Constraints(formulas=frozenset({"evening_saturday"})),
        )
    )

    assert {o.candidate.formula for o in plan.offerings} == {"evening_saturday"}


def test_plan_meets_only_when_the_learner_is_free() -> None:
    candidates = [*catalogue_for_half_held(), offering("NFE113", 0, day=0)]
    windows = parse_windows("tue:evening,thu:evening")
    plan = make_plan(
        problem(candidates, held=["NFA008", "NFA011"], constraints=Constraints(windows=windows))
    )

    assert plan.feasible
    for o in plan.offerings:
        for slot in o.candidate.slots:
            assert slot.weekday in {TUESDAY, THURSDAY}


def test_plan_respects_the_maximum_of_units_per_term_and_skipped_terms() -> None:
    candidates = [
        offering(unit, term, day=day)
        for unit in ("NSY103", "NFP107", "NFE156", "NSY107")
        for term in range(6)
        for day in (TUESDAY, THURSDAY)
    ]
    constraints = Constraints(max_units=1, skip_terms=frozenset({"2027-S1"}))
    plan = make_plan(problem(candidates, held=["NFA008", "NFA011"], constraints=constraints))

    assert plan.feasible
    assert all(len(t.offerings) <= 1 for t in plan.terms)
    assert "2027-S1" not in {t.term.code for t in plan.terms}
    assert plan.finishes is not None
    assert plan.finishes.index == 4


def test_plan_respects_the_maximum_of_ects_per_term() -> None:
    candidates = [
        offering(unit, term, day=day)
        for unit in ("NSY103", "NFP107", "NFE156", "NSY107")
        for term in range(4)
        for day in (TUESDAY, THURSDAY)
    ]
    plan = make_plan(
        problem(candidates, held=["NFA008", "NFA011"], constraints=Constraints(max_ects=12))
    )

    assert all(t.ects <= 12 for t in plan.terms)
    assert plan.finishes is not None
    assert plan.finishes.index == 1


def test_plan_takes_a_recommended_prior_unit_first_when_it_costs_nothing() -> None:
    candidates = [
        offering("NSY103", 0, day=TUESDAY),
        offering("NSY103", 1, day=TUESDAY),
        offering("NSY107", 0, day=THURSDAY),
        offering("NSY107", 1, day=THURSDAY),
        offering("NFE156", 1, day=0),
    ]
    plan = make_plan(
        problem(
            candidates,
            held=["NFA008", "NFA011", "NFP107"],
            prior={"NSY107": ("NSY103",)},
        )
    )

    terms = {o.candidate.unit: o.candidate.term for o in plan.offerings}
    assert terms["NSY103"] < terms["NSY107"]


def test_unit_without_any_offering_is_named_as_the_obstacle() -> None:
    candidates = [c for c in catalogue_for_half_held() if c.unit != "NFE156"]
    plan = make_plan(problem(candidates, held=["NFA008", "NFA011"]))

    assert not plan.feasible
    assert any("NFE156" in o.units for o in plan.obstacles)
    assert any("NFE156" in o.text for o in plan.obstacles)


def test_unreachable_centre_is_named_and_relaxing_it_is_suggested() -> None:
    candidates = [
        *catalogue_for_half_held(),
        offering("NFE156", 0, "paris", day=THURSDAY),
    ]
    candidates = [c for c in candidates if not (c.unit == "NFE156" and c.centre == "lyon")]
    plan = make_plan(problem(candidates, held=["NFA008", "NFA011"], constraints=LYON_ONLY))

    assert not plan.feasible
    assert [o.units for o in plan.obstacles] == [("NFE156",)]
    assert [s.constraint for s in plan.suggestions] == ["centres"]
    assert plan.suggestions[0].finishes is not None


def test_milestone_not_held_is_reported_not_planned() -> None:
    plan = make_plan(
        problem(catalogue_for_half_held(), held=["NFA008", "NFA011"], experience=False)
    )

    assert plan.feasible
    assert [node for node, _text in plan.outside] == ["experience"]
    assert not plan.audit.satisfied
    assert [m.node for m in plan.audit.missing] == ["experience"]


def test_diploma_already_held_needs_no_term() -> None:
    held = ["NFA008", "NFA011", "NSY103", "NFP107", "NFE156", "NSY107"]
    plan = make_plan(problem(catalogue_for_half_held(), held=held))

    assert plan.feasible
    assert plan.terms == ()
    assert plan.audit.satisfied


def test_same_problem_gives_the_same_plan() -> None:
    candidates = [
        offering(unit, term, centre, day=day)
        for unit in ("NSY103", "NFP107", "NFE113", "NFE156", "NSY107")
        for term in range(3)
        for centre in ("lyon", "paris")
        for day in (TUESDAY, THURSDAY)
    ]
    first = make_plan(problem(candidates, held=["NFA008", "NFA011"]))
    again = make_plan(problem(candidates, held=["NFA008", "NFA011"]))

    assert first.as_json() == again.as_json()


def test_windows_read_days_periods_and_times() -> None:
    assert parse_windows("tue:evening,thu:18:00-21:30,sat") == (
        TimeSlot(1, 18 * 60, 22 * 60 + 30),
        TimeSlot(3, 18 * 60, 21 * 60 + 30),
        TimeSlot(5, 0, 24 * 60),
    )
    assert parse_windows("mon:morning+afternoon") == (TimeSlot(0, 8 * 60, 18 * 60),)


# -- Against brute force on tiny instances ------------------------------------------

POOL_RULES = """\
code: TINY
version: 1
title: {fr: "Petit", en: "Tiny"}
requires:
  all:
    - {label: core, unit: AAA101}
    - label: option
      any:
        - unit: BBB101
        - unit: BBB102
    - label: pool
      credits: 6
      max_units: 2
      from: {units: [CCC101, CCC102, CCC103, BBB102]}
"""
Instance = tuple[list[Candidate], list[str], int | None]
UNITS = {"AAA101": 6, "BBB101": 6, "BBB102": 3, "CCC101": 3, "CCC102": 3, "CCC103": 6}


@st.composite
def tiny_instances(draw: st.DrawFn) -> Instance:
    count = draw(st.integers(min_value=1, max_value=8))
    candidates = []
    for index in range(count):
        unit = draw(st.sampled_from(sorted(UNITS)))
        term = draw(st.integers(min_value=0, max_value=3))
        day = draw(st.sampled_from([TUESDAY, THURSDAY]))
        candidates.append(offering(unit, term, day=day, ects=UNITS[unit], offering_id=index + 1))
    held = draw(st.lists(st.sampled_from(sorted(UNITS)), max_size=2, unique=True))
    max_units = draw(st.sampled_from([None, 1, 2]))
    return candidates, held, max_units


def _valid(subset: tuple[Candidate, ...], max_units: int | None) -> bool:
    units = [c.unit for c in subset]
    if len(set(units)) != len(units):
        return False
    for a, b in itertools.combinations(subset, 2):
        if a.clashes(b):
            return False
    if max_units is not None:
        for term in {c.term for c in subset}:
            if sum(1 for c in subset if c.term == term) > max_units:
                return False
    return True


@settings(max_examples=60, deadline=None)
@given(tiny_instances())
def test_plan_finishes_as_early_as_brute_force_with_as_few_ects(instance: Instance) -> None:
    candidates, held, max_units = instance
    candidates = list({c.ref: c for c in candidates}.values())
    base = problem(
        candidates,
        held=held,
        rules=POOL_RULES,
        term_count=4,
        constraints=Constraints(max_units=max_units),
    )
    usable = [c for c in candidates if c.unit not in held]
    best: tuple[int, float] | None = None
    for size in range(len(usable) + 1):
        for subset in itertools.combinations(usable, size):
            if not _valid(subset, max_units):
                continue
            if not audit_with(base, subset).satisfied:
                continue
            key = (max((c.term for c in subset), default=-1), sum(c.ects for c in subset))
            best = key if best is None or key < best else best

    plan = make_plan(base)

    if best is None:
        assert not plan.feasible
        assert plan.obstacles
        return
    assert plan.feasible
    assert plan.audit.satisfied
    finish = plan.finishes.index if plan.finishes is not None else -1
    assert (finish, plan.ects) == best


def test_term_in_progress_keeps_what_is_enrolled_and_takes_nothing_new() -> None:
    candidates = [
        offering("NSY103", 0, day=TUESDAY, offering_id=1),
        offering("NFP107", 0, day=THURSDAY, offering_id=2),
        offering("NFP107", 1, day=THURSDAY, offering_id=3),
        offering("NFE156", 1, day=TUESDAY, offering_id=4),
        offering("NSY107", 2, day=TUESDAY, offering_id=5),
    ]
    base = problem(candidates, held=["NFA008", "NFA011"])
    closed = (replace(base.terms[0], open=False), *base.terms[1:])
    plan = make_plan(replace(base, terms=closed, enrolled=frozenset({1})))

    taken = {o.candidate.unit: o.candidate.term for o in plan.offerings}
    assert taken["NSY103"] == 0
    assert taken["NFP107"] == 1
    assert plan.next_term is not None
    assert plan.next_term.term.index == 1
    nfp107 = next(o for o in plan.offerings if o.candidate.unit == "NFP107")
    assert "no longer open for enrolment" in nfp107.explanation()


SHARED_RULES = """\
code: SHARED
version: 1
title: {fr: "Partagé", en: "Shared"}
min_course_share: 0.6
requires:
  all:
    - label: core
      choose: 2
      from: [{unit: AAA101}, {unit: BBB101}, {unit: CCC101}]
    - {label: breadth, shared: true, credits: 6, from: {units: [AAA101, CCC102, CCC103]}}
    - {label: pool, credits: 6, max_units: 1, from: {units: [BBB102, CCC102, CCC103]}}
"""
SHARED_UNITS = {"AAA101": 6, "BBB101": 6, "CCC101": 3, "BBB102": 3, "CCC102": 3, "CCC103": 6}


@st.composite
def shared_instances(draw: st.DrawFn) -> tuple[list[Candidate], list[str]]:
    count = draw(st.integers(min_value=1, max_value=8))
    candidates = [
        offering(
            unit,
            draw(st.integers(min_value=0, max_value=3)),
            day=draw(st.sampled_from([TUESDAY, THURSDAY])),
            ects=SHARED_UNITS[unit],
            offering_id=index + 1,
        )
        for index, unit in enumerate(
            draw(st.lists(st.sampled_from(sorted(SHARED_UNITS)), min_size=count, max_size=count))
        )
    ]
    validated = draw(st.lists(st.sampled_from(sorted(SHARED_UNITS)), max_size=2, unique=True))
    return candidates, validated


@settings(max_examples=60, deadline=None)
@given(shared_instances())
def test_shared_subtrees_and_course_share_agree_with_brute_force(
    instance: tuple[list[Candidate], list[str]],
) -> None:
    candidates, validated = instance
    candidates = list({c.ref: c for c in candidates}.values())
    base = problem(candidates, validated=validated, rules=SHARED_RULES, term_count=4)
    usable = [c for c in candidates if c.unit not in validated]
    best: tuple[int, float] | None = None
    for size in range(len(usable) + 1):
        for subset in itertools.combinations(usable, size):
            if _valid(subset, None) and audit_with(base, subset).satisfied:
                key = (max((c.term for c in subset), default=-1), sum(c.ects for c in subset))
                best = key if best is None or key < best else best

    plan = make_plan(base)

    assert plan.feasible == (best is not None)
    if best is not None:
        finish = plan.finishes.index if plan.finishes is not None else -1
        assert (finish, plan.ects) == best
        assert plan.audit.satisfied
