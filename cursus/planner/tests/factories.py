"""Small planning problems built by hand, without a database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from cursus.audit.engine import Diploma, MilestoneEntry, Record, UnitEntry, holdings, parse_rules
from cursus.planner.problem import Candidate, Constraints, PlanTerm, Problem, TimeSlot

CC_ABD = """\
code: CC-ABD
version: 2019
title: {fr: "Administrateur de bases de données", en: "Database administrator"}
kind: certificat-competence
requires:
  all:
    - {label: prerequisite, unit: NFA008}
    - label: database-design
      any:
        - unit: NFE113
        - unit: NFP107
        - unit: NFE106
    - {label: systems, unit: NSY103}
    - {label: cloud, unit: NSY107}
    - {label: applications, unit: NFA011}
    - {label: administration, unit: NFE156}
    - {label: experience, milestone: experience, in_field_years: 1}
"""

EVENING = (18 * 60, 21 * 60)


def diploma(text: str = CC_ABD) -> Diploma:
    """Return the diploma a rules text describes."""
    return parse_rules(text)


def terms(count: int) -> tuple[PlanTerm, ...]:
    """Return ``count`` consecutive terms from 2026-S2."""
    found = []
    for index in range(count):
        year, semester = 2026 + (index + 1) // 2, 2 if index % 2 == 0 else 1
        found.append(
            PlanTerm(
                index=index,
                code=f"{year}-S{semester}",
                label=f"{year}–{year + 1} S{semester}",
                starts_on=datetime.date(year + (semester == 2), 2 if semester == 2 else 9, 1),
            )
        )
    return tuple(found)


def offering(
    unit: str,
    term: int,
    centre: str = "lyon",
    *,
    day: int = 1,
    ects: float = 6,
    formula: str = "evening_saturday",
    hours: tuple[int, int] = EVENING,
    offering_id: int | None = None,
    slots: Iterable[TimeSlot] | None = None,
) -> Candidate:
    """Return a candidate offering, weekly on ``day`` in the evening unless told."""
    ref = f"{unit}-{term}-{centre}-{formula}-{day}"
    return Candidate(
        ref=ref,
        unit=unit,
        ects=ects,
        term=term,
        centre=centre,
        centre_name=centre.capitalize(),
        formula=formula,
        slots=tuple(slots) if slots is not None else (TimeSlot(day, *hours),),
        department="informatique",
        offering_id=offering_id if offering_id is not None else abs(hash(ref)) % 10**6,
    )


def problem(
    candidates: Iterable[Candidate],
    *,
    held: Iterable[str] = (),
    validated: Iterable[str] = (),
    experience: bool = True,
    term_count: int = 6,
    constraints: Constraints | None = None,
    rules: str = CC_ABD,
    prior: Mapping[str, tuple[str, ...]] | None = None,
    home: str | None = "lyon",
) -> Problem:
    """Return a problem over hand-made offerings; ``validated`` units are held without exam."""
    record = Record(
        units=(
            *(UnitEntry(code=code, ects=6, grade=12) for code in held),
            *(UnitEntry(code=code, ects=6, source="dispense") for code in validated),
        ),
        milestones=(MilestoneEntry(kind="experience", years=2, in_field_years=2),)
        if experience
        else (),
    )
    return Problem(
        diploma=diploma(rules),
        holdings=holdings(record),
        terms=terms(term_count),
        candidates=tuple(candidates),
        constraints=constraints or Constraints(),
        recommended_prior=prior or {},
        home_centre=home,
    )
