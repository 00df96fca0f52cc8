"""Many validations and milestones at once, checked and recorded as each would be alone."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import verify_chain
from cursus.core.models import Event
from cursus.records import actions
from cursus.records.actions import NewMilestone, PriorLearning
from cursus.records.models import Acquisition, Milestone, Validation
from cursus.records.queries import ledger_of, milestones_of
from cursus.records.tests.fixtures import make_learner

pytestmark = pytest.mark.django_db


def decision(learner, units, *, source="equivalence", reference="EQ-2024-1", on=date(2024, 9, 1)):
    return PriorLearning(
        learner=learner,
        units=units,
        source=source,
        decision_reference=reference,
        jury="Commission des équivalences",
        decided_on=on,
        grounds="Unités acquises dans un autre établissement",
    )


def test_a_commission_grants_many_files_at_once_and_each_joins_its_ledger(
    paris_staff, paris, nfa008, nsy103
):
    first, second = make_learner(paris, last_name="Alpha"), make_learner(paris, last_name="Beta")
    made = actions.validate_prior_learning_in_bulk(
        actor=paris_staff,
        decisions=[
            decision(first, ["nfa008", "NSY103"]),
            decision(second, ["NSY103"], source="transfer", reference="TR-2024-2"),
        ],
    )
    assert sorted((v.learner_id, v.unit.code, v.source) for v in made) == sorted(
        [
            (first.pk, "NFA008", "equivalence"),
            (first.pk, "NSY103", "equivalence"),
            (second.pk, "NSY103", "transfer"),
        ]
    )
    assert [row.code for row in ledger_of(first)] == ["NFA008", "NSY103"]
    assert [(row.code, row.source) for row in ledger_of(second)] == [("NSY103", "transfer")]
    granted = Event.objects.filter(kind="records.validation_granted")
    assert granted.count() == 3
    assert {e.data["decision_reference"] for e in granted} == {"EQ-2024-1", "TR-2024-2"}
    assert verify_chain() is None


def test_one_bad_decision_refuses_them_all_and_names_its_place(paris_staff, paris, nfa008):
    first, second = make_learner(paris, last_name="Alpha"), make_learner(paris, last_name="Beta")
    with pytest.raises(InvalidInput) as caught:
        actions.validate_prior_learning_in_bulk(
            actor=paris_staff,
            decisions=[
                decision(first, ["NFA008"]),
                decision(second, ["ZZZ999"], on=date(2099, 1, 1)),
            ],
        )
    assert set(caught.value.errors) == {"decisions.1.units", "decisions.1.decided_on"}
    assert "ZZZ999" in caught.value.errors["decisions.1.units"][0]
    assert not Validation.objects.exists()
    assert not Acquisition.objects.exists()


def test_a_unit_granted_twice_to_one_learner_in_one_session_is_a_conflict(
    paris_staff, paris, nfa008
):
    learner = make_learner(paris)
    with pytest.raises(Conflict):
        actions.validate_prior_learning_in_bulk(
            actor=paris_staff,
            decisions=[decision(learner, ["NFA008"]), decision(learner, ["NFA008"])],
        )
    assert not Validation.objects.exists()


def test_a_unit_already_held_is_a_conflict_in_bulk_too(paris_staff, paris, nfa008, nsy103):
    learner = make_learner(paris)
    actions.validate_prior_learning_in_bulk(
        actor=paris_staff, decisions=[decision(learner, ["NFA008"])]
    )
    with pytest.raises(Conflict) as caught:
        actions.validate_prior_learning_in_bulk(
            actor=paris_staff, decisions=[decision(learner, ["NSY103", "NFA008"], reference="X")]
        )
    assert caught.value.field == "decisions.0.units"
    assert Validation.objects.count() == 1


def test_staff_grant_in_bulk_only_to_learners_of_their_centre(lyon_staff, paris, nfa008):
    learner = make_learner(paris)
    with pytest.raises(NotAllowed):
        actions.validate_prior_learning_in_bulk(
            actor=lyon_staff, decisions=[decision(learner, ["NFA008"])]
        )
    assert not Validation.objects.exists()


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.sets(st.sampled_from(["NFA008", "NSY103"]), min_size=1)),
        min_size=1,
        max_size=5,
    )
)
def test_bulk_and_one_by_one_grant_the_same_units_or_refuse_the_same_way(
    paris_staff, paris, nfa008, nsy103, files
):
    from django.db import transaction

    learners = [make_learner(paris, last_name=f"L{n}") for n in range(3)]
    decisions = [decision(learners[i], sorted(units)) for i, units in files]

    def outcome(grant) -> tuple[str, list[tuple[int, str]]]:
        with transaction.atomic():
            try:
                grant()
            except Conflict:
                verdict = "conflict"
            else:
                verdict = "granted"
            ledger = sorted(
                Acquisition.objects.filter(learner__in=learners).values_list(
                    "learner_id", "unit__code"
                )
            )
            transaction.set_rollback(True)
        return verdict, ledger

    def one_by_one() -> None:
        with transaction.atomic():
            for d in decisions:
                actions.validate_prior_learning(
                    actor=paris_staff,
                    learner=d.learner,
                    units=d.units,
                    source=d.source,
                    decision_reference=d.decision_reference,
                    jury=d.jury,
                    decided_on=d.decided_on,
                )

    alone = outcome(one_by_one)
    together = outcome(
        lambda: actions.validate_prior_learning_in_bulk(actor=paris_staff, decisions=decisions)
    )
    assert together == alone
    for learner in learners:
        learner.delete()


def test_many_milestones_are_recorded_at_once(paris_staff, paris):
    first, second = make_learner(paris, last_name="Alpha"), make_learner(paris, last_name="Beta")
    made = actions.record_milestones(
        actor=paris_staff,
        milestones=[
            NewMilestone(
                first, "experience", date(2024, 9, 1), "Attestation", years="3", in_field_years="2"
            ),
            NewMilestone(
                second, "language", date(2024, 6, 1), "Certificat", language="EN", level="B2"
            ),
        ],
    )
    assert [m.kind for m in made] == ["experience", "language"]
    assert [(m.kind, m.language) for m in milestones_of([second.pk])[second.pk]] == [
        ("language", "en")
    ]
    assert Event.objects.filter(kind="records.milestone_recorded").count() == 2
    assert verify_chain() is None


def test_one_bad_milestone_refuses_them_all_and_names_its_place(paris_staff, paris):
    learner = make_learner(paris)
    with pytest.raises(InvalidInput) as caught:
        actions.record_milestones(
            actor=paris_staff,
            milestones=[
                NewMilestone(learner, "thesis", date(2024, 9, 1), "PV", title="Mémoire"),
                NewMilestone(learner, "language", date(2024, 6, 1), "Certificat", language="EN"),
            ],
        )
    assert set(caught.value.errors) == {"milestones.1.level"}
    assert not Milestone.objects.exists()
