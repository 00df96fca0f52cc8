"""Assign a record's acquisitions to a diploma's requirements.

Three steps, each exact where it answers whether the diploma is satisfied:

1. The relaxed reading gives every unit and credits node all the acquisitions
   it accepts. When no acquisition is accepted by two consuming nodes (and the
   course share cannot bite), that reading is a valid assignment and the
   answer.
2. Otherwise, when the relaxed reading satisfies the root, a depth-first
   search looks for a real assignment: it walks the tree choosing the
   children of ``any`` and ``choose`` and a unit for each ``unit`` node,
   defers credits pools to the end and then shares the units left between
   the pools it must fill. Interchangeable units are tried once, states known
   to fail are remembered, and each step is pruned by the relaxed reading of
   what is left. With ``min_course_share``, an assignment of examined units
   alone is looked for first (it meets any share); failing that, the search
   keeps going until an assignment meets the share, extending each candidate
   with every examined unit that still fits (a max-weight placement by
   augmenting paths), and otherwise keeps the one closest to it.
3. When the diploma is not satisfied, each contended acquisition goes where
   it adds most weighted progress (``_Partial``), and every other unit that
   fits is added, so that explanations say what is really missing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cursus.audit.engine.compiled import (
    ALL,
    ANY,
    CREDITS,
    EPSILON,
    UNIT,
    CompiledDiploma,
)
from cursus.audit.engine.record import Acquisition, Holdings
from cursus.audit.engine.rules import CEFR_LEVELS, MilestoneNode, UnitNode

Chain = tuple[int, int, "Chain"] | None
Pair = tuple[int, int]


@dataclass(slots=True, eq=False)
class Outcome:
    """The assignment chosen for one record against one diploma, node by node."""

    compiled: CompiledDiploma
    holdings: Holdings
    # The acquisitions some unit or credits node accepts, most ECTS first.
    acquisitions: list[Acquisition]
    # Acquisition index -> consuming node it is assigned to.
    placed: dict[int, int]
    # Per node: the acquisitions counted there (for shared nodes, those shown).
    counted: list[list[int]]
    # Per node: units held (unit), ECTS (credits), children met (groups), 1/0 (milestones).
    have: list[float]
    met: list[bool]
    share_ok: bool
    assessed_ects: float
    placed_ects: float

    @property
    def satisfied(self) -> bool:
        """Return whether the assignment satisfies the diploma."""
        return self.met[0] and self.share_ok


def milestone_met(node: MilestoneNode, holdings: Holdings) -> bool:
    """Return whether the record meets a milestone requirement."""
    if node.kind == "experience":
        if node.years is None and node.in_field_years is None:
            return "experience" in holdings.milestone_kinds
        return holdings.experience_years + EPSILON >= (node.years or 0.0) and (
            holdings.in_field_years + EPSILON >= (node.in_field_years or 0.0)
        )
    if node.kind == "language":
        rank = holdings.languages.get(node.language or "", -1)
        return rank >= CEFR_LEVELS.index(node.level or "A1")
    return node.kind in holdings.milestone_kinds


class _Audit:
    """One record against one compiled diploma."""

    def __init__(self, cd: CompiledDiploma, holdings: Holdings) -> None:
        self.cd = cd
        self.holdings = holdings
        size = len(cd.nodes)
        # Acquisitions are numbered in the order pools prefer them, so that
        # every pool's list of candidates comes out sorted.
        if cd.open_selectors:
            pool: Sequence[Acquisition] = holdings.ranked
        else:
            by_code = holdings.by_code
            codes = sorted(cd.codes.intersection(by_code), key=holdings.rank.__getitem__)
            pool = [by_code[code] for code in codes]
        acqs: list[Acquisition] = []
        cons: list[tuple[int, ...]] = []
        eligible: list[tuple[int, ...]] = []
        lookup = cd.lookup
        for acq in pool:
            targets, consuming, floored = lookup(acq.code, acq.department)
            if not targets:
                continue
            if floored:
                targets, consuming = cd.above_floors(targets, acq.grade)
                if not targets:
                    continue
            acqs.append(acq)
            cons.append(consuming)
            eligible.append(targets)
        cands: list[list[int]] = [[] for _ in range(size)]
        for a, targets in enumerate(eligible):
            for n in targets:
                cands[n].append(a)
        # Unit nodes prefer the very code, then an examined unit, then the best grade.
        nodes = cd.nodes
        for n in cd.unit_nodes:
            found = cands[n]
            if len(found) > 1:
                node = nodes[n]
                code = node.code if isinstance(node, UnitNode) else ""
                found.sort(
                    key=lambda a: (
                        acqs[a].code != code,
                        not acqs[a].assessed,
                        -(acqs[a].grade or 0.0),
                        a,
                    )
                )
        self.acqs = acqs
        self.cons = cons
        self.ects = [a.ects for a in acqs]
        self.assessed = [a.assessed for a in acqs]
        self.cands = cands
        self.const: dict[int, bool] = {}
        for n in cd.milestones:
            node = nodes[n]
            self.const[n] = isinstance(node, MilestoneNode) and milestone_met(node, holdings)
        self.contended = any(len(c) > 1 for c in cons)
        # The share can only fail when a unit validated without assessment may count.
        self.share = (
            cd.share
            if cd.share > 0 and not all(self.assessed[a] for a in range(len(acqs)) if cons[a])
            else 0.0
        )

    # -- reading an assignment -------------------------------------------------

    def relaxed_have(self) -> list[float]:
        """Return leaf values when every node gets all it accepts."""
        cd = self.cd
        have = [0.0] * len(cd.nodes)
        ects = self.ects
        for n, found in enumerate(self.cands):
            if not found:
                continue
            if cd.kind[n] == UNIT:
                have[n] = 1.0
            elif cd.kind[n] == CREDITS:
                have[n] = sum(ects[a] for a in found[: cd.cap[n]])
        for n, value in self.const.items():
            have[n] = 1.0 if value else 0.0
        return have

    def evaluate(self, have: list[float]) -> list[bool]:
        """Fill group values in ``have`` and return which nodes are met."""
        cd = self.cd
        met = [False] * len(have)
        for n in cd.whole_leaves:
            met[n] = have[n] >= 1.0
        for n, need in cd.pool_leaves:
            met[n] = have[n] + EPSILON >= need
        # Groups, children before parents.
        for n, children, threshold in cd.groups_upward:
            count = sum(map(met.__getitem__, children))
            have[n] = float(count)
            met[n] = count >= threshold
        return met

    def outcome(self, placed: dict[int, int]) -> Outcome:
        """Return the outcome of a placement, with the shared nodes' units shown."""
        cd = self.cd
        size = len(cd.nodes)
        counted: list[list[int]] = [[] for _ in range(size)]
        for a, n in sorted(placed.items()):
            counted[n].append(a)
        have = [0.0] * size
        ects = self.ects
        for n in cd.consumer_order:
            have[n] = (
                float(len(counted[n])) if cd.kind[n] == UNIT else sum(ects[a] for a in counted[n])
            )
        for n, value in self.const.items():
            have[n] = 1.0 if value else 0.0
        self.show_shared(placed, counted, have)
        return self.finish(placed, counted, have, self.evaluate(have))

    def show_shared(
        self, placed: dict[int, int], counted: list[list[int]], have: list[float]
    ) -> None:
        """Choose the units shown at shared leaves, and set their values."""
        cd = self.cd
        for n in cd.shared_leaves:
            shown = counted[n] = self.shown(n, placed)
            if cd.kind[n] == UNIT:
                have[n] = float(len(shown))
            else:
                have[n] = sum(self.ects[a] for a in shown)

    def finish(
        self, placed: dict[int, int], counted: list[list[int]], have: list[float], met: list[bool]
    ) -> Outcome:
        """Return the outcome, with the course share read from the placement."""
        cd = self.cd
        ects = self.ects
        assessed = total = 0.0
        for a in placed:
            total += ects[a]
            if self.assessed[a]:
                assessed += ects[a]
        return Outcome(
            compiled=cd,
            holdings=self.holdings,
            acquisitions=self.acqs,
            placed=placed,
            counted=counted,
            have=have,
            met=met,
            share_ok=cd.share <= 0 or assessed + EPSILON >= cd.share * total,
            assessed_ects=assessed,
            placed_ects=total,
        )

    def shown(self, n: int, placed: dict[int, int]) -> list[int]:
        """Return the units a shared node counts, preferring units counted elsewhere."""
        found = self.cands[n]
        if not found:
            return []
        if self.cd.kind[n] == UNIT:
            return [next((a for a in found if a in placed), found[0])]
        need, cap = self.cd.need[n], self.cd.cap[n]
        chosen: list[int] = []
        total = 0.0
        for a in sorted(found, key=lambda a: a not in placed):
            if total + EPSILON >= need or len(chosen) >= cap:
                break
            chosen.append(a)
            total += self.ects[a]
        if total + EPSILON >= need:
            return chosen
        return found[:cap]

    # -- the three steps -------------------------------------------------------

    def solve(self) -> Outcome:
        """Return the assignment to show: a satisfying one whenever one exists."""
        cd = self.cd
        have = self.relaxed_have()
        met = self.evaluate(have)
        for n in cd.shared_roots:
            self.const[n] = met[n]
        if not self.contended and not self.share:
            # Each unit fits one consuming node at most: the relaxed reading is
            # the assignment, and its values stand.
            placed: dict[int, int] = {}
            counted: list[list[int]] = [[] for _ in have]
            for n in cd.consumer_order:
                found = self.cands[n]
                if found:
                    taken = counted[n] = found[: cd.cap[n]]
                    for a in taken:
                        placed[a] = n
            self.show_shared(placed, counted, have)
            return self.finish(placed, counted, have, met)
        if met[0]:
            # Under a course share, an assignment of examined units alone is
            # looked for first: it meets the share, and it is found fast.
            core = _Search(self, examined_only=True).run() if self.share else None
            if core is None:
                core = _Search(self).run()
            if core is not None:
                return self.outcome(self.complete(dict(core), guard_share=True))
        return self.outcome(self.complete(self.partial(), guard_share=False))

    def complete(self, core: dict[int, int], *, guard_share: bool) -> dict[int, int]:
        """Add to ``core`` every other acquisition that fits, to show all that counts.

        With ``guard_share``, units validated without assessment are added only
        while the course share still holds.
        """
        ects = self.ects
        rest = [a for a in range(len(self.acqs)) if self.cons[a] and a not in core]
        rest.sort(key=lambda a: (-ects[a], not self.assessed[a], a))
        placement = _Placement(self, core)
        if not (self.share and guard_share):
            return placement.extend(rest)
        placed = placement.extend([a for a in rest if self.assessed[a]])
        share = self.share
        balance = sum(
            (1 - share) * ects[a] if self.assessed[a] else -share * ects[a] for a in placed
        )
        for a in sorted((a for a in rest if not self.assessed[a]), key=lambda a: (ects[a], a)):
            if balance - share * ects[a] + EPSILON >= 0 and placement.place(a):
                balance -= share * ects[a]
        return placement.where

    def partial(self) -> dict[int, int]:
        """Return the placement that makes most progress, for an unmet diploma."""
        return _Partial(self).run()


class _Placement:
    """Place extra acquisitions into the free room of an assignment, by augmenting paths.

    Acquisitions of the starting assignment never move; placing in order of
    weight gives a placement of maximal weight (the placeable sets form a
    transversal matroid).
    """

    def __init__(self, audit: _Audit, core: dict[int, int]) -> None:
        cd = audit.cd
        self.cons = audit.cons
        self.where = dict(core)
        self.spare = list(cd.cap)
        for n in core.values():
            self.spare[n] -= 1
        self.extra: dict[int, list[int]] = {}

    def extend(self, order: Sequence[int]) -> dict[int, int]:
        """Place what fits of ``order``, in that order, and return the placement."""
        for a in order:
            self.place(a)
        return self.where

    def place(self, a: int) -> bool:
        """Place ``a``, moving earlier extras if need be; return whether it fits."""
        return self._place(a, set())

    def _place(self, a: int, visited: set[int]) -> bool:
        for n in self.cons[a]:
            if n in visited:
                continue
            visited.add(n)
            if self.spare[n] > 0:
                self.spare[n] -= 1
                self.extra.setdefault(n, []).append(a)
                self.where[a] = n
                return True
            for i, b in enumerate(self.extra.get(n, ())):
                if self._place(b, visited):
                    self.extra[n][i] = a
                    self.where[a] = n
                    return True
        return False


class _Search:
    """Find a satisfying assignment by depth-first search over the tree."""

    def __init__(self, audit: _Audit, *, examined_only: bool = False) -> None:
        self.audit = audit
        cd = audit.cd
        self.cd = cd
        self.cands = audit.cands
        self.cons = audit.cons
        self.ects = audit.ects
        self.assessed = audit.assessed
        self.const = audit.const
        # Without validated units the share holds whatever is assigned.
        self.share = 0.0 if examined_only else audit.share
        self.start = 0
        if examined_only:
            for a, assessed in enumerate(audit.assessed):
                if not assessed:
                    self.start |= 1 << a
        self.private = [len(c) == 1 for c in audit.cons]
        # Per acquisition, the consuming nodes that accept it, as a bit mask.
        self.accepted_by = [sum(1 << n for n in c) for c in audit.cons]
        self.dead: set[tuple[int, ...]] = set()
        self.failed_allocations: set[tuple[tuple[int, ...], int]] = set()
        self.memo: dict[tuple[int, int], bool] = {}
        self.best: list[Pair] | None = None
        self.best_balance = float("-inf")
        share = self.share
        self.exam_room = sum(
            (1 - share) * e for a, e in enumerate(self.ects) if self.assessed[a] and self.cons[a]
        )
        self.validated = [
            (a, e) for a, e in enumerate(self.ects) if not self.assessed[a] and self.cons[a]
        ]

    def run(self) -> list[Pair] | None:
        """Return a satisfying core assignment, or the best one under a failed share."""
        for used, pending, chain in self.gen(0, self.start, 0, None):
            filled = self.allocate(pending, used)
            if filled is None:
                # No way to fill the pools at all: the share cannot help.
                continue
            if not self.share:
                return _pairs(chain) + filled
            if self.best is not None and self.bound(used) <= self.best_balance + EPSILON:
                continue
            # The pools filled greedily usually meet the share already; only
            # when they do not are all the minimal fillings tried.
            for allocation in itertools.chain([filled], self.allocations(pending, used)):
                core = _pairs(chain) + allocation
                balance = self.balance(core)
                if balance > self.best_balance + EPSILON:
                    self.best, self.best_balance = core, balance
                if balance + EPSILON >= 0:
                    return core
        return self.best

    # -- the tree ----------------------------------------------------------------

    def possible(self, n: int, used: int) -> bool:
        """Return whether ``n`` could be met from the unused acquisitions, ignoring conflicts."""
        key = (n, used)
        known = self.memo.get(key)
        if known is not None:
            return known
        cd = self.cd
        k = cd.kind[n]
        if n in self.const:
            result = self.const[n]
        elif k == UNIT:
            result = any(not used >> a & 1 for a in self.cands[n])
        elif k == CREDITS:
            total, count, cap, need = 0.0, 0, cd.cap[n], cd.need[n]
            for a in self.cands[n]:
                if not used >> a & 1:
                    total += self.ects[a]
                    count += 1
                    if count >= cap or total + EPSILON >= need:
                        break
            result = total + EPSILON >= need
        elif k == ALL:
            result = all(self.possible(c, used) for c in cd.children[n])
        elif k == ANY:
            result = any(self.possible(c, used) for c in cd.children[n])
        else:
            needed = int(cd.need[n])
            result = False
            for c in cd.children[n]:
                if self.possible(c, used):
                    needed -= 1
                    if needed <= 0:
                        result = True
                        break
        self.memo[key] = result
        return result

    def bound(self, used: int) -> float:
        """Return the best share balance reachable once ``used`` is committed."""
        return self.exam_room - self.share * sum(e for a, e in self.validated if used >> a & 1)

    def gen(
        self, n: int, used: int, pending: int, chain: Chain
    ) -> Iterator[tuple[int, int, Chain]]:
        """Yield the ways to meet node ``n``: acquisitions used, pools pending, pairs."""
        if n in self.const:
            if self.const[n]:
                yield used, pending, chain
            return
        k = self.cd.kind[n]
        if k == UNIT:
            for a in self.unit_options(n, used):
                yield used | 1 << a, pending, (a, n, chain)
        elif k == CREDITS:
            if self.possible(n, used):
                yield used, pending | 1 << n, chain
        elif k == ALL:
            yield from self.gen_all(n, 0, used, pending, chain)
        elif k == ANY:
            tried: list[tuple[int, int]] = []
            for c in self.cd.search_order[n]:
                if not self.possible(c, used):
                    continue
                for u, p, ch in self.gen(c, used, pending, chain):
                    if self.dominated(u, p, tried):
                        continue
                    tried.append((u, p))
                    yield u, p, ch
                    if u == used and p == pending:
                        # Meeting a child at no cost is as good as any other way.
                        return
        else:
            yield from self.gen_choose(n, used, pending, chain, start=0, count=int(self.cd.need[n]))

    def dominated(self, used: int, pending: int, tried: list[tuple[int, int]]) -> bool:
        """Return whether a way that uses more than one already tried can be skipped.

        Without a course share, using fewer units and leaving fewer pools to
        fill is never worse; with one, a unit used may raise the share, so
        only repeats are skipped.
        """
        if self.share:
            return False
        return any(u | used == used and p | pending == pending for u, p in tried)

    def gen_all(
        self, n: int, i: int, used: int, pending: int, chain: Chain
    ) -> Iterator[tuple[int, int, Chain]]:
        """Yield the ways to meet the children of ``n`` from the ``i``-th on."""
        order = self.cd.search_order[n]
        if i == len(order):
            yield used, pending, chain
            return
        key = (n, i, used, pending)
        if key in self.dead:
            return
        if not self.viable(order[i:], used, pending):
            self.dead.add(key)
            return
        found = False
        tried: list[tuple[int, int]] = []
        for u, p, ch in self.gen(order[i], used, pending, chain):
            if self.dominated(u, p, tried):
                continue
            tried.append((u, p))
            for result in self.gen_all(n, i + 1, u, p, ch):
                found = True
                yield result
        if not found:
            self.dead.add(key)

    def gen_choose(
        self, n: int, used: int, pending: int, chain: Chain, *, start: int, count: int
    ) -> Iterator[tuple[int, int, Chain]]:
        """Yield the ways to meet ``count`` children of ``n`` from the ``start``-th on."""
        if count == 0:
            yield used, pending, chain
            return
        order = self.cd.search_order[n]
        if len(order) - start < count:
            return
        key = (n, start, count, used, pending)
        if key in self.dead:
            return
        if sum(self.possible(c, used) for c in order[start:]) < count or not self.viable(
            (), used, pending
        ):
            self.dead.add(key)
            return
        found = False
        for j in range(start, len(order) - count + 1):
            if not self.possible(order[j], used):
                continue
            tried: list[tuple[int, int]] = []
            for u, p, ch in self.gen(order[j], used, pending, chain):
                if self.dominated(u, p, tried):
                    continue
                tried.append((u, p))
                for result in self.gen_choose(n, u, p, ch, start=j + 1, count=count - 1):
                    found = True
                    yield result
        if not found:
            self.dead.add(key)

    def viable(self, remaining: Sequence[int], used: int, pending: int) -> bool:
        """Return whether the remaining children and pending pools could all be met."""
        if self.share and self.best is not None and self.bound(used) <= self.best_balance + EPSILON:
            return False
        if not all(self.possible(c, used) for c in remaining):
            return False
        while pending:
            low = pending & -pending
            if not self.possible(low.bit_length() - 1, used):
                return False
            pending ^= low
        return True

    def unit_options(self, n: int, used: int) -> Iterator[int]:
        """Yield the acquisitions worth trying for unit node ``n``, one per kind."""
        available = [a for a in self.cands[n] if not used >> a & 1]
        if not self.share:
            for a in available:
                if self.private[a]:
                    # Nothing else wants it: taking it costs nothing.
                    yield a
                    return
        seen: set[tuple[object, ...]] = set()
        for a in available:
            profile = (self.cons[a], self.ects[a], self.assessed[a] if self.share else None)
            if profile not in seen:
                seen.add(profile)
                yield a

    # -- the pools ---------------------------------------------------------------

    def allocate(self, pending: int, used: int) -> list[Pair] | None:
        """Return units for every pending pool from those unused, or None."""
        pools = _bits(pending)
        return self._allocate(pools, 0, used)

    def _allocate(self, pools: list[int], i: int, used: int) -> list[Pair] | None:
        if i == len(pools):
            return []
        memo_key = (tuple(pools[i:]), used)
        if memo_key in self.failed_allocations:
            return None
        if not self.enough(pools[i:], used):
            self.failed_allocations.add(memo_key)
            return None
        for items in self.pool_options(pools[i], pools[i + 1 :], used, minimal=False):
            mask = used
            for a in items:
                mask |= 1 << a
            rest = self._allocate(pools, i + 1, mask)
            if rest is not None:
                return [(a, pools[i]) for a in items] + rest
        self.failed_allocations.add(memo_key)
        return None

    def enough(self, pools: Sequence[int], used: int) -> bool:
        """Return whether the unused units could fill ``pools`` together, each counted once."""
        if len(pools) < 2:
            return True
        seen = used
        total = 0.0
        for n in pools:
            for a in self.cands[n]:
                if not seen >> a & 1:
                    seen |= 1 << a
                    total += self.ects[a]
        return total + EPSILON >= sum(self.cd.need[n] for n in pools)

    def allocations(self, pending: int, used: int) -> Iterator[list[Pair]]:
        """Yield every minimal way to fill the pending pools (course share search)."""
        yield from self._allocations(_bits(pending), 0, used)

    def _allocations(self, pools: list[int], i: int, used: int) -> Iterator[list[Pair]]:
        if i == len(pools):
            yield []
            return
        for items in self.pool_options(pools[i], pools[i + 1 :], used, minimal=True):
            mask = used
            for a in items:
                mask |= 1 << a
            for rest in self._allocations(pools, i + 1, mask):
                yield [(a, pools[i]) for a in items] + rest

    def pool_options(
        self, n: int, later: Sequence[int], used: int, *, minimal: bool
    ) -> Iterator[list[int]]:
        """Yield the sets of unused units worth trying to fill pool ``n``.

        Units no later pool accepts are private: unless ``minimal``, the pool
        takes as many of them as fit, at no cost to others. The other units
        are grouped by which later pools accept them and their ECTS (and
        whether examined, when ``minimal``); within a group they are
        interchangeable, so only first-k subsets are tried. With ``minimal``
        (for the course share) every unit is grouped and only minimal sets are
        yielded: units beyond them would only add validated ECTS, as examined
        ones are added afterwards wherever they fit.
        """
        need, cap = self.cd.need[n], self.cd.cap[n]
        later_mask = sum(1 << m for m in later)
        accepted_by = self.accepted_by
        available = [a for a in self.cands[n] if not used >> a & 1]
        if minimal:
            available.sort(key=lambda a: (not self.assessed[a], -self.ects[a], a))
            private: list[int] = []
            shared = available
        else:
            private = [a for a in available if not accepted_by[a] & later_mask]
            shared = [a for a in available if accepted_by[a] & later_mask]
        fill = [0.0]
        for a in private:
            fill.append(fill[-1] + self.ects[a])
        groups: dict[tuple[object, ...], list[int]] = {}
        for a in shared:
            profile = (
                accepted_by[a] & later_mask,
                self.ects[a],
                self.assessed[a] if minimal else None,
            )
            groups.setdefault(profile, []).append(a)
        members = list(groups.values())
        options: list[tuple[int, list[int]]] = []
        counts = [0] * len(members)
        # ECTS of the groups from the g-th on, to stop early where they cannot suffice.
        rest = [0.0] * (len(members) + 1)
        for g in range(len(members) - 1, -1, -1):
            rest[g] = rest[g + 1] + sum(self.ects[a] for a in members[g])

        def valid(size: int, total: float) -> bool:
            room = min(cap - size, len(private))
            return size <= cap and total + fill[room] + EPSILON >= need

        def walk(g: int, size: int, total: float) -> None:
            if size > cap:
                return
            if valid(size, total):
                options.append((size, list(counts)))
                return
            if (
                g == len(members)
                or total + rest[g] + fill[min(cap - size, len(private))] + EPSILON < need
            ):
                return
            for k in range(len(members[g]) + 1):
                counts[g] = k
                walk(g + 1, size + k, total + sum(self.ects[a] for a in members[g][:k]))
            counts[g] = 0

        walk(0, 0, 0.0)
        # Try first what takes the fewest ECTS that later pools could use.
        taken = [sum(k * self.ects[members[g][0]] for g, k in enumerate(v)) for _, v in options]
        order = sorted(range(len(options)), key=lambda i: (taken[i], options[i][0], options[i][1]))
        options = [options[i] for i in order]
        kept: list[list[int]] = []
        for size, vector in options:
            if any(all(x <= y for x, y in zip(k, vector, strict=True)) for k in kept):
                continue
            kept.append(vector)
            items = [a for g, k in enumerate(vector) for a in members[g][:k]]
            if minimal:
                smallest = min((self.ects[a] for a in items), default=0.0)
                total = sum(self.ects[a] for a in items)
                if items and total - smallest + EPSILON >= need:
                    continue
                yield items
            else:
                yield items + private[: min(cap - size, len(private))]

    # -- the course share --------------------------------------------------------

    def balance(self, core: list[Pair]) -> float:
        """Return the best share balance of ``core`` once extended with examined units."""
        share = self.share
        taken = {a for a, _ in core}
        extra = [
            a for a in range(len(self.ects)) if self.assessed[a] and self.cons[a] and a not in taken
        ]
        extra.sort(key=lambda a: (-self.ects[a], a))
        placed = _Placement(self.audit, dict(core)).extend(extra)
        return sum(
            (1 - share) * self.ects[a] if self.assessed[a] else -share * self.ects[a]
            for a in placed
        )


class _Partial:
    """Choose where contended acquisitions go for the most progress, greedily.

    Each requirement weighs what it adds to the root: children of an ``all``
    share its weight, a ``choose N`` gives each child an N-th, and an ``any``
    or ``choose`` already met by uncontended units gives nothing more. Each
    contended acquisition, in code order, goes where it adds most: a whole
    unit node's weight, or a pool's weight times the share of its missing
    ECTS it brings.
    """

    def __init__(self, audit: _Audit) -> None:
        self.audit = audit
        cd = audit.cd
        self.cd = cd
        cons = audit.cons
        self.contended = [a for a in range(len(cons)) if len(cons[a]) > 1]
        # Acquisitions only one consuming node accepts go there, best first.
        self.private = {
            n: [a for a in audit.cands[n] if len(cons[a]) == 1] for n in cd.consumer_order
        }

    def run(self) -> dict[int, int]:
        """Return the placement chosen."""
        cd = self.cd
        audit = self.audit
        ects = audit.ects
        placed: dict[int, int] = {}
        count: dict[int, int] = {}
        have: dict[int, float] = {}
        for n in cd.consumer_order:
            taken = self.private[n][: cd.cap[n]]
            for a in taken:
                placed[a] = n
            count[n] = len(taken)
            have[n] = sum(ects[a] for a in taken)
        weight = self.weights(have)
        for a in self.contended:
            best, best_gain = -1, EPSILON
            for n in audit.cons[a]:
                if count[n] >= cd.cap[n]:
                    continue
                if cd.kind[n] == UNIT:
                    gain = weight[n]
                else:
                    gain = weight[n] * min(ects[a], max(cd.need[n] - have[n], 0.0)) / cd.need[n]
                if gain > best_gain:
                    best, best_gain = n, gain
            if best >= 0:
                placed[a] = best
                count[best] += 1
                have[best] += ects[a]
        return placed

    def weights(self, filled: dict[int, float]) -> list[float]:
        """Return how much filling each node adds to the root, given what is placed."""
        cd = self.cd
        audit = self.audit
        have = [0.0] * len(cd.nodes)
        for n, value in filled.items():
            have[n] = min(value, 1.0) if cd.kind[n] == UNIT else value
        for n, met_ in audit.const.items():
            have[n] = 1.0 if met_ else 0.0
        met = audit.evaluate(have)
        weight = [0.0] * len(cd.nodes)
        weight[0] = 1.0
        for n in range(len(cd.nodes)):
            children = cd.children[n]
            if not children or (met[n] and cd.kind[n] != ALL):
                continue
            share = weight[n] / (len(children) if cd.kind[n] == ALL else cd.need[n])
            for c in children:
                weight[c] = share
        return weight


def _pairs(chain: Chain) -> list[Pair]:
    pairs: list[Pair] = []
    while chain is not None:
        a, n, chain = chain
        pairs.append((a, n))
    pairs.reverse()
    return pairs


def _bits(mask: int) -> list[int]:
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def solve(cd: CompiledDiploma, holdings: Holdings) -> Outcome:
    """Return the assignment of ``holdings`` to ``cd`` to show, satisfying whenever possible."""
    return _Audit(cd, holdings).solve()
