"""``cursus verify-log`` as an operator runs it: exit status and the first broken event."""

import pytest
from django.db import connection

from cursus.cli import main as cursus
from cursus.core.models import Event
from cursus.records import actions
from cursus.records.tests.conftest import *  # noqa: F403 - the records' fixtures

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


def test_intact_log_verifies(history, capsys):
    assert cursus(["verify-log"]) == 0
    assert "intact" in capsys.readouterr().out


def test_event_edited_with_sql_is_named(history, capsys):
    target = history[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET data = %s WHERE id = %s",
            ['{"grade": "19.00"}', target.pk],
        )
    assert cursus(["verify-log"]) == 1
    error = capsys.readouterr().err
    assert f"#{target.sequence}" in error
    assert "records.result_published" in error
    assert "altered" in error


def test_event_deleted_with_sql_is_named(history, capsys):
    target = history[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [target.pk])
    assert cursus(["verify-log"]) == 1
    assert f"#{target.sequence}" in capsys.readouterr().err
