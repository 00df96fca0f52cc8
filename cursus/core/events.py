"""The event log: every action records what it did, chained by hashes.

Appends take a lock on the chain's head row, so that concurrent writers form
one chain; readers never block. ``verify_chain`` recomputes every hash.
"""

import contextlib
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


def _canonical_data(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return ``_canonical(dict(data or {}))``, passing plain values through without a call."""
    if not data:
        return {}
    return {
        key if type(key) is str else str(key): (
            value if value is None or type(value) in _PLAIN else _canonical(value)
        )
        for key, value in data.items()
    }


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


def record_events(
    entries: Iterable[EventSpec], *, batch_size: int = BULK_BATCH_SIZE, stream: bool = False
) -> int:
    """Append many events in order, inside the caller's transaction; return how many.

    The chain's head is locked once, the hashes are chained in memory exactly as
    ``record_event`` chains them, and the rows are inserted in batches (COPY on
    PostgreSQL), without building a model instance per event. ``entries`` may be a
    generator, read once.

    With ``stream``, PostgreSQL takes every batch in one COPY, writing the rows while
    the next are chained: ``entries`` must then not query the database as it is read.
    """
    count = 0
    with transaction.atomic(), _event_writer(stream) as insert:
        head, _ = EventChainHead.objects.select_for_update().get_or_create(id=1)
        sequence, previous_hash = head.last_sequence, head.last_hash
        occurred_at = timezone.now().astimezone(dt.UTC)
        stamp = occurred_at.isoformat()
        rows: list[tuple[Any, ...]] = []
        encode = _ENCODER.encode
        # Kinds and subject types are few: each is encoded once.
        names: dict[str, str] = {}
        # The body ``event_hash`` hashes, cut where the events differ: the JSON of a list
        # is its items' JSON joined by commas, so the digests are the same.
        stamp_json = encode(stamp)
        for entry in entries:
            count += 1
            sequence += 1
            data_json = encode(_canonical_data(entry.data))
            actor_json = "null" if entry.actor_id is None else str(int(entry.actor_id))
            kind_json = names.get(entry.kind)
            if kind_json is None:
                kind_json = names[entry.kind] = encode(entry.kind)
            type_json = names.get(entry.subject_type)
            if type_json is None:
                type_json = names[entry.subject_type] = encode(entry.subject_type)
            subject_id = entry.subject_id
            id_json = (
                f'"{subject_id}"'
                if subject_id.isascii() and subject_id.isdigit()
                else encode(subject_id)
            )
            reason_json = '""' if not entry.reason else encode(entry.reason)
            body = (
                f'["{previous_hash}",{sequence},{stamp_json},{kind_json},{actor_json},'
                f"{type_json},{id_json},{data_json},{reason_json}]"
            )
            digest = hashlib.sha256(body.encode()).hexdigest()
            rows.append(
                (
                    sequence,
                    entry.kind,
                    entry.actor_id,
                    entry.subject_type,
                    subject_id,
                    data_json,
                    entry.reason,
                    previous_hash,
                    digest,
                )
            )
            previous_hash = digest
            if len(rows) >= batch_size:
                insert(occurred_at, rows)
                rows = []
        insert(occurred_at, rows)
        insert.close()
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


# COPY's text format: how a field says NULL, and the characters it escapes.
COPY_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(text: str) -> str:
    """Return text as a field of COPY's text format."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_COPY_ESCAPES)
    return text


def _copy_lines(occurred_at: dt.datetime, rows: Sequence[tuple[Any, ...]]) -> str:
    """Return event rows in COPY's text format, written by hand: their types are known."""
    end = f"\t{occurred_at.isoformat()}\n"
    return "".join(
        [
            f"{sequence}\t{copy_text(kind)}\t{COPY_NULL if actor_id is None else int(actor_id)}"
            f"\t{copy_text(subject_type)}\t{copy_text(subject_id)}\t{copy_text(data)}"
            f"\t{copy_text(reason)}\t{previous_hash}\t{digest}{end}"
            for (
                sequence,
                kind,
                actor_id,
                subject_type,
                subject_id,
                data,
                reason,
                previous_hash,
                digest,
            ) in rows
        ]
    )


class _EventWriter:
    """Insert event rows as they are, the data already JSON: COPY on PostgreSQL.

    Each batch is a statement of its own or, streaming, a part of one COPY
    opened at the first batch and ended by :meth:`close`.
    """

    def __init__(self, stream: bool, stack: contextlib.ExitStack) -> None:
        self.postgresql = connection.vendor == "postgresql"
        self.stream = stream and self.postgresql
        self.stack = stack
        quote = connection.ops.quote_name
        table, names = quote(Event._meta.db_table), ", ".join(map(quote, _EVENT_COLUMNS))
        self.copy_sql = f"COPY {table} ({names}) FROM STDIN"
        marks = ", ".join("%s" for _ in _EVENT_COLUMNS)
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        self.copy: Any = None

    def __call__(self, occurred_at: dt.datetime, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert a batch of rows."""
        if not rows:
            return
        if self.stream:
            if self.copy is None:
                cursor = self.stack.enter_context(connection.cursor())
                self.stack.enter_context(connection.wrap_database_errors)
                self.copy = self.stack.enter_context(cursor.cursor.copy(self.copy_sql))
            self.copy.write(_copy_lines(occurred_at, rows))
            return
        with connection.cursor() as cursor:
            if self.postgresql:
                with connection.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                    copy.write(_copy_lines(occurred_at, rows))
            else:
                stamp = connection.ops.adapt_datetimefield_value(occurred_at)
                cursor.executemany(self.insert_sql, [(*row, stamp) for row in rows])

    def close(self) -> None:
        """End the COPY under way, if any."""
        self.copy = None
        self.stack.close()


@contextlib.contextmanager
def _event_writer(stream: bool) -> Iterator[_EventWriter]:
    # Leaving on an error, the COPY under way is abandoned rather than ended.
    with contextlib.ExitStack() as stack:
        yield _EventWriter(stream, stack)


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
