from datetime import date
from decimal import Decimal

import pytest

from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.records import actions
from cursus.records.models import Milestone
from cursus.records.queries import milestones_of
from cursus.records.tests.fixtures import make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(paris):
    return make_learner(paris)


def test_milestones_are_recorded_with_their_evidence(paris_staff, learner):
    actions.record_milestone(
        actor=paris_staff,
        learner=learner,
        kind="experience",
        achieved_on=date(2024, 9, 1),
        years="4",
        in_field_years="2,5",
        evidence="Attestation employeur Acme, 2024-09-01",
    )
    actions.record_milestone(
        actor=paris_staff,
        learner=learner,
        kind="language",
        achieved_on=date(2023, 6, 10),
        language="EN",
        level="B2",
        test="TOEIC 850",
        evidence="TOEIC certificate 1234567",
    )
    actions.record_milestone(
        actor=paris_staff,
        learner=learner,
        kind="thesis",
        achieved_on=date(2025, 6, 30),
        title="Un entrepôt de données pour la santé",
        evidence="PV de soutenance 2025-117",
    )
    rows = milestones_of([learner.pk])[learner.pk]
    assert [(r.kind, r.years, r.in_field_years, r.language, r.level) for r in rows] == [
        ("language", None, None, "en", "B2"),
        ("experience", Decimal(4), Decimal("2.5"), "", ""),
        ("thesis", None, None, "", ""),
    ]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "experience", "years": None, "in_field_years": "1"}, "years"),
        ({"kind": "experience", "years": "2", "in_field_years": "3"}, "in_field_years"),
        ({"kind": "experience", "years": "deux", "in_field_years": "1"}, "years"),
        ({"kind": "language", "language": "english", "level": "B2"}, "language"),
        ({"kind": "language", "language": "en", "level": ""}, "level"),
        ({"kind": "language", "language": "en", "level": "B3"}, "level"),
        ({"kind": "thesis", "evidence": ""}, "evidence"),
        ({"kind": "thesis", "achieved_on": date(2999, 1, 1)}, "achieved_on"),
        ({"kind": "wedding"}, "kind"),
    ],
)
def test_bad_milestone_names_the_field(paris_staff, learner, values, field):
    arguments = {"achieved_on": date(2024, 1, 1), "evidence": "Doc 1", **values}
    with pytest.raises(InvalidInput) as caught:
        actions.record_milestone(actor=paris_staff, learner=learner, **arguments)
    assert field in caught.value.errors
    assert not Milestone.objects.exists()


def test_correction_keeps_history_and_withdrawal_removes_it_from_the_rules(paris_staff, learner):
    milestone = actions.record_milestone(
        actor=paris_staff,
        learner=learner,
        kind="language",
        achieved_on=date(2023, 6, 10),
        language="en",
        level="B1",
        evidence="TOEIC 700",
    )
    with pytest.raises(InvalidInput):
        actions.correct_milestone(
            actor=paris_staff, milestone=milestone, changes={"level": "B2"}, reason=""
        )
    actions.correct_milestone(
        actor=paris_staff,
        milestone=milestone,
        changes={"level": "B2"},
        reason="The certificate says 790: B2.",
    )
    last = events_about(milestone).latest("sequence")
    assert last.data["previous"] == {"level": "B1"}
    assert last.reason == "The certificate says 790: B2."
    actions.correct_milestone(
        actor=paris_staff, milestone=milestone, changes={"withdrawn": True}, reason="Forged."
    )
    assert milestones_of([learner.pk]) == {}
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    with pytest.raises(Conflict):
        actions.correct_milestone(
            actor=paris_staff, milestone=milestone, changes={"level": "C1"}, reason="again"
        )


def test_kind_is_not_corrected(paris_staff, learner):
    milestone = actions.record_milestone(
        actor=paris_staff,
        learner=learner,
        kind="thesis",
        achieved_on=date(2024, 1, 1),
        evidence="PV",
    )
    with pytest.raises(InvalidInput) as caught:
        actions.correct_milestone(
            actor=paris_staff, milestone=milestone, changes={"kind": "admission"}, reason="oops"
        )
    assert "kind" in caught.value.errors


def test_teacher_and_other_centres_do_not_record_milestones(teacher, lyon_staff, learner):
    for actor in (teacher, lyon_staff):
        with pytest.raises(NotAllowed):
            actions.record_milestone(
                actor=actor,
                learner=learner,
                kind="admission",
                achieved_on=date(2024, 1, 1),
                evidence="PV",
            )
