"""Time audits on the demo institution: engine throughput, closest diplomas, the whole institution.

Usage: ``.venv/bin/python benchmarks/audit_institution.py [--scale 0.01] [--seed N]``,
or ``DATABASE_URL=… benchmarks/audit_institution.py --existing`` on a demo already built
(the full-size one takes over half an hour to build).

Builds the demo at the scale into a fresh SQLite file in a temporary folder
(or into the empty database of ``DATABASE_URL``), then measures:

(a) the engine on one core: every demo learner holding units against every
    diploma version, audits per second, beside the floor of merely
    intersecting each learner's units with each diploma's units;
(b) closest diplomas for one learner over all diplomas, p50 and p95, from
    records already read and from the database;
(c) the whole institution audited from the database as the background task
    (every learner against what they pursue plus their closest diplomas),
    beside the time to merely read every ledger, with the ratio.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="demo scale, default 0.01")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=300, help="learners timed in (b)")
    parser.add_argument(
        "--existing", action="store_true", help="measure the demo already in DATABASE_URL"
    )
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        return _run(options.scale, options.seed, options.samples, options.existing)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _run(scale: float, seed: int, samples: int, existing: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cursus.audit import queries
    from cursus.audit.engine import evaluate, holdings
    from cursus.audit.models import AuditRun
    from cursus.audit.tasks import audit_institution
    from cursus.demo.builder import build_demo
    from cursus.enrolment.models import Learner
    from cursus.records.models import Acquisition
    from cursus.records.queries import ledgers_of, milestones_of

    if existing:
        print(
            f"demo            already built ({connection.vendor}): "
            f"{Learner.objects.count():,} learners"
        )
    else:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        migrated = time.perf_counter() - started
        print(f"database        {connection.vendor}, migrated in {migrated:.1f} s")
        started = time.perf_counter()
        summary = build_demo(scale=scale, seed=seed)
        print(
            f"demo            scale {scale}: {summary.learners:,} learners, "
            f"{summary.diplomas} diploma versions, built in {time.perf_counter() - started:.1f} s"
        )

    cat = queries.catalogue()
    versions = [v for found in cat.versions.values() for v in found]
    holders = sorted(set(Acquisition.objects.values_list("learner_id", flat=True)))
    records = queries.records_of(holders)
    prepared = [holdings(records[i]) for i in holders]
    held_count = Acquisition.objects.count()
    print(f"records         {len(holders):,} learners hold units; {held_count:,} units held")

    # (a) Engine throughput on one core, beside the floor.
    compiled = [v.compiled for v in versions]
    unit_sets = [c.codes for c in compiled]
    held_sets = [frozenset(a.code for a in h.acquisitions) for h in prepared]
    pairs = len(prepared) * len(compiled)
    rounds = max(1, 200_000 // max(pairs, 1))
    common = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for codes_held in held_sets:
            for codes in unit_sets:
                common += len(codes_held & codes)
    floor = time.perf_counter() - started
    started = time.perf_counter()
    satisfied = 0
    for _ in range(rounds):
        for held in prepared:
            for diploma in compiled:
                satisfied += evaluate(diploma, held).satisfied
    engine = time.perf_counter() - started
    audits = pairs * rounds
    print(
        f"(a) engine      {audits / engine:,.0f} audits/s on one core "
        f"({pairs:,} learner x diploma pairs x {rounds}); floor {audits / floor:,.0f} "
        f"intersections/s; ratio {engine / floor:,.1f}x"
    )

    # (b) Closest diplomas for one learner over all diplomas.
    index = cat.index
    for held in prepared:  # the table for each set of milestones, once
        index.rank(held)
    timings = []
    for held in prepared[:samples]:
        started = time.perf_counter()
        index.rank(held)
        timings.append((time.perf_counter() - started) * 1000)
    learners = list(Learner.objects.filter(pk__in=holders[:samples]))
    from_db = []
    for learner in learners:
        started = time.perf_counter()
        queries.closest_diplomas(learner, limit=10)
        from_db.append((time.perf_counter() - started) * 1000)
    print(
        f"(b) closest     over {len(cat.latest)} diplomas: p50 {_percentile(timings, 0.5):.2f} ms, "
        f"p95 {_percentile(timings, 0.95):.2f} ms (records read); from the database "
        f"p50 {_percentile(from_db, 0.5):.2f} ms, p95 {_percentile(from_db, 0.95):.2f} ms"
    )

    # (c) The whole institution, from the database, as the task.
    ids = list(Learner.objects.order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    for start in range(0, len(ids), queries.CHUNK):
        chunk = ids[start : start + queries.CHUNK]
        ledgers_of(chunk)
        milestones_of(chunk)
    read = time.perf_counter() - started
    run = AuditRun.objects.create()
    outcome: list[BaseException] = []

    def work() -> None:
        try:
            audit_institution.call(run_id=run.pk)
        except BaseException as error:  # reported by the main thread
            outcome.append(error)
        finally:
            connection.close()

    # The task runs in its own thread, as a worker would; this one polls its progress row.
    worker = threading.Thread(target=work)
    started = time.perf_counter()
    worker.start()
    while worker.is_alive():
        worker.join(timeout=2.0)
        row = AuditRun.objects.get(pk=run.pk)
        print(
            f"    task        {row.status:8} {row.percent:3d}% "
            f"{row.learners_done:,}/{row.learners_total:,} learners, "
            f"{time.perf_counter() - started:.1f} s"
        )
    whole = time.perf_counter() - started
    if outcome:
        raise outcome[0]
    run.refresh_from_db()
    print(
        f"(c) institution {len(ids):,} learners, {run.audits:,} full audits in {whole:.1f} s; "
        f"reading the ledgers alone {read:.1f} s; ratio {whole / max(read, 1e-9):,.1f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
