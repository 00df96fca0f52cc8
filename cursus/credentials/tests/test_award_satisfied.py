"""A jury awards every satisfied candidate at once, as it would one by one."""

import threading
from datetime import date

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cursus.core.errors import Conflict, NotAllowed
from cursus.core.events import verify_chain
from cursus.core.models import Event
from cursus.core.testing import needs_postgres
from cursus.credentials.actions import (
    add_candidates,
    award_satisfied,
    close_jury_session,
    decide,
)
from cursus.credentials.models import (
    AwardedDiploma,
    Candidate,
    Decision,
    DiplomaCounter,
    StatusEntry,
)
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy
from cursus.records.tests.fixtures import make_learner


def test_every_satisfied_candidate_is_awarded_and_the_others_stay_pending(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    made = add_candidates(actor=w.paris_staff, session=session, learners=[w.student, w.classmate])
    assert [c.satisfied for c in made] == [True, False]

    awards = award_satisfied(actor=w.juror, session=session)

    assert [a.learner_id for a in awards] == [w.student.pk]
    assert awards[0].number == "2026-CC-DB-00001"
    assert awards[0].diploma == w.diplomas["CC-DB-2022"]
    assert awards[0].centre == w.paris
    decided = {c.learner_id: c for c in Candidate.objects.filter(session=session)}
    assert decided[w.student.pk].decision == Decision.AWARD
    assert decided[w.student.pk].decided_by == w.juror
    assert decided[w.classmate.pk].decision == Decision.PENDING
    assert StatusEntry.objects.filter(award=awards[0]).count() == 1
    kinds = list(
        Event.objects.filter(kind__startswith="credentials.")
        .exclude(kind__in=["credentials.jury_opened", "credentials.candidates_added"])
        .order_by("sequence")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "credentials.diploma_awarded",
        "credentials.status_allocated",
        "credentials.candidate_decided",
    ]
    assert verify_chain() is None


def test_a_bulk_award_records_what_one_decision_records(w):
    satisfy(w.student, w.registrar)
    satisfy(w.classmate, w.registrar)
    one = open_session(w.paris_staff, w.juror, w.paris)
    decide(actor=w.juror, candidate=candidate(w.paris_staff, one, w.student), decision="award")
    many = open_session(w.paris_staff, w.juror, w.paris, held_on=date(2026, 7, 1))
    add_candidates(actor=w.paris_staff, session=many, learners=[w.classmate])
    award_satisfied(actor=w.juror, session=many)

    def shape(learner_id: int) -> list[tuple[str, list[str]]]:
        events = Event.objects.filter(
            kind__in=[
                "credentials.diploma_awarded",
                "credentials.status_allocated",
                "credentials.candidate_decided",
            ]
        ).order_by("sequence")
        awards = set(
            AwardedDiploma.objects.filter(learner_id=learner_id).values_list("pk", flat=True)
        )
        candidates = set(
            Candidate.objects.filter(learner_id=learner_id).values_list("pk", flat=True)
        )
        return [
            (event.kind, sorted(event.data))
            for event in events
            if (
                event.subject_type == "credentials.awardeddiploma"
                and int(event.subject_id) in awards
            )
            or (
                event.subject_type == "credentials.candidate"
                and int(event.subject_id) in candidates
            )
        ]

    assert shape(w.classmate.pk) == shape(w.student.pk)
    numbers = sorted(AwardedDiploma.objects.values_list("number", flat=True))
    assert numbers == ["2026-CC-DB-00001", "2026-CC-DB-00002"]
    assert list(StatusEntry.objects.order_by("index").values_list("index", flat=True)) == [0, 1]


def test_a_learner_who_already_holds_the_diploma_stays_pending(w):
    satisfy(w.student, w.registrar)
    first = open_session(w.paris_staff, w.juror, w.paris)
    decide(actor=w.juror, candidate=candidate(w.paris_staff, first, w.student), decision="award")
    second = open_session(w.paris_staff, w.juror, w.paris, held_on=date(2026, 7, 1))
    waiting = candidate(w.paris_staff, second, w.student)

    assert award_satisfied(actor=w.juror, session=second) == []

    waiting.refresh_from_db()
    assert waiting.decision == Decision.PENDING
    assert AwardedDiploma.objects.count() == 1
    assert DiplomaCounter.objects.get(year=2026, diploma_code="CC-DB").last_sequence == 1


def test_a_candidate_whose_units_were_lost_since_is_audited_again_and_not_awarded(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    waiting = candidate(w.paris_staff, session, w.student)
    # The record changed after the candidate was added: the audit is run again.
    from cursus.records.models import Acquisition

    Acquisition.objects.filter(learner=w.student).delete()

    assert award_satisfied(actor=w.juror, session=session) == []
    waiting.refresh_from_db()
    assert waiting.decision == Decision.PENDING
    assert waiting.satisfied is False


def test_only_the_jury_or_the_registrar_awards_and_only_while_open(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    candidate(w.paris_staff, session, w.student)
    with pytest.raises(NotAllowed):
        award_satisfied(actor=w.other_juror, session=session)
    with pytest.raises(NotAllowed):
        award_satisfied(actor=w.paris_staff, session=session)
    close_jury_session(actor=w.juror, session=session)
    with pytest.raises(Conflict):
        award_satisfied(actor=w.juror, session=session)
    assert not AwardedDiploma.objects.exists()


@pytest.mark.parametrize("count", [3, 12])
def test_a_bulk_award_takes_as_many_queries_for_few_candidates_as_for_many(
    count, w, django_assert_num_queries
):
    learners = [
        satisfy(make_learner(w.paris, last_name=f"L{i:02d}"), w.registrar) for i in range(count)
    ]
    session = open_session(w.paris_staff, w.juror, w.paris)
    add_candidates(actor=w.paris_staff, session=session, learners=learners)
    # PostgreSQL writes the events with COPY, which the query log does not see.
    with django_assert_num_queries(QUERIES - (connection.vendor == "postgresql")):
        awards = award_satisfied(actor=w.juror, session=session)
    assert len(awards) == count


# Session, the decider's roles and membership, candidates, holders; the catalogue's freshness
# and the evidence (ledgers, milestones, pursuits); candidates saved; the counter; awards;
# status entries; the event chain: the same for three candidates as for twelve.
QUERIES = 28


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["one", "many"]), min_size=1, max_size=6))
@pytest.mark.django_db
def test_awards_one_by_one_and_at_once_share_one_gapless_sequence(w, draws):
    from django.db import transaction

    with transaction.atomic():
        for index, how in enumerate(draws):
            learners = [
                satisfy(make_learner(w.paris, last_name=f"D{index}-{n}"), w.registrar)
                for n in range(1 if how == "one" else 3)
            ]
            session = open_session(w.paris_staff, w.juror, w.paris)
            made = add_candidates(actor=w.paris_staff, session=session, learners=learners)
            if how == "one":
                decide(actor=w.juror, candidate=made[0], decision="award")
            else:
                award_satisfied(actor=w.juror, session=session)
        numbers = sorted(AwardedDiploma.objects.values_list("number", flat=True))
        entries = sorted(StatusEntry.objects.values_list("list_number", "index"))
        transaction.set_rollback(True)
    assert numbers == [f"2026-CC-DB-{n:05d}" for n in range(1, len(numbers) + 1)]
    assert len(set(entries)) == len(entries) == len(numbers)


RACERS = 6


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_juries_awarding_at_once_and_one_by_one_concurrently_share_the_numbers(
    diplomas, registrar, paris, paris_staff, juror
):
    sessions = []
    for racer in range(RACERS):
        learners = [
            satisfy(make_learner(paris, last_name=f"R{racer}-{n}"), registrar) for n in range(4)
        ]
        session = open_session(paris_staff, juror, paris)
        add_candidates(actor=paris_staff, session=session, learners=learners)
        sessions.append(session)
    start = threading.Barrier(RACERS)
    failures: list[BaseException] = []

    def award(index: int) -> None:
        try:
            start.wait()
            session = sessions[index]
            if index % 2:
                award_satisfied(actor=juror, session=session)
            else:
                for pending in Candidate.objects.filter(session=session):
                    decide(actor=juror, candidate=pending, decision="award")
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
    total = RACERS * 4
    numbers = sorted(AwardedDiploma.objects.values_list("number", flat=True))
    assert numbers == [f"2026-CC-DB-{n:05d}" for n in range(1, total + 1)]
    entries = set(StatusEntry.objects.values_list("list_number", "index"))
    assert len(entries) == total
    assert verify_chain() is None
