"""Audit a record against a diploma: the result, node by node, and what is missing."""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from cursus.audit.engine.compiled import (
    ALL,
    ANY,
    CHOOSE,
    CREDITS,
    EPSILON,
    CompiledDiploma,
    compile_diploma,
)
from cursus.audit.engine.explain import (
    ChoiceNeeded,
    CreditsNeeded,
    MilestoneNeeded,
    Reason,
    ShareNeeded,
    UnitNeeded,
    check_lang,
    number,
)
from cursus.audit.engine.record import Holdings, Record, holdings
from cursus.audit.engine.rules import (
    CEFR_LEVELS,
    AnyNode,
    ChooseNode,
    CreditsNode,
    Diploma,
    MilestoneNode,
    Node,
    UnitNode,
)
from cursus.audit.engine.solve import Outcome, solve

# ECTS assumed for a missing unit whose ECTS the caller does not give.
TYPICAL_UNIT_ECTS: Final = 6.0
SHARE_KEY: Final = "min_course_share"


class Status(enum.StrEnum):
    """How far a requirement is met."""

    MET = "met"
    PARTLY_MET = "partly-met"
    NOT_MET = "not-met"

    def text(self, lang: str = "en") -> str:
        """Return the status in words."""
        words = {
            Status.MET: ("rempli", "met"),
            Status.PARTLY_MET: ("partiellement rempli", "partly met"),
            Status.NOT_MET: ("non rempli", "not met"),
        }[self]
        return words[0] if check_lang(lang) == "fr" else words[1]


@dataclass(frozen=True, slots=True)
class NodeResult:
    """One requirement of the tree, audited."""

    node: Node
    # The node's label, or its path when unlabelled.
    key: str
    path: str
    status: Status
    # Units held (unit), ECTS (credits), children met (groups), 1 or 0 (milestones).
    have: float
    # What meeting it takes, in the same measure.
    need: float
    # The unit codes counted here, as the record names them.
    units: tuple[str, ...]
    children: tuple[NodeResult, ...]

    def progress(self, lang: str = "en") -> str:
        """Return how far the requirement is met, in words: "12 of 18 ECTS"."""
        fr = check_lang(lang) == "fr"
        have, need = number(self.have, check_lang(lang)), number(self.need, check_lang(lang))
        met = self.status is Status.MET
        match self.node:
            case UnitNode():
                if met:
                    return "acquise" if fr else "acquired"
                return "pas encore acquise" if fr else "not yet acquired"
            case CreditsNode():
                return f"{have} ECTS sur {need}" if fr else f"{have} of {need} ECTS"
            case MilestoneNode():
                if met:
                    return "acquis" if fr else "held"
                return "pas encore acquis" if fr else "not yet held"
        count = len(self.children)
        if isinstance(self.node, AnyNode):
            if met:
                return "remplie" if fr else "met"
            return (
                f"aucune des {count} options n'est remplie"
                if fr
                else f"none of {count} options met yet"
            )
        if isinstance(self.node, ChooseNode):
            have = number(min(self.have, self.need), check_lang(lang))
            return f"{have} groupes sur {need} remplis" if fr else f"{have} of {need} groups met"
        return f"{have} parties sur {need} remplies" if fr else f"{have} of {need} parts met"


@dataclass(frozen=True, slots=True)
class Missing:
    """One thing still needed, for the requirement ``node`` (a label or path)."""

    node: str
    reason: Reason

    def text(self, lang: str = "en") -> str:
        """Say what is needed, in French or English."""
        return self.reason.text(lang)


@dataclass(frozen=True, slots=True, order=True)
class Remaining:
    """An estimate of what is left to earn, to rank diplomas by closeness.

    Orders by ECTS, then units, then milestones: smaller is closer.
    """

    ects: float
    units: int
    milestones: int


@dataclass(frozen=True, eq=False)
class AuditResult:
    """Whether a record satisfies a diploma, which unit counts where, and what is missing.

    ``missing`` and ``tree()`` are worked out on first use: ranking or
    checking many audits does not pay for explanations nobody reads.
    """

    diploma: Diploma
    satisfied: bool
    # ECTS of the units in ``assignment``.
    ects: float
    # Unit code -> label (or path) of the unit or credits node it counts for.
    assignment: dict[str, str]
    # Share of the assigned ECTS earned by examination (None when nothing is assigned).
    course_share: float | None
    outcome: Outcome = field(repr=False)

    @functools.cached_property
    def missing(self) -> tuple[Missing, ...]:
        """Return what is still needed, node by node; empty exactly when satisfied."""
        return tuple(_missing(self.outcome))

    def tree(self) -> NodeResult:
        """Return the audited requirement tree."""
        return _tree(self.outcome, 0)

    def remaining(self, unit_ects: Mapping[str, float] | None = None) -> Remaining:
        """Return what is left to earn; ``unit_ects`` gives the ECTS of missing units."""
        return _remaining(self.outcome, unit_ects or {})

    def as_json(self, lang: str = "en") -> dict[str, object]:
        """Return the result as the command line prints it with ``--json``."""
        return {
            "diploma": {"code": self.diploma.code, "version": self.diploma.version},
            "satisfied": self.satisfied,
            "ects": _json_number(self.ects),
            "assignment": dict(self.assignment),
            "missing": [{"node": m.node, "text": m.text(lang)} for m in self.missing],
        }


def _json_number(value: float) -> int | float:
    return round(value) if abs(value - round(value)) < EPSILON else value


def _compiled(diploma: Diploma | CompiledDiploma) -> CompiledDiploma:
    return diploma if isinstance(diploma, CompiledDiploma) else compile_diploma(diploma)


def _holdings(record: Record | Holdings) -> Holdings:
    return record if isinstance(record, Holdings) else holdings(record)


def evaluate(diploma: Diploma | CompiledDiploma, record: Record | Holdings) -> AuditResult:
    """Audit ``record`` against ``diploma``.

    Pass a ``CompiledDiploma`` and ``Holdings`` to audit many records against
    many diplomas without preparing either twice.
    """
    outcome = solve(_compiled(diploma), _holdings(record))
    cd = outcome.compiled
    acqs = outcome.acquisitions
    assignment: dict[str, str] = {}
    for a, n in outcome.placed.items():
        assignment[acqs[a].code] = cd.keys[n]
    for n, counted in enumerate(outcome.counted):
        if cd.in_shared[n]:
            for a in counted:
                assignment.setdefault(acqs[a].code, cd.keys[n])
    by_code = outcome.holdings.by_code
    ects = sum(by_code[code].ects for code in assignment)
    total = outcome.placed_ects
    return AuditResult(
        diploma=cd.diploma,
        satisfied=outcome.satisfied,
        ects=ects,
        assignment=dict(sorted(assignment.items())),
        course_share=outcome.assessed_ects / total if total > 0 else None,
        outcome=outcome,
    )


def remaining(
    diploma: Diploma | CompiledDiploma,
    record: Record | Holdings,
    unit_ects: Mapping[str, float] | None = None,
) -> Remaining:
    """Return what ``record`` still lacks for ``diploma``, to rank diplomas by closeness.

    Missing units count their ECTS from ``unit_ects`` (the catalogue), else
    ``TYPICAL_UNIT_ECTS``; missing pool ECTS count as units of that size. An
    ``any`` counts its cheapest option, a ``choose`` its cheapest options.
    """
    return _remaining(solve(_compiled(diploma), _holdings(record)), unit_ects or {})


# -- building the parts ------------------------------------------------------------


def _statuses(outcome: Outcome) -> list[Status]:
    cd = outcome.compiled
    size = len(cd.nodes)
    status = [Status.NOT_MET] * size
    for n in range(size - 1, -1, -1):
        if outcome.met[n]:
            status[n] = Status.MET
        elif cd.kind[n] in {ALL, ANY, CHOOSE}:
            if any(status[c] is not Status.NOT_MET for c in cd.children[n]):
                status[n] = Status.PARTLY_MET
        elif cd.kind[n] == CREDITS and outcome.have[n] > 0:
            status[n] = Status.PARTLY_MET
    return status


def _tree(outcome: Outcome, n: int, status: list[Status] | None = None) -> NodeResult:
    cd = outcome.compiled
    status = status if status is not None else _statuses(outcome)
    acqs = outcome.acquisitions
    return NodeResult(
        node=cd.nodes[n],
        key=cd.keys[n],
        path=cd.paths[n],
        status=status[n],
        have=outcome.have[n],
        need=cd.need[n],
        units=tuple(acqs[a].code for a in outcome.counted[n]),
        children=tuple(_tree(outcome, c, status) for c in cd.children[n]),
    )


def _missing(outcome: Outcome) -> list[Missing]:
    cd = outcome.compiled
    if outcome.satisfied:
        return []
    found: list[Missing] = []
    status = _statuses(outcome) if not outcome.met[0] else []
    h = outcome.holdings

    def visit(n: int) -> None:
        if outcome.met[n]:
            return
        node = cd.nodes[n]
        key = cd.keys[n]
        kind = cd.kind[n]
        if isinstance(node, UnitNode):
            found.append(Missing(key, _unit_reason(outcome, n, node)))
        elif isinstance(node, CreditsNode):
            have = outcome.have[n]
            found.append(
                Missing(
                    key,
                    CreditsNeeded(
                        missing=node.credits - have,
                        have=have,
                        need=node.credits,
                        selector=node.selector,
                        max_units=node.max_units,
                    ),
                )
            )
        elif isinstance(node, MilestoneNode):
            level = None
            if node.language is not None and node.language in h.languages:
                level = CEFR_LEVELS[h.languages[node.language]]
            found.append(
                Missing(
                    key,
                    MilestoneNeeded(
                        node=node,
                        years=h.experience_years,
                        in_field_years=h.in_field_years,
                        level=level,
                    ),
                )
            )
        elif kind == ALL:
            for c in cd.children[n]:
                visit(c)
        else:
            unmet = [c for c in cd.children[n] if not outcome.met[c]]
            more = 1 if kind == ANY else int(cd.need[n]) - int(outcome.have[n])
            options = tuple(cd.nodes[c] for c in unmet)
            found.append(Missing(key, ChoiceNeeded(more=more, options=options, of_any=kind == ANY)))
            # The options already begun are the likeliest way on: say what they lack.
            begun = [c for c in unmet if status[c] is Status.PARTLY_MET]
            for c in begun[:more]:
                visit(c)

    if not outcome.met[0]:
        visit(0)
    if not outcome.share_ok:
        found.append(
            Missing(
                SHARE_KEY,
                ShareNeeded(
                    share=cd.share, assessed=outcome.assessed_ects, total=outcome.placed_ects
                ),
            )
        )
    return found


def _unit_reason(outcome: Outcome, n: int, node: UnitNode) -> UnitNeeded:
    cd = outcome.compiled
    equivalents = cd.equivalents.get(node.code, ())
    by_code = outcome.holdings.by_code
    held = [by_code[code] for code in (node.code, *equivalents) if code in by_code]
    reason = UnitNeeded(code=node.code, equivalents=equivalents, min_grade=node.min_grade)
    if not held:
        return reason
    acqs = outcome.acquisitions
    index = {acq.code: a for a, acq in enumerate(acqs)}
    for acq in held:
        a = index.get(acq.code)
        counts = node.min_grade is None or (acq.grade is not None and acq.grade >= node.min_grade)
        if counts and a is not None and a in outcome.placed and outcome.placed[a] != n:
            return UnitNeeded(
                code=node.code,
                equivalents=equivalents,
                min_grade=node.min_grade,
                held=acq.code,
                best_grade=acq.grade,
                elsewhere=cd.keys[outcome.placed[a]],
            )
    best = max(held, key=lambda acq: -1.0 if acq.grade is None else acq.grade)
    if node.min_grade is not None:
        return UnitNeeded(
            code=node.code,
            equivalents=equivalents,
            min_grade=node.min_grade,
            held=best.code,
            best_grade=best.grade,
        )
    return reason


def _remaining(outcome: Outcome, unit_ects: Mapping[str, float]) -> Remaining:
    cd = outcome.compiled
    met = outcome.met
    size = len(cd.nodes)
    # Per node: ECTS, units and milestones still to earn, children before parents.
    left: list[tuple[float, int, int]] = [(0.0, 0, 0)] * size
    for n in cd.whole_leaves:
        if not met[n]:
            node = cd.nodes[n]
            if isinstance(node, UnitNode):
                left[n] = (unit_ects.get(node.code, TYPICAL_UNIT_ECTS), 1, 0)
            else:
                left[n] = (0.0, 0, 1)
    for n, need in cd.pool_leaves:
        if not met[n]:
            lack = max(need - outcome.have[n], 0.0)
            left[n] = (lack, math.ceil(lack / TYPICAL_UNIT_ECTS - EPSILON), 0)
    for n, children, threshold in cd.groups_upward:
        if met[n]:
            continue
        parts = sorted(left[c] for c in children if not met[c])
        if cd.kind[n] == ANY:
            left[n] = parts[0]
            continue
        if cd.kind[n] == CHOOSE:
            parts = parts[: max(int(threshold) - int(outcome.have[n]), 0)]
        left[n] = (
            sum(p[0] for p in parts),
            sum(p[1] for p in parts),
            sum(p[2] for p in parts),
        )
    ects, units, milestones = left[0]
    if not outcome.share_ok and cd.share < 1:
        # Examined ECTS to add so that the share holds.
        lack = (cd.share * outcome.placed_ects - outcome.assessed_ects) / (1 - cd.share)
        ects += max(lack, 0.0)
        units += math.ceil(max(lack, 0.0) / TYPICAL_UNIT_ECTS - EPSILON)
    return Remaining(ects=ects, units=units, milestones=milestones)
