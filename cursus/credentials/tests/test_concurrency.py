import threading

import pytest
from django.db import connection, transaction

from cursus.core.errors import Conflict
from cursus.core.testing import needs_postgres
from cursus.credentials.actions import _next_number, add_candidates, decide
from cursus.credentials.models import AwardedDiploma, DiplomaCounter
from cursus.credentials.tests.fixtures import open_session, satisfy
from cursus.records.tests.fixtures import make_learner

RACERS = 20


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_take_every_number_exactly_once(
    diplomas, registrar, paris, paris_staff, juror
):
    learners = [
        satisfy(make_learner(paris, last_name=f"L{i:02d}"), registrar) for i in range(RACERS)
    ]
    session = open_session(paris_staff, juror, paris)
    candidates = add_candidates(actor=paris_staff, session=session, learners=learners)
    start = threading.Barrier(RACERS)
    failures: list[BaseException] = []

    def award(index: int) -> None:
        try:
            start.wait()
            decide(actor=juror, candidate=candidates[index], decision="award")
        except BaseException as error:  # reported to the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    numbers = sorted(AwardedDiploma.objects.values_list("number", flat=True))
    assert numbers == [f"2026-CC-DB-{n:05d}" for n in range(1, RACERS + 1)]
    assert DiplomaCounter.objects.get(year=2026, diploma_code="CC-DB").last_sequence == RACERS


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_juries_racing_to_award_one_learner_award_once_and_leave_no_gap(
    diplomas, registrar, paris, paris_staff, juror
):
    learner = satisfy(make_learner(paris, last_name="Seul"), registrar)
    pending = [
        add_candidates(
            actor=paris_staff,
            session=open_session(paris_staff, juror, paris),
            learners=[learner],
        )[0]
        for _ in range(2)
    ]
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def award(index: int) -> None:
        try:
            start.wait()
            decide(actor=juror, candidate=pending[index], decision="award")
        except BaseException as error:  # reported to the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [type(f) for f in failures] == [Conflict]
    assert list(AwardedDiploma.objects.values_list("number", flat=True)) == ["2026-CC-DB-00001"]
    assert DiplomaCounter.objects.get(year=2026, diploma_code="CC-DB").last_sequence == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_racing_transactions_each_take_their_own_next_number():
    start = threading.Barrier(RACERS)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def take() -> None:
        try:
            start.wait()
            with transaction.atomic():
                numbers.append(_next_number(2026, "CC-DB"))
        except BaseException as error:  # reported to the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(numbers) == [f"2026-CC-DB-{n:05d}" for n in range(1, RACERS + 1)]
