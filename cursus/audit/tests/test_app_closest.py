"""Closest diplomas: the index audits few diplomas yet ranks exactly as auditing them all."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cursus.audit import queries
from cursus.audit.closest import DiplomaIndex, rank_by_auditing_all
from cursus.audit.engine import (
    AllNode,
    AnyNode,
    ChooseNode,
    CreditsNode,
    Diploma,
    Equivalence,
    MilestoneEntry,
    MilestoneNode,
    Node,
    Record,
    Selector,
    Title,
    UnitEntry,
    UnitNode,
    compile_diploma,
    holdings,
)
from cursus.audit.tests.app_fixtures import grant, speak_english

CODES = ["NFA001", "NFA002", "NFA003", "NSY101", "NSY102", "GLG201", "GLG202", "MVA301"]
DEPARTMENTS = ["informatique", "mathematiques"]
ECTS = {code: 3 + 3 * (i % 3) for i, code in enumerate(CODES)}


def _department(code: str) -> str:
    return "mathematiques" if code.startswith(("MVA", "GLG")) else "informatique"


def _leaf():
    unit = st.builds(
        lambda code, floor: {"unit": code, "min_grade": floor},
        st.sampled_from(CODES),
        st.sampled_from([None, None, 12.0]),
    )
    selector = st.one_of(
        st.builds(
            lambda units: Selector(units=tuple(units)),
            st.sets(st.sampled_from(CODES), min_size=1, max_size=3),
        ),
        st.builds(lambda p: Selector(prefixes=(p,)), st.sampled_from(["NF", "NSY", "GLG"])),
        st.builds(lambda d: Selector(departments=(d,)), st.sampled_from(DEPARTMENTS)),
        st.just(Selector(everything=True, exclude=("MVA301",))),
    )
    pool = st.builds(
        lambda credits, sel, cap: {"credits": credits, "selector": sel, "max_units": cap},
        st.sampled_from([3.0, 6.0, 9.0, 12.0]),
        selector,
        st.sampled_from([None, None, 2]),
    )
    milestone = st.sampled_from(
        [
            {"milestone": "experience", "years": 2.0},
            {"milestone": "language", "language": "en", "level": "B1"},
            {"milestone": "thesis"},
        ]
    )
    return st.one_of(unit, unit, pool, milestone)


def _build(spec) -> Node:
    if "unit" in spec:
        return UnitNode(code=spec["unit"], min_grade=spec["min_grade"])
    if "credits" in spec:
        return CreditsNode(
            credits=spec["credits"], selector=spec["selector"], max_units=spec["max_units"]
        )
    if "milestone" in spec:
        kind = spec["milestone"]
        return MilestoneNode(
            kind=kind,
            years=spec.get("years"),
            language=spec.get("language"),
            level=spec.get("level"),
        )
    children = tuple(_build(child) for child in spec["children"])
    if spec["group"] == "all":
        return AllNode(children=children)
    if spec["group"] == "any":
        return AnyNode(children=children)
    return ChooseNode(count=min(spec["count"], len(children)), children=children)


def _tree():
    return st.recursive(
        _leaf(),
        lambda inner: st.builds(
            lambda group, children, count: {"group": group, "children": children, "count": count},
            st.sampled_from(["all", "any", "choose"]),
            st.lists(inner, min_size=1, max_size=3),
            st.integers(min_value=1, max_value=2),
        ),
        max_leaves=6,
    )


diplomas_strategy = st.lists(
    st.builds(
        lambda tree, share, equivalent: (tree, share, equivalent),
        _tree(),
        st.sampled_from([None, None, 0.5]),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)
record_strategy = st.builds(
    lambda held, milestones: Record(
        units=tuple(
            UnitEntry(
                code=code,
                ects=float(ECTS[code]),
                grade=grade,
                source="exam" if grade is not None else "dispense",
                department=_department(code),
            )
            for code, grade in held
        ),
        milestones=tuple(milestones),
    ),
    st.lists(
        st.tuples(st.sampled_from(CODES), st.sampled_from([None, 10.0, 14.0])),
        max_size=5,
        unique_by=lambda pair: pair[0],
    ),
    st.lists(
        st.sampled_from(
            [
                MilestoneEntry(kind="experience", years=3.0, in_field_years=1.0),
                MilestoneEntry(kind="language", language="en", level="B2"),
                MilestoneEntry(kind="thesis"),
            ]
        ),
        max_size=2,
        unique=True,
    ),
)


def _compiled(specs):
    made = []
    for n, (tree, share, equivalent) in enumerate(specs):
        equivalences = (Equivalence(code="NFA001", equivalents=("MVA301",)),) if equivalent else ()
        made.append(
            compile_diploma(
                Diploma(
                    code=f"D-{n}",
                    version=1,
                    title=Title(fr="D", en="D"),
                    requires=_build(tree),
                    equivalences=equivalences,
                    min_course_share=share,
                )
            )
        )
    return made


def _answer(ranked):
    return [(c.position, c.satisfied, c.remaining) for c in ranked]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=diplomas_strategy, records=st.lists(record_strategy, min_size=1, max_size=4))
def test_index_ranks_exactly_as_auditing_every_diploma(specs, records):
    diplomas = _compiled(specs)
    index = DiplomaIndex(diplomas, ECTS)
    for record in records:
        held = holdings(record)
        assert _answer(index.rank(held)) == _answer(rank_by_auditing_all(diplomas, held, ECTS))


def test_index_audits_only_diplomas_accepting_a_held_unit():
    maths = Diploma(
        code="M",
        version=1,
        title=Title(fr="M", en="M"),
        requires=AllNode(
            children=(CreditsNode(credits=6, selector=Selector(departments=("mathematiques",))),)
        ),
    )
    computing = Diploma(
        code="C",
        version=1,
        title=Title(fr="C", en="C"),
        requires=AllNode(children=(CreditsNode(credits=6, selector=Selector(prefixes=("NSY",))),)),
    )
    index = DiplomaIndex([compile_diploma(maths), compile_diploma(computing)])
    record = Record(units=(UnitEntry(code="NSY101", ects=6, grade=12, department="informatique"),))

    ranked = index.rank(record)

    assert [(c.position, c.audited, c.satisfied) for c in ranked] == [
        (1, True, True),
        (0, False, False),
    ]


@pytest.mark.django_db
def test_closest_diplomas_put_the_one_a_unit_away_first(student, registrar, diplomas):
    grant(student, registrar, "MVA101")
    speak_english(student, registrar)

    ranked = queries.closest_diplomas(student, limit=None)

    # CC-MATHS lacks GLG101 (4 ECTS); LIC-INFO NFA008 and 2 ECTS of options; CC-DB 12 ECTS.
    assert [c.diploma.code for c in ranked] == ["CC-MATHS", "LIC-INFO", "CC-DB"]
    first = ranked[0].closeness
    assert (first.remaining.units, first.remaining.ects, first.satisfied) == (1, 4, False)
    assert ranked[1].closeness.remaining.ects == 8
    assert [c.closeness.audited for c in ranked] == [True, True, False]


@pytest.mark.django_db
def test_satisfied_diplomas_come_first(student, registrar, diplomas):
    grant(student, registrar, "NFA008", "NSY107")

    ranked = queries.closest_diplomas(student, limit=2)

    assert ranked[0].diploma.code == "CC-DB"
    assert ranked[0].closeness.satisfied
    assert len(ranked) == 2
