"""The ledger of acquisitions as a pure function of the event log.

Every change to a published result or a validation writes an event carrying
the whole new state of that result or validation. :func:`replay` folds such
events, in the log's order, into the units each learner holds: a unit is held
by a published result of at least 10/20 (the best one gives its grade) or,
failing one, by a validation still in force. Nothing here touches the
database: the actions keep the ``Acquisition`` table equal to the replay of
the log, and ``cursus verify-log`` checks that it is.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

PASS_GRADE = Decimal(10)
EXAM = "exam"

# The events that change the ledger, and what they are about.
RESULT_EVENTS = frozenset({"records.result_published", "records.result_corrected"})
VALIDATION_EVENTS = frozenset(
    {"records.validation_granted", "records.validation_corrected", "records.validation_revoked"}
)
LEDGER_EVENTS = RESULT_EVENTS | VALIDATION_EVENTS


@dataclass(frozen=True, slots=True)
class ResultFact:
    """A published result as an event left it."""

    result_id: int
    learner_id: int
    unit: str
    grade: Decimal | None
    on: date
    centre: str

    @property
    def passed(self) -> bool:
        """Tell whether the result acquires its unit."""
        return self.grade is not None and self.grade >= PASS_GRADE


@dataclass(frozen=True, slots=True)
class ValidationFact:
    """A validation as an event left it: in force, or revoked."""

    validation_id: int
    learner_id: int
    unit: str
    source: str
    on: date
    centre: str
    active: bool


Fact = ResultFact | ValidationFact


@dataclass(frozen=True, slots=True)
class Entry:
    """A unit a learner holds, and what it rests on."""

    learner_id: int
    unit: str
    grade: Decimal | None
    source: str
    on: date
    centre: str
    result_id: int | None = None
    validation_id: int | None = None


Key = tuple[int, str]


class Ledger(Mapping[Key, Entry]):
    """The units held, by (learner id, unit code)."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries = {(entry.learner_id, entry.unit): entry for entry in entries}

    def __getitem__(self, key: Key) -> Entry:
        return self._entries[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Ledger({sorted(self._entries.values(), key=_entry_order)!r})"

    def of(self, learner_id: int) -> list[Entry]:
        """Return one learner's entries, by unit code."""
        return sorted(
            (entry for (learner, _), entry in self._entries.items() if learner == learner_id),
            key=_entry_order,
        )


def _entry_order(entry: Entry) -> tuple[int, str]:
    return entry.learner_id, entry.unit


def fact_of(kind: str, subject_id: str, data: Mapping[str, Any]) -> Fact | None:
    """Return the fact an event of the log states, or None if it does not touch the ledger."""
    if kind in RESULT_EVENTS:
        grade = data.get("grade")
        return ResultFact(
            result_id=int(subject_id),
            learner_id=int(data["learner"]),
            unit=str(data["unit"]),
            grade=None if grade is None else Decimal(str(grade)),
            on=date.fromisoformat(str(data["date"])),
            centre=str(data["centre"]),
        )
    if kind in VALIDATION_EVENTS:
        return ValidationFact(
            validation_id=int(subject_id),
            learner_id=int(data["learner"]),
            unit=str(data["unit"]),
            source=str(data["source"]),
            on=date.fromisoformat(str(data["date"])),
            centre=str(data["centre"]),
            active=kind != "records.validation_revoked",
        )
    return None


def replay(facts: Iterable[Fact]) -> Ledger:
    """Return the ledger that these facts, in the log's order, add up to."""
    results: dict[int, ResultFact] = {}
    validations: dict[int, ValidationFact] = {}
    for fact in facts:
        if isinstance(fact, ResultFact):
            results[fact.result_id] = fact
        else:
            validations[fact.validation_id] = fact
    best: dict[Key, ResultFact] = {}
    for result in results.values():
        if not result.passed:
            continue
        key = (result.learner_id, result.unit)
        held = best.get(key)
        if held is None or _better(result, held):
            best[key] = result
    entries = [
        Entry(
            learner_id=r.learner_id,
            unit=r.unit,
            grade=r.grade,
            source=EXAM,
            on=r.on,
            centre=r.centre,
            result_id=r.result_id,
        )
        for r in best.values()
    ]
    granted: dict[Key, ValidationFact] = {}
    for validation in validations.values():
        key = (validation.learner_id, validation.unit)
        if not validation.active or key in best:
            continue
        held_by = granted.get(key)
        if held_by is None or (validation.on, validation.validation_id) < (
            held_by.on,
            held_by.validation_id,
        ):
            granted[key] = validation
    entries += [
        Entry(
            learner_id=v.learner_id,
            unit=v.unit,
            grade=None,
            source=v.source,
            on=v.on,
            centre=v.centre,
            validation_id=v.validation_id,
        )
        for v in granted.values()
    ]
    return Ledger(entries)


def _better(result: ResultFact, than: ResultFact) -> bool:
    """Tell whether a passed result beats another: higher grade, then earlier, then first kept."""
    assert result.grade is not None
    assert than.grade is not None
    return (-result.grade, result.on, result.result_id) < (-than.grade, than.on, than.result_id)
