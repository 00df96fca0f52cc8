"""Rotating the institution's keys: old credentials keep verifying, new ones use the new key."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cursus.credentials import issuance, signing
from cursus.credentials.tests.units import ask_for, pass_exam, served
from cursus.credentials.vc.keys import resolver_from_did_document
from cursus.credentials.vc.proof import verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keys(settings, tmp_path, client):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CURSUS_CREDENTIAL_HOST = "cursus.example"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def rotate() -> str:
    out = StringIO()
    call_command("credentials", "rotate-keys", stdout=out)
    return out.getvalue()


def test_rotation_prints_the_new_key_ids(w):
    signing.current_identity()

    printed = rotate()

    assert "did:web:cursus.example#key-2" in printed
    assert "did:web:cursus.example#key-1" in printed
    assert "pdf-signing-2" in printed
    assert signing.current_identity().number == 2


def test_a_credential_signed_before_rotation_verifies_after_it(client, w):
    pass_exam(w)
    before = ask_for(client, w)

    rotate()

    did = served(client, "web:did_document")
    assert verify(before, resolver_from_did_document(did))
    assert issuance.check_credential(before).genuine
    answer = client.post(reverse("web:verify_credential"), {"text": json.dumps(before)})
    assert "Genuine." in answer.content.decode()
    assert before["proof"]["verificationMethod"] == "did:web:cursus.example#key-1"


def test_credentials_signed_after_rotation_use_the_new_key(client, w):
    pass_exam(w)
    rotate()

    after = ask_for(client, w)

    assert after["proof"]["verificationMethod"] == "did:web:cursus.example#key-2"
    assert verify(after, resolver_from_did_document(served(client, "web:did_document")))
