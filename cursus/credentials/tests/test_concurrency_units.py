"""Unit credentials and issuance batches asked for at the same moment, on PostgreSQL."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from cursus.audit.tests.app_fixtures import grant
from cursus.core.errors import Conflict
from cursus.core.testing import needs_postgres
from cursus.credentials.actions import (
    close_jury_session,
    decide,
    issue_unit_credential,
    queue_issuance,
)
from cursus.credentials.models import IssuanceBatch, UnitCredential
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy
from cursus.records.tests.fixtures import make_learner

RACERS = 8


def race(count: int, work: Callable[[int], object]) -> list[BaseException]:
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as error:  # reported to the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_unit_credentials_each_take_their_own_bit(
    units, registrar, paris, settings, tmp_path
):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    learners = [make_learner(paris, last_name=f"L{i:02d}") for i in range(RACERS)]
    for learner in learners:
        grant(learner, registrar, "NFA008")

    failures = race(
        RACERS,
        lambda i: issue_unit_credential(actor=registrar, learner=learners[i], unit_code="NFA008"),
    )

    assert failures == []
    bits = sorted(UnitCredential.objects.values_list("list_number", "index"))
    assert bits == [(1, i) for i in range(RACERS)]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_asking_twice_at_once_issues_one_credential(units, registrar, paris):
    learner = make_learner(paris, last_name="Seul")
    grant(learner, registrar, "NFA008")

    failures = race(
        2, lambda i: issue_unit_credential(actor=registrar, learner=learner, unit_code="NFA008")
    )

    assert failures == []
    assert UnitCredential.objects.count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_issuances_queued_at_once_make_one_batch(w, settings):
    # Queued only: the first batch stays under way while the second is asked for.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    learner = satisfy(make_learner(w.paris, last_name="Seul"), w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    decide(actor=w.juror, candidate=candidate(w.paris_staff, session, learner), decision="award")
    close_jury_session(actor=w.juror, session=session)

    failures = race(2, lambda i: queue_issuance(actor=w.paris_staff, session=session))

    assert [type(f) for f in failures] == [Conflict]
    assert IssuanceBatch.objects.count() == 1
