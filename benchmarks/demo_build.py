"""Time the demo build at a scale, step by step, and print rows per second.

Usage: ``.venv/bin/python benchmarks/demo_build.py [SCALE] [--seed N]``.

Builds into a fresh SQLite file in a temporary folder (migrated first, not
timed with the build), or into the database of ``DATABASE_URL`` when set,
which must then be empty. Prints each step's objects and time, then every
row written (links and the event log included) over the build's time.
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
