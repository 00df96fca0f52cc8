"""The version a learner is audited against: in force at the start, or a later more favourable."""

from datetime import date

import pytest

from cursus.audit import actions, queries
from cursus.audit.tests.app_fixtures import grant

pytestmark = pytest.mark.django_db


def _pursue(learner, registrar, started_on):
    actions.pursue_diploma(
        actor=registrar, learner=learner, diploma_code="CC-DB", started_on=started_on
    )
    [audited] = queries.audit_pursuits(learner)
    return audited.choice


def test_a_later_version_is_chosen_when_it_is_satisfied_and_the_first_is_not(
    student, registrar, diplomas
):
    grant(student, registrar, "NFA008", "NSY107")

    choice = _pursue(student, registrar, date(2019, 10, 1))

    assert (choice.at_start.version, choice.chosen.version) == (2018, 2022)
    assert choice.later_is_better
    assert choice.result.satisfied
    assert choice.compared == 2


def test_the_version_in_force_at_the_start_is_kept_when_it_is_more_favourable(
    student, registrar, diplomas
):
    grant(student, registrar, "NFA008", "NFA011", "NSY103")

    choice = _pursue(student, registrar, date(2019, 10, 1))

    assert choice.chosen.version == 2018
    assert not choice.later_is_better
    assert choice.result.satisfied


def test_a_tie_keeps_the_version_in_force_at_the_start(student, registrar, diplomas):
    choice = _pursue(student, registrar, date(2019, 10, 1))

    assert not choice.result.satisfied
    # Nothing held: 2018 lacks three units, 2022 two; fewer remaining wins.
    assert choice.chosen.version == 2022
    assert choice.remaining.units == 2


def test_less_remaining_wins_when_neither_version_is_satisfied(student, registrar, diplomas):
    grant(student, registrar, "NFA011")

    choice = _pursue(student, registrar, date(2019, 10, 1))

    assert choice.chosen.version == 2018
    assert (choice.remaining.units, choice.remaining.ects) == (2, 12)


def test_a_learner_who_started_later_cannot_claim_an_earlier_version(student, registrar, diplomas):
    # Version 2018 is not compared: it was no longer in force when the learner started.
    grant(student, registrar, "NFA011", "NSY103")

    choice = _pursue(student, registrar, date(2023, 1, 10))

    assert (choice.at_start.version, choice.chosen.version, choice.compared) == (2022, 2022, 1)
    assert not choice.result.satisfied


def test_the_academic_year_starts_in_september():
    assert queries.academic_year(date(2022, 8, 31)) == 2021
    assert queries.academic_year(date(2022, 9, 1)) == 2022


def test_a_start_before_every_version_uses_the_earliest(diplomas):
    versions = queries.catalogue().versions_of("CC-DB")
    assert queries.version_at(versions, date(2010, 1, 1)).version == 2018
    assert queries.version_at(versions, date(2021, 12, 1)).version == 2018
    assert queries.version_at(versions, None).version == 2022
