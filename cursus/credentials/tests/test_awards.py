from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cursus.audit.models import AuditRun, AuditRunStatus, AuditSnapshot
from cursus.audit.tests.app_fixtures import grant, speak_english
from cursus.catalogue.models import Diploma
from cursus.core.errors import Conflict, InvalidInput, NotAllowed
from cursus.core.models import Event
from cursus.credentials.actions import (
    _next_number,
    add_candidates,
    close_jury_session,
    decide,
    open_jury_session,
    request_diploma,
    revoke_diploma,
)
from cursus.credentials.models import (
    AwardedDiploma,
    AwardStatus,
    Decision,
    Honours,
    JuryLevel,
    RequestStatus,
)
from cursus.credentials.queries import evidence_for, honours_for, weighted_average
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy
from cursus.records.models import Acquisition


def test_award_gives_the_first_number_of_the_year_and_logs_it(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    decided = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award"
    )
    award = decided.award
    assert award.number == "2026-CC-DB-00001"
    assert award.diploma == w.diplomas["CC-DB-2022"]
    assert award.status == AwardStatus.AWARDED
    assert award.centre == w.paris
    event = Event.objects.get(kind="credentials.diploma_awarded")
    assert event.data["number"] == award.number


def test_awarding_an_unsatisfied_audit_without_override_is_refused(w):
    session = open_session(w.paris_staff, w.juror, w.paris)
    pending = candidate(w.paris_staff, session, w.student)
    assert pending.satisfied is False
    with pytest.raises(InvalidInput) as error:
        decide(actor=w.juror, candidate=pending, decision="award")
    assert "override_reason" in error.value.errors
    assert not AwardedDiploma.objects.exists()
    pending.refresh_from_db()
    assert pending.decision == Decision.PENDING


def test_jury_override_with_reason_awards_an_unsatisfied_audit(w):
    session = open_session(w.paris_staff, w.juror, w.paris)
    decided = decide(
        actor=w.juror,
        candidate=candidate(w.paris_staff, session, w.student),
        decision="award",
        override_reason="Equivalent experience examined by the jury.",
    )
    assert decided.award.number == "2026-CC-DB-00001"
    assert decided.override_reason


def test_the_same_diploma_twice_for_one_learner_is_a_conflict(w):
    satisfy(w.student, w.registrar)
    first = open_session(w.paris_staff, w.juror, w.paris)
    decide(actor=w.juror, candidate=candidate(w.paris_staff, first, w.student), decision="award")
    second = open_session(w.paris_staff, w.juror, w.paris, held_on=date(2026, 12, 1))
    with pytest.raises(Conflict):
        decide(
            actor=w.juror, candidate=candidate(w.paris_staff, second, w.student), decision="award"
        )
    assert AwardedDiploma.objects.count() == 1


def test_revoked_diploma_keeps_its_number_and_a_new_award_takes_the_next(w):
    satisfy(w.student, w.registrar)
    first = open_session(w.paris_staff, w.juror, w.paris)
    award = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, first, w.student), decision="award"
    ).award
    revoked = revoke_diploma(actor=w.registrar, award=award, reason="Fraud in the VAE file.")
    assert revoked.number == "2026-CC-DB-00001"
    assert revoked.status == AwardStatus.REVOKED
    assert revoked.revocation_reason == "Fraud in the VAE file."
    second = open_session(w.paris_staff, w.juror, w.paris, held_on=date(2026, 12, 1))
    again = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, second, w.student), decision="award"
    )
    assert again.award.number == "2026-CC-DB-00002"
    assert AwardedDiploma.objects.filter(status=AwardStatus.REVOKED).count() == 1


def test_revocation_needs_a_reason_and_the_registrar(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    award = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award"
    ).award
    with pytest.raises(InvalidInput):
        revoke_diploma(actor=w.registrar, award=award, reason="  ")
    with pytest.raises(NotAllowed):
        revoke_diploma(actor=w.paris_staff, award=award, reason="Fraud")
    award.refresh_from_db()
    assert award.status == AwardStatus.AWARDED


def test_defer_and_refuse_need_a_reason(w):
    session = open_session(w.paris_staff, w.juror, w.paris)
    pending = candidate(w.paris_staff, session, w.student)
    with pytest.raises(InvalidInput) as error:
        decide(actor=w.juror, candidate=pending, decision="refuse")
    assert "reason" in error.value.errors
    deferred = decide(
        actor=w.juror, candidate=pending, decision="defer", reason="Missing internship report."
    )
    assert deferred.decision == Decision.DEFER
    assert not AwardedDiploma.objects.exists()


def test_only_the_sessions_jurors_or_the_registrar_decide(w):
    satisfy(w.student, w.registrar)
    satisfy(w.classmate, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    pending = candidate(w.paris_staff, session, w.student)
    for outsider in (w.paris_staff, w.other_juror, w.student.user):
        with pytest.raises(NotAllowed):
            decide(actor=outsider, candidate=pending, decision="award")
    decide(
        actor=w.registrar,
        candidate=candidate(w.paris_staff, session, w.classmate),
        decision="award",
    )
    assert AwardedDiploma.objects.count() == 1


def test_staff_open_sessions_for_their_centre_only(w):
    with pytest.raises(NotAllowed):
        open_session(w.paris_staff, w.juror, w.lyon)
    with pytest.raises(NotAllowed):
        open_session(w.juror, w.juror, w.lyon)


def test_members_must_be_jurors(w):
    with pytest.raises(InvalidInput) as error:
        open_session(w.paris_staff, w.teacher, w.paris)
    assert "members" in error.value.errors


def test_a_national_diploma_needs_a_national_session_opened_by_the_registrar(w):
    Diploma.objects.filter(code="CC-DB").update(national_jury=True)
    with pytest.raises(InvalidInput) as error:
        open_session(w.paris_staff, w.juror, w.paris)
    assert "centre" in error.value.errors
    with pytest.raises(NotAllowed):
        open_session(w.paris_staff, w.juror, None)
    session = open_session(w.registrar, w.juror, None)
    assert session.level == JuryLevel.NATIONAL


def test_a_closed_session_takes_no_more_decisions(w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    pending = candidate(w.paris_staff, session, w.student)
    close_jury_session(actor=w.juror, session=session)
    with pytest.raises(Conflict):
        decide(actor=w.juror, candidate=pending, decision="award")


def test_requests_become_candidates_with_their_evidence(w):
    satisfy(w.student, w.registrar)
    request = request_diploma(actor=w.student.user, learner=w.student, diploma_code="cc-db")
    with pytest.raises(Conflict):
        request_diploma(actor=w.student.user, learner=w.student, diploma_code="CC-DB")
    session = open_session(w.paris_staff, w.juror, w.paris)
    [made] = add_candidates(actor=w.paris_staff, session=session)
    assert made.learner == w.student
    assert made.request == request
    assert made.satisfied is True
    assert made.evidence["audit"]["satisfied"] is True
    assert {row["code"] for row in made.evidence["ledger"]} == {"NFA008", "NSY103"}
    request.refresh_from_db()
    assert request.status == RequestStatus.CONSIDERED


def test_a_learner_requests_only_their_own_diploma(w):
    with pytest.raises(NotAllowed):
        request_diploma(actor=w.student.user, learner=w.classmate, diploma_code="CC-DB")
    with pytest.raises(InvalidInput) as error:
        request_diploma(actor=w.student.user, learner=w.student, diploma_code="NOPE")
    assert "diploma" in error.value.errors


@pytest.mark.parametrize(
    ("average", "honours"),
    [
        (None, Honours.NONE),
        (Decimal("11.99"), Honours.NONE),
        (Decimal(12), Honours.ASSEZ_BIEN),
        (Decimal("13.99"), Honours.ASSEZ_BIEN),
        (Decimal(14), Honours.BIEN),
        (Decimal(16), Honours.TRES_BIEN),
        (Decimal(20), Honours.TRES_BIEN),
    ],
)
def test_honours_follow_the_thresholds(average, honours):
    assert honours_for(average) == honours


def test_average_is_weighted_by_ects():
    # 10 over 6 ECTS and 16 over 3 ECTS: (60 + 48) / 9 = 12.
    assert weighted_average([(Decimal(10), 6), (Decimal(16), 3)]) == Decimal("12.00")
    assert weighted_average([]) is None


def test_a_licence_without_graded_units_earns_no_honours(w):
    Diploma.objects.filter(code="LIC-INFO").update(kind="licence")
    speak_english(w.student, w.registrar)
    satisfy(w.student, w.registrar)
    grant(w.student, w.registrar, "GLG101", "GLG102")
    evidence = evidence_for(w.student, "LIC-INFO")
    # Units granted by a jury carry no grade: no average, no honours.
    assert evidence.satisfied is True
    assert evidence.average is None
    assert evidence.honours == Honours.NONE


def test_a_licence_award_carries_honours_from_the_ects_weighted_average_of_its_units(w):
    Diploma.objects.filter(code="LIC-INFO").update(kind="licence")
    speak_english(w.student, w.registrar)
    grant(w.student, w.registrar, "NFA008", "GLG101", "GLG102", "NSY103")
    # Grades as exams would have given them; NSY103 does not count for the licence.
    for code, grade in {"NFA008": 15, "GLG101": 17, "GLG102": 13, "NSY103": 2}.items():
        Acquisition.objects.filter(learner=w.student, unit__code=code).update(grade=grade)
    session = open_jury_session(
        actor=w.paris_staff,
        diploma_code="LIC-INFO",
        held_on=date(2026, 7, 1),
        members=[w.juror],
        centre=w.paris,
    )
    made = candidate(w.paris_staff, session, w.student)
    award = decide(actor=w.juror, candidate=made, decision="award").award
    # (6 × 15 + 4 × 17 + 4 × 13) / 14 = 15.
    assert award.average == Decimal("15.00")
    assert award.honours == Honours.BIEN
    assert award.number == "2026-LIC-INFO-00001"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from([2025, 2026]), st.sampled_from(["CC-DB", "LIC"]))))
@pytest.mark.django_db
def test_numbers_follow_each_other_without_gap_per_diploma_and_year(draws):
    with transaction.atomic():
        given_numbers = [_next_number(year, code) for year, code in draws]
        transaction.set_rollback(True)
    assert len(set(given_numbers)) == len(given_numbers)
    for year, code in set(draws):
        mine = [n for n in given_numbers if n.startswith(f"{year}-{code}-")]
        assert [int(n.rsplit("-", 1)[1]) for n in mine] == list(range(1, len(mine) + 1))


def test_eligible_learners_come_from_the_latest_institution_audit(w):
    satisfy(w.student, w.registrar)
    run = AuditRun.objects.create(status=AuditRunStatus.DONE, finished_at=timezone.now())
    for learner, satisfied in ((w.student, True), (w.classmate, False)):
        AuditSnapshot.objects.create(
            run=run,
            learner=learner,
            diploma=w.diplomas["CC-DB-2022"],
            pursued=True,
            satisfied=satisfied,
            ects=12 if satisfied else 0,
            remaining_ects=0 if satisfied else 12,
            remaining_units=0 if satisfied else 2,
            remaining_milestones=0,
        )
    session = open_session(w.paris_staff, w.juror, w.paris)
    made = add_candidates(actor=w.paris_staff, session=session)
    assert [c.learner for c in made] == [w.student]
    assert made[0].request is None
