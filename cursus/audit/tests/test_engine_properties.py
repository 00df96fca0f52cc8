"""Property tests: the engine against a brute-force oracle on small random diplomas.

The oracle tries every assignment of every acquisition to every requirement
that accepts it (or to none), straight from the contract, sharing no code
with the engine beyond the dataclasses.
"""

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from cursus.audit.engine import (
    AllNode,
    AnyNode,
    ChooseNode,
    CreditsNode,
    Diploma,
    Equivalence,
    MilestoneEntry,
    MilestoneNode,
    Record,
    Selector,
    Title,
    UnitEntry,
    UnitNode,
    evaluate,
)
from cursus.audit.engine.compiled import CompiledDiploma

CODES = ["AAA001", "AAA002", "BBB001", "BBB002", "CCC001"]
DEPARTMENT = {"AAA001": "d1", "AAA002": "d1", "BBB001": "d2", "BBB002": "d2", "CCC001": "d1"}
VALIDATED = {"ves", "vae", "dispense", "transfer"}
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
EPS = 1e-9

# -- the oracle ---------------------------------------------------------------------


def oracle_acquisitions(record):
    """Return {code: (ects, best grade or None, assessed)} from the contract's words."""
    held: dict[str, list[UnitEntry]] = {}
    for entry in record.units:
        acquires = entry.source in VALIDATED or (entry.grade is not None and entry.grade >= 10)
        if acquires:
            held.setdefault(entry.code, []).append(entry)
    found = {}
    for code, entries in held.items():
        grades = [e.grade for e in entries if e.grade is not None]
        found[code] = (
            max(e.ects for e in entries),
            max(grades) if grades else None,
            any(e.source == "exam" for e in entries),
            entries[0].department,
        )
    return found


def nodes_with_keys(diploma):
    """Return [(key, node, in_shared)] using the documented path format."""
    found = []

    def visit(node, path, shared):
        shared = shared or node.shared
        found.append((node.label or path, node, shared))
        if isinstance(node, AllNode | AnyNode | ChooseNode):
            form = {AllNode: "all", AnyNode: "any", ChooseNode: "choose"}[type(node)]
            for i, child in enumerate(node.children):
                visit(child, f"{path}/{form}[{i}]", shared)

    visit(diploma.requires, "requires", False)
    return found


def accepts(diploma, node, code, acq):
    """Return whether ``node`` accepts the acquisition of ``code``."""
    _, grade, _, department = acq
    stands_for = {eq.code for eq in diploma.equivalences if code in eq.equivalents}
    names = {code} | stands_for
    if isinstance(node, UnitNode):
        if node.code not in names:
            return False
        return node.min_grade is None or (grade is not None and grade >= node.min_grade)
    sel = node.selector
    if names & set(sel.exclude):
        return False
    return (
        sel.everything
        or bool(names & set(sel.units))
        or (department in sel.departments)
        or any(code.startswith(p) for p in sel.prefixes)
    )


def milestone_held(node, record):
    kinds = list(record.milestones)
    if node.kind == "experience":
        entries = [m for m in kinds if m.kind == "experience"]
        if node.years is None and node.in_field_years is None:
            return bool(entries)
        return sum(m.years for m in entries) + EPS >= (node.years or 0) and sum(
            m.in_field_years for m in entries
        ) + EPS >= (node.in_field_years or 0)
    if node.kind == "language":
        return any(
            m.kind == "language"
            and m.language == node.language
            and LEVELS.index(m.level) >= LEVELS.index(node.level)
            for m in kinds
        )
    return any(m.kind == node.kind for m in kinds)


def satisfied_by(diploma, record, acqs, assigned):
    """Return whether ``assigned`` ({code: node id}) satisfies the diploma."""

    def met(node, shared):
        shared = shared or node.shared
        if isinstance(node, UnitNode):
            if shared:
                return any(accepts(diploma, node, c, a) for c, a in acqs.items())
            return any(n is node for n in assigned.values())
        if isinstance(node, CreditsNode):
            if shared:
                values = sorted(
                    (a[0] for c, a in acqs.items() if accepts(diploma, node, c, a)), reverse=True
                )
                cap = node.max_units or len(values)
                return sum(values[:cap]) + EPS >= node.credits
            return sum(acqs[c][0] for c, n in assigned.items() if n is node) + EPS >= node.credits
        if isinstance(node, MilestoneNode):
            return milestone_held(node, record)
        results = [met(child, shared) for child in node.children]
        if isinstance(node, AllNode):
            return all(results)
        if isinstance(node, AnyNode):
            return any(results)
        return sum(results) >= node.count

    if not met(diploma.requires, False):
        return False
    share = diploma.min_course_share or 0
    total = sum(acqs[c][0] for c in assigned)
    exam = sum(acqs[c][0] for c in assigned if acqs[c][2])
    return exam + EPS >= share * total


def oracle(diploma, record):
    """Return whether some assignment satisfies the diploma (exhaustive search)."""
    acqs = oracle_acquisitions(record)
    consuming = [
        node
        for _, node, shared in nodes_with_keys(diploma)
        if not shared and isinstance(node, UnitNode | CreditsNode)
    ]
    codes = sorted(acqs)
    options = [
        [None, *(n for n in consuming if accepts(diploma, n, code, acqs[code]))] for code in codes
    ]
    for choice in itertools.product(*options):
        assigned = {code: n for code, n in zip(codes, choice, strict=True) if n is not None}
        counts: dict[int, int] = {}
        for n in assigned.values():
            counts[id(n)] = counts.get(id(n), 0) + 1
        if any(
            counts.get(id(n), 0) > (1 if isinstance(n, UnitNode) else (n.max_units or 99))
            for n in consuming
        ):
            continue
        if satisfied_by(diploma, record, acqs, assigned):
            return True
    return False


def check_shown(diploma, record, result):
    """Check independently that the assignment shown is valid and, if said so, satisfies."""
    acqs = oracle_acquisitions(record)
    by_key = {key: (node, shared) for key, node, shared in nodes_with_keys(diploma)}
    consuming = {}
    for code, key in result.assignment.items():
        assert code in acqs, f"{code} is not held"
        node, shared = by_key[key]
        assert isinstance(node, UnitNode | CreditsNode)
        assert accepts(diploma, node, code, acqs[code]), f"{key} does not accept {code}"
        if not shared:
            consuming[code] = node
    for node in {id(n): n for n in consuming.values()}.values():
        count = sum(1 for n in consuming.values() if n is node)
        assert count <= (1 if isinstance(node, UnitNode) else (node.max_units or 99))
    assert abs(result.ects - sum(acqs[c][0] for c in result.assignment)) < EPS
    if result.satisfied:
        assert satisfied_by(diploma, record, acqs, consuming)
    assert (not result.missing) == result.satisfied


# -- random small diplomas and records ----------------------------------------------------


@st.composite
def selectors(draw):
    kind = draw(st.sampled_from(["any", "units", "prefix", "department", "mixed"]))
    exclude = tuple(draw(st.lists(st.sampled_from(CODES), max_size=1, unique=True)))
    if kind == "any":
        return Selector(everything=True, exclude=exclude)
    units = tuple(draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True)))
    if kind == "units":
        return Selector(units=units, exclude=exclude)
    if kind == "prefix":
        return Selector(prefixes=(draw(st.sampled_from(["AAA", "BBB", "CC"])),), exclude=exclude)
    if kind == "department":
        return Selector(departments=(draw(st.sampled_from(["d1", "d2"])),), exclude=exclude)
    return Selector(units=units[:1], departments=("d2",), exclude=exclude)


def leaves():
    unit = st.builds(
        lambda code, floor, shared: UnitNode(code=code, min_grade=floor, shared=shared),
        st.sampled_from(CODES),
        st.sampled_from([None, None, None, 12.0]),
        st.sampled_from([False] * 9 + [True]),
    )
    credits = st.builds(
        lambda n, sel, cap, shared: CreditsNode(
            credits=n, selector=sel, max_units=cap, shared=shared
        ),
        st.sampled_from([3.0, 4.0, 6.0, 8.0, 10.0, 12.0, 15.0]),
        selectors(),
        st.sampled_from([None, None, 1, 2, 3]),
        st.sampled_from([False] * 9 + [True]),
    )
    milestone = st.sampled_from(
        [
            MilestoneNode(kind="experience", years=2.0),
            MilestoneNode(kind="experience", in_field_years=1.0),
            MilestoneNode(kind="language", language="en", level="B2"),
            MilestoneNode(kind="thesis"),
        ]
    )
    return st.one_of(unit, unit, unit, credits, credits, credits, milestone)


def groups(children):
    lists = st.lists(children, min_size=1, max_size=3)
    shared = st.sampled_from([False] * 9 + [True])
    return st.one_of(
        st.builds(lambda c, s: AllNode(children=tuple(c), shared=s), lists, shared),
        st.builds(lambda c, s: AnyNode(children=tuple(c), shared=s), lists, shared),
        lists.flatmap(
            lambda c: st.builds(
                lambda k, s: ChooseNode(count=k, children=tuple(c), shared=s),
                st.integers(1, len(c)),
                shared,
            )
        ),
    )


trees = st.recursive(leaves(), groups, max_leaves=6)


def label_nodes(node, counter):
    """Return ``node`` with some nodes labelled, to exercise labels and paths alike."""
    label = f"n{counter[0]}" if counter[0] % 2 else None
    counter[0] += 1
    if isinstance(node, AllNode | AnyNode | ChooseNode):
        children = tuple(label_nodes(c, counter) for c in node.children)
        if isinstance(node, ChooseNode):
            return ChooseNode(count=node.count, children=children, shared=node.shared, label=label)
        return type(node)(children=children, shared=node.shared, label=label)
    if isinstance(node, UnitNode):
        return UnitNode(code=node.code, min_grade=node.min_grade, shared=node.shared, label=label)
    if isinstance(node, CreditsNode):
        return CreditsNode(
            credits=node.credits,
            selector=node.selector,
            max_units=node.max_units,
            shared=node.shared,
            label=label,
        )
    return node


@st.composite
def diplomas(draw):
    tree = label_nodes(draw(trees), [0])
    equivalences = draw(
        st.sampled_from([(), (), (Equivalence(code="AAA001", equivalents=("CCC001",)),)])
    )
    share = draw(st.sampled_from([None, None, 0.3, 0.5]))
    return Diploma(
        code="TEST",
        version=1,
        title=Title("Test", "Test"),
        requires=tree,
        equivalences=equivalences,
        min_course_share=share,
    )


@st.composite
def entries(draw):
    code = draw(st.sampled_from(CODES))
    source = draw(st.sampled_from(["exam"] * 3 + ["ves", "dispense"]))
    grade = draw(st.sampled_from([6.0, 9.5, 10.0, 11.0, 12.0, 13.0, 15.0]))
    if source != "exam":
        grade = draw(st.sampled_from([None, None, 13.0]))
    return UnitEntry(
        code=code,
        ects=draw(st.sampled_from([3.0, 4.0, 6.0])),
        grade=grade,
        source=source,
        department=DEPARTMENT[code],
    )


milestone_entries = st.lists(
    st.sampled_from(
        [
            MilestoneEntry(kind="experience", years=1.0, in_field_years=1.0),
            MilestoneEntry(kind="experience", years=2.0),
            MilestoneEntry(kind="language", language="en", level="B1"),
            MilestoneEntry(kind="language", language="en", level="C1"),
            MilestoneEntry(kind="thesis"),
        ]
    ),
    min_size=1,
    max_size=3,
)


@st.composite
def any_records(draw):
    units = draw(st.lists(entries(), max_size=7))
    return Record(units=tuple(units), milestones=tuple(draw(milestone_entries)))


@st.composite
def rich_records(draw):
    # Most codes held: whether the diploma is met turns on where each unit goes.
    units = []
    for code in CODES:
        if draw(st.integers(0, 4)):
            source = draw(st.sampled_from(["exam", "exam", "exam", "ves"]))
            units.append(
                UnitEntry(
                    code=code,
                    ects=draw(st.sampled_from([3.0, 4.0, 6.0])),
                    grade=draw(st.sampled_from([10.0, 11.0, 13.0, 15.0]))
                    if source == "exam"
                    else None,
                    source=source,
                    department=DEPARTMENT[code],
                )
            )
    return Record(units=tuple(units), milestones=tuple(draw(milestone_entries)))


def records():
    return st.one_of(any_records(), rich_records())


# -- the properties -------------------------------------------------------------------------


@settings(max_examples=2000, deadline=None)
@given(diplomas(), records())
def test_engine_agrees_with_brute_force_oracle(diploma, record):
    result = evaluate(CompiledDiploma(diploma), record)
    assert result.satisfied == oracle(diploma, record)
    check_shown(diploma, record, result)


@settings(max_examples=150, deadline=None)
@given(diplomas(), records(), st.randoms(use_true_random=False))
def test_same_input_gives_same_result_whatever_the_entry_order(diploma, record, rnd):
    first = evaluate(CompiledDiploma(diploma), record)
    units = list(record.units)
    rnd.shuffle(units)
    again = evaluate(
        CompiledDiploma(diploma), Record(units=tuple(units), milestones=record.milestones)
    )
    assert again.as_json() == first.as_json()
    assert again.as_json("fr") == first.as_json("fr")
    assert again.tree() == first.tree()


@settings(max_examples=150, deadline=None)
@given(diplomas(), records())
def test_remaining_is_zero_exactly_when_the_tree_is_met(diploma, record):
    result = evaluate(CompiledDiploma(diploma), record)
    left = result.remaining()
    if result.satisfied:
        assert (left.ects, left.units, left.milestones) == (0, 0, 0)
    else:
        assert (left.ects, left.units, left.milestones) != (0, 0, 0)


def test_oracle_sees_a_contended_unit_as_the_contract_does():
    # A unit fitting two places satisfies one of them only: the oracle itself must agree.
    diploma = Diploma(
        code="T",
        version=1,
        title=Title("T", "T"),
        requires=AllNode(
            children=(
                UnitNode(code="AAA001"),
                CreditsNode(credits=3.0, selector=Selector(prefixes=("AAA",))),
            )
        ),
    )
    alone = Record(units=(UnitEntry(code="AAA001", ects=6.0, grade=12.0),))
    assert not oracle(diploma, alone)
    both = Record(units=(*alone.units, UnitEntry(code="AAA002", ects=3.0, grade=12.0)))
    assert oracle(diploma, both)


def test_random_larger_cases_are_fast_enough_and_consistent():
    # Larger records than the oracle can enumerate: the engine must stay quick
    # and its assignment must still check out.
    rnd = random.Random(7)
    codes = [f"{p}{i:03d}" for p in ("AAA", "BBB", "CCC") for i in range(1, 8)]
    diploma = Diploma(
        code="BIG",
        version=1,
        title=Title("Big", "Big"),
        requires=AllNode(
            children=(
                *(UnitNode(code=c) for c in codes[:6]),
                ChooseNode(
                    count=2,
                    children=tuple(
                        AnyNode(children=(UnitNode(code=a), UnitNode(code=b)))
                        for a, b in zip(codes[6:12:2], codes[7:13:2], strict=True)
                    ),
                ),
                CreditsNode(credits=24.0, selector=Selector(prefixes=("AAA", "BBB")), max_units=4),
                CreditsNode(credits=30.0, selector=Selector(everything=True)),
            )
        ),
        min_course_share=0.3,
    )
    for _ in range(50):
        units = tuple(
            UnitEntry(
                code=c,
                ects=rnd.choice([3.0, 4.0, 6.0, 9.0]),
                grade=rnd.choice([8.0, 12.0, 14.0]) if rnd.random() < 0.8 else None,
                source="exam" if rnd.random() < 0.8 else "ves",
            )
            for c in rnd.sample(codes, rnd.randint(5, 20))
        )
        units = tuple(
            u
            if u.source != "exam" or u.grade is not None
            else UnitEntry(code=u.code, ects=u.ects, grade=11.0)
            for u in units
        )
        record = Record(units=units)
        check_shown(diploma, record, evaluate(diploma, record))
