"""The juries' pages: a session awards a diploma in the browser; the learner sees it."""

import pytest
from django.urls import reverse

from cursus.credentials.actions import decide, request_diploma
from cursus.credentials.models import AwardedDiploma, AwardStatus, Candidate, JurySession
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy

pytestmark = pytest.mark.django_db


def test_staff_open_a_session_and_a_juror_awards_from_the_session_page(client, w):
    satisfy(w.student, w.registrar)
    request_diploma(actor=w.student.user, learner=w.student, diploma_code="CC-DB")
    client.force_login(w.paris_staff)
    answer = client.post(
        reverse("web:jury_sessions"),
        {
            "diploma": "cc-db",
            "held_on": "2026-06-30",
            "centre": w.paris.pk,
            "members": [w.juror.pk],
        },
    )
    session = JurySession.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("web:jury_session", args=[session.pk])
    client.post(reverse("web:jury_add_candidates", args=[session.pk]))
    made = Candidate.objects.get(session=session)

    client.force_login(w.juror)
    page = client.get(reverse("web:jury_session", args=[session.pk]))
    assert page.status_code == 200
    assert "NFA008" in page.content.decode()
    client.post(reverse("web:jury_decide", args=[made.pk]), {"decision": "award"})
    page = client.get(reverse("web:jury_session", args=[session.pk]))
    assert "2026-CC-DB-00001" in page.content.decode()

    client.force_login(w.student.user)
    mine = client.get(reverse("web:jury_learner", args=[w.student.number]))
    assert "2026-CC-DB-00001" in mine.content.decode()


def test_the_decision_form_shows_why_an_unsatisfied_award_is_refused(client, w):
    session = open_session(w.paris_staff, w.juror, w.paris)
    made = candidate(w.paris_staff, session, w.student)
    client.force_login(w.juror)
    answer = client.post(
        reverse("web:jury_decide", args=[made.pk]), {"decision": "award"}, follow=True
    )
    # The interface speaks French first.
    assert "dérogation du jury" in answer.content.decode()
    assert not AwardedDiploma.objects.exists()


def test_staff_cannot_decide_from_the_page(client, w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    made = candidate(w.paris_staff, session, w.student)
    client.force_login(w.paris_staff)
    answer = client.post(reverse("web:jury_decide", args=[made.pk]), {"decision": "award"})
    assert answer.status_code == 403


def test_learner_requests_a_diploma_and_the_registrar_revokes_one(client, w):
    client.force_login(w.student.user)
    client.post(reverse("web:jury_learner", args=[w.student.number]), {"diploma": "CC-DB"})
    page = client.get(reverse("web:jury_learner", args=[w.student.number])).content.decode()
    assert "CC-DB" in page

    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    decide(actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award")
    client.force_login(w.registrar)
    client.post(reverse("web:jury_revoke", args=["2026-CC-DB-00001"]), {"reason": "Fraud"})
    assert AwardedDiploma.objects.get().status == AwardStatus.REVOKED


def test_other_learners_diplomas_are_not_found(client, w):
    client.force_login(w.student.user)
    answer = client.get(reverse("web:jury_learner", args=[w.classmate.number]))
    assert answer.status_code == 404


def test_session_list_has_a_fixed_number_of_queries(client, w, django_assert_num_queries):
    for _ in range(3):
        open_session(w.paris_staff, w.juror, w.paris)
    client.force_login(w.juror)
    client.get(reverse("web:jury_sessions"))
    with django_assert_num_queries(6):
        answer = client.get(reverse("web:jury_sessions"))
    assert answer.content.decode().count("CC-DB") == 3


def test_a_juror_awards_every_satisfied_candidate_from_the_session_page(client, w):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    from cursus.credentials.actions import add_candidates

    add_candidates(actor=w.paris_staff, session=session, learners=[w.student, w.classmate])
    client.force_login(w.paris_staff)
    page = client.get(reverse("web:jury_session", args=[session.pk]))
    assert reverse("web:jury_award_satisfied", args=[session.pk]) not in page.content.decode()

    client.force_login(w.juror)
    page = client.get(reverse("web:jury_session", args=[session.pk])).content.decode()
    assert reverse("web:jury_award_satisfied", args=[session.pk]) in page
    assert "1 candidat en attente" in page
    answer = client.post(reverse("web:jury_award_satisfied", args=[session.pk]), follow=True)
    assert "1 diplôme délivré." in answer.content.decode()
    assert list(AwardedDiploma.objects.values_list("learner_id", flat=True)) == [w.student.pk]
    assert Candidate.objects.get(learner=w.classmate).decision == "pending"
