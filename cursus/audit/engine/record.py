"""A learner's record: unit results and milestones, and what they acquire."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from cursus.audit.engine.rules import CEFR_LEVELS

Source = Literal["exam", "ves", "vae", "dispense", "equivalence", "transfer"]
SOURCES: Final = ("exam", "ves", "vae", "dispense", "equivalence", "transfer")
# Sources that grant a unit without assessment: the entry acquires whatever its grade.
VALIDATED: Final = frozenset({"ves", "vae", "dispense", "equivalence", "transfer"})
PASS_GRADE: Final = 10.0


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitEntry:
    """One result or validation of a unit, as the record holds it."""

    code: str
    ects: float
    grade: float | None = None
    source: Source = "exam"
    date: datetime.date | None = None
    department: str | None = None
    line: int = field(default=0, compare=False)

    @property
    def acquires(self) -> bool:
        """Return whether this entry makes the unit held."""
        if self.source in VALIDATED:
            return True
        return self.grade is not None and self.grade >= PASS_GRADE


@dataclass(frozen=True, slots=True, kw_only=True)
class MilestoneEntry:
    """A fact of the record other than units: experience, a language, a thesis."""

    kind: str
    years: float = 0.0
    in_field_years: float = 0.0
    language: str | None = None
    level: str | None = None
    date: datetime.date | None = None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """A learner's units and milestones."""

    units: tuple[UnitEntry, ...] = ()
    milestones: tuple[MilestoneEntry, ...] = ()
    learner: str | None = None


@dataclass(frozen=True, slots=True)
class Acquisition:
    """A unit the learner holds: one per code, from the entries that acquire it."""

    code: str
    ects: float
    # The best grade among the acquiring entries; None when all were validated without one.
    grade: float | None
    # Whether an exam was passed: its ECTS count as earned by assessment.
    assessed: bool
    department: str | None
    date: datetime.date | None


@dataclass(frozen=True, slots=True, eq=False)
class Holdings:
    """What a record acquires, prepared once to audit it against many diplomas."""

    acquisitions: tuple[Acquisition, ...]
    by_code: dict[str, Acquisition]
    # The acquisitions as pools prefer them: most ECTS first, examined first, then by code.
    ranked: tuple[Acquisition, ...]
    rank: dict[str, int]
    experience_years: float
    in_field_years: float
    # Best CEFR rank (0 for A1) per language code.
    languages: dict[str, int]
    milestone_kinds: frozenset[str]
    record: Record


def acquisitions(entries: Iterable[UnitEntry]) -> tuple[Acquisition, ...]:
    """Return the acquisitions the entries make, one per code, sorted by code.

    Failed attempts acquire nothing. Among the acquiring entries of a code the
    best grade counts; the unit counts as assessed when one of them is an exam
    passed; its date is the earliest.
    """
    grouped: dict[str, list[UnitEntry]] = {}
    for entry in entries:
        if entry.acquires:
            grouped.setdefault(entry.code, []).append(entry)
    found = []
    for code in sorted(grouped):
        group = grouped[code]
        grades = [e.grade for e in group if e.grade is not None]
        dates = [e.date for e in group if e.date is not None]
        department = next((e.department for e in group if e.department is not None), None)
        found.append(
            Acquisition(
                code=code,
                ects=max(e.ects for e in group),
                grade=max(grades) if grades else None,
                assessed=any(e.source == "exam" for e in group),
                department=department,
                date=min(dates) if dates else None,
            )
        )
    return tuple(found)


def holdings(record: Record) -> Holdings:
    """Return what ``record`` acquires, ready for audits."""
    acquired = acquisitions(record.units)
    languages: dict[str, int] = {}
    years = in_field = 0.0
    kinds = set()
    for milestone in record.milestones:
        kinds.add(milestone.kind)
        if milestone.kind == "experience":
            years += milestone.years
            in_field += milestone.in_field_years
        elif milestone.kind == "language" and milestone.language and milestone.level:
            rank = CEFR_LEVELS.index(milestone.level)
            languages[milestone.language] = max(rank, languages.get(milestone.language, -1))
    ranked = tuple(sorted(acquired, key=lambda a: (-a.ects, not a.assessed, a.code)))
    return Holdings(
        acquisitions=acquired,
        by_code={a.code: a for a in acquired},
        ranked=ranked,
        rank={a.code: i for i, a in enumerate(ranked)},
        experience_years=years,
        in_field_years=in_field,
        languages=languages,
        milestone_kinds=frozenset(kinds),
        record=record,
    )
