"""The ``cursus audit`` and ``cursus rules check`` commands, through ``main``."""

import json
from pathlib import Path

import pytest

from cursus.audit.engine.cli import main

RULES = Path(__file__).resolve().parents[1] / "rules"
DATA = Path(__file__).resolve().parent / "data"

CC_ABD = """\
code: CC-ABD
version: 2019
title: {fr: "Administrateur de bases de données", en: "Database administrator"}
requires:
  all:
    - {label: prerequisite, unit: NFA008}
    - {label: systems, unit: NSY103}
    - {label: cloud, unit: NSY107}
"""

RECORD = """\
learner: A-000123
units:
  - {code: NFA008, ects: 6, grade: 8.0,  date: 2015-06-20}
  - {code: NFA008, ects: 6, grade: 13.5, date: 2016-06-18}
  - {code: NSY103, ects: 6, source: ves, date: 2019-01-15}
  - {code: RSX101, ects: 6, grade: 12, department: informatique}
"""


@pytest.fixture
def files(tmp_path):
    rules = tmp_path / "cc-abd.yaml"
    rules.write_text(CC_ABD, encoding="utf-8")
    record = tmp_path / "learner.yaml"
    record.write_text(RECORD, encoding="utf-8")
    return rules, record


def test_audit_prints_the_contract_json(files, capsys):
    rules, record = files
    assert main(["audit", str(rules), str(record), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == {
        "diploma": {"code": "CC-ABD", "version": 2019},
        "satisfied": False,
        "ects": 12,
        "assignment": {"NFA008": "prerequisite", "NSY103": "systems"},
        "missing": [{"node": "cloud", "text": "NSY107 is still needed"}],
    }


def test_audit_speaks_french_on_request(files, capsys):
    rules, record = files
    assert main(["audit", str(rules), str(record), "--json", "--lang", "fr"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["missing"] == [{"node": "cloud", "text": "Il manque encore NSY107"}]


def test_audit_of_a_satisfied_diploma_exits_zero_with_nothing_missing(capsys):
    status = main(
        ["audit", str(RULES / "cc-abd.yaml"), str(DATA / "cc-abd-complete.yaml"), "--json"]
    )
    assert status == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["satisfied"] is True
    assert printed["missing"] == []
    assert printed["ects"] == 40
    assert printed["assignment"]["NFA008"] == "prerequisite"


def test_audit_without_json_prints_a_readable_tree(files, capsys):
    rules, record = files
    assert main(["audit", str(rules), str(record)]) == 0
    out = capsys.readouterr().out
    assert "CC-ABD (2019) — Database administrator" in out
    assert "Diploma not satisfied; 12 ECTS counted" in out
    assert "[x] prerequisite (unit NFA008): acquired" in out
    assert "[ ] cloud (unit NSY107): not yet acquired" in out
    assert "  - cloud: NSY107 is still needed" in out


def test_audit_tree_in_french(files, capsys):
    rules, record = files
    assert main(["audit", str(rules), str(record), "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Diplôme non satisfait ; 12 ECTS comptés" in out
    assert "Il manque encore :" in out


@pytest.mark.parametrize(
    ("rules_text", "expected"),
    [
        ("code: X\nversion: 1\nrequires: {unt: NFA008}\n", "cc-abd.yaml:3: unknown form 'unt'"),
        (
            "code: X\nversion: 1\nrequires:\n  choose: 2\n  from: [{unit: NFA008}]\n",
            "cc-abd.yaml:4: choose 2 is larger than its list of 1",
        ),
        ("code: X\nrequires: {unit: NFA008}\n", "cc-abd.yaml:1: missing required field 'version'"),
        ("code: X\nversion: 1\nrequires: [\n", "cc-abd.yaml:4: invalid YAML"),
    ],
)
def test_audit_of_invalid_rules_exits_two_with_one_line(files, capsys, rules_text, expected):
    rules, record = files
    rules.write_text(rules_text, encoding="utf-8")
    assert main(["audit", str(rules), str(record), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(str(rules.parent / expected))


def test_audit_of_an_invalid_record_names_the_record(files, capsys):
    rules, record = files
    record.write_text("units:\n  - {code: NFA008, grade: 12}\n", encoding="utf-8")
    assert main(["audit", str(rules), str(record)]) == 2
    assert capsys.readouterr().err == f"{record}:2: a unit entry needs 'ects'\n"


def test_audit_of_a_missing_file_exits_two(tmp_path, capsys):
    missing = tmp_path / "nowhere.yaml"
    assert main(["audit", str(missing), str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{missing}: cannot read the file")
    assert err.count("\n") == 1


def test_rules_check_reports_each_file(files, tmp_path, capsys):
    rules, _ = files
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: X\nversion: 1\nrequires:\n  all:\n"
        "    - {label: a, unit: NFA008}\n    - {label: a, unit: NSY103}\n"
    )
    assert main(["rules", "check", str(rules), str(bad)]) == 2
    assert capsys.readouterr().out.splitlines() == [
        f"{rules}: ok",
        f"{bad}:6: duplicate label 'a' (first used on line 5)",
    ]


def test_rules_check_of_good_files_exits_zero(capsys):
    files = sorted(str(path) for path in RULES.glob("*.yaml"))
    assert len(files) >= 4
    assert main(["rules", "check", *files]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{f}: ok" for f in files]


def test_rules_check_refuses_units_not_in_the_catalogue(files, tmp_path, capsys):
    rules, _ = files
    catalogue = tmp_path / "units.csv"
    catalogue.write_text(
        "code,title_fr,department,ects\n"
        "NFA008,Bases de données,informatique,6\nNSY103,Linux,informatique,6\n"
    )
    assert main(["rules", "check", "--units", str(catalogue), str(rules)]) == 2
    assert capsys.readouterr().out == f"{rules}:8: unit NSY107 is not in the catalogue\n"


def test_usage_errors_exit_two(capsys):
    assert main(["audit", "only-one-file.yaml"]) == 2
    assert "usage: cursus audit" in capsys.readouterr().err
    assert main(["audit", "a.yaml", "b.yaml", "--lang", "de"]) == 2
    assert main([]) == 2


def test_help_exits_zero(capsys):
    assert main(["audit", "--help"]) == 0
    assert "RULES" in capsys.readouterr().out
