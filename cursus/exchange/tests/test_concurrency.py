"""Two imports of one file at the same time, on PostgreSQL: one writes, the other finds it done."""

import threading

import pytest
from django.db import connection

from cursus.catalogue.tests.fixtures import make_centre
from cursus.core.events import verify_chain
from cursus.core.testing import needs_postgres
from cursus.enrolment.models import Learner
from cursus.exchange.actions import import_rows

pytestmark = [needs_postgres, pytest.mark.postgres]


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_create_each_learner_once():
    make_centre()
    rows = [
        {"number": f"K-{n:04d}", "last_name": "N", "first_name": "P", "home_centre": "paris"}
        for n in range(300)
    ]
    barrier = threading.Barrier(2)
    reports = []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(import_rows(actor=None, kind="learners", rows=rows))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(report.ok for report in reports)
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, 300), (300, 0)]
    assert Learner.objects.count() == 300
    assert verify_chain() is None
