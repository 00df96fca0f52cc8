"""The records API: grades, publication, corrections, ledgers, validations, milestones."""
# ruff: noqa: F811 - the fixtures imported below are used as test arguments

import pytest
from django.utils import translation

from cursus.core.actions import create_api_token
from cursus.records.models import Result
from cursus.records.tests.fixtures import (  # noqa: F401
    learner_user,
    learners,
    lyon_staff,
    nsy103,
    offering,
    other_teacher,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def as_user(client, user):
    _token, plaintext = create_api_token(user=user, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def post(client, path, payload=None):
    return client.post(f"{API}{path}", payload or {}, content_type="application/json")


def grades(offering, session=1):
    return f"/records/offerings/{offering.pk}/sessions/{session}"


def test_teacher_enters_grades_and_staff_publish(client, teacher, paris_staff, offering, learners):
    as_user(client, teacher)
    entries = [
        {"learner": l_.number, "grade": g}
        for l_, g in zip(learners, ["12.5", "8", "ABS"], strict=True)
    ]
    answer = post(client, grades(offering) + "/grades", {"entries": entries})
    assert answer.status_code == 200, answer.json()
    assert [line["status"] for line in answer.json()] == ["graded", "graded", "absent"]
    assert post(client, grades(offering) + "/publication").status_code == 403
    grid = client.get(f"{API}{grades(offering)}").json()
    assert [line["mark"] for line in grid["lines"]] == ["12.50", "8.00", "ABS"]
    as_user(client, paris_staff)
    answer = post(client, grades(offering) + "/publication")
    assert answer.status_code == 200
    ledger = client.get(f"{API}/records/learners/{learners[0].number}/ledger").json()
    assert ledger == [
        {
            "code": "NFA008",
            "ects": 6,
            "grade": "12.50",
            "source": "exam",
            "date": offering.term.session1_ends_on.isoformat(),
            "department": "informatique",
        }
    ]


def test_bad_grade_answers_422_naming_the_entry(client, teacher, offering, learners):
    as_user(client, teacher)
    entries = [
        {"learner": learners[0].number, "grade": "12"},
        {"learner": "A-9999999", "grade": "-1"},
    ]
    answer = post(client, grades(offering) + "/grades", {"entries": entries})
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"entries[1].learner", "entries[1].grade"}
    assert Result.objects.count() == 0


def test_csv_import_answers_errors_by_line(client, teacher, offering, learners):
    as_user(client, teacher)
    csv = f"learner,grade\n{learners[0].number},12\n{learners[1].number},douze\n"
    answer = post(client, grades(offering) + "/import", {"csv": csv})
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["line 3"]
    assert "grade" in answer.json()["errors"]["line 3"][0]


def test_outsiders_do_not_see_the_grid(client, other_teacher, offering, learners):
    as_user(client, other_teacher)
    assert client.get(f"{API}{grades(offering)}").status_code == 404
    client.defaults.pop("HTTP_AUTHORIZATION")
    assert client.get(f"{API}{grades(offering)}").status_code == 401


def test_correction_validation_milestone_and_transcript(  # noqa: PLR0917
    client, teacher, paris_staff, learner_user, offering, learners, nsy103
):
    as_user(client, teacher)
    post(
        client,
        grades(offering) + "/grades",
        {"entries": [{"learner": learners[0].number, "grade": "9"}]},
    )
    as_user(client, paris_staff)
    post(client, grades(offering) + "/publication")
    result = Result.objects.get()
    answer = post(client, f"/records/results/{result.pk}/correction", {"grade": "11", "reason": ""})
    assert answer.status_code == 422
    answer = post(
        client, f"/records/results/{result.pk}/correction", {"grade": "11", "reason": "Regraded"}
    )
    assert answer.json()["grade"] == "11.00"
    number = learners[0].number
    answer = post(
        client,
        f"/records/learners/{number}/validations",
        {
            "source": "transfer",
            "units": ["NSY103"],
            "decision_reference": "T-1",
            "jury": "J",
            "decided_on": "2024-02-01",
        },
    )
    assert answer.status_code == 201, answer.json()
    validation_id = answer.json()[0]["id"]
    answer = post(
        client,
        f"/records/learners/{number}/milestones",
        {
            "kind": "language",
            "achieved_on": "2024-01-01",
            "evidence": "IELTS 7",
            "language": "en",
            "level": "C1",
        },
    )
    assert answer.status_code == 201
    milestone_id = answer.json()["id"]
    answer = post(
        client,
        f"/records/milestones/{milestone_id}/correction",
        {"level": "B2", "reason": "Misread"},
    )
    assert answer.json()["level"] == "B2"
    answer = post(
        client, f"/records/validations/{validation_id}/revocation", {"reason": "Wrong school"}
    )
    assert answer.json()["revoked"] is True
    record = client.get(f"{API}/records/learners/{number}").json()
    assert [row["code"] for row in record["ledger"]] == ["NFA008"]
    assert record["ects"] == 6
    learners[0].user = learner_user
    learners[0].save()
    as_user(client, learner_user)
    assert client.get(f"{API}/records/learners/{learners[1].number}").status_code == 404
    answer = post(client, f"/records/learners/{number}/transcript")
    assert answer.status_code == 201
    token = answer.json()["token"]
    client.defaults.pop("HTTP_AUTHORIZATION")
    check = client.get(f"{API}/verify/{token}").json()
    assert (check["genuine"], check["current"]) == (True, True)
    assert [unit["code"] for unit in check["units"]] == ["NFA008"]
    assert client.get(f"{API}/verify/nope").status_code == 404


def test_ledger_endpoint_pins_its_queries(
    client, registrar, learners, django_assert_max_num_queries
):
    as_user(client, registrar)
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/records/learners/{learners[0].number}/ledger").json() == []
