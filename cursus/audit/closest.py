"""Closest diplomas: rank many diplomas by what a record still lacks, auditing few of them.

A diploma that accepts none of the units a learner holds can only be audited
as if the learner held no unit: what it lacks depends on the learner's
milestones alone. The index therefore audits in full only the diplomas that
accept at least one held unit (found through which diplomas name which units,
and which pools select by department or prefix), and reads the others'
remaining from a table computed once per set of milestones.

Pure Python, like the engine: the application fills it from the database.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cursus.audit.engine import (
    CompiledDiploma,
    Holdings,
    Record,
    Remaining,
    evaluate,
    holdings,
)
from cursus.audit.engine.rules import CreditsNode

# Holdings of the same milestones give the same remaining on untouched diplomas.
MilestoneKey = tuple[float, float, tuple[tuple[str, int], ...], frozenset[str]]


@dataclass(frozen=True, slots=True)
class Closeness:
    """What a record lacks for one diploma."""

    position: int
    satisfied: bool
    remaining: Remaining
    # ECTS of the held units counted towards the diploma.
    ects: float
    # Whether the diploma was audited in full (it accepts a held unit).
    audited: bool

    @property
    def rank_key(self) -> tuple[bool, Remaining, int]:
        """Return the ranking order: satisfied first, then least remaining."""
        return (not self.satisfied, self.remaining, self.position)


def milestone_key(held: Holdings) -> MilestoneKey:
    """Return what the milestones of ``held`` amount to, as a hashable key."""
    return (
        held.experience_years,
        held.in_field_years,
        tuple(sorted(held.languages.items())),
        held.milestone_kinds,
    )


class DiplomaIndex:
    """Which diplomas accept which units, over a fixed list of compiled diplomas."""

    def __init__(
        self, diplomas: Sequence[CompiledDiploma], unit_ects: Mapping[str, float] | None = None
    ) -> None:
        self.diplomas = tuple(diplomas)
        self.unit_ects = dict(unit_ects or {})
        by_code: dict[str, set[int]] = {}
        by_department: dict[str, set[int]] = {}
        by_prefix: dict[str, set[int]] = {}
        everything: set[int] = set()
        for position, compiled in enumerate(self.diplomas):
            for code in compiled.codes:
                by_code.setdefault(code, set()).add(position)
            for node in compiled.nodes:
                if not isinstance(node, CreditsNode):
                    continue
                selector = node.selector
                if selector.everything:
                    everything.add(position)
                for department in selector.departments:
                    by_department.setdefault(department, set()).add(position)
                for prefix in selector.prefixes:
                    by_prefix.setdefault(prefix, set()).add(position)
        self._by_code = by_code
        self._by_department = by_department
        self._by_prefix = by_prefix
        self._everything = frozenset(everything)
        # Per set of milestones: every diploma's closeness to a record without units, ranked.
        self._untouched: dict[MilestoneKey, tuple[Closeness, ...]] = {}

    def touched(self, held: Holdings) -> set[int]:
        """Return the positions of the diplomas that accept at least one held unit."""
        candidates: set[int] = set(self._everything)
        for acquisition in held.acquisitions:
            candidates.update(self._by_code.get(acquisition.code, ()))
            if acquisition.department is not None:
                candidates.update(self._by_department.get(acquisition.department, ()))
            for prefix, positions in self._by_prefix.items():
                if acquisition.code.startswith(prefix):
                    candidates.update(positions)
        return {
            position
            for position in candidates
            if any(self.diplomas[position].accepts(a.code, a.department) for a in held.acquisitions)
        }

    def _untouched_ranking(self, held: Holdings) -> tuple[Closeness, ...]:
        key = milestone_key(held)
        ranking = self._untouched.get(key)
        if ranking is None:
            bare = holdings(Record(milestones=held.record.milestones))
            found = []
            for position, compiled in enumerate(self.diplomas):
                result = evaluate(compiled, bare)
                left = result.remaining(self.unit_ects)
                found.append(Closeness(position, result.satisfied, left, 0.0, audited=False))
            ranking = tuple(sorted(found, key=lambda c: c.rank_key))
            self._untouched[key] = ranking
        return ranking

    def rank(
        self,
        record: Record | Holdings,
        limit: int | None = None,
        touched: set[int] | None = None,
    ) -> list[Closeness]:
        """Return every diploma's closeness for ``record``, closest first (the first ``limit``).

        Only the diplomas accepting a held unit (``touched``, found when not
        given) are audited; the others come, already ranked, from the table
        of the record's milestones.
        """
        held = record if isinstance(record, Holdings) else holdings(record)
        if touched is None:
            touched = self.touched(held)
        audited = []
        for position in touched:
            result = evaluate(self.diplomas[position], held)
            audited.append(
                Closeness(
                    position=position,
                    satisfied=result.satisfied,
                    remaining=result.remaining(self.unit_ects),
                    ects=result.ects,
                    audited=True,
                )
            )
        audited.sort(key=lambda c: c.rank_key)
        others = (c for c in self._untouched_ranking(held) if c.position not in touched)
        merged = heapq.merge(audited, others, key=lambda c: c.rank_key)
        return list(merged if limit is None else itertools.islice(merged, limit))


def rank_by_auditing_all(
    diplomas: Iterable[CompiledDiploma],
    record: Record | Holdings,
    unit_ects: Mapping[str, float] | None = None,
) -> list[Closeness]:
    """Return every diploma's closeness by auditing each one: the index's reference."""
    held = record if isinstance(record, Holdings) else holdings(record)
    found = []
    for position, compiled in enumerate(diplomas):
        result = evaluate(compiled, held)
        found.append(
            Closeness(
                position=position,
                satisfied=result.satisfied,
                remaining=result.remaining(unit_ects or {}),
                ects=result.ects,
                audited=True,
            )
        )
    found.sort(key=lambda c: c.rank_key)
    return found
