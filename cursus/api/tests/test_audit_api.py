"""The audits API: pursuits, a learner against a diploma, what-if, closest, institution audits."""
# ruff: noqa: F811 - the fixtures imported below are used as test arguments

from datetime import date

import pytest

from cursus.audit import actions
from cursus.audit.models import AuditRun, Pursuit
from cursus.audit.tests.app_fixtures import (  # noqa: F401
    classmate,
    diplomas,
    grant,
    lyon_learner,
    lyon_staff,
    speak_english,
    student,
    student_user,
    units,
)
from cursus.core.actions import create_api_token

pytestmark = pytest.mark.django_db

API = "/api/v1/audit"


def as_user(client, user):
    _token, plaintext = create_api_token(user=user, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def holding(student, registrar, diplomas):
    grant(student, registrar, "NFA008", "NSY107")
    actions.pursue_diploma(
        actor=registrar, learner=student, diploma_code="CC-DB", started_on=date(2019, 10, 1)
    )
    return student


def test_learner_reads_their_pursuits_with_the_favourable_version(client, student_user, holding):
    response = as_user(client, student_user).get(f"{API}/learners/{holding.number}/pursuits")

    assert response.status_code == 200
    [pursuit] = response.json()
    assert pursuit["diploma"] == "CC-DB"
    assert (pursuit["version_at_start"], pursuit["version"]) == (2018, 2022)
    assert pursuit["later_version_chosen"] is True
    audit = pursuit["audit"]
    assert audit["satisfied"] is True
    assert audit["missing"] == []
    assert audit["assignment"] == {"NFA008": "requires/all[0]", "NSY107": "requires/all[1]/any[1]"}
    assert audit["tree"]["status"] == "met"


def test_audit_against_a_pursued_diploma_uses_the_favourable_version(client, student_user, holding):
    client = as_user(client, student_user)
    assert client.get(f"{API}/learners/{holding.number}/diplomas/CC-DB").json()["version"] == 2022
    older = client.get(f"{API}/learners/{holding.number}/diplomas/CC-DB?version=2018").json()
    assert older["version"] == 2018
    assert older["satisfied"] is False
    assert older["missing"] == [
        {"node": "requires/all[1]", "text": "NFA011 is still needed"},
        {"node": "requires/all[2]", "text": "NSY103 is still needed"},
    ]


def test_what_if_speaks_french_when_asked(client, student_user, holding):
    response = as_user(client, student_user).get(
        f"{API}/learners/{holding.number}/what-if/LIC-INFO?lang=fr"
    )

    body = response.json()
    assert body["version"] == 2020
    assert body["satisfied"] is False
    assert body["remaining"] == {"ects": 8.0, "units": 2, "milestones": 1}
    assert body["tree"]["children"][1]["progress"] == "0 ECTS sur 8"
    assert any("ECTS" in m["text"] and "parmi" in m["text"] for m in body["missing"])


def test_closest_ranks_diplomas(client, student_user, student, registrar, diplomas):
    grant(student, registrar, "MVA101")
    speak_english(student, registrar)

    response = as_user(client, student_user).get(f"{API}/learners/{student.number}/closest?limit=2")

    assert [(d["diploma"], d["remaining"]["units"]) for d in response.json()] == [
        ("CC-MATHS", 1),
        ("LIC-INFO", 2),
    ]


def test_pursuits_are_added_and_removed(client, student_user, student, diplomas):
    client = as_user(client, student_user)
    response = client.post(
        f"{API}/learners/{student.number}/pursuits",
        {"diploma": "CC-MATHS", "started_on": "2021-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["audit"]["diploma"] == "CC-MATHS"
    again = client.post(
        f"{API}/learners/{student.number}/pursuits",
        {"diploma": "CC-MATHS"},
        content_type="application/json",
    )
    assert again.status_code == 409
    unknown = client.post(
        f"{API}/learners/{student.number}/pursuits",
        {"diploma": "ZZ-1"},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert unknown.json() == {"errors": {"diploma": ["No diploma has the code ZZ-1."]}}

    pursuit = Pursuit.objects.get()
    assert client.delete(f"{API}/pursuits/{pursuit.pk}").status_code == 204
    assert not Pursuit.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("student_user", 200), ("paris_staff", 200), ("registrar", 200), ("lyon_staff", 404)],
)
def test_who_may_audit_a_learner(client, request, who, status, holding):
    client = as_user(client, request.getfixturevalue(who))
    number = holding.number
    for path in (
        f"/learners/{number}/pursuits",
        f"/learners/{number}/diplomas/CC-DB",
        f"/learners/{number}/what-if/CC-MATHS",
        f"/learners/{number}/closest",
    ):
        assert client.get(f"{API}{path}").status_code == status, path


def test_another_learner_cannot_drop_a_pursuit(client, classmate, holding):
    from cursus.catalogue.tests.fixtures import make_user

    classmate.user = make_user("classmate@example.org")
    classmate.save()
    pursuit = Pursuit.objects.get()
    response = as_user(client, classmate.user).delete(f"{API}/pursuits/{pursuit.pk}")
    assert response.status_code == 404
    assert Pursuit.objects.exists()


def test_anonymous_callers_are_refused(client, holding):
    assert client.get(f"{API}/learners/{holding.number}/pursuits").status_code == 401


def test_registrar_starts_an_institution_audit_and_reads_its_progress(
    client, registrar, holding, django_capture_on_commit_callbacks
):
    client = as_user(client, registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/institution")
    assert response.status_code == 202
    run_id = response.json()["id"]
    progress = client.get(f"{API}/institution/{run_id}").json()
    assert progress["status"] == "done"
    assert progress["percent"] == 100
    assert progress["learners_done"] == progress["learners_total"] == 1


def test_staff_cannot_start_an_institution_audit(client, paris_staff, diplomas):
    response = as_user(client, paris_staff).post(f"{API}/institution")
    assert response.status_code == 403
    assert not AuditRun.objects.exists()


def test_pursuits_answer_in_pinned_queries(
    client, student_user, holding, django_assert_num_queries
):
    client = as_user(client, student_user)
    url = f"{API}/learners/{holding.number}/pursuits"
    client.get(url)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
