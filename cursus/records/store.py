"""Keep the ``Acquisition`` table equal to the replay of the event log.

The actions call :func:`refresh_acquisitions` with the (learner, unit) pairs
their events touched; it replays those pairs' events and rewrites their rows.
:func:`ledger_differences` replays the whole log and names every row that
differs from it, for ``cursus verify-log``.
"""

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q

from cursus.catalogue.models import Centre, Unit
from cursus.core.models import Event
from cursus.records.ledger import (
    LEDGER_EVENTS,
    RESULT_EVENTS,
    Entry,
    Fact,
    Key,
    Ledger,
    fact_of,
    replay,
)
from cursus.records.models import Acquisition, Result, Validation

RESULT_SUBJECT = Result._meta.label_lower
VALIDATION_SUBJECT = Validation._meta.label_lower


def _facts(events: Iterable[tuple[str, str, dict[str, object]]]) -> Iterator[Fact]:
    for kind, subject_id, data in events:
        fact = fact_of(kind, subject_id, data)
        if fact is not None:
            yield fact


def facts_for(pairs: Collection[Key]) -> list[Fact]:
    """Return, in the log's order, the facts about these (learner id, unit code) pairs."""
    if not pairs:
        return []
    learners = {learner for learner, _ in pairs}
    units = {unit for _, unit in pairs}
    result_ids = [
        str(pk)
        for pk, learner, unit in Result.objects.filter(
            enrolment__learner_id__in=learners, enrolment__unit__code__in=units
        ).values_list("pk", "enrolment__learner_id", "enrolment__unit__code")
        if (learner, unit) in pairs
    ]
    validation_ids = [
        str(pk)
        for pk, learner, unit in Validation.objects.filter(
            learner_id__in=learners, unit__code__in=units
        ).values_list("pk", "learner_id", "unit__code")
        if (learner, unit) in pairs
    ]
    events = (
        Event.objects.filter(
            Q(subject_type=RESULT_SUBJECT, subject_id__in=result_ids, kind__in=RESULT_EVENTS)
            | Q(
                subject_type=VALIDATION_SUBJECT,
                subject_id__in=validation_ids,
                kind__in=LEDGER_EVENTS - RESULT_EVENTS,
            )
        )
        .order_by("sequence")
        .values_list("kind", "subject_id", "data")
    )
    return list(_facts(events))


def refresh_acquisitions(pairs: Collection[Key]) -> None:
    """Rewrite the acquisitions of these pairs from the replay of their events."""
    if not pairs:
        return
    ledger = replay(facts_for(pairs))
    learners = {learner for learner, _ in pairs}
    units = {unit for _, unit in pairs}
    existing = {
        (row.learner_id, row.unit.code): row
        for row in Acquisition.objects.select_related("unit").filter(
            learner_id__in=learners, unit__code__in=units
        )
        if (row.learner_id, row.unit.code) in pairs
    }
    unit_ids = dict(Unit.objects.filter(code__in=units).values_list("code", "pk"))
    centre_codes = {entry.centre for entry in ledger.values()}
    centre_ids = dict(Centre.objects.filter(code__in=centre_codes).values_list("code", "pk"))
    stale = [row.pk for key, row in existing.items() if key not in ledger]
    if stale:
        Acquisition.objects.filter(pk__in=stale).delete()
    for key, entry in ledger.items():
        values = _row_values(entry, centre_ids)
        row = existing.get(key)
        if row is None:
            Acquisition.objects.create(
                learner_id=entry.learner_id, unit_id=unit_ids[entry.unit], **values
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            Acquisition.objects.filter(pk=row.pk).update(**values)


def _row_values(entry: Entry, centre_ids: dict[str, int]) -> dict[str, object]:
    return {
        "grade": entry.grade,
        "source": entry.source,
        "acquired_on": entry.on,
        "centre_id": centre_ids[entry.centre],
        "result_id": entry.result_id,
        "validation_id": entry.validation_id,
    }


def ledger_from_log() -> Ledger:
    """Replay every event of the log that touches the ledger."""
    events = (
        Event.objects.filter(kind__in=LEDGER_EVENTS)
        .order_by("sequence")
        .values_list("kind", "subject_id", "data")
        .iterator(chunk_size=5000)
    )
    return replay(_facts(events))


def ledger_from_table() -> Ledger:
    """Read the ``Acquisition`` table as a ledger."""
    rows = Acquisition.objects.values_list(
        "learner_id",
        "unit__code",
        "grade",
        "source",
        "acquired_on",
        "centre__code",
        "result_id",
        "validation_id",
    ).iterator(chunk_size=5000)
    return Ledger(Entry(*row) for row in rows)


@dataclass(frozen=True, slots=True)
class LedgerDifference:
    """A (learner, unit) whose acquisition row disagrees with the log."""

    learner_id: int
    unit: str
    in_log: Entry | None
    in_table: Entry | None


def ledger_differences(*, limit: int = 20) -> list[LedgerDifference]:
    """Return up to ``limit`` acquisitions where the table and the replayed log disagree."""
    from_log = ledger_from_log()
    from_table = ledger_from_table()
    differences = []
    for key in sorted(set(from_log) | set(from_table)):
        in_log, in_table = from_log.get(key), from_table.get(key)
        if in_log != in_table:
            differences.append(LedgerDifference(key[0], key[1], in_log, in_table))
            if len(differences) >= limit:
                break
    return differences
