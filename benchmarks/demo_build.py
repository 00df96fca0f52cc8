"""Time the demo build at a scale, step by step, and compare its figures with the seed's.

Usage: ``.venv/bin/python benchmarks/demo_build.py [SCALE] [--seed N]``
(``1.0`` builds the institution at full size: about 100,000 learners a year).

Builds into a fresh SQLite file in a temporary folder (migrated first, not
timed with the build), or into the database of ``DATABASE_URL`` when set,
which must then be empty. Prints each step's objects and time, every row
written (links and the event log included) over the build's time, then the
last complete year's figures as ``cursus stats`` measures them (learners by
formula, diplomas by kind) beside the seed's targets for the scale, and the
diplomas awarded in each year.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", nargs="?", type=float, default=0.01, help="default 0.01")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        return _run(options.scale, options.seed)


def _run(scale: float, seed: int) -> int:
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from cursus.demo.builder import build_demo

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"database   {connection.vendor}, migrated in {time.perf_counter() - started:.1f} s")

    models = apps.get_models(include_auto_created=True)

    def rows() -> int:
        return sum(model._default_manager.count() for model in models)

    before = rows()
    steps: dict[str, tuple[int, float]] = {}
    step_started: dict[str, float] = {}

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        step_started.setdefault(step, now)
        steps[step] = (total, now - step_started[step])

    started = time.perf_counter()
    summary = build_demo(scale=scale, seed=seed, progress=progress)
    seconds = time.perf_counter() - started
    written = rows() - before

    print(f"scale      {scale} ({summary.learners:,} learners), seed {seed}")
    print(f"{'step':<12} {'objects':>9} {'seconds':>8} {'objects/s':>10}")
    for step, (total, spent) in steps.items():
        rate = f"{total / spent:10,.0f}" if spent > 0 else f"{'-':>10}"
        print(f"{step:<12} {total:>9,} {spent:>8.2f} {rate}")
    print(f"{'build':<12} {written:>9,} {seconds:>8.2f} {written / seconds:10,.0f}  (rows)")
    _figures(scale)
    return 0


# The seed's figures for a year at scale 1.0 (see cursus.demo.steps.population).
TARGETS = {
    "learners": 100_000,
    "learners evening_saturday+distance+daytime": 70_000,
    "learners institute": 30_000,
    "diplomas": 7_000,
    "diplomas ingenieur": 700,
}


def _figures(scale: float) -> None:
    """Print the last complete year's headline figures beside the targets for the scale."""
    from cursus.demo.steps.history import CURRENT_YEAR
    from cursus.reporting.queries import (
        academic_year,
        diploma_figures,
        diplomas_per_year,
        learner_figures,
    )

    year = academic_year(CURRENT_YEAR - 1)
    learners = learner_figures(year)
    diplomas = diploma_figures(year)
    formulas = learners.by_formula
    measured = {
        "learners": learners.total,
        "learners evening_saturday+distance+daytime": formulas.get("evening_saturday", 0)
        + formulas.get("distance", 0)
        + formulas.get("daytime", 0),
        "learners institute": formulas.get("institute", 0),
        "diplomas": diplomas.total,
        "diplomas ingenieur": diplomas.by_kind.get("ingenieur", 0),
    }
    print(f"\nyear {year.start_year}   {'figure':<44} {'measured':>9} {'target':>9} {'ratio':>6}")
    for name, target in TARGETS.items():
        wanted = target * scale
        ratio = measured[name] / wanted if wanted else 0.0
        print(f"{'':<9} {name:<44} {measured[name]:>9,} {wanted:>9,.0f} {ratio:>6.2f}")
    print(f"{'':<9} by formula: {dict(formulas)}")
    kinds = {kind: count for kind, count in diplomas.by_kind.items() if count}
    print(f"{'':<9} diplomas by kind: {kinds}")
    print("\ndiplomas per year (juries of every complete year)")
    for start_year, by_kind in diplomas_per_year():
        total = sum(by_kind.values())
        print(f"{start_year:<9} {total:>7,} of which ingenieur {by_kind.get('ingenieur', 0):>5,}")


if __name__ == "__main__":
    sys.exit(main())
