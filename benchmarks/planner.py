"""Time to a plan over the demo's learners, and terms needed against a greedy scheduler.

Usage: ``.venv/bin/python benchmarks/planner.py [--learners N] [--scale S] [--max-units K]``.

Builds the demo into a fresh SQLite file in a temporary folder (not timed),
or uses the database of ``DATABASE_URL`` when it already holds the demo. For
each learner (those with a history first), the targets are the closest
diplomas they do not hold (three unless told); they reach their home centre
and Paris, accept evening and Saturday classes and distance learning, and
take at most K units a term.

Two times per learner: the whole request (the learner's record, the terms,
the offerings, the model and its solution) and the solver alone. Then the
same problems go to a greedy scheduler measured in the same run: term by
term, it takes every allowed offering that brings the diploma closer (as the
audit engine measures what remains) and fits the timetable and the pace. The
figures compare how many terms each needs (from the first open term to the
last one used) where both find a plan, and how often each finds one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--max-units", type=int, default=3)
    parser.add_argument("--targets", type=int, default=3, help="closest diplomas per learner")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        return _run(options.learners, options.scale, options.max_units, options.targets)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _run(count: int, scale: float, max_units: int, targets: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import translation

    from cursus.catalogue.models import Unit
    from cursus.demo.builder import build_demo
    from cursus.enrolment.models import Learner
    from cursus.planner.problem import Constraints
    from cursus.planner.queries import (
        closest_codes,
        diploma_version,
        learner_context,
        problem_for,
    )
    from cursus.planner.solve import make_plan

    translation.activate("en")
    call_command("migrate", interactive=False, verbosity=0)
    if not Unit.objects.exists():
        started = time.perf_counter()
        build_demo(scale=scale)
        print(f"demo       built at scale {scale} in {time.perf_counter() - started:.0f} s")
    learners = list(
        Learner.objects.select_related("home_centre")
        .annotate(held=Count("acquisitions"))
        .order_by("-held", "number")[:count]
    )
    # The first request pays for compiling the catalogue's diplomas once per process.
    warm = learner_context(learners[0])
    closest_codes(warm)

    total_times: list[float] = []
    solve_times: list[float] = []
    compared: list[tuple[int, int | None]] = []
    planned = infeasible = 0
    diplomas: set[str] = set()
    for learner in learners:
        context = learner_context(learner)
        constraints = Constraints(
            centres=frozenset({learner.home_centre.code, "paris"}),
            formulas=frozenset({"evening_saturday", "distance"}),
            max_units=max_units,
        )
        for code in closest_codes(context, limit=targets):
            diplomas.add(code)
            started = time.perf_counter()
            context = learner_context(learner)
            problem = problem_for(context, diploma_version(code), constraints)
            solving = time.perf_counter()
            plan = make_plan(problem)
            done = time.perf_counter()
            total_times.append(done - started)
            solve_times.append(done - solving)
            if not plan.feasible:
                infeasible += 1
                continue
            planned += 1
            cp_terms = (plan.finishes.index + 1) if plan.finishes is not None else 0
            compared.append((cp_terms, _greedy(problem)))

    print(
        f"plans      {len(total_times)}: {len(learners)} learners × their {targets} closest "
        f"diplomas ({len(diplomas)} diplomas), at most {max_units} units a term"
    )
    print(f"{'':<22} {'p50':>8} {'p95':>8} {'max':>8}")
    for name, values in (("time to a plan (s)", total_times), ("solver alone (s)", solve_times)):
        print(
            f"{name:<22} {_percentile(values, 0.5):8.3f} {_percentile(values, 0.95):8.3f} "
            f"{max(values):8.3f}"
        )
    both = [(cp, greedy) for cp, greedy in compared if greedy is not None]
    greedy_failed = sum(1 for _cp, greedy in compared if greedy is None)
    print(f"found      CP-SAT {planned} plans, none possible for {infeasible}")
    print(f"greedy     no plan where CP-SAT found one: {greedy_failed}")
    if both:
        cp_mean = statistics.mean(cp for cp, _g in both)
        greedy_mean = statistics.mean(g for _cp, g in both)
        longer = sum(1 for cp, g in both if g > cp)
        print(
            f"terms      mean CP-SAT {cp_mean:.2f}, greedy {greedy_mean:.2f}; "
            f"greedy longer for {longer} of {len(both)} learners, never shorter: "
            f"{all(g >= cp for cp, g in both)}"
        )
    return 0


def _greedy(problem: object) -> int | None:
    """Return the terms a greedy scheduler needs for the problem, or None when it fails."""
    from cursus.audit.engine import remaining
    from cursus.planner.problem import Candidate, Problem
    from cursus.planner.solve import audit_with, eligible, outside_keys

    assert isinstance(problem, Problem)
    allowed, _refused = eligible(problem, problem.constraints)
    outside = outside_keys(problem)
    chosen: list[Candidate] = []
    units: set[str] = set()
    for term in problem.terms:
        here: list[Candidate] = []
        for candidate in sorted(
            (c for c in allowed if c.term == term.index),
            key=lambda c: (not c.published, c.unit, c.ref),
        ):
            if candidate.unit in units or any(candidate.clashes(other) for other in here):
                continue
            if (
                problem.constraints.max_units is not None
                and len(here) >= problem.constraints.max_units
            ):
                break
            before = remaining(
                problem.diploma, audit_with(problem, chosen, assume=outside).outcome.holdings
            )
            after = remaining(
                problem.diploma,
                audit_with(problem, [*chosen, candidate], assume=outside).outcome.holdings,
            )
            if after < before:
                here.append(candidate)
                chosen.append(candidate)
                units.add(candidate.unit)
        if audit_with(problem, chosen, assume=outside).satisfied:
            return term.index + 1 if chosen else 0
    return None


if __name__ == "__main__":
    sys.exit(main())
