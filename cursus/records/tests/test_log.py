"""The tamper-evident log: ``cursus verify-log`` and the ledger kept equal to the log."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cursus.catalogue.tests.fixtures import make_offering, make_term
from cursus.core.errors import Conflict, InvalidInput
from cursus.core.models import Event
from cursus.records import actions
from cursus.records.models import Acquisition, Result, Validation
from cursus.records.store import ledger_differences, ledger_from_log, ledger_from_table
from cursus.records.tests.fixtures import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(teacher, paris_staff, offering, learners):
    actions.record_results(
        actor=teacher,
        offering=offering,
        session=1,
        entries=[
            actions.GradeEntry(learner.number, grade)
            for learner, grade in zip(learners, ["14", "7", "ABS"], strict=True)
        ],
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    return Event.objects.filter(kind="records.result_published").order_by("sequence")


def test_last_event_deleted_with_sql_is_noticed(history):
    last = Event.objects.latest("sequence")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [last.pk])
    with pytest.raises(CommandError, match=f"#{last.sequence}"):
        call_command("verify_log")


def test_acquisition_edited_behind_the_log_is_named(history, learners):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Acquisition._meta.db_table} SET grade = 20")
    with pytest.raises(CommandError, match=f"learner {learners[0].pk}, unit NFA008"):
        call_command("verify_log")
    call_command("verify_log", "--chain-only")


def test_acquisition_inserted_behind_the_log_is_named(history, learners):
    failed = Result.objects.get(enrolment__learner=learners[1])
    with connection.cursor() as cursor:
        acquisition = Acquisition.objects.get()
        cursor.execute(
            f"INSERT INTO {Acquisition._meta.db_table} "
            "(learner_id, unit_id, grade, source, acquired_on, centre_id, result_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                learners[1].pk,
                acquisition.unit_id,
                12,
                "exam",
                date(2026, 1, 20),
                acquisition.centre_id,
                failed.pk,
            ],
        )
    assert [d.learner_id for d in ledger_differences()] == [learners[1].pk]


MOVES = st.lists(
    st.tuples(
        st.sampled_from(["grade", "publish", "correct", "validate", "revoke"]),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(["4", "9.99", "10", "12.5", "17", "ABS", "EXC"]),
    ),
    max_size=12,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=MOVES)
def test_actions_keep_the_table_equal_to_the_replayed_log(  # noqa: PLR0917
    moves, teacher, paris_staff, offering, learners, nsy103
):
    with transaction.atomic():
        for move, who, grade in moves:
            learner = learners[who]
            try:
                if move == "grade":
                    actions.record_result(
                        actor=teacher,
                        offering=offering,
                        learner_number=learner.number,
                        session=2
                        if Result.objects.filter(
                            enrolment__learner=learner, published_at__isnull=False
                        ).exists()
                        else 1,
                        grade=grade,
                    )
                elif move == "publish":
                    actions.publish_results(actor=paris_staff, offering=offering, session=1)
                elif move == "correct":
                    result = Result.objects.filter(
                        enrolment__learner=learner, published_at__isnull=False
                    ).first()
                    if result is not None:
                        actions.correct_result(
                            actor=paris_staff, result=result, grade=grade, reason="Regraded"
                        )
                elif move == "validate":
                    actions.validate_prior_learning(
                        actor=paris_staff,
                        learner=learner,
                        units=["NSY103"],
                        source="dispense",
                        decision_reference=f"D-{who}",
                        jury="Jury",
                        decided_on=date(2024, 1, 1),
                    )
                else:
                    validation = Validation.objects.filter(
                        learner=learner, revoked_at__isnull=True
                    ).first()
                    if validation is not None:
                        actions.revoke_validation(
                            actor=paris_staff, validation=validation, reason="Wrong"
                        )
            except (InvalidInput, Conflict):
                pass
            assert ledger_from_table() == ledger_from_log()
        transaction.set_rollback(True)


def test_acquisition_survives_a_new_enrolment_and_failed_retake(  # noqa: PLR0917
    teacher, paris_staff, offering, learners, nfa008, paris
):
    learner = learners[0]
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learner.number, session=1, grade="13"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    retake = make_offering(nfa008, make_term(2026), paris)
    retake.teachers.add(teacher)
    enrol(learner, retake)
    actions.record_result(
        actor=teacher, offering=retake, learner_number=learner.number, session=1, grade="3"
    )
    actions.publish_results(actor=paris_staff, offering=retake, session=1)
    assert Acquisition.objects.get(learner=learner).grade == 13
    assert ledger_differences() == []
