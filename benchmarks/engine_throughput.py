"""Audits per second of the rules engine on one core, beside a floor measured in the same run.

Run it as ``python benchmarks/engine_throughput.py [--learners N] [--seed S]``.

The diplomas are the examples of ``cursus/audit/rules`` and a few generated
ones of realistic size (20 to 30 requirements, pools by department and by
prefix, nested choices, milestones). The learners are synthetic: each works
towards one diploma and holds part of it, failed attempts, validated units
and units of other diplomas, 5 to 40 entries in all. Every learner is audited
against every diploma. The floor is the least any audit must do: intersect
the learner's unit codes with the diploma's, as Python sets. Times are CPU
times of this process (best of three), so that other work on the machine
does not count.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cursus.audit.engine import (  # noqa: E402 - the path is set just above.
    AllNode,
    AnyNode,
    ChooseNode,
    CompiledDiploma,
    CreditsNode,
    Diploma,
    Holdings,
    MilestoneEntry,
    MilestoneNode,
    Node,
    Record,
    Selector,
    Title,
    UnitEntry,
    UnitNode,
    compile_diploma,
    evaluate,
    holdings,
    load_rules,
    remaining,
    unit_codes,
)

DEPARTMENTS = ["informatique", "mathematiques", "economie-gestion", "travail-entreprise"]
PREFIXES = {
    "informatique": ["NFA", "NFE", "NFP", "NSY", "RSX", "GLG", "SEC", "SMB", "UTC"],
    "mathematiques": ["MVA", "STA", "RCP"],
    "economie-gestion": ["CFA", "GFN", "MSE", "ESD", "GDN"],
    "travail-entreprise": ["DRS", "ERG", "TET"],
}


def catalogue(rnd: random.Random) -> dict[str, tuple[str, float]]:
    """Return unit code -> (department, ECTS): the example units and generated ones."""
    units: dict[str, tuple[str, float]] = {}
    for department, prefixes in PREFIXES.items():
        for prefix in prefixes:
            for number in range(100, 100 + rnd.randint(8, 20)):
                units[f"{prefix}{number}"] = (
                    department,
                    rnd.choice([3.0, 4.0, 6.0, 6.0, 6.0, 9.0]),
                )
    return units


def generated_diploma(
    rnd: random.Random, index: int, units: dict[str, tuple[str, float]]
) -> Diploma:
    """Return a diploma of realistic shape drawn from the catalogue."""
    department = rnd.choice(DEPARTMENTS[:2])
    own = [code for code, (dept, _) in units.items() if dept == department]
    rnd.shuffle(own)
    core: list[Node] = [UnitNode(code=code) for code in own[:8]]
    options = own[8:20]
    groups: list[Node] = [
        AnyNode(children=tuple(UnitNode(code=c) for c in options[i : i + 3]))
        for i in range(0, 12, 3)
    ]
    other = rnd.choice([d for d in DEPARTMENTS if d != department])
    children: list[Node] = [
        *core,
        ChooseNode(count=2, children=tuple(groups), label="themes"),
        CreditsNode(credits=24.0, selector=Selector(departments=(department,)), label="electives"),
        CreditsNode(
            credits=12.0,
            max_units=2,
            selector=Selector(prefixes=tuple(PREFIXES[other][:2])),
            label="openness",
        ),
        MilestoneNode(kind="experience", years=2.0, in_field_years=1.0),
        MilestoneNode(kind="language", language="en", level="B2"),
    ]
    return Diploma(
        code=f"GEN-{index}",
        version=1,
        title=Title(f"Diplôme généré {index}", f"Generated diploma {index}"),
        requires=AllNode(children=tuple(children)),
        min_course_share=0.2,
    )


def learner(
    rnd: random.Random, diplomas: list[Diploma], units: dict[str, tuple[str, float]]
) -> Record:
    """Return a learner working towards one diploma, with 5 to 40 entries.

    Two learners in five hold every unit their diploma names and more of
    those its pools accept, passed, and its milestones; the others hold a
    random part of it.
    """
    aim = rnd.choice(diplomas)
    target = sorted(unit_codes(aim))
    # Two learners in five hold every unit their diploma names.
    complete = rnd.random() < 0.4
    share = 1.0 if complete else rnd.random()
    codes = [code for code in target if rnd.random() < share]
    if complete:
        # Enough of the units its pools accept, too.
        accepted = [c for c, (dept, _) in units.items() if compile_diploma(aim).accepts(c, dept)]
        codes += rnd.sample(accepted, min(len(accepted), 16))
    codes += rnd.sample(sorted(units), rnd.randint(3, 15))
    codes = codes[:40]
    while len(codes) < 5:
        codes.append(rnd.choice(sorted(units)))
    entries = []
    for code in codes:
        department, ects = units.get(code, ("informatique", 6.0))
        roll = rnd.random()
        if roll < 0.15:
            # A failed attempt, then a pass.
            entries.append(
                UnitEntry(code=code, ects=ects, grade=rnd.uniform(3, 9.9), department=department)
            )
            entries.append(
                UnitEntry(code=code, ects=ects, grade=rnd.uniform(10, 18), department=department)
            )
        elif roll < 0.25:
            entries.append(UnitEntry(code=code, ects=ects, source="ves", department=department))
        else:
            low = 10.0 if complete else 6.0
            grade = rnd.uniform(low, 18)
            entries.append(UnitEntry(code=code, ects=ects, grade=grade, department=department))
    if complete:
        milestones = [
            MilestoneEntry(kind="experience", years=5, in_field_years=3),
            MilestoneEntry(kind="language", language="en", level="C1"),
            *(MilestoneEntry(kind=kind) for kind in ("admission", "thesis", "internship")),
        ]
    else:
        milestones = [
            MilestoneEntry(
                kind="experience", years=rnd.randint(0, 6), in_field_years=rnd.randint(0, 3)
            ),
            MilestoneEntry(kind="language", language="en", level=rnd.choice(["A2", "B1", "B2"])),
        ]
    return Record(units=tuple(entries[:40]), milestones=tuple(milestones))


def rate(label: str, count: int, run: Callable[[], object]) -> float:
    """Time ``run`` in CPU time (best of three) and print the rate per second."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    per_second = count / best
    print(f"{label:<44} {per_second:>12,.0f} /s   ({best * 1e6 / count:7.2f} µs each)")
    return per_second


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rnd = random.Random(args.seed)
    units = catalogue(rnd)
    examples = [load_rules(path) for path in sorted((ROOT / "cursus/audit/rules").glob("*.yaml"))]
    for diploma in examples:
        for code in unit_codes(diploma):
            units.setdefault(code, ("informatique", 6.0))
    diplomas = examples + [generated_diploma(rnd, i, units) for i in range(4)]
    learners = [learner(rnd, diplomas, units) for _ in range(args.learners)]

    compiled: list[CompiledDiploma] = [compile_diploma(d) for d in diplomas]
    prepared: list[Holdings] = [holdings(r) for r in learners]
    learner_codes = [frozenset(h.by_code) for h in prepared]
    diploma_codes = [unit_codes(d) for d in diplomas]
    pairs = len(compiled) * len(prepared)
    sizes = [sum(1 for _ in _nodes(d.requires)) for d in diplomas]
    print(
        f"{len(diplomas)} diplomas ({min(sizes)}-{max(sizes)} requirements), "
        f"{len(learners)} learners, {pairs:,} audits a pass"
    )

    def floor() -> None:
        for codes in learner_codes:
            for wanted in diploma_codes:
                _ = codes & wanted

    def audits() -> None:
        for h in prepared:
            for cd in compiled:
                evaluate(cd, h)

    def explained() -> None:
        for h in prepared:
            for cd in compiled:
                _ = evaluate(cd, h).missing

    def rankings() -> None:
        for h in prepared:
            for cd in compiled:
                remaining(cd, h)

    floor_rate = rate("floor: set intersection", pairs, floor)
    audit_rate = rate("evaluate(compiled, holdings)", pairs, audits)
    rate("evaluate(...).missing (with explanations)", pairs, explained)
    rank_rate = rate("remaining(compiled, holdings)", pairs, rankings)
    print(
        f"evaluate is {floor_rate / audit_rate:,.0f} times slower than the floor; "
        f"remaining {floor_rate / rank_rate:,.0f} times"
    )

    satisfied = sum(evaluate(cd, h).satisfied for h in prepared for cd in compiled)
    print(f"{satisfied:,} of {pairs:,} audits satisfied")
    for diploma, cd in zip(diplomas, compiled, strict=True):
        rate(f"  {diploma.code}", len(prepared), functools.partial(_audit_all, cd, prepared))


def _audit_all(cd: CompiledDiploma, prepared: list[Holdings]) -> None:
    for h in prepared:
        evaluate(cd, h)


def _nodes(node: Node) -> list[Node]:
    found = [node]
    if isinstance(node, AllNode | AnyNode | ChooseNode):
        for child in node.children:
            found.extend(_nodes(child))
    return found


if __name__ == "__main__":
    main()
