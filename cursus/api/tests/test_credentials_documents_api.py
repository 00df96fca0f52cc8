"""Signed documents through the API: diplomas' documents, minutes, issuance, unit credentials."""
# ruff: noqa: F811 - the fixtures imported below are used as test arguments

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cursus.audit.tests.app_fixtures import (  # noqa: F401
    classmate,
    diplomas,
    grant,
    lyon_learner,
    lyon_staff,
    student,
    student_user,
    units,
)
from cursus.catalogue.models import Unit
from cursus.catalogue.tests.fixtures import make_offering, make_term, make_user
from cursus.core.actions import create_api_token
from cursus.credentials.actions import close_jury_session, decide, revoke_diploma
from cursus.credentials.models import AwardedDiploma, DiplomaDocument, JurySession, UnitCredential
from cursus.credentials.tests.fixtures import (  # noqa: F401
    candidate,
    juror,
    open_session,
    other_juror,
    satisfy,
    w,
)
from cursus.credentials.tests.units import GRADED_UNIT, pass_exam
from cursus.credentials.vc.keys import resolver_from_did_document
from cursus.credentials.vc.proof import verify
from cursus.records.tests.fixtures import enrol

pytestmark = pytest.mark.django_db

API = "/api/v1/credentials"
KINDS = [
    ("parchment", "application/pdf", "pdf"),
    ("supplement", "application/pdf", "pdf"),
    ("credential", "application/ld+json", "json"),
]


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CURSUS_CREDENTIAL_HOST = "cursus.example"
    with translation.override("en"):
        yield


@pytest.fixture
def classmate_user(w):
    """The classmate's own account: a learner who is not the student."""
    w.classmate.user = make_user("durand@example.org", last_name="Durand")
    w.classmate.save(update_fields=["user"])
    return w.classmate.user


def as_user(client: Client, user) -> Client:
    _token, plaintext = create_api_token(user=user, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
    return client


def browser(user) -> Client:
    """A web browser logged in as the user, to compare the API with the pages."""
    found = Client(HTTP_ACCEPT_LANGUAGE="en")
    found.force_login(user)
    return found


def award(w, learner=None) -> AwardedDiploma:
    """Award CC-DB to a learner (the student by default) in a Paris session."""
    learner = learner or w.student
    satisfy(learner, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    decided = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, learner), decision="award"
    )
    return decided.award


def held(w) -> JurySession:
    """A closed Paris session that awarded CC-DB to the student and the classmate."""
    session = open_session(w.paris_staff, w.juror, w.paris)
    for learner in (w.student, w.classmate):
        satisfy(learner, w.registrar)
        decide(
            actor=w.juror, candidate=candidate(w.paris_staff, session, learner), decision="award"
        )
    return close_jury_session(actor=w.juror, session=session)


def did_document() -> dict[str, Any]:
    answer = Client().get(reverse("web:did_document"))
    assert answer.status_code == 200
    document: dict[str, Any] = json.loads(answer.content)
    return document


# -- A diploma's documents ---------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "content_type", "extension"), KINDS)
def test_the_learner_downloads_each_document_as_the_web_gives_it(
    client, w, kind, content_type, extension
):
    made = award(w)
    as_user(client, w.student.user)

    answer = client.get(f"{API}/diplomas/{made.number}/documents/{kind}")

    assert answer.status_code == 200, answer.content[:200]
    assert answer["Content-Type"] == content_type
    name = f"{kind}-{made.number}.{extension}"
    assert answer["Content-Disposition"] == f'attachment; filename="{name}"'
    page = browser(w.student.user).get(reverse("web:diploma_document", args=[made.number, kind]))
    assert page.status_code == 200
    assert (page["Content-Type"], page["Content-Disposition"]) == (
        answer["Content-Type"],
        answer["Content-Disposition"],
    )
    assert answer.content == page.content
    if extension == "pdf":
        assert answer.content.startswith(b"%PDF")


def test_the_credential_document_verifies_against_the_institutions_did(client, w):
    made = award(w)
    as_user(client, w.student.user)

    credential = json.loads(
        client.get(f"{API}/diplomas/{made.number}/documents/credential").content
    )

    assert verify(credential, resolver_from_did_document(did_document()))
    assert credential["credentialSubject"]["achievement"]["humanCode"] == "CC-DB"


@pytest.mark.parametrize("reader", ["paris_staff", "juror", "registrar"])
def test_staff_of_the_centre_the_jury_and_the_registrar_read_the_documents(client, w, reader):
    made = award(w)
    as_user(client, getattr(w, reader))

    answer = client.get(f"{API}/diplomas/{made.number}/documents/parchment")

    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")


def test_a_learner_reads_only_their_own_documents(client, w, classmate_user):
    made = award(w)
    as_user(client, classmate_user)

    answer = client.get(f"{API}/diplomas/{made.number}/documents/parchment")

    assert answer.status_code == 404
    assert not DiplomaDocument.objects.exists()


def test_staff_of_another_centre_are_refused_the_documents(client, w, lyon_staff):
    made = award(w)
    as_user(client, lyon_staff)

    answer = client.get(f"{API}/diplomas/{made.number}/documents/supplement")

    assert answer.status_code == 404
    assert list(answer.json()["errors"]) == ["number"]
    assert not DiplomaDocument.objects.exists()


def test_a_revoked_diplomas_documents_are_withheld_from_its_learner_not_its_staff(client, w):
    made = award(w)
    as_user(client, w.student.user)
    before = client.get(f"{API}/diplomas/{made.number}/documents/parchment").content
    revoke_diploma(actor=w.registrar, award=made, reason="Forged equivalence.")

    withheld = client.get(f"{API}/diplomas/{made.number}/documents/parchment")
    as_user(client, w.paris_staff)
    kept = client.get(f"{API}/diplomas/{made.number}/documents/parchment")

    assert withheld.status_code == 404
    assert "revoked" in withheld.json()["errors"]["number"][0]
    assert kept.status_code == 200
    assert kept.content == before


def test_a_revoked_diplomas_document_never_issued_is_not_found_for_its_staff(client, w):
    made = award(w)
    revoke_diploma(actor=w.registrar, award=made, reason="Forged equivalence.")
    as_user(client, w.paris_staff)

    answer = client.get(f"{API}/diplomas/{made.number}/documents/credential")

    assert answer.status_code == 404
    assert list(answer.json()["errors"]) == ["kind"]


def test_an_unknown_diploma_or_kind_is_answered_in_the_error_shape(client, w):
    made = award(w)
    as_user(client, w.registrar)

    unknown = client.get(f"{API}/diplomas/2026-CC-DB-99999/documents/parchment")
    wrong_kind = client.get(f"{API}/diplomas/{made.number}/documents/transcript")

    assert unknown.status_code == 404
    assert wrong_kind.status_code == 422
    assert list(wrong_kind.json()["errors"]) == ["kind"]


def test_an_anonymous_caller_must_authenticate(client, w):
    made = award(w)

    answer = client.get(f"{API}/diplomas/{made.number}/documents/parchment")

    assert answer.status_code == 401


def test_an_issued_document_downloads_in_a_fixed_number_of_queries(
    client, w, django_assert_num_queries
):
    made = award(w)
    as_user(client, w.student.user)
    client.get(f"{API}/diplomas/{made.number}/documents/parchment")

    # The token and its user, their roles and learner; the diploma in scope, checked again
    # by the issuance and read afresh; the kinds stored, and the documents.
    with django_assert_num_queries(8):
        answer = client.get(f"{API}/diplomas/{made.number}/documents/supplement")
    assert answer.status_code == 200


# -- The minutes of a session ------------------------------------------------------------------


def test_the_jury_downloads_the_signed_minutes_as_the_web_names_them(client, w):
    session = held(w)
    as_user(client, w.juror)

    answer = client.get(f"{API}/sessions/{session.pk}/minutes")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    page = browser(w.juror).get(reverse("web:jury_minutes", args=[session.pk]))
    assert page.status_code == 200
    assert page["Content-Disposition"] == answer["Content-Disposition"]
    assert answer["Content-Disposition"] == (
        f'attachment; filename="minutes-CC-DB-2026-06-30-{session.pk}.pdf"'
    )


def test_the_minutes_wait_for_the_session_to_close_and_are_not_a_learners(client, w):
    made = award(w)
    as_user(client, w.juror)
    still_open = client.get(f"{API}/sessions/{made.session_id}/minutes")
    close_jury_session(actor=w.juror, session=made.session)
    as_user(client, w.student.user)
    learner = client.get(f"{API}/sessions/{made.session_id}/minutes")

    assert still_open.status_code == 404
    assert learner.status_code == 404


# -- Issuance of a session's documents ---------------------------------------------------------


def test_an_issuance_runs_to_completion_and_its_progress_reads_back(
    client, w, django_capture_on_commit_callbacks
):
    session = held(w)
    as_user(client, w.juror)

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(f"{API}/sessions/{session.pk}/issuance")

    assert queued.status_code == 202, queued.json()
    batch = queued.json()
    assert (batch["session"], batch["status"], batch["done"], batch["total"]) == (
        session.pk,
        "queued",
        0,
        2,
    )
    assert queued["Location"] == f"{API}/issuance/{batch['id']}"
    progress = client.get(queued["Location"])
    assert progress.status_code == 200
    read = progress.json()
    assert (read["status"], read["done"], read["total"], read["percent"]) == ("done", 2, 2, 100)
    assert read["documents"] == 6
    assert read["finished"] is True
    assert DiplomaDocument.objects.filter(award__session=session).count() == 6


def test_an_issuance_under_way_is_not_queued_twice(client, w):
    session = held(w)
    as_user(client, w.paris_staff)

    first = client.post(f"{API}/sessions/{session.pk}/issuance")
    second = client.post(f"{API}/sessions/{session.pk}/issuance")

    assert first.status_code == 202
    assert first.json()["status"] == "queued"
    assert second.status_code == 409
    assert list(second.json()["errors"]) == ["session"]


def test_a_session_that_awarded_nothing_has_nothing_to_issue(client, w):
    session = open_session(w.paris_staff, w.juror, w.paris)
    as_user(client, w.juror)

    answer = client.post(f"{API}/sessions/{session.pk}/issuance")

    assert answer.status_code == 409


def test_an_issuance_is_out_of_reach_of_learners_and_other_centres(
    client, w, lyon_staff, django_capture_on_commit_callbacks
):
    session = held(w)
    as_user(client, w.juror)
    with django_capture_on_commit_callbacks(execute=True):
        batch_id = client.post(f"{API}/sessions/{session.pk}/issuance").json()["id"]

    for outsider in (w.student.user, lyon_staff):
        as_user(client, outsider)
        assert client.post(f"{API}/sessions/{session.pk}/issuance").status_code == 404
        assert client.get(f"{API}/issuance/{batch_id}").status_code == 404
    as_user(client, w.registrar)
    assert client.get(f"{API}/issuance/{batch_id + 1}").status_code == 404


# -- Credentials of capitalised units ----------------------------------------------------------


def test_the_learner_issues_a_unit_credential_that_verifies_and_reads_it_back(client, w):
    pass_exam(w)
    as_user(client, w.student.user)

    made = client.post(f"{API}/learners/{w.student.number}/units/{GRADED_UNIT.lower()}/credential")

    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["learner"], body["unit"], body["status"]) == (
        w.student.number,
        GRADED_UNIT,
        "issued",
    )
    document = body["document"]
    assert verify(document, resolver_from_did_document(did_document()))
    assert document["credentialSubject"]["achievement"]["humanCode"] == GRADED_UNIT
    read = client.get(f"{API}/units/{body['public_id']}")
    assert read.status_code == 200
    assert json.loads(read.content) == document
    page = browser(w.student.user).get(reverse("web:unit_credential", args=[body["public_id"]]))
    assert (page["Content-Type"], page["Content-Disposition"]) == (
        read["Content-Type"],
        read["Content-Disposition"],
    )
    assert json.loads(page.content) == document


def test_asking_twice_for_a_unit_credential_gives_the_same_one(client, w):
    pass_exam(w)
    as_user(client, w.paris_staff)

    first = client.post(f"{API}/learners/{w.student.number}/units/{GRADED_UNIT}/credential")
    second = client.post(f"{API}/learners/{w.student.number}/units/{GRADED_UNIT}/credential")

    assert first.json()["public_id"] == second.json()["public_id"]
    assert UnitCredential.objects.count() == 1


def test_a_unit_not_held_has_no_credential(client, w):
    as_user(client, w.student.user)

    answer = client.post(f"{API}/learners/{w.student.number}/units/NSY103/credential")

    assert answer.status_code == 404
    assert list(answer.json()["errors"]) == ["code"]
    assert not UnitCredential.objects.exists()


def test_a_learner_neither_issues_nor_reads_someone_elses_unit_credential(
    client, w, classmate_user
):
    pass_exam(w)
    as_user(client, w.student.user)
    public_id = client.post(
        f"{API}/learners/{w.student.number}/units/{GRADED_UNIT}/credential"
    ).json()["public_id"]

    as_user(client, classmate_user)
    issued = client.post(f"{API}/learners/{w.student.number}/units/{GRADED_UNIT}/credential")
    read = client.get(f"{API}/units/{public_id}")

    assert issued.status_code == 404
    assert read.status_code == 404


def test_staff_of_another_centre_may_not_issue_a_unit_credential(client, w, lyon_learner):
    # Taught at Paris, the Lyon learner's record is open to Paris staff; their credentials
    # are Lyon's to issue.
    offering = make_offering(Unit.objects.get(code=GRADED_UNIT), make_term(2024), w.paris)
    enrol(lyon_learner, offering)
    grant(lyon_learner, w.registrar, GRADED_UNIT)
    as_user(client, w.paris_staff)

    answer = client.post(f"{API}/learners/{lyon_learner.number}/units/{GRADED_UNIT}/credential")

    assert answer.status_code == 403
    assert not UnitCredential.objects.exists()
