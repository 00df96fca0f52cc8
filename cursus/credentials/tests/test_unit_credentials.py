"""Credentials of capitalised units: issued on request, verifiable, revocable."""

import copy
import json

import pytest
from django.urls import reverse

from cursus.audit.tests.app_fixtures import grant
from cursus.core.errors import NotAllowed
from cursus.credentials.actions import issue_unit_credential, revoke_unit_credential
from cursus.credentials.models import UnitCredential
from cursus.credentials.tests.units import GRADED_UNIT, ask_for, issued, pass_exam, served
from cursus.credentials.vc.keys import resolver_from_did_document
from cursus.credentials.vc.proof import verify
from cursus.credentials.vc.status import is_revoked
from cursus.records.actions.validations import revoke_validation
from cursus.records.models import Validation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys(settings, tmp_path, client):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CURSUS_CREDENTIAL_HOST = "cursus.example"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_unit_credential_states_the_course_its_credits_and_grade(client, w):
    pass_exam(w)

    credential = ask_for(client, w)

    assert verify(credential, resolver_from_did_document(served(client, "web:did_document")))
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Course"
    assert achievement["humanCode"] == GRADED_UNIT
    assert achievement["creditsAvailable"] == subject["creditsEarned"] == 6
    assert subject["source"]["name"] == w.paris.name
    assert subject["result"][0]["value"] == "14.50"
    assert subject["result"][0]["resultDescription"] == achievement["resultDescription"][0]["id"]
    assert subject["activityEndDate"] == issued(w).content["date"]
    status = credential["credentialStatus"]
    assert status["statusListCredential"].endswith(
        reverse("web:unit_credential_status_list", args=[1])
    )


def test_asking_twice_gives_the_same_credential(client, w):
    pass_exam(w)

    assert ask_for(client, w) == ask_for(client, w)
    assert UnitCredential.objects.count() == 1


def test_a_unit_validated_without_grade_gets_a_credential_without_result(client, w):
    grant(w.student, w.registrar, "NSY103")

    credential = ask_for(client, w, "NSY103")

    assert "result" not in credential["credentialSubject"]
    assert credential["credentialSubject"]["creditsEarned"] == 6


def test_only_a_unit_held_gets_a_credential(client, w):
    client.force_login(w.student.user)
    answer = client.post(reverse("web:issue_unit_credential", args=[w.student.number, "NSY103"]))

    assert answer.status_code == 404
    assert not UnitCredential.objects.exists()


def test_a_teacher_cannot_ask_for_a_learners_unit_credential(w):
    pass_exam(w)

    with pytest.raises(NotAllowed):
        issue_unit_credential(actor=w.teacher, learner=w.student, unit_code=GRADED_UNIT)
    assert not UnitCredential.objects.exists()


def test_another_learner_cannot_download_the_credential(client, w):
    pass_exam(w)
    ask_for(client, w)
    url = reverse("web:unit_credential", args=[issued(w).public_id])

    client.force_login(w.teacher)
    assert client.get(url).status_code == 404
    client.force_login(w.paris_staff)
    assert client.get(url).status_code == 200


def test_the_record_page_offers_the_credential_of_each_unit(client, w):
    pass_exam(w)
    client.force_login(w.student.user)

    page = client.get(reverse("web:learner_record", args=[w.student.number])).content.decode()

    assert reverse("web:issue_unit_credential", args=[w.student.number, GRADED_UNIT]) in page
    assert "Get a verifiable credential" in page


def test_verification_page_says_the_credential_is_of_a_unit(client, w):
    pass_exam(w)
    credential = ask_for(client, w)

    answer = client.post(reverse("web:verify_credential"), {"text": json.dumps(credential)})

    page = answer.content.decode()
    assert "Genuine." in page
    assert "Capitalised unit" in page
    assert GRADED_UNIT in page
    assert w.student.last_name in page


def test_verification_page_rejects_an_altered_unit_credential(client, w):
    pass_exam(w)
    credential = ask_for(client, w)
    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["result"][0]["value"] = "19.00"

    answer = client.post(reverse("web:verify_credential"), {"text": json.dumps(altered)})

    assert "Not genuine." in answer.content.decode()


def test_a_revoked_unit_credential_is_revoked_in_its_status_list(client, w):
    pass_exam(w)
    credential = ask_for(client, w)
    assert is_revoked(credential, served(client, "web:unit_credential_status_list", 1)) is False

    revoke_unit_credential(actor=w.registrar, credential=issued(w), reason="Mistaken grade.")

    status_list = served(client, "web:unit_credential_status_list", 1)
    did = served(client, "web:did_document")
    assert verify(status_list, resolver_from_did_document(did))
    assert is_revoked(credential, status_list) is True
    answer = client.post(reverse("web:verify_credential"), {"text": json.dumps(credential)})
    assert "Genuine, but revoked." in answer.content.decode()


def test_losing_the_unit_revokes_its_credential(client, w):
    grant(w.student, w.registrar, "NSY103")
    credential = ask_for(client, w, "NSY103")

    validation = Validation.objects.get(learner=w.student, unit__code="NSY103")
    revoke_validation(actor=w.registrar, validation=validation, reason="Forged certificate.")

    assert is_revoked(credential, served(client, "web:unit_credential_status_list", 1)) is True


def test_only_the_registrar_revokes_a_unit_credential(client, w):
    pass_exam(w)
    ask_for(client, w)

    with pytest.raises(NotAllowed):
        revoke_unit_credential(actor=w.paris_staff, credential=issued(w), reason="No.")


def test_unit_credentials_take_successive_bits(client, w):
    pass_exam(w)
    grant(w.student, w.registrar, "NSY103")

    ask_for(client, w)
    ask_for(client, w, "NSY103")

    assert sorted(UnitCredential.objects.values_list("list_number", "index")) == [(1, 0), (1, 1)]


def test_unknown_unit_status_list_is_not_found(client, w):
    assert client.get(reverse("web:unit_credential_status_list", args=[4])).status_code == 404


def test_the_learners_diplomas_page_lists_their_unit_credentials(client, w):
    pass_exam(w)
    ask_for(client, w)
    client.force_login(w.student.user)
    page = client.get(reverse("web:jury_learner", args=[w.student.number])).content.decode()
    link = reverse("web:unit_credential", args=[issued(w).public_id])
    assert GRADED_UNIT in page
    assert link in page

    revoke_unit_credential(actor=w.registrar, credential=issued(w), reason="Mistaken grade.")
    page = client.get(reverse("web:jury_learner", args=[w.student.number])).content.decode()
    assert GRADED_UNIT in page
    assert link not in page
    assert "Revoked" in page
