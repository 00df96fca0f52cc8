"""An enrolment rush on PostgreSQL: the enrol API under concurrent clients, beside pgbench.

Usage::

    .venv/bin/python benchmarks/enrolment_rush.py [--clients 50] [--requests 2000]
        [--offerings 20] [--capacity 30] [--workers 16] [--max-seconds 120]
        [--database-url postgres://postgres@127.0.0.1:5432/cursus_bench_rush] [--keep]

It makes a fresh database (the name in ``--database-url``, dropped first and again
at the end unless ``--keep``), migrates it and builds, through the actions, a term
open for enrolment, offerings with ``--capacity`` places, and learners registered
for the year, each with a personal API token.

Then it starts the site in a server process of its own on loopback: Django's WSGI
server with a fixed pool of ``--workers`` threads, each keeping its database
connection from one request to the next, as the threads of a production WSGI
server do (Django's ``runserver`` opens a thread and a connection per request; a
pool needs no dependency). From this process, ``--clients`` threads send the
``--requests`` enrolments (``POST /api/v1/enrolments``, each learner in several
offerings, in shuffled order) as fast as the answers come, each on a connection
of its own, and stop at ``--max-seconds`` at the latest. It reports the answers,
the throughput and the 50th, 95th and 99th percentiles of latency, and checks
that no offering holds more learners than its places.

Last, ``pgbench`` runs the same database work, as many transactions from as many
clients, on offerings of their own: lock the offering's row, count its places
taken, insert the enrolment, and append an event to the hash-chained log (lock
its head, insert, move the head). The ratio of the two rates is what the
application (HTTP, authentication, checks, the ORM, fees, the answer) costs on
top of the database work it cannot avoid. pgbench's events do not carry the
application's hashes: the database is for the benchmark only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import queue
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cursus_bench_rush"
REQUEST_TIMEOUT = 30.0

PGBENCH_SCRIPT = """\
\\set n :n + 1
\\set learner :lmin + :client_id * :per_client + :n - 1
\\set offering random(:omin, :omax)
BEGIN;
SELECT unit_id, term_id, capacity FROM catalogue_offering
  WHERE id = :offering FOR NO KEY UPDATE \\gset o_
SELECT count(*) AS taken FROM enrolment_enrolment
  WHERE offering_id = :offering AND status = 'enrolled' \\gset
INSERT INTO enrolment_enrolment (created_at, updated_at, learner_id, offering_id,
    registration_id, unit_id, term_id, status, fee, idempotency_key, enrolled_at)
  VALUES (now(), now(), :learner, :offering, :registration, :o_unit_id, :o_term_id,
    CASE WHEN :taken < :o_capacity THEN 'enrolled' ELSE 'waitlisted' END, 300.00, '',
    CASE WHEN :taken < :o_capacity THEN now() END)
  RETURNING id AS enrolment \\gset
WITH old AS (
    SELECT last_sequence, last_hash FROM core_eventchainhead WHERE id = 1 FOR UPDATE
  ), moved AS (
    UPDATE core_eventchainhead AS head
      SET last_sequence = old.last_sequence + 1,
          last_hash = encode(sha256(convert_to(
              old.last_hash || (old.last_sequence + 1)::text, 'UTF8')), 'hex')
      FROM old WHERE head.id = 1
      RETURNING head.last_sequence, head.last_hash, old.last_hash AS previous_hash
  )
INSERT INTO core_event (sequence, occurred_at, kind, actor_id, subject_type, subject_id,
    data, reason, previous_hash, hash)
  SELECT last_sequence, now(), 'enrolment.enrolled', NULL, 'enrolment.enrolment',
    (:enrolment)::text, '{"pgbench": true}', '', previous_hash, last_hash FROM moved;
END;
"""


@dataclass(frozen=True)
class Job:
    """One enrol request: a learner's token and an offering."""

    token: str
    offering: int


@dataclass(frozen=True)
class Setup:
    """What the build made: the requests to send, and what pgbench needs."""

    jobs: list[Job]
    http_offerings: list[int]
    capacity: int
    pgbench_variables: dict[str, int]


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--offerings", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=30)
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="server processes"
    )
    parser.add_argument("--workers", type=int, default=8, help="threads per server process")
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args()

    _configure(options.database_url)
    if options.serve:
        return _serve(options.workers, options.max_seconds, options.port)

    pgbench = _pgbench_path()
    if pgbench is None:
        print("pgbench is missing: install postgresql-client (Debian).", file=sys.stderr)
        return 2
    if not options.database_url.startswith("postgres"):
        print("This benchmark needs PostgreSQL (--database-url postgres://…).", file=sys.stderr)
        return 2
    _recreate_database(options.database_url)
    try:
        return _run(options, pgbench)
    finally:
        if not options.keep:
            _drop_database(options.database_url)


def _configure(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    # The production settings, with what they take from the environment.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ["DJANGO_SECRET_KEY"] = "benchmark-only-not-secret"  # noqa: S105
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DATABASE_URL"] = database_url


def _pgbench_path() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    return str(candidates[-1]) if candidates else None


def _maintenance(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def _recreate_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    url, name = _maintenance(database_url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(database_url: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    url, name = _maintenance(database_url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# The server process.


def _serve(workers: int, max_seconds: float, port: int) -> int:
    import logging

    import django

    django.setup()
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    # Refusals (4xx) are answers, not incidents; server errors are still printed.
    logging.getLogger("django.request").setLevel(logging.ERROR)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

    class PooledWSGIServer(WSGIServer):
        """Django's WSGI server with a fixed pool of threads, each keeping its connection."""

        request_queue_size = 1024
        # Several server processes listen on one port; the kernel shares the connections out.
        allow_reuse_port = True

        def __init__(self, *args: Any, workers: int, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.jobs: queue.Queue[tuple[Any, Any] | None] = queue.Queue()
            self.pool = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
            for thread in self.pool:
                thread.start()

        def process_request(self, request: Any, client_address: Any) -> None:
            self.jobs.put((request, client_address))

        def _work(self) -> None:
            while (job := self.jobs.get()) is not None:
                request, client_address = job
                try:
                    self.finish_request(request, client_address)
                except Exception:
                    self.handle_error(request, client_address)
                finally:
                    self.shutdown_request(request)
            connections.close_all()

        def server_close(self) -> None:
            super().server_close()
            for _thread in self.pool:
                self.jobs.put(None)
            for thread in self.pool:
                thread.join(5)

    server = PooledWSGIServer(("127.0.0.1", port), QuietHandler, workers=workers)
    server.set_app(get_wsgi_application())

    def stop(*_args: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    # Never outlive the run, whatever happens to the process that started it.
    deadline = threading.Timer(max_seconds + 60, stop)
    deadline.daemon = True
    deadline.start()
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


# The run.


def _run(options: argparse.Namespace, pgbench: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    setup = _build(options)
    version = connection.cursor().connection.info.server_version
    print(
        f"PostgreSQL {version // 10000}.{version % 10000}, on loopback; "
        f"built in {time.perf_counter() - started:.1f} s: {len(setup.jobs)} enrol requests from "
        f"{options.clients} clients into {options.offerings} offerings of {options.capacity} "
        f"places; server: {options.processes} processes × {options.workers} threads; "
        f"machine: {os.cpu_count()} CPUs"
    )

    servers: list[subprocess.Popen[str]] = []
    try:
        port = 0
        for _process in range(options.processes):
            servers.append(_start_server(options, port))
            port = _port_of(servers[-1])
        base = f"http://127.0.0.1:{port}/api/v1"
        _warm_up(base, setup.jobs[0].token, options.processes * options.workers)
        cpu_before = sum(_cpu_seconds(server.pid) for server in servers)
        answers, elapsed = _rush(base, setup.jobs, options.clients, options.max_seconds)
        server_cpu = sum(_cpu_seconds(server.pid) for server in servers) - cpu_before
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    http_rate = _report_http(answers, elapsed, setup)
    if answers:
        print(
            f"           server processes' CPU: {server_cpu * 1000 / len(answers):.1f} ms "
            f"per request ({server_cpu:.1f} s in all); load average now "
            + " ".join(f"{load:.1f}" for load in os.getloadavg())
        )
    pgbench_rate = _run_pgbench(pgbench, options, setup)
    if http_rate and pgbench_rate:
        print(
            f"ratio      the enrol API runs at {http_rate / pgbench_rate:.1%} of pgbench's rate "
            f"for the same database work (pgbench is {pgbench_rate / http_rate:.1f}× faster)"
        )
    failures = sum(1 for status, _latency in answers if status >= 500 or status == 0)
    return 1 if failures else 0


def _build(options: argparse.Namespace) -> Setup:
    """Build the term, offerings, learners, registrations and tokens, through the actions."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from cursus.catalogue import actions as catalogue
    from cursus.core.actions import create_api_token
    from cursus.core.models import Role, RoleAssignment, User
    from cursus.enrolment import actions as enrolment
    from cursus.enrolment.models import Learner, Registration

    rnd = random.Random(options.seed)
    registrar = User.objects.create_user("registrar@bench.example", None)
    RoleAssignment.objects.create(user=registrar, role=Role.REGISTRAR)
    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    catalogue.create_department(actor=registrar, slug="informatique", name_fr="I", name_en="I")
    paris = catalogue.create_centre(
        actor=registrar, code="paris", name="Paris", kind="seat", city="Paris"
    )
    term = catalogue.create_term(
        actor=registrar, start_year=start_year, semester=1, **_dates(today)
    )
    enrolment.set_tariff(
        actor=registrar,
        academic_year=start_year,
        basis="per_ects",
        registration_fee="100",
        full_amount="50",
        reduced_amount="25",
        employer_amount="80",
    )
    offerings = []
    for n in range(options.offerings * 2):
        code = f"NFB{n:03d}"
        catalogue.create_unit(
            actor=registrar, code=code, title_fr=f"Unité {n}", department="informatique", ects=6
        )
        offering = catalogue.create_offering(
            actor=registrar,
            unit=code,
            term=term.code,
            centre="paris",
            formula="evening_saturday",
            capacity=options.capacity,
        )
        offerings.append(offering.pk)
    http_offerings, pgbench_offerings = (
        offerings[: options.offerings],
        offerings[options.offerings :],
    )

    # Each learner asks for a few units; every offering gets its share of the requests.
    per_learner = min(options.offerings, 10)
    learner_count = math.ceil(options.requests / per_learner)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"learner{n}@bench.example", password=make_password(None))
                for n in range(learner_count)
            ]
        )
        learners = Learner.objects.bulk_create(
            [
                Learner(
                    number=f"A-{n + 1:07d}",
                    user=user,
                    first_name="Learner",
                    last_name=f"{n}",
                    home_centre=paris,
                )
                for n, user in enumerate(users)
            ]
        )
    jobs: list[Job] = []
    for n, (learner, user) in enumerate(zip(learners, users, strict=True)):
        enrolment.register(
            actor=registrar, learner=learner, centre="paris", academic_year=start_year
        )
        _token, plaintext = create_api_token(user=user, name="bench")
        for k in range(per_learner):
            if len(jobs) < options.requests:
                jobs.append(Job(plaintext, http_offerings[(n + k) % len(http_offerings)]))
    rnd.shuffle(jobs)

    # pgbench's learners: one fresh learner per transaction, so that none enrols twice.
    per_client = math.ceil(options.requests / options.clients)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO enrolment_learner (created_at, updated_at, number, first_name,
                last_name, email, phone, address, profession, sector, home_centre_id)
            SELECT now(), now(), 'B-' || lpad(n::text, 7, '0'), 'Bench', n::text, '', '', '',
                '', '', %s
            FROM generate_series(1, %s) AS n
            RETURNING id
            """,
            [paris.pk, per_client * options.clients],
        )
        pgbench_learners = sorted(row[0] for row in cursor.fetchall())
    registration = Registration.objects.values_list("pk", flat=True)[0]
    return Setup(
        jobs=jobs,
        http_offerings=http_offerings,
        capacity=options.capacity,
        pgbench_variables={
            "n": 0,
            "lmin": pgbench_learners[0],
            "per_client": per_client,
            "omin": min(pgbench_offerings),
            "omax": max(pgbench_offerings),
            "registration": registration,
        },
    )


def _dates(today: date) -> dict[str, date]:
    ends = today + timedelta(days=120)
    return {
        "starts_on": today - timedelta(days=5),
        "ends_on": ends,
        "enrolment_opens_on": today - timedelta(days=10),
        "enrolment_closes_on": today + timedelta(days=10),
        "withdrawal_deadline": today + timedelta(days=20),
        "session1_starts_on": ends + timedelta(days=1),
        "session1_ends_on": ends + timedelta(days=10),
        "session2_starts_on": ends + timedelta(days=40),
        "session2_ends_on": ends + timedelta(days=50),
    }


def _start_server(options: argparse.Namespace, port: int) -> subprocess.Popen[str]:
    """Start a server process on the port (any free port when 0)."""
    return subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            *("--port", str(port), "--workers", str(options.workers)),
            *("--max-seconds", str(options.max_seconds), "--database-url", options.database_url),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system) a process has used so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime, the 14th and 15th fields, the first two after the command's name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _port_of(server: subprocess.Popen[str]) -> int:
    assert server.stdout is not None
    line = server.stdout.readline().strip()
    if not line.startswith("listening "):
        raise RuntimeError(f"the server did not start: {line!r}")
    return int(line.split()[1])


def _post(base: str, job: Job) -> int:
    request = urllib.request.Request(  # noqa: S310 - the benchmark's own server, on loopback
        f"{base}/enrolments",
        data=json.dumps({"offering": job.offering}).encode(),
        headers={"Authorization": f"Bearer {job.token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as answer:  # noqa: S310
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as error:
        error.read()
        return int(error.code)
    except OSError:
        return 0


def _warm_up(base: str, token: str, workers: int) -> None:
    """Open each server thread's database connection before the clock starts."""

    def ask() -> None:
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"{base}/me", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as answer:  # noqa: S310
            answer.read()

    threads = [threading.Thread(target=ask) for _ in range(workers * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _rush(
    base: str, jobs: list[Job], clients: int, max_seconds: float
) -> tuple[list[tuple[int, float]], float]:
    """Send the jobs from client threads as fast as answers come; return answers and time."""
    pending = iter(jobs)
    lock = threading.Lock()
    answers: list[tuple[int, float]] = []
    started = time.perf_counter()
    deadline = started + max_seconds

    def client() -> None:
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                job = next(pending, None)
            if job is None:
                break
            sent = time.perf_counter()
            status = _post(base, job)
            mine.append((status, time.perf_counter() - sent))
        with lock:
            answers.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def _report_http(answers: list[tuple[int, float]], elapsed: float, setup: Setup) -> float:
    from django.db.models import Count, Q

    from cursus.catalogue.models import Offering

    if not answers:
        print("http       no answer")
        return 0.0
    statuses = Counter(status for status, _latency in answers)
    latencies = [latency * 1000 for _status, latency in answers]
    rate = len(answers) / elapsed
    print(
        f"http       {len(answers)} answered of {len(setup.jobs)} in {elapsed:.2f} s: "
        + ", ".join(
            f"{status or 'no answer'} × {count}" for status, count in sorted(statuses.items())
        )
    )
    print(
        f"           {rate:.1f} enrolments/s; latency p50 {_percentile(latencies, 0.50):.1f} ms, "
        f"p95 {_percentile(latencies, 0.95):.1f} ms, p99 {_percentile(latencies, 0.99):.1f} ms, "
        f"mean {statistics.fmean(latencies):.1f} ms"
    )
    counts = Offering.objects.filter(pk__in=setup.http_offerings).annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__status="enrolled")),
        waiting=Count("enrolments", filter=Q(enrolments__status="waitlisted")),
    )
    enrolled = sum(o.enrolled for o in counts)
    waiting = sum(o.waiting for o in counts)
    within = all(o.enrolled <= setup.capacity for o in counts)
    print(
        f"           {enrolled} enrolled and {waiting} waiting; "
        f"every offering within its places: {'yes' if within else 'NO'}"
    )
    return rate


def _run_pgbench(pgbench: str, options: argparse.Namespace, setup: Setup) -> float:
    from django.db import connections

    connections.close_all()
    parts = urlsplit(options.database_url)
    per_client = setup.pgbench_variables["per_client"]
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "enrol.sql"
        script.write_text(PGBENCH_SCRIPT)
        command = [
            pgbench,
            "--no-vacuum",
            f"--file={script}",
            f"--client={options.clients}",
            f"--jobs={min(options.clients, os.cpu_count() or 1)}",
            f"--transactions={per_client}",
            f"--host={parts.hostname or '127.0.0.1'}",
            f"--port={parts.port or 5432}",
            f"--username={parts.username or 'postgres'}",
            *(f"--define={name}={value}" for name, value in setup.pgbench_variables.items()),
            parts.path.lstrip("/"),
        ]
        environment = {**os.environ}
        if parts.password:
            environment["PGPASSWORD"] = parts.password
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=options.max_seconds + 60,
            env=environment,
            check=False,
        )
    if result.returncode != 0:
        print(f"pgbench    failed:\n{result.stdout}\n{result.stderr}")
        return 0.0
    lines = result.stdout.splitlines()
    rate = next(float(line.split()[2]) for line in lines if line.startswith("tps = "))
    latency = next((line.split("=")[1].strip() for line in lines if "latency average" in line), "?")
    print(
        f"pgbench    {options.clients} clients × {per_client} transactions: {rate:.1f} "
        f"transactions/s, latency average {latency}"
    )
    return rate


if __name__ == "__main__":
    sys.exit(main())
