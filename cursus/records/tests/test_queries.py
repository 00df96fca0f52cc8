"""Who reads what, and how many queries it takes."""

from datetime import date

import pytest

from cursus.catalogue.tests.fixtures import make_offering, make_user
from cursus.core.errors import InvalidInput, NotAllowed, NotFound
from cursus.core.models import Role
from cursus.enrolment.models import Employer
from cursus.records import actions, queries
from cursus.records.models import IssuedDocument
from cursus.records.tests.fixtures import enrol, make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(teacher, paris_staff, offering, learners):
    actions.record_results(
        actor=teacher,
        offering=offering,
        session=1,
        entries=[
            actions.GradeEntry(learner.number, g)
            for learner, g in zip(learners, ["15", "8", "11"], strict=True)
        ],
    )
    actions.publish_results(actor=paris_staff, offering=offering, session=1)
    return learners


@pytest.fixture
def own_learner(published, learner_user):
    learner = published[0]
    learner.user = learner_user
    learner.save()
    return learner


def test_learner_reads_only_their_own_record(own_learner, learner_user, published):
    record = queries.learner_record(learner_user, own_learner.number)
    assert [a.unit.code for a in record.acquisitions] == ["NFA008"]
    with pytest.raises(NotFound):
        queries.learner_record(learner_user, published[1].number)
    assert set(queries.visible_results(learner_user)) == set(
        own_learner.enrolments.get().results.all()
    )


def test_teacher_reads_their_offerings_results_but_no_record(
    teacher, other_teacher, published, offering
):
    assert queries.visible_results(teacher).count() == 3
    assert queries.visible_results(other_teacher).count() == 0
    assert queries.grade_grid(teacher, offering, 1).published == 3
    with pytest.raises(NotAllowed):
        queries.grade_grid(other_teacher, offering, 1)
    with pytest.raises(NotFound):
        queries.learner_record(teacher, published[0].number)


def test_centre_staff_read_their_learners_and_those_taught_at_their_centre(  # noqa: PLR0917
    paris_staff, lyon_staff, published, lyon, paris, nsy103, term
):
    lyon_learner = make_learner(lyon)
    assert queries.learner_record(paris_staff, published[0].number).learner == published[0]
    with pytest.raises(NotFound):
        queries.learner_record(paris_staff, lyon_learner.number)
    with pytest.raises(NotFound):
        queries.learner_record(lyon_staff, published[0].number)
    # A Paris learner who takes a unit in Lyon: Lyon sees the whole record, Paris units too.
    enrol(published[0], make_offering(nsy103, term, lyon))
    record = queries.learner_record(lyon_staff, published[0].number)
    assert [a.unit.code for a in record.acquisitions] == ["NFA008"]
    assert queries.visible_results(lyon_staff).count() == 0
    enrol(lyon_learner, make_offering(nsy103, term, paris, section="b"))
    assert queries.learner_record(paris_staff, lyon_learner.number).learner == lyon_learner


def test_centre_staff_read_results_of_their_home_learners_taken_elsewhere(
    lyon_staff, published, lyon
):
    published[0].home_centre = lyon
    published[0].save()
    assert [r.enrolment.learner for r in queries.visible_results(lyon_staff)] == [published[0]]


def test_registrar_reads_everything(registrar, published, lyon):
    assert queries.visible_results(registrar).count() == 3
    assert queries.learner_record(registrar, make_learner(lyon).number).acquisitions == []


def test_jury_members_and_employer_contacts_read_no_record(published, paris):
    employer = Employer.objects.create(name="Acme", siret="73282932000074")
    published[0].employer = employer
    published[0].save()
    jury = make_user("jury@example.org", Role.JURY_MEMBER, centre=paris)
    contact = make_user("hr@acme.example.org")
    contact.role_assignments.create(role=Role.EMPLOYER_CONTACT, employer=employer)
    for user in (jury, contact):
        with pytest.raises(NotFound):
            queries.learner_record(user, published[0].number)
        assert queries.visible_results(user).count() == 0
        assert queries.gradable_offerings(user).count() == 0


def test_session_two_grid_lists_those_who_may_sit_it(teacher, published, offering):
    grid = queries.grade_grid(teacher, offering, 2)
    assert [row.enrolment.learner for row in grid.rows] == [published[1]]


def test_ledgers_of_many_learners_take_one_query(published, django_assert_num_queries):
    ids = [learner.pk for learner in published]
    with django_assert_num_queries(1):
        ledgers = queries.ledgers_of(ids)
    assert {k: [row.code for row in v] for k, v in ledgers.items()} == {
        ids[0]: ["NFA008"],
        ids[2]: ["NFA008"],
    }
    [row] = queries.ledger_of(published[0])
    assert (row.code, row.ects, row.source, row.department) == ("NFA008", 6, "exam", "informatique")


def test_record_takes_a_fixed_number_of_queries(
    registrar, published, paris_staff, django_assert_num_queries
):
    learner = published[0]
    actions.record_milestone(
        actor=paris_staff,
        learner=learner,
        kind="admission",
        achieved_on=date(2025, 1, 1),
        evidence="PV",
    )
    # The reader's roles and learner's file (2), the learner (1), the record (5).
    with django_assert_num_queries(8):
        record = queries.learner_record(registrar, learner.number)
    assert len(record.history) == 2


def test_transcript_is_issued_once_per_content_and_verifies(own_learner, learner_user, paris_staff):
    document = actions.issue_transcript(actor=learner_user, learner=own_learner)
    assert actions.issue_transcript(actor=paris_staff, learner=own_learner) == document
    check = queries.check_document(document.token)
    assert (check.genuine, check.current) == (True, True)
    assert [unit["code"] for unit in document.content["units"]] == ["NFA008"]
    assert len(document.token) >= 40


def test_transcript_no_longer_current_after_the_record_changes(
    own_learner, learner_user, paris_staff, nsy103
):
    document = actions.issue_transcript(actor=learner_user, learner=own_learner)
    actions.validate_prior_learning(
        actor=paris_staff,
        learner=own_learner,
        units=["NSY103"],
        source="dispense",
        decision_reference="D-1",
        jury="Jury",
        decided_on=date(2025, 1, 1),
    )
    check = queries.check_document(document.token)
    assert (check.genuine, check.current) == (True, False)
    newer = actions.issue_transcript(actor=learner_user, learner=own_learner)
    assert newer != document
    assert IssuedDocument.objects.count() == 2


def test_tampered_document_is_not_genuine(own_learner, learner_user):
    document = actions.issue_transcript(actor=learner_user, learner=own_learner)
    IssuedDocument.objects.filter(pk=document.pk).update(content={**document.content, "ects": 60})
    assert queries.check_document(document.token).genuine is False


def test_unknown_token_is_not_found(db):
    with pytest.raises(NotFound):
        queries.check_document("nope")


def test_attestation_only_for_a_unit_held(own_learner, learner_user, published):
    document = actions.issue_attestation(
        actor=learner_user, learner=own_learner, unit_code="nfa008"
    )
    assert document.unit is not None
    assert document.unit.code == "NFA008"
    with pytest.raises(InvalidInput):
        actions.issue_attestation(actor=learner_user, learner=own_learner, unit_code="NSY103")
    with pytest.raises(NotAllowed):
        actions.issue_transcript(actor=learner_user, learner=published[1])
