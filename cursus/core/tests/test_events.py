import pytest
from django.db import connection

from cursus.core.events import events_about, record_event, verify_chain
from cursus.core.models import Event, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create_user("registrar@example.org", "pw")


def test_events_chain_and_verify(user):
    for n in range(5):
        record_event(kind="test.touched", subject=user, actor=user, data={"n": n})
    assert verify_chain() is None
    assert [e.data["n"] for e in events_about(user)] == [0, 1, 2, 3, 4]


def test_edited_event_breaks_the_chain_at_that_event(user):
    for n in range(4):
        record_event(kind="test.touched", subject=user, actor=user, data={"n": n})
    third = Event.objects.get(sequence=3)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET data = %s WHERE id = %s", ['{"n": 99}', third.pk]
        )
    broken = verify_chain()
    assert broken is not None
    assert broken.sequence == 3


def test_deleted_event_breaks_the_chain(user):
    for n in range(4):
        record_event(kind="test.touched", subject=user, actor=user, data={"n": n})
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE sequence = 4")
    broken = verify_chain()
    assert broken is not None
    assert broken.sequence == 4
