"""Diplomas' credentials: served signed, verifiable by anyone, revoked through the status list."""

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cursus.catalogue.models import Unit
from cursus.credentials.actions import decide, revoke_diploma
from cursus.credentials.models import AwardedDiploma, StatusEntry
from cursus.credentials.tests.fixtures import CC_DB_UNITS, candidate, open_session, satisfy
from cursus.credentials.vc.keys import resolver_from_did_document
from cursus.credentials.vc.proof import verify
from cursus.credentials.vc.status import is_revoked

pytestmark = pytest.mark.django_db

INTEROP = Path(__file__).resolve().parents[3] / "tests" / "interop"
NODE = shutil.which("node")


@pytest.fixture(autouse=True)
def keys(settings, tmp_path, client):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CURSUS_CREDENTIAL_HOST = "cursus.example"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def award(w) -> AwardedDiploma:
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    decided = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award"
    )
    return decided.award


def download(client, w, number: str) -> dict[str, Any]:
    client.force_login(w.student.user)
    answer = client.get(reverse("web:diploma_credential", args=[number]))
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment;")
    client.logout()
    document: dict[str, Any] = json.loads(answer.content)
    return document


def served(client, name: str, *args: object) -> dict[str, Any]:
    answer = client.get(reverse(name, args=args))
    assert answer.status_code == 200
    document: dict[str, Any] = json.loads(answer.content)
    return document


def test_an_award_gets_its_status_bit(w):
    made = award(w)
    entry = StatusEntry.objects.get(award=made)
    assert (entry.list_number, entry.index) == (1, 0)


def test_served_credential_verifies_against_the_served_did_document(client, w):
    made = award(w)
    credential = download(client, w, made.number)
    did = served(client, "web:did_document")

    assert credential["issuer"]["id"] == "did:web:cursus.example" == did["id"]
    assert verify(credential, resolver_from_did_document(did))
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["humanCode"] == "CC-DB"
    assert achievement["achievementType"] == "Certificate"
    units = Unit.objects.filter(code__in=CC_DB_UNITS)
    assert achievement["creditsAvailable"] == sum(unit.ects for unit in units)
    assert credential["credentialSubject"]["creditsEarned"] == achievement["creditsAvailable"]
    assert credential["credentialSubject"]["source"]["name"] == w.paris.name
    assert credential["credentialStatus"]["statusListIndex"] == "0"


def test_the_same_diploma_always_downloads_the_same_credential(client, w):
    made = award(w)
    assert download(client, w, made.number) == download(client, w, made.number)


def test_another_learner_cannot_download_the_credential(client, w):
    made = award(w)
    answer = client.get(reverse("web:diploma_credential", args=[made.number]))
    assert answer.status_code == 302
    client.force_login(w.teacher)
    answer = client.get(reverse("web:diploma_credential", args=[made.number]))
    assert answer.status_code == 404


def test_status_list_sets_the_bit_of_a_revoked_diploma(client, w):
    made = award(w)
    credential = download(client, w, made.number)
    url = reverse("web:credential_status_list", args=[1])
    assert credential["credentialStatus"]["statusListCredential"].endswith(url)
    did = served(client, "web:did_document")

    before = served(client, "web:credential_status_list", 1)
    assert verify(before, resolver_from_did_document(did))
    assert is_revoked(credential, before) is False

    revoke_diploma(actor=w.registrar, award=made, reason="Forged equivalence.")
    after = served(client, "web:credential_status_list", 1)
    assert verify(after, resolver_from_did_document(did))
    assert is_revoked(credential, after) is True


def test_unknown_status_list_is_not_found(client, w):
    assert client.get(reverse("web:credential_status_list", args=[7])).status_code == 404


def run_node(tmp_path: Path, credential, did, status) -> dict[str, Any]:
    files = {"credential": credential, "did": did, "status": status}
    for name, document in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document), "utf-8")
    assert NODE is not None
    completed = subprocess.run(
        [NODE, str(INTEROP / "verify.mjs")] + [str(tmp_path / f"{n}.json") for n in files],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


@pytest.mark.skipif(
    NODE is None or not (INTEROP / "node_modules").is_dir(),
    reason="[node] node or tests/interop/node_modules is missing",
)
def test_javascript_verifier_accepts_the_served_credential_then_sees_it_revoked(
    client, w, tmp_path
):
    made = award(w)
    credential = download(client, w, made.number)
    did = served(client, "web:did_document")

    result = run_node(tmp_path, credential, did, served(client, "web:credential_status_list", 1))
    assert result == {"verified": True, "revoked": False, "statusListVerified": True, "errors": []}

    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["creditsEarned"] = 600
    status = served(client, "web:credential_status_list", 1)
    assert run_node(tmp_path, altered, did, status)["verified"] is False

    revoke_diploma(actor=w.registrar, award=made, reason="Forged equivalence.")
    result = run_node(tmp_path, credential, did, served(client, "web:credential_status_list", 1))
    assert result["revoked"] is True


def test_verification_page_shows_a_genuine_credential_and_its_holder(client, w):
    made = award(w)
    credential = download(client, w, made.number)

    answer = client.post(reverse("web:verify_credential"), {"text": json.dumps(credential)})

    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Genuine." in page
    assert made.number in page
    assert f"{w.student.first_name} {w.student.last_name}" in page


def test_verification_page_rejects_an_altered_credential(client, w):
    made = award(w)
    credential = download(client, w, made.number)
    credential["credentialSubject"]["creditsEarned"] = 600
    upload = SimpleUploadedFile("diploma.json", json.dumps(credential).encode())

    answer = client.post(reverse("web:verify_credential"), {"upload": upload})

    page = answer.content.decode()
    assert "Not genuine." in page
    assert "altered or forged" in page
    assert w.student.last_name not in page


def test_verification_page_says_a_revoked_diploma_is_revoked(client, w):
    made = award(w)
    credential = download(client, w, made.number)
    revoke_diploma(actor=w.registrar, award=made, reason="Forged equivalence.")

    answer = client.post(reverse("web:verify_credential"), {"text": json.dumps(credential)})

    assert "Genuine, but revoked." in answer.content.decode()


def test_verification_page_explains_a_malformed_upload(client, w):
    upload = SimpleUploadedFile("diploma.json", b"{not json")

    answer = client.post(reverse("web:verify_credential"), {"upload": upload})

    assert answer.status_code == 400
    assert "This is not valid JSON" in answer.content.decode()
    assert client.get(reverse("web:verify_credential")).status_code == 200


def test_verification_page_answers_in_french(client, w):
    upload = SimpleUploadedFile("diploma.json", b"[1, 2]")

    answer = client.post(
        reverse("web:verify_credential"), {"upload": upload}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert answer.status_code == 400
    assert "Une attestation est un objet JSON." in answer.content.decode()
