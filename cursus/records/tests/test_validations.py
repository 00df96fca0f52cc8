from datetime import date
from decimal import Decimal

import pytest

from cursus.catalogue.models import Diploma
from cursus.catalogue.tests.fixtures import make_offering, make_term
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.records import actions
from cursus.records.models import Acquisition, Validation
from cursus.records.queries import ledger_of
from cursus.records.tests.fixtures import enrol, make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def diploma(department):
    return Diploma.objects.create(
        code="CC-ABD",
        version=2019,
        kind="certificat-competence",
        title_fr="Certificat de compétence",
        rules_text="code: CC-ABD\n",
        first_year=2019,
    )


@pytest.fixture
def learner(paris):
    return make_learner(paris)


def grant(actor, learner, units, *, source="ves", diploma=None, reference="VES-2025-001", on=None):
    return actions.validate_prior_learning(
        actor=actor,
        learner=learner,
        units=units,
        source=source,
        decision_reference=reference,
        jury="Jury VES Paris",
        decided_on=on or date(2025, 3, 14),
        diploma=diploma,
        grounds="Licence d'informatique, Université de Lille, 2008",
    )


def fail(learner, unit, term, paris, staff, teacher, grade="6"):  # noqa: PLR0917
    offering = make_offering(unit, term, paris, section=f"s{term.pk}")
    offering.teachers.add(teacher)
    enrol(learner, offering)
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learner.number, session=1, grade=grade
    )
    actions.publish_results(actor=staff, offering=offering, session=1)
    return offering


def test_ves_grants_units_without_a_grade(paris_staff, learner, nfa008, nsy103, diploma):
    granted = grant(paris_staff, learner, ["nfa008", "NSY103"], diploma=diploma)
    assert [v.unit.code for v in granted] == ["NFA008", "NSY103"]
    assert [(row.code, row.grade, row.source, row.date) for row in ledger_of(learner)] == [
        ("NFA008", None, "ves", date(2025, 3, 14)),
        ("NSY103", None, "ves", date(2025, 3, 14)),
    ]
    event = events_about(granted[0]).get()
    assert event.data["decision_reference"] == "VES-2025-001"
    assert event.data["jury"] == "Jury VES Paris"


def test_ves_refused_for_a_unit_failed_in_the_last_three_years(  # noqa: PLR0917
    paris_staff, teacher, learner, nfa008, diploma, paris
):
    fail(learner, nfa008, make_term(2023), paris, paris_staff, teacher)
    with pytest.raises(InvalidInput) as caught:
        grant(paris_staff, learner, ["NFA008"], diploma=diploma)
    assert "No VES for NFA008: it was failed on" in caught.value.errors["units"][0]
    assert not Validation.objects.exists()


def test_ves_allowed_for_a_unit_failed_more_than_three_years_ago(  # noqa: PLR0917
    paris_staff, teacher, learner, nfa008, diploma, paris
):
    fail(learner, nfa008, make_term(2020), paris, paris_staff, teacher)
    grant(paris_staff, learner, ["NFA008"], diploma=diploma)
    assert [row.source for row in ledger_of(learner)] == ["ves"]


def test_vae_is_not_held_to_the_ves_failure_rule(  # noqa: PLR0917
    paris_staff, teacher, learner, nfa008, diploma, paris
):
    fail(learner, nfa008, make_term(2023), paris, paris_staff, teacher)
    grant(paris_staff, learner, ["NFA008"], source="vae", diploma=diploma, reference="VAE-1")
    assert [row.source for row in ledger_of(learner)] == ["vae"]


def test_one_ves_request_per_diploma_per_year(paris_staff, learner, nfa008, nsy103, diploma):
    grant(
        paris_staff,
        learner,
        ["NFA008"],
        diploma=diploma,
        reference="VES-2024-001",
        on=date(2024, 3, 1),
    )
    with pytest.raises(InvalidInput) as caught:
        grant(
            paris_staff,
            learner,
            ["NSY103"],
            diploma=diploma,
            reference="VES-2024-002",
            on=date(2024, 11, 2),
        )
    assert "One VES request per diploma per year" in caught.value.errors["diploma"][0]
    grant(paris_staff, learner, ["NSY103"], diploma=diploma, reference="VES-2025-001")
    assert [row.code for row in ledger_of(learner)] == ["NFA008", "NSY103"]


def test_ves_and_vae_name_their_diploma(paris_staff, learner, nfa008):
    with pytest.raises(InvalidInput) as caught:
        grant(paris_staff, learner, ["NFA008"], source="vae")
    assert "diploma" in caught.value.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"units": []}, "units"),
        ({"units": ["ZZZ999"]}, "units"),
        ({"source": "guess"}, "source"),
        ({"decision_reference": ""}, "decision_reference"),
        ({"jury": ""}, "jury"),
        ({"decided_on": date(2999, 1, 1)}, "decided_on"),
    ],
)
def test_bad_validation_names_the_field(paris_staff, learner, nfa008, changes, field):
    values = {
        "units": ["NFA008"],
        "source": "dispense",
        "decision_reference": "D-1",
        "jury": "Jury",
        "decided_on": date(2024, 5, 1),
        **changes,
    }
    with pytest.raises(InvalidInput) as caught:
        actions.validate_prior_learning(actor=paris_staff, learner=learner, **values)
    assert field in caught.value.errors
    assert not Validation.objects.exists()


def test_unit_validated_twice_is_a_conflict(paris_staff, learner, nfa008):
    grant(paris_staff, learner, ["NFA008"], source="dispense")
    with pytest.raises(Conflict):
        grant(paris_staff, learner, ["NFA008"], source="transfer", reference="T-2")


def test_unit_passed_by_exam_is_not_validated(paris_staff, teacher, learner, nfa008, paris, term):  # noqa: PLR0917
    fail(learner, nfa008, term, paris, paris_staff, teacher, grade="14")
    with pytest.raises(Conflict):
        grant(paris_staff, learner, ["NFA008"], source="dispense")


def test_exam_passed_after_a_validation_gives_the_unit_its_grade(
    paris_staff, teacher, learner, nfa008, paris
):
    grant(paris_staff, learner, ["NFA008"], source="dispense", on=date(2019, 5, 1))
    fail(learner, nfa008, make_term(2024), paris, paris_staff, teacher, grade="15")
    [row] = ledger_of(learner)
    assert (row.source, row.grade) == ("exam", Decimal(15))


def test_revocation_needs_a_reason_and_removes_the_unit(paris_staff, learner, nfa008):
    [validation] = grant(paris_staff, learner, ["NFA008"], source="transfer")
    with pytest.raises(InvalidInput):
        actions.revoke_validation(actor=paris_staff, validation=validation, reason="")
    actions.revoke_validation(
        actor=paris_staff, validation=validation, reason="Transcript from the other school forged."
    )
    assert ledger_of(learner) == []
    assert Validation.objects.filter(pk=validation.pk).exists()
    event = events_about(validation).latest("sequence")
    assert (event.kind, event.actor, event.reason) == (
        "records.validation_revoked",
        paris_staff,
        "Transcript from the other school forged.",
    )
    with pytest.raises(Conflict):
        actions.revoke_validation(actor=paris_staff, validation=validation, reason="again")


def test_correct_validation_keeps_the_former_values(paris_staff, learner, nfa008):
    [validation] = grant(paris_staff, learner, ["NFA008"], source="dispense")
    actions.correct_validation(
        actor=paris_staff,
        validation=validation,
        changes={"decided_on": date(2025, 2, 1), "decision_reference": "D-2025-7"},
        reason="Date of the jury, not of the mail.",
    )
    assert Acquisition.objects.get().acquired_on == date(2025, 2, 1)
    event = events_about(validation).latest("sequence")
    assert event.data["previous"] == {
        "decided_on": "2025-03-14",
        "decision_reference": "VES-2025-001",
    }


def test_correct_acquisition_goes_to_its_validation(paris_staff, learner, nfa008):
    grant(paris_staff, learner, ["NFA008"], source="dispense")
    actions.correct_acquisition(
        actor=paris_staff,
        acquisition=Acquisition.objects.get(),
        changes={"source": "equivalence"},
        reason="An equivalence with NFA001, not a dispense.",
    )
    assert [row.source for row in ledger_of(learner)] == ["equivalence"]


def test_only_staff_of_the_home_centre_validate(lyon_staff, teacher, learner, nfa008):
    for actor in (lyon_staff, teacher):
        with pytest.raises(NotAllowed):
            grant(actor, learner, ["NFA008"], source="dispense")


def test_registrar_validates_anywhere(registrar, lyon, nfa008):
    learner = make_learner(lyon)
    grant(registrar, learner, ["NFA008"], source="transfer")
    assert len(ledger_of(learner)) == 1


def test_ledger_is_visible_from_every_centre(paris_staff, teacher, lyon, nfa008, term):
    learner = make_learner(lyon)
    fail(learner, nfa008, term, make_centre_paris(paris_staff), paris_staff, teacher, grade="13")
    assert [(row.code, row.grade) for row in ledger_of(learner)] == [("NFA008", Decimal(13))]


def make_centre_paris(staff):
    return staff.role_assignments.get().centre
