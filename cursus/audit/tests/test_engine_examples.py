"""The example diplomas of ``cursus/audit/rules`` against the records of ``tests/data``."""

from pathlib import Path

import pytest

from cursus.audit.engine import (
    compile_diploma,
    evaluate,
    holdings,
    load_record,
    load_rules,
    remaining,
)

RULES = Path(__file__).resolve().parents[1] / "rules"
DATA = Path(__file__).resolve().parent / "data"


def audit(rules, record):
    return evaluate(load_rules(RULES / rules), load_record(DATA / record))


@pytest.mark.parametrize(
    ("rules", "record"),
    [
        ("cc-abd.yaml", "cc-abd-complete.yaml"),
        ("lg02501a.yaml", "lg02501a-complete.yaml"),
        ("ingenieur-informatique.yaml", "ingenieur-complete.yaml"),
        ("titre-rncp-asi.yaml", "titre-rncp-asi-internship.yaml"),
    ],
)
def test_complete_record_satisfies_its_diploma(rules, record):
    result = audit(rules, record)
    assert result.satisfied
    assert result.missing == ()


def test_database_administrator_in_progress_says_what_is_left():
    result = audit("cc-abd.yaml", "cc-abd-in-progress.yaml")
    assert not result.satisfied
    assert result.assignment == {"NFA008": "prerequisite", "NSY103": "systems"}
    assert [(m.node, m.text()) for m in result.missing] == [
        ("database-design", "One of these is still needed: NFE113; NFP107; NFE106"),
        ("cloud", "NSY107 is still needed"),
        ("applications", "NFA011 is still needed"),
        ("administration", "NFE156 is still needed"),
        ("project", "UASI05 is still needed"),
    ]


def test_licence_counts_the_equivalent_database_unit_and_three_themes():
    result = audit("lg02501a.yaml", "lg02501a-complete.yaml")
    assert result.assignment["NFE113"] == "theme-databases"
    assert result.assignment["SMB101"] == "requires/all[1]/choose[0]/any[1]"
    assert result.ects == 60


def test_licence_mostly_validated_fails_only_on_the_course_share():
    result = audit("lg02501a.yaml", "lg02501a-mostly-validated.yaml")
    assert not result.satisfied
    assert [m.node for m in result.missing] == ["min_course_share"]
    assert result.tree().status.value == "met"


def test_engineer_pools_share_the_units_without_counting_one_twice():
    result = audit("ingenieur-informatique.yaml", "ingenieur-complete.yaml")
    tree = result.tree()
    preparatory, _, specialisation, management = tree.children[:4]
    assert set(preparatory.units).isdisjoint(specialisation.units)
    assert preparatory.have >= 48
    assert specialisation.have >= 36
    assert management.units == ("MSE102", "TET102")
    assert result.assignment["ENG210"] == "engineer-of-tomorrow"


def test_rncp_title_accepts_three_years_outside_the_field_with_an_internship():
    result = audit("titre-rncp-asi.yaml", "titre-rncp-asi-internship.yaml")
    experience = result.tree().children[-1]
    assert experience.status.value == "met"
    assert [c.status.value for c in experience.children] == ["not-met", "met"]


def test_closest_diploma_ranks_first():
    learner = holdings(load_record(DATA / "cc-abd-in-progress.yaml"))
    ranked = sorted(
        (remaining(compile_diploma(load_rules(path)), learner), path.stem)
        for path in RULES.glob("*.yaml")
    )
    assert ranked[0][1] == "cc-abd"
