from datetime import date
from decimal import Decimal

import pytest

from cursus.catalogue.tests.fixtures import make_offering, make_term
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.events import events_about
from cursus.enrolment.models import EnrolmentStatus
from cursus.records import actions
from cursus.records.actions import GradeEntry
from cursus.records.models import Acquisition, Result, ResultStatus
from cursus.records.queries import ledger_of
from cursus.records.tests.fixtures import enrol, make_learner

pytestmark = pytest.mark.django_db


def grid(learners, *grades):
    return [
        GradeEntry(learner.number, grade) for learner, grade in zip(learners, grades, strict=True)
    ]


def test_teacher_enters_drafts_that_do_not_count_until_published(teacher, offering, learners):
    results = actions.record_results(
        actor=teacher, offering=offering, session=1, entries=grid(learners, "12,5", "8", "ABS")
    )
    assert [(r.status, r.grade) for r in results] == [
        ("graded", Decimal("12.50")),
        ("graded", Decimal("8.00")),
        ("absent", None),
    ]
    assert not any(r.is_published for r in results)
    assert Acquisition.objects.count() == 0


def test_staff_publish_and_passed_units_join_the_ledger(teacher, paris_staff, offering, learners):
    actions.record_results(
        actor=teacher, offering=offering, session=1, entries=grid(learners, "12.5", "8", "EXC")
    )
    published = actions.publish_results(actor=paris_staff, offering=offering, session=1)
    assert len(published) == 3
    ledger = ledger_of(learners[0])
    assert [(row.code, row.grade, row.source, row.date) for row in ledger] == [
        ("NFA008", Decimal("12.50"), "exam", offering.term.session1_ends_on)
    ]
    assert ledger_of(learners[1]) == []
    assert ledger_of(learners[2]) == []


def test_teacher_may_not_publish(teacher, offering, learners):
    actions.record_results(
        actor=teacher, offering=offering, session=1, entries=grid(learners[:1], "15")
    )
    with pytest.raises(NotAllowed):
        actions.publish_results(actor=teacher, offering=offering, session=1)


def test_publishing_nothing_is_refused(paris_staff, offering, learners):
    with pytest.raises(Conflict):
        actions.publish_results(actor=paris_staff, offering=offering, session=1)


def test_another_teacher_may_not_enter_grades(other_teacher, offering, learners):
    with pytest.raises(NotAllowed):
        actions.record_results(
            actor=other_teacher, offering=offering, session=1, entries=grid(learners[:1], "15")
        )


def test_staff_of_another_centre_may_not_enter_grades(lyon_staff, offering, learners):
    with pytest.raises(NotAllowed):
        actions.record_results(
            actor=lyon_staff, offering=offering, session=1, entries=grid(learners[:1], "15")
        )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("21", "above 20"),
        ("20.01", "above 20"),
        ("-1", "below 0"),
        ("12.345", "two decimals"),
        ("douze", "not a grade"),
        ("", "Enter a grade"),
        ("NaN", "not a grade"),
    ],
)
def test_bad_grade_is_refused_naming_the_cell_and_nothing_is_saved(
    teacher, offering, learners, typed, message
):
    with pytest.raises(InvalidInput) as caught:
        actions.record_results(
            actor=teacher, offering=offering, session=1, entries=grid(learners[:2], "14", typed)
        )
    assert list(caught.value.errors) == ["entries[1].grade"]
    assert message in caught.value.errors["entries[1].grade"][0]
    assert Result.objects.count() == 0


def test_twenty_and_zero_are_grades(teacher, offering, learners):
    results = actions.record_results(
        actor=teacher, offering=offering, session=1, entries=grid(learners[:2], "20", "0")
    )
    assert [r.grade for r in results] == [Decimal(20), Decimal(0)]


def test_result_for_a_learner_not_enrolled_is_refused(teacher, offering, learners, paris):
    outsider = make_learner(paris, last_name="Dehors")
    waiting = make_learner(paris, last_name="Attente")
    enrol(waiting, offering, EnrolmentStatus.WAITLISTED)
    with pytest.raises(InvalidInput) as caught:
        actions.record_results(
            actor=teacher,
            offering=offering,
            session=1,
            entries=[GradeEntry(outsider.number, "12"), GradeEntry(waiting.number, "12")],
        )
    assert caught.value.errors["entries[0].learner"] == [
        f"{outsider.number} is not enrolled in this offering."
    ]
    assert "entries[1].learner" in caught.value.errors
    assert Result.objects.count() == 0


def test_single_result_names_its_fields(teacher, offering, paris):
    outsider = make_learner(paris)
    with pytest.raises(InvalidInput) as caught:
        actions.record_result(
            actor=teacher, offering=offering, learner_number=outsider.number, session=1, grade="25"
        )
    assert set(caught.value.errors) == {"learner", "grade"}


def test_session_two_is_refused_to_whoever_passed_session_one(
    teacher, paris_staff, offering, learners
):
    actions.record_results(
        actor=teacher, offering=offering, session=1, entries=grid(learners, "12", "7", "ABS")
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    with pytest.raises(InvalidInput) as caught:
        actions.record_result(
            actor=teacher,
            offering=offering,
            learner_number=learners[0].number,
            session=2,
            grade="15",
        )
    assert "passed session 1 with 12.00/20" in caught.value.errors["grade"][0]
    results = actions.record_results(
        actor=teacher, offering=offering, session=2, entries=grid(learners[1:], "11", "9.5")
    )
    assert [r.session for r in results] == [2, 2]


def test_session_two_needs_a_session_one_result(teacher, offering, learners):
    with pytest.raises(InvalidInput) as caught:
        actions.record_result(
            actor=teacher,
            offering=offering,
            learner_number=learners[0].number,
            session=2,
            grade="15",
        )
    assert "no session 1 result" in caught.value.errors["grade"][0]


def test_session_is_one_or_two(teacher, offering, learners):
    with pytest.raises(InvalidInput) as caught:
        actions.record_results(actor=teacher, offering=offering, session=3, entries=[])
    assert "session" in caught.value.errors


def test_session_two_pass_after_failure_acquires_the_unit(teacher, paris_staff, offering, learners):
    learner = learners[0]
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learner.number, session=1, grade="6"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learner.number, session=2, grade="10"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=2)
    [row] = ledger_of(learner)
    assert (row.grade, row.date) == (Decimal(10), offering.term.session2_ends_on)


def test_best_attempt_gives_the_grade(teacher, paris_staff, offering, learners, nfa008, paris):  # noqa: PLR0917
    learner = learners[0]
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learner.number, session=1, grade="16"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    later = make_offering(nfa008, make_term(2026), paris)
    later.teachers.add(teacher)
    enrol(learner, later)
    actions.record_result(
        actor=teacher, offering=later, learner_number=learner.number, session=1, grade="11"
    )
    actions.publish_results(actor=paris_staff, offering=later, session=1)
    [row] = ledger_of(learner)
    assert row.grade == Decimal(16)
    assert Result.objects.filter(enrolment__learner=learner).count() == 2


def test_draft_may_be_entered_again_but_published_result_may_not(
    teacher, paris_staff, offering, learners
):
    learner = learners[0]
    for grade in ("9", "13"):
        actions.record_result(
            actor=teacher, offering=offering, learner_number=learner.number, session=1, grade=grade
        )
    result = Result.objects.get()
    assert result.grade == Decimal(13)
    assert [e.data["grade"] for e in events_about(result)] == ["9.00", "13.00"]
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    with pytest.raises(InvalidInput) as caught:
        actions.record_result(
            actor=teacher, offering=offering, learner_number=learner.number, session=1, grade="14"
        )
    assert "correct it" in caught.value.errors["grade"][0]


def test_correction_keeps_author_reason_and_former_mark(teacher, paris_staff, offering, learners):
    learner = learners[0]
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learner.number, session=1, grade="12"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    result = Result.objects.get()
    actions.correct_result(
        actor=paris_staff, result=result, grade="8", reason="Copy mis-keyed: 8, not 12."
    )
    assert ledger_of(learner) == []
    event = events_about(result).latest("sequence")
    assert event.kind == "records.result_corrected"
    assert event.actor == paris_staff
    assert event.reason == "Copy mis-keyed: 8, not 12."
    assert event.data["previous"] == {"status": "graded", "grade": "12.00"}
    assert event.data["grade"] == "8.00"


def test_correction_needs_a_reason_and_a_change(teacher, paris_staff, offering, learners):
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learners[0].number, session=1, grade="12"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    result = Result.objects.get()
    with pytest.raises(InvalidInput) as caught:
        actions.correct_result(actor=paris_staff, result=result, grade="30", reason=" ")
    assert set(caught.value.errors) == {"grade", "reason"}
    with pytest.raises(InvalidInput):
        actions.correct_result(actor=paris_staff, result=result, grade="12", reason="Check")
    with pytest.raises(NotAllowed):
        actions.correct_result(actor=teacher, result=result, grade="13", reason="Regrade")
    result.refresh_from_db()
    assert result.grade == Decimal(12)


def test_draft_is_not_corrected_but_entered_again(teacher, paris_staff, offering, learners):
    draft = actions.record_result(
        actor=teacher, offering=offering, learner_number=learners[0].number, session=1, grade="12"
    )
    with pytest.raises(Conflict):
        actions.correct_result(actor=paris_staff, result=draft, grade="13", reason="Regrade")


def test_correction_to_absent(teacher, paris_staff, offering, learners):
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learners[0].number, session=1, grade="12"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    result = actions.correct_result(
        actor=paris_staff, result=Result.objects.get(), grade="ABS", reason="Was not there."
    )
    assert (result.status, result.grade) == (ResultStatus.ABSENT, None)


def test_acquisition_date_is_the_session_end(teacher, paris_staff, offering, learners):
    actions.record_result(
        actor=teacher, offering=offering, learner_number=learners[0].number, session=1, grade="10"
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    assert Acquisition.objects.get().acquired_on == offering.term.session1_ends_on
    assert isinstance(offering.term.session1_ends_on, date)
