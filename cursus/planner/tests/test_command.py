"""``cursus plan``: the plan as JSON, and bad input named."""
# ruff: noqa: F811 - the fixtures imported below are used as test arguments

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cursus.planner.tests.fixtures import campus  # noqa: F401

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_plan_prints_terms_offerings_slots_and_the_audit_as_json(campus):
    printed = run(
        "--learner",
        campus.learner.number,
        "--diploma",
        "CC-ABD",
        "--centres",
        "lyon",
        "--weekdays",
        "tue:evening,thu:evening",
        "--max-units",
        "2",
        "--json",
    )

    plan = json.loads(printed)
    assert [t["term"] for t in plan["terms"]] == [campus.now.code, campus.next.code]
    first = {o["unit"]: o for o in plan["terms"][0]["offerings"]}
    assert set(first) == {"NSY103", "NFP107"}
    assert first["NSY103"]["centre"] == "lyon"
    assert first["NSY103"]["formula"] == "evening_saturday"
    assert first["NSY103"]["slots"] == [
        {"weekday": "tue", "starts_at": "18:00", "ends_at": "21:00"}
    ]
    assert plan["audit"]["satisfied"] is True
    assert plan["audit"]["diploma"] == {"code": "CC-ABD", "version": 2019}


def test_plan_as_text_names_the_term_it_finishes_in(campus):
    printed = run("--learner", campus.learner.number, "--diploma", "CC-ABD", "--lang", "en")

    assert "Finished in" in printed
    assert "NSY103" in printed


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--weekdays", "funday"], "--weekdays"),
        (["--formulas", "night"], "--formulas"),
        (["--max-units", "0"], "--max-units"),
        (["--diploma", "NOPE"], "--diploma"),
    ],
)
def test_bad_input_names_the_option(campus, args, named):
    with pytest.raises(CommandError, match=named):
        run("--learner", campus.learner.number, *args)


def test_unknown_learner_is_named(campus):
    with pytest.raises(CommandError, match="--learner"):
        run("--learner", "A-9999999")
