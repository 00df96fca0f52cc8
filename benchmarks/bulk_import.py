"""Time the bulk import of learners and their results beside the database's own bulk load.

Usage: ``.venv/bin/python benchmarks/bulk_import.py [--scale 1.0] [--results-per-learner 25]``.

At scale 1.0: 100,000 learners with about 25 published results each (about
2.5 million rows). The catalogue the rows name (units, 26 past terms, their
offerings and tariffs) is written first, untimed. The learners and results
are written as CSV files in a temporary folder, then imported with
``cursus import`` (every check, the events chained, the ledger of
acquisitions rebuilt), beside, in the same run, the database loading the very
same files into plain tables with no check at all: ``COPY`` on PostgreSQL,
``executemany`` on SQLite. Runs on an empty database: ``DATABASE_URL``
(PostgreSQL, as the institution runs it) or a fresh SQLite file.
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_LEARNERS = 100_000
UNITS = 120
FIRST_YEAR = 2012
YEARS = 13


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 100,000 learners")
    parser.add_argument("--results-per-learner", type=int, default=25)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        return _run(Path(folder), options.scale, options.results_per_learner)


def _catalogue() -> list[tuple[str, str]]:
    """Write the units, terms, offerings and tariffs; return (unit, term) of each offering."""
    from datetime import date
    from decimal import Decimal

    from cursus.catalogue.models import AcademicYear, Centre, Department, Offering, Term, Unit
    from cursus.enrolment.models import Tariff

    department = Department.objects.create(slug="informatique", name_fr="Info", name_en="CS")
    paris = Centre.objects.create(code="paris", name="Paris", kind="seat", city="Paris")
    units = Unit.objects.bulk_create(
        Unit(code=f"NFA{n:03d}", title_fr=f"Unité {n}", department=department, ects=6)
        for n in range(UNITS)
    )
    pairs = []
    for start in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        year = AcademicYear.objects.create(
            start_year=start, starts_on=date(start, 9, 1), ends_on=date(start + 1, 8, 31)
        )
        Tariff.objects.create(
            academic_year=year,
            basis="per_unit",
            registration_fee=Decimal(100),
            full_amount=Decimal(200),
            reduced_amount=Decimal(100),
            employer_amount=Decimal(400),
        )
        for semester, (first, last) in enumerate(
            [
                (date(start, 10, 1), date(start + 1, 1, 20)),
                (date(start + 1, 2, 10), date(start + 1, 6, 10)),
            ],
            start=1,
        ):
            term = Term.objects.create(
                academic_year=year,
                semester=semester,
                starts_on=first,
                ends_on=last,
                enrolment_opens_on=first.replace(day=1),
                enrolment_closes_on=first,
                withdrawal_deadline=first,
                session1_starts_on=last,
                session1_ends_on=last,
                session2_starts_on=date(last.year, last.month + 2, 1),
                session2_ends_on=date(last.year, last.month + 2, 10),
            )
            Offering.objects.bulk_create(
                Offering(unit=unit, term=term, centre=paris, formula="evening_saturday")
                for unit in units
            )
            pairs += [(unit.code, term.code) for unit in units]
    return pairs


def _files(
    folder: Path, learners: int, per_learner: int, pairs: list[tuple[str, str]]
) -> tuple[Path, Path, int]:
    learners_path, results_path = folder / "learners.csv", folder / "results.csv"
    with learners_path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(
            ["number", "last_name", "first_name", "home_centre", "birth_date", "sector"]
        )
        for n in range(learners):
            writer.writerow(
                [
                    f"B-{n:07d}",
                    f"Nom{n % 997}",
                    f"Prénom{n % 89}",
                    "paris",
                    f"{1960 + n % 40}-0{1 + n % 9}-1{n % 9}",
                    "Informatique",
                ]
            )
    rows = 0
    with results_path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["learner", "unit", "term", "centre", "formula", "session", "grade"])
        step = len(pairs) // per_learner
        for n in range(learners):
            for k in range(per_learner):
                unit, term = pairs[(n * 7 + k * step) % len(pairs)]
                grade = (n * 31 + k * 17) % 81 / 4
                writer.writerow(
                    [f"B-{n:07d}", unit, term, "paris", "evening_saturday", 1, f"{grade:.2f}"]
                )
                rows += 1
    return learners_path, results_path, rows


def _baseline(learners_path: Path, results_path: Path) -> float:
    """Load both files into plain tables, the database's own way; return the seconds."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE plain_learners (number text, last_name text, first_name text,"
            " home_centre text, birth_date date, sector text)"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE plain_results (learner text, unit text, term text,"
            " centre text, formula text, session smallint, grade numeric(4, 2))"
        )
        for table, path in (("plain_learners", learners_path), ("plain_results", results_path)):
            if connection.vendor == "postgresql":
                sql = f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER, DELIMITER ';')"
                with cursor.cursor.copy(sql) as copy, path.open("rb") as stream:
                    while chunk := stream.read(1 << 20):
                        copy.write(chunk)
            else:
                with path.open(newline="", encoding="utf-8") as stream:
                    reader = csv.reader(stream, delimiter=";")
                    header = next(reader)
                    marks = ", ".join("?" for _ in header)
                    sql = f"INSERT INTO {table} VALUES ({marks})"  # noqa: S608
                    cursor.cursor.executemany(sql, reader)
    connection.commit() if not connection.in_atomic_block else None
    return time.perf_counter() - started


def _run(folder: Path, scale: float, per_learner: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cursus.core.models import Event
    from cursus.records.models import Acquisition, Result

    call_command("migrate", interactive=False, verbosity=0)
    learners = max(1, round(FULL_LEARNERS * scale))
    pairs = _catalogue()
    learners_path, results_path, result_rows = _files(folder, learners, per_learner, pairs)
    print(f"database   {connection.vendor}; {learners:,} learners, {result_rows:,} results")

    timings = {}
    for kind, path in (("learners", learners_path), ("results", results_path)):
        started = time.perf_counter()
        with Path(os.devnull).open("w") as quiet:
            call_command("import_file", kind, str(path), stdout=quiet)
        timings[kind] = time.perf_counter() - started
    ours = sum(timings.values())
    theirs = _baseline(learners_path, results_path)
    rows = learners + result_rows
    baseline = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(
        f"written    {Result.objects.count():,} results, {Acquisition.objects.count():,} "
        f"acquisitions, {Event.objects.count():,} events"
    )
    print(f"{'':24} {'rows':>10} {'seconds':>9} {'rows/s':>10}")
    for kind, seconds in timings.items():
        count = learners if kind == "learners" else result_rows
        print(
            f"{'cursus import ' + kind:24} {count:>10,} {seconds:>9.1f} {count / seconds:>10,.0f}"
        )
    print(f"{'cursus import, both':24} {rows:>10,} {ours:>9.1f} {rows / ours:>10,.0f}")
    print(
        f"{baseline + ' into plain tables':24} {rows:>10,} {theirs:>9.1f} {rows / theirs:>10,.0f}"
    )
    print(f"ratio      cursus import takes {ours / theirs:.1f}× the time of the bare {baseline}")
    # Linux gives the peak in kilobytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak       {peak:,.0f} MB resident (this process, catalogue and files included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
