"""The diplomas API: requests, sessions, decisions with evidence, awards and revocation."""
# ruff: noqa: F811 - the fixtures imported below are used as test arguments

import pytest
from django.utils import translation

from cursus.audit.tests.app_fixtures import (  # noqa: F401
    classmate,
    diplomas,
    student,
    student_user,
    units,
)
from cursus.core.actions import create_api_token
from cursus.credentials.tests.fixtures import juror, other_juror, satisfy, w  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/credentials"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def as_user(client, user):
    _token, plaintext = create_api_token(user=user, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
    return client


def open_session(client, juror, centre="paris", diploma="CC-DB"):
    return client.post(
        f"{API}/sessions",
        {"diploma": diploma, "held_on": "2026-06-30", "centre": centre, "members": [juror.pk]},
        content_type="application/json",
    )


def test_a_session_awards_a_requested_diploma_and_the_learner_reads_it(client, w):
    satisfy(w.student, w.registrar)
    as_user(client, w.student.user)
    answer = client.post(
        f"{API}/learners/{w.student.number}/requests",
        {"diploma": "CC-DB"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()

    as_user(client, w.paris_staff)
    session = open_session(client, w.juror)
    assert session.status_code == 201, session.json()
    session_id = session.json()["id"]
    added = client.post(
        f"{API}/sessions/{session_id}/candidates", {}, content_type="application/json"
    )
    assert added.status_code == 201, added.json()
    [made] = added.json()
    assert made["learner"] == w.student.number
    assert made["satisfied"] is True

    as_user(client, w.juror)
    detail = client.get(f"{API}/sessions/{session_id}").json()
    assert detail["candidates"][0]["evidence"]["audit"]["satisfied"] is True
    decided = client.post(
        f"{API}/candidates/{made['id']}/decision",
        {"decision": "award"},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["award"] == "2026-CC-DB-00001"

    as_user(client, w.student.user)
    mine = client.get(f"{API}/learners/{w.student.number}/diplomas").json()
    assert [(d["number"], d["status"]) for d in mine] == [("2026-CC-DB-00001", "awarded")]


def test_unsatisfied_award_without_override_answers_422_and_changes_nothing(client, w):
    as_user(client, w.paris_staff)
    session_id = open_session(client, w.juror).json()["id"]
    added = client.post(
        f"{API}/sessions/{session_id}/candidates",
        {"learners": [w.student.number]},
        content_type="application/json",
    ).json()
    as_user(client, w.juror)
    answer = client.post(
        f"{API}/candidates/{added[0]['id']}/decision",
        {"decision": "award"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "override_reason" in answer.json()["errors"]
    detail = client.get(f"{API}/sessions/{session_id}").json()
    assert detail["candidates"][0]["decision"] == "pending"


def test_staff_cannot_decide_and_the_registrar_revokes_with_a_reason(client, w):
    satisfy(w.student, w.registrar)
    as_user(client, w.paris_staff)
    session_id = open_session(client, w.juror).json()["id"]
    [made] = client.post(
        f"{API}/sessions/{session_id}/candidates",
        {"learners": [w.student.number]},
        content_type="application/json",
    ).json()
    refused = client.post(
        f"{API}/candidates/{made['id']}/decision",
        {"decision": "award"},
        content_type="application/json",
    )
    assert refused.status_code == 403

    as_user(client, w.juror)
    client.post(
        f"{API}/candidates/{made['id']}/decision",
        {"decision": "award"},
        content_type="application/json",
    )
    as_user(client, w.paris_staff)
    assert (
        client.post(
            f"{API}/diplomas/2026-CC-DB-00001/revoke",
            {"reason": "Fraud"},
            content_type="application/json",
        ).status_code
        == 403
    )
    as_user(client, w.registrar)
    revoked = client.post(
        f"{API}/diplomas/2026-CC-DB-00001/revoke",
        {"reason": "Fraud"},
        content_type="application/json",
    )
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["revocation_reason"] == "Fraud"


def test_another_centres_learner_cannot_read_someone_elses_diplomas(client, w):
    as_user(client, w.student.user)
    answer = client.get(f"{API}/learners/{w.classmate.number}/diplomas")
    assert answer.status_code == 404


def test_session_list_has_a_fixed_number_of_queries(client, django_assert_num_queries, w):
    as_user(client, w.paris_staff)
    for _ in range(3):
        assert open_session(client, w.juror).status_code == 201
    client.get(f"{API}/sessions")
    with django_assert_num_queries(5):
        answer = client.get(f"{API}/sessions")
    assert len(answer.json()) == 3


def test_a_juror_awards_every_satisfied_candidate_at_once(client, w):
    satisfy(w.student, w.registrar)
    as_user(client, w.paris_staff)
    session_id = open_session(client, w.juror).json()["id"]
    client.post(
        f"{API}/sessions/{session_id}/candidates",
        {"learners": [w.student.number, w.classmate.number]},
        content_type="application/json",
    )
    refused = client.post(f"{API}/sessions/{session_id}/award-satisfied")
    assert refused.status_code == 403

    as_user(client, w.juror)
    answer = client.post(f"{API}/sessions/{session_id}/award-satisfied")
    assert answer.status_code == 200, answer.json()
    assert [(a["number"], a["learner"]) for a in answer.json()] == [
        ("2026-CC-DB-00001", w.student.number)
    ]
    again = client.post(f"{API}/sessions/{session_id}/award-satisfied")
    assert again.json() == []
