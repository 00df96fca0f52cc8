import datetime as dt

import pytest
from django.db import connection

from cursus.core.events import (
    EventSpec,
    event_hash,
    events_about,
    record_event,
    record_events,
    verify_chain,
)
from cursus.core.models import Event, EventChainHead, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create_user("registrar@example.org", "pw")


def test_bulk_events_continue_the_chain_of_single_ones(user):
    record_event(kind="test.touched", subject=user, actor=user, data={"n": 0})
    specs = [
        EventSpec.about(user, kind="test.touched", actor=user, data={"n": n, "d": {"x": [n]}})
        for n in range(1, 8)
    ]
    assert record_events(specs, batch_size=3) == 7
    record_event(kind="test.touched", subject=user, actor=user, data={"n": 8})
    assert verify_chain() is None
    assert [e.data["n"] for e in events_about(user)] == list(range(9))
    head = EventChainHead.objects.get(id=1)
    assert head.last_sequence == 9
    assert head.last_hash == Event.objects.get(sequence=9).hash


def test_bulk_events_store_reason_and_anonymous_actor(user):
    record_events(
        [EventSpec(kind="test.bulk", subject_type="core.user", subject_id=str(user.pk), reason="r")]
    )
    event = Event.objects.get()
    assert (event.actor_id, event.reason, event.data) == (None, "r", {})
    assert verify_chain() is None


def test_nothing_to_record_leaves_the_log_alone():
    assert record_events([]) == 0
    assert not Event.objects.exists()


def test_edited_bulk_event_breaks_the_chain(user):
    record_events([EventSpec.about(user, kind="t", actor=None, data={"n": n}) for n in range(5)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET data = %s WHERE sequence = 4", ['{"n": 99}']
        )
    broken = verify_chain()
    assert broken is not None
    assert broken.sequence == 4


def test_bulk_hashes_are_the_hashes_record_event_computes(user):
    data = {"b": [1, 'é"x'], "a": {"z": None, "y": 2.5}, "when": "2024-01-01"}
    record_events(
        [
            EventSpec.about(user, kind="t.ü", actor=user, data=data, reason='a "quoted" é'),
            EventSpec(kind="t", subject_type="core.user", subject_id="x\n", data={}),
        ]
    )
    for event in Event.objects.order_by("sequence"):
        assert event.hash == event_hash(
            previous_hash=event.previous_hash,
            sequence=event.sequence,
            occurred_at=event.occurred_at.astimezone(dt.UTC).isoformat(),
            kind=event.kind,
            actor_id=event.actor_id,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            data=event.data,
            reason=event.reason,
        )
    assert verify_chain() is None
