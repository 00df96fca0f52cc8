"""Time the statistics: each page and export, each reporting query and ``cursus stats``.

Usage::

    DATABASE_URL=sqlite:////tmp/you/demo.sqlite3 .venv/bin/python benchmarks/stats_pages.py \\
        [--year 2025] [--centre paris] [--runs 15]
    .venv/bin/python benchmarks/stats_pages.py --scale 0.01    # builds a demo of its own

Against the demo database named by ``DATABASE_URL`` (built beforehand with ``cursus demo``
at the scale wanted; 1.0 is the full-size institution), or, with ``--scale``, against a
demo it builds into a temporary SQLite file. For the year (by default the last complete
one), it runs each measure ``--runs`` times after one warm-up and prints the 50th and
95th percentiles with the number of queries, beside the baseline measured in the same
run: one ``COUNT(*)`` of the year's enrolled enrolments, the least any figure of the year
must read. Pages go through Django's test client as the registrar (and as the staff of
``--centre`` for the centre's page), so the figures include the templates and the charts;
"computed" clears the cache before each request, "cached" reuses the figures the pages
keep for a few minutes. Exports run with the figures cached, as after a visit to the page.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, help="academic year, default the last complete one")
    parser.add_argument("--centre", default="paris", help="centre of the staff page")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per measure")
    parser.add_argument("--scale", type=float, help="build a demo at this scale first")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with tempfile.TemporaryDirectory() as folder:
        if options.scale is not None:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        elif "DATABASE_URL" not in os.environ:
            parser.error("name a demo database with DATABASE_URL, or give --scale")
        return _run(options)


class QueryCounter:
    """Count the statements the database runs (a Django execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., object], *args: object) -> object:
        self.count += 1
        return execute(*args)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _run(options: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cursus.core.models import Role, RoleAssignment, User
    from cursus.enrolment.models import Enrolment, EnrolmentStatus
    from cursus.reporting import queries

    if options.scale is not None:
        from cursus.demo.builder import build_demo

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        build_demo(scale=options.scale, seed=1)
        print(f"demo built at scale {options.scale} in {time.perf_counter() - started:.0f} s")

    start_year = options.year or queries.default_year(queries.year_options())
    if start_year is None:
        print("no academic year has begun in this database")
        return 1
    year = queries.academic_year(start_year)
    reach = queries.centre_reach(options.centre)
    registrar = (
        User.objects.filter(role_assignments__role=Role.REGISTRAR, is_active=True).first()
        or User.objects.filter(is_superuser=True).first()
    )
    staff = User.objects.filter(
        role_assignments__role=Role.CENTRE_STAFF,
        role_assignments__centre__code=options.centre,
        is_active=True,
    ).first()
    if registrar is None:
        print("the database has no registrar")
        return 1
    enrolments = Enrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, term__academic_year=year
    ).count()
    print(
        f"database        {connection.vendor}; year {year.label}: {enrolments:,} enrolments, "
        f"{queries.learner_figures(year).total:,} learners, "
        f"{queries.diploma_figures(year).total:,} diplomas awarded"
    )

    registrar_client = Client(HTTP_HOST="localhost")
    registrar_client.force_login(registrar)
    staff_client = None
    if staff is not None and RoleAssignment.objects.filter(user=staff).exists():
        staff_client = Client(HTTP_HOST="localhost")
        staff_client.force_login(staff)

    def get(client: Client, url: str) -> Callable[[], object]:
        def fetch() -> object:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return fetch

    def cold(fetch: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            cache.clear()
            return fetch()

        return run

    def command() -> object:
        call_command("stats", "--year", str(start_year), "--json", stdout=io.StringIO())
        return None

    query = f"year={start_year}"
    measures: list[tuple[str, Callable[[], object]]] = [
        (
            "baseline: COUNT(*) of the year's enrolments",
            lambda: Enrolment.objects.filter(
                status=EnrolmentStatus.ENROLLED, term__academic_year=year
            ).count(),
        ),
        ("query: learners (every breakdown)", lambda: queries.learner_figures(year)),
        ("query: diplomas of the year", lambda: queries.diploma_figures(year)),
        ("query: diplomas per year", queries.diplomas_per_year),
        ("query: pass rates per unit", lambda: queries.pass_rates(year)),
        ("query: time to diploma", lambda: queries.time_to_diploma(year)),
        ("query: learners at one centre", lambda: queries.learner_figures(year, reach)),
        ("cursus stats --json", command),
        ("page /stats/ (registrar, computed)", cold(get(registrar_client, f"/stats/?{query}"))),
        ("page /stats/ (registrar, cached)", get(registrar_client, f"/stats/?{query}")),
        (
            "export learners-formula.csv",
            get(registrar_client, f"/stats/learners-formula.csv?{query}"),
        ),
        ("export statistics.xlsx", get(registrar_client, f"/stats/statistics.xlsx?{query}")),
    ]
    if staff_client is not None:
        measures.append(
            (
                f"page /stats/ ({options.centre} staff, computed)",
                cold(get(staff_client, f"/stats/?{query}")),
            )
        )

    rows = []
    for name, run in measures:
        run()  # warm-up: caches, compiled templates, the database's pages
        timings = []
        counter = QueryCounter()
        # Counted by a wrapper: the test client's requests reset Django's query log.
        with connection.execute_wrapper(counter):
            run()
        for _ in range(options.runs):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
        rows.append((name, _percentile(timings, 0.5), _percentile(timings, 0.95), counter.count))

    baseline = rows[0][1] or 1e-9
    print(f"\n{'measure':<44}{'p50 ms':>10}{'p95 ms':>10}{'queries':>9}{'× baseline':>12}")
    for name, p50, p95, count in rows:
        print(f"{name:<44}{p50:>10.1f}{p95:>10.1f}{count:>9}{p50 / baseline:>12.1f}")
    print(f"\n{options.runs} timed runs per measure, after one warm-up.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
