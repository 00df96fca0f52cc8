"""Records built from the ledger, and diplomas compiled once from the catalogue."""

from datetime import date

import pytest

from cursus.audit import queries
from cursus.audit.engine import evaluate, holdings
from cursus.audit.tests.app_fixtures import grant, make_diploma, rules, speak_english
from cursus.catalogue.models import Diploma
from cursus.catalogue.tests.fixtures import make_unit
from cursus.records.tests.fixtures import make_learner

pytestmark = pytest.mark.django_db


def test_record_carries_ects_department_source_and_milestones(student, registrar, units):
    grant(student, registrar, "NFA008", "MVA101", decided_on=date(2021, 3, 2))
    grant(student, registrar, "GLG101", source="equivalence")
    speak_english(student, registrar)

    record = queries.record_of(student)

    by_code = {entry.code: entry for entry in record.units}
    assert sorted(by_code) == ["GLG101", "MVA101", "NFA008"]
    assert by_code["NFA008"].ects == 6
    assert by_code["GLG101"].ects == 4
    assert by_code["MVA101"].department == "mathematiques"
    assert by_code["NFA008"].date == date(2021, 3, 2)
    assert by_code["GLG101"].source == "equivalence"
    assert by_code["NFA008"].grade is None
    assert [(m.kind, m.language, m.level) for m in record.milestones] == [("language", "en", "B2")]


def test_every_learner_asked_for_has_a_record_even_empty(student, classmate, registrar, units):
    grant(student, registrar, "NFA008")

    records = queries.records_of([student.pk, classmate.pk])

    assert [e.code for e in records[student.pk].units] == ["NFA008"]
    assert records[classmate.pk].units == ()


def test_loading_many_learners_takes_two_queries_per_chunk(
    paris, registrar, units, django_assert_num_queries, monkeypatch
):
    learners = [make_learner(paris, last_name=f"L{n}") for n in range(12)]
    for learner in learners:
        grant(learner, registrar, "NFA008", "NSY103")
        speak_english(learner, registrar)
    ids = [learner.pk for learner in learners]

    with django_assert_num_queries(2):
        records = queries.records_of(ids)
    assert all(len(records[i].units) == 2 and len(records[i].milestones) == 1 for i in ids)

    monkeypatch.setattr(queries, "CHUNK", 5)
    with django_assert_num_queries(6):
        assert queries.records_of(ids) == records


def test_catalogue_is_read_in_three_queries_and_compiled_once(diplomas, django_assert_num_queries):
    first = queries.catalogue()
    with django_assert_num_queries(3):
        again = queries.catalogue()
    assert again is first
    assert [v.version for v in first.versions_of("CC-DB")] == [2018, 2022]
    assert [v.code for v in first.latest] == ["CC-DB", "CC-MATHS", "LIC-INFO"]


def test_changed_rules_are_compiled_again(diplomas):
    before = queries.catalogue().versions_of("CC-MATHS")[0].compiled
    maths = diplomas["CC-MATHS"]
    maths.rules_text = maths.rules_text.replace("GLG101", "GLG102")
    maths.save()

    after = queries.catalogue().versions_of("CC-MATHS")[0].compiled

    assert after is not before
    assert "GLG102" in after.codes
    assert "GLG101" not in after.codes
    unchanged = queries.catalogue().versions_of("LIC-INFO")[0].compiled
    assert unchanged is queries.catalogue().versions_of("LIC-INFO")[0].compiled


def test_an_older_unit_counts_for_the_unit_that_replaces_it(student, registrar, department):
    old = make_unit("NFA001", department)
    new = make_unit("NFA101", department)
    new.replaces.add(old)
    make_diploma(rules("CC-NEW", 2020, "requires:\n  all:\n    - unit: NFA101\n"), 2020)
    grant(student, registrar, "NFA001")

    compiled = queries.catalogue().versions_of("CC-NEW")[0].compiled
    result = evaluate(compiled, holdings(queries.record_of(student)))

    assert result.satisfied
    assert result.assignment == {"NFA001": "requires/all[0]"}


def test_replacements_follow_chains_of_units(student, registrar, department):
    oldest, old, new = (make_unit(code, department) for code in ("NFA001", "NFA002", "NFA003"))
    new.replaces.add(old)
    old.replaces.add(oldest)
    make_diploma(rules("CC-NEW", 2020, "requires:\n  all:\n    - unit: NFA003\n"), 2020)
    grant(student, registrar, "NFA001")

    compiled = queries.catalogue().versions_of("CC-NEW")[0].compiled

    assert evaluate(compiled, holdings(queries.record_of(student))).satisfied
    assert Diploma.objects.count() == 1
