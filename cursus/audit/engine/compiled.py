"""A diploma compiled once into flat tables, to audit many records against it cheaply."""

from __future__ import annotations

import functools
from typing import Final

from cursus.audit.engine.rules import (
    AllNode,
    AnyNode,
    ChooseNode,
    CreditsNode,
    Diploma,
    MilestoneNode,
    Node,
    UnitNode,
    form_of,
)

UNIT: Final = 0
ALL: Final = 1
ANY: Final = 2
CHOOSE: Final = 3
CREDITS: Final = 4
MILESTONE: Final = 5
# Capacity of a credits pool without max_units: more units than any record holds.
UNBOUNDED: Final = 1 << 30
# Tolerance on sums of ECTS, which may be decimals.
EPSILON: Final = 1e-9

# Nodes accepting a unit, the consuming ones among them, and whether a grade floor applies.
Lookup = tuple[tuple[int, ...], tuple[int, ...], bool]

_KIND_OF = {
    UnitNode: UNIT,
    AllNode: ALL,
    AnyNode: ANY,
    ChooseNode: CHOOSE,
    CreditsNode: CREDITS,
    MilestoneNode: MILESTONE,
}


class CompiledDiploma:
    """Hold a diploma's tree as tables indexed by node number (parents first).

    Node 0 is the root; children have higher numbers than their parent, so a
    pass over the numbers in reverse evaluates children before parents.
    """

    __slots__ = (
        "_targets",
        "cap",
        "children",
        "codes",
        "consumer_order",
        "consumers",
        "counts_as",
        "diploma",
        "equivalents",
        "floored",
        "grade_floor",
        "groups_upward",
        "in_shared",
        "keys",
        "kind",
        "milestones",
        "need",
        "nodes",
        "open_selectors",
        "parent",
        "paths",
        "pool_leaves",
        "search_order",
        "share",
        "shared_leaves",
        "shared_roots",
        "unit_index",
        "unit_nodes",
        "whole_leaves",
    )

    def __init__(self, diploma: Diploma) -> None:
        self.diploma = diploma
        self.nodes: list[Node] = []
        self.paths: list[str] = []
        self.parent: list[int] = []
        self.in_shared: list[bool] = []
        self._number(diploma.requires, "requires", -1, in_shared=False)
        size = len(self.nodes)
        self.kind: list[int] = [_KIND_OF[type(node)] for node in self.nodes]
        self.keys: list[str] = [
            node.label if node.label is not None else path
            for node, path in zip(self.nodes, self.paths, strict=True)
        ]
        children: list[list[int]] = [[] for _ in range(size)]
        for n in range(1, size):
            children[self.parent[n]].append(n)
        self.children: list[tuple[int, ...]] = [tuple(c) for c in children]
        # The search fills specific units before groups and pools, which take
        # whatever is left: it finds the natural assignment first.
        rank = {UNIT: 0, MILESTONE: 0, ALL: 1, ANY: 1, CHOOSE: 1, CREDITS: 2}
        self.search_order: list[tuple[int, ...]] = [
            tuple(sorted(c, key=lambda m: (rank[self.kind[m]], m))) for c in self.children
        ]
        self.need: list[float] = []
        self.cap: list[int] = []
        self.grade_floor: list[float | None] = []
        for node in self.nodes:
            need, cap, floor = 1.0, 1, None
            if isinstance(node, UnitNode):
                floor = node.min_grade
            elif isinstance(node, AllNode):
                need = float(len(node.children))
            elif isinstance(node, ChooseNode):
                need = float(node.count)
            elif isinstance(node, CreditsNode):
                need = node.credits
                cap = node.max_units if node.max_units is not None else UNBOUNDED
            self.need.append(need)
            self.cap.append(cap)
            self.grade_floor.append(floor)
        self.consumers: frozenset[int] = frozenset(
            n for n in range(size) if self.kind[n] in {UNIT, CREDITS} and not self.in_shared[n]
        )
        self.consumer_order: tuple[int, ...] = tuple(sorted(self.consumers))
        # The evaluation's plan: leaves met by a whole (units, milestones),
        # pools met by ECTS, then groups from the bottom up with the number of
        # children each needs.
        self.whole_leaves: tuple[int, ...] = tuple(
            n for n in range(size) if self.kind[n] in {UNIT, MILESTONE}
        )
        self.pool_leaves: tuple[tuple[int, float], ...] = tuple(
            (n, self.need[n]) for n in range(size) if self.kind[n] == CREDITS
        )
        self.groups_upward: tuple[tuple[int, tuple[int, ...], float], ...] = tuple(
            (n, self.children[n], 1.0 if self.kind[n] == ANY else self.need[n])
            for n in range(size - 1, -1, -1)
            if self.kind[n] in {ALL, ANY, CHOOSE}
        )
        self.unit_nodes: tuple[int, ...] = tuple(n for n in range(size) if self.kind[n] == UNIT)
        self.floored: frozenset[int] = frozenset(
            n for n in range(size) if self.grade_floor[n] is not None
        )
        self.shared_leaves: tuple[int, ...] = tuple(
            n for n in range(size) if self.in_shared[n] and self.kind[n] in {UNIT, CREDITS}
        )
        self.shared_roots: tuple[int, ...] = tuple(
            n
            for n in range(size)
            if self.in_shared[n] and (n == 0 or not self.in_shared[self.parent[n]])
        )
        self.milestones: tuple[int, ...] = tuple(
            n for n in range(size) if self.kind[n] == MILESTONE
        )
        self.share: float = diploma.min_course_share or 0.0

        equivalents: dict[str, tuple[str, ...]] = {}
        for eq in diploma.equivalences:
            equivalents[eq.code] = (*equivalents.get(eq.code, ()), *eq.equivalents)
        self.equivalents = equivalents
        counts_as: dict[str, list[str]] = {}
        for eq in diploma.equivalences:
            for other in eq.equivalents:
                counts_as.setdefault(other, []).append(eq.code)
        self.counts_as: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in counts_as.items()}
        unit_index: dict[str, list[int]] = {}
        for n, node in enumerate(self.nodes):
            if isinstance(node, UnitNode):
                unit_index.setdefault(node.code, []).append(n)
        for eq in diploma.equivalences:
            for other in eq.equivalents:
                unit_index.setdefault(other, []).extend(unit_index.get(eq.code, ()))
        self.unit_index: dict[str, tuple[int, ...]] = {
            code: tuple(sorted(set(ns))) for code, ns in unit_index.items() if ns
        }
        pools = [node for node in self.nodes if isinstance(node, CreditsNode)]
        self.open_selectors: bool = any(
            p.selector.everything or p.selector.prefixes or p.selector.departments for p in pools
        )
        codes = set(self.unit_index)
        for pool in pools:
            codes.update(pool.selector.units)
            for code in pool.selector.units:
                codes.update(other for other, targets in self.counts_as.items() if code in targets)
        self.codes: frozenset[str] = frozenset(codes)
        self._targets: dict[tuple[str, str | None], Lookup] = {}

    def _number(self, node: Node, path: str, parent: int, *, in_shared: bool) -> None:
        shared = in_shared or node.shared
        self.nodes.append(node)
        self.paths.append(path)
        self.parent.append(parent)
        self.in_shared.append(shared)
        me = len(self.nodes) - 1
        if isinstance(node, AllNode | AnyNode | ChooseNode):
            form = form_of(node)
            for i, child in enumerate(node.children):
                self._number(child, f"{path}/{form}[{i}]", me, in_shared=shared)

    def lookup(self, code: str, department: str | None) -> Lookup:
        """Return the nodes accepting a unit, the consuming ones, and whether a floor applies."""
        key = (code, department)
        found = self._targets.get(key)
        if found is None:
            nodes = set(self.unit_index.get(code, ()))
            counts_as = self.counts_as.get(code, ())
            for n, node in enumerate(self.nodes):
                if isinstance(node, CreditsNode) and node.selector.matches(
                    code, department, counts_as
                ):
                    nodes.add(n)
            targets = tuple(sorted(nodes))
            consuming = tuple(n for n in targets if n in self.consumers)
            found = self._targets[key] = (
                targets,
                consuming,
                bool(self.floored.intersection(targets)),
            )
        return found

    def above_floors(
        self, targets: tuple[int, ...], grade: float | None
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Return ``targets`` and their consuming part, less nodes whose floor ``grade`` misses."""
        floors = self.grade_floor
        kept = tuple(
            n
            for n in targets
            if (floor := floors[n]) is None or (grade is not None and grade >= floor)
        )
        return kept, tuple(n for n in kept if n in self.consumers)

    def accepts(self, code: str, department: str | None = None) -> bool:
        """Return whether an acquisition of ``code`` could count anywhere in the diploma."""
        return bool(self.lookup(code, department)[0])


@functools.lru_cache(maxsize=512)
def compile_diploma(diploma: Diploma) -> CompiledDiploma:
    """Return ``diploma`` compiled; the result is cached per diploma value."""
    return CompiledDiploma(diploma)
