"""The event log: every action records what it did, chained by hashes.

Appends take a lock on the chain's head row, so that concurrent writers form
one chain; readers never block. ``verify_chain`` recomputes every hash.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from cursus.core.models import Event, EventChainHead, User

GENESIS_HASH = "0" * 64
# Values that are already JSON as they are (exact types: an enum is a str subclass).
_PLAIN = frozenset({str, int, float, bool})
# The JSON ``event_hash`` hashes: keys sorted, no spaces, text as it is.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# Rows written per INSERT by ``record_events``.
BULK_BATCH_SIZE = 2000


def _canonical(value: Any) -> Any:
    """Return a JSON-ready copy of a value, with dates, decimals and models as strings."""
    if value is None or type(value) in _PLAIN:
        return value
    if type(value) is dict:
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def event_hash(
    *,
    previous_hash: str,
    sequence: int,
    occurred_at: str,
    kind: str,
    actor_id: int | None,
    subject_type: str,
    subject_id: str,
    data: Mapping[str, Any],
    reason: str,
) -> str:
    """Return the SHA-256 of an event's content chained to its predecessor's hash."""
    body = json.dumps(
        [
            previous_hash,
            sequence,
            occurred_at,
            kind,
            actor_id,
            subject_type,
            subject_id,
            data,
            reason,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record_event(
    *,
    kind: str,
    subject: models.Model,
    actor: User | None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
) -> Event:
    """Append an event about ``subject`` to the log, inside the caller's transaction."""
    payload = _canonical(dict(data or {}))
    with transaction.atomic():
        head, _ = EventChainHead.objects.select_for_update().get_or_create(id=1)
        sequence = head.last_sequence + 1
        # Stored to the microsecond, so that the hash recomputes from the row.
        occurred_at = timezone.now().astimezone(dt.UTC)
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        digest = event_hash(
            previous_hash=head.last_hash,
            sequence=sequence,
            occurred_at=occurred_at.isoformat(),
            kind=kind,
            actor_id=actor_id,
            subject_type=subject_type,
            subject_id=subject_id,
            data=payload,
            reason=reason,
        )
        event = Event.objects.create(
            sequence=sequence,
            occurred_at=occurred_at,
            kind=kind,
            actor_id=actor_id,
            subject_type=subject_type,
            subject_id=subject_id,
            data=payload,
            reason=reason,
            previous_hash=head.last_hash,
            hash=digest,
        )
        head.last_sequence = sequence
        head.last_hash = digest
        head.save(update_fields=["last_sequence", "last_hash"])
    return event


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One event to append in bulk: what ``record_event`` takes, with the subject by name."""

    kind: str
    subject_type: str
    subject_id: str
    actor_id: int | None = None
    data: Mapping[str, Any] | None = None
    reason: str = ""

    @classmethod
    def about(
        cls,
        subject: models.Model,
        *,
        kind: str,
        actor: User | None,
        data: Mapping[str, Any] | None = None,
        reason: str = "",
    ) -> "EventSpec":
        """Return the spec of an event about a saved object, as ``record_event`` would name it."""
        return cls(
            kind=kind,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            data=data,
            reason=reason,
        )


def record_events(entries: Iterable[EventSpec], *, batch_size: int = BULK_BATCH_SIZE) -> int:
    """Append many events in order, inside the caller's transaction; return how many.

    The chain's head is locked once, the hashes are chained in memory exactly as
    ``record_event`` chains them, and the rows are inserted in batches (COPY on
    PostgreSQL), without building a model instance per event. ``entries`` may be a
    generator, read once.
    """
    count = 0
    with transaction.atomic():
        head, _ = EventChainHead.objects.select_for_update().get_or_create(id=1)
        sequence, previous_hash = head.last_sequence, head.last_hash
        occurred_at = timezone.now().astimezone(dt.UTC)
        stamp = occurred_at.isoformat()
        rows: list[tuple[Any, ...]] = []
        encode = _ENCODER.encode
        # The body ``event_hash`` hashes, cut where the events differ: the JSON of a list
        # is its items' JSON joined by commas, so the digests are the same.
        stamp_json = encode(stamp)
        for entry in entries:
            count += 1
            sequence += 1
            data_json = encode(_canonical(dict(entry.data or {})))
            actor_json = "null" if entry.actor_id is None else str(int(entry.actor_id))
            body = (
                f'["{previous_hash}",{sequence},{stamp_json},{encode(entry.kind)},{actor_json},'
                f"{encode(entry.subject_type)},{encode(entry.subject_id)},{data_json},"
                f"{encode(entry.reason)}]"
            )
            digest = hashlib.sha256(body.encode()).hexdigest()
            rows.append(
                (
                    sequence,
                    entry.kind,
                    entry.actor_id,
                    entry.subject_type,
                    entry.subject_id,
                    data_json,
                    entry.reason,
                    previous_hash,
                    digest,
                )
            )
            previous_hash = digest
            if len(rows) >= batch_size:
                _insert_events(occurred_at, rows)
                rows = []
        _insert_events(occurred_at, rows)
        if count:
            head.last_sequence, head.last_hash = sequence, previous_hash
            head.save(update_fields=["last_sequence", "last_hash"])
    return count


_EVENT_COLUMNS = (
    "sequence",
    "kind",
    "actor_id",
    "subject_type",
    "subject_id",
    "data",
    "reason",
    "previous_hash",
    "hash",
    "occurred_at",
)


def _insert_events(occurred_at: dt.datetime, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert event rows as they are, the data already JSON: COPY on PostgreSQL."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Event._meta.db_table)
    names = ", ".join(quote(name) for name in _EVENT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copying = cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN")
            with connection.wrap_database_errors, copying as copy:
                for row in rows:
                    copy.write_row((*row, occurred_at))
            return
        stamp = connection.ops.adapt_datetimefield_value(occurred_at)
        marks = ", ".join("%s" for _ in _EVENT_COLUMNS)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names only)
        cursor.executemany(sql, [(*row, stamp) for row in rows])


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where the chain stops verifying, and why."""

    sequence: int
    problem: str


def verify_chain(*, batch_size: int = 5000) -> ChainBreak | None:
    """Recompute every hash in order; return the first break, or None when intact."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    for event in _events_in_order(batch_size):
        if event.sequence != expected_sequence:
            return ChainBreak(expected_sequence, "event missing (deleted?)")
        if event.previous_hash != previous_hash:
            return ChainBreak(event.sequence, "does not follow its predecessor")
        recomputed = event_hash(
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
        if recomputed != event.hash:
            return ChainBreak(event.sequence, "content altered after it was written")
        previous_hash = event.hash
        expected_sequence += 1
    head = EventChainHead.objects.filter(id=1).first()
    if head is not None and head.last_sequence != expected_sequence - 1:
        return ChainBreak(expected_sequence, "latest events missing (deleted?)")
    return None


def _events_in_order(batch_size: int) -> Iterator[Event]:
    last = 0
    while True:
        batch = list(Event.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def events_about(subject: models.Model) -> models.QuerySet[Event]:
    """Return the history of one object, oldest first."""
    return Event.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")
