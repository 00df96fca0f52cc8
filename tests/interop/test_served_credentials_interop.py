"""The Node verifier judges credentials as Cursus serves them: of a unit, and across a rotation.

The credential, the DID document and the status list are downloaded from the pages a
holder and a verifier would use, then handed to ``verify.mjs``.
"""

import copy
import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from cursus.credentials import issuance
from cursus.credentials.actions import decide, revoke_unit_credential
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy
from cursus.credentials.tests.units import ask_for, issued, pass_exam, served

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(NODE is None, reason="[node] node is not installed"),
    pytest.mark.skipif(
        not (HERE / "node_modules").is_dir(),
        reason="[node] tests/interop/node_modules is missing (npm ci --prefix tests/interop)",
    ),
]


@pytest.fixture(autouse=True)
def keys(settings, tmp_path, client):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CURSUS_CREDENTIAL_HOST = "cursus.example"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def run_node(tmp_path: Path, credential, did, status) -> dict[str, Any]:
    files = {"credential": credential, "did": did, "status": status}
    for name, document in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document), "utf-8")
    assert NODE is not None
    completed = subprocess.run(
        [NODE, str(HERE / "verify.mjs")] + [str(tmp_path / f"{n}.json") for n in files],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def test_javascript_verifier_accepts_a_unit_credential_then_sees_it_revoked(client, w, tmp_path):
    pass_exam(w)
    credential = ask_for(client, w)
    did = served(client, "web:did_document")

    status = served(client, "web:unit_credential_status_list", 1)
    result = run_node(tmp_path, credential, did, status)
    assert result == {"verified": True, "revoked": False, "statusListVerified": True, "errors": []}

    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["result"][0]["value"] = "19.00"
    assert run_node(tmp_path, altered, did, status)["verified"] is False

    revoke_unit_credential(actor=w.registrar, credential=issued(w), reason="Mistaken grade.")
    status = served(client, "web:unit_credential_status_list", 1)
    assert run_node(tmp_path, credential, did, status)["revoked"] is True


def test_credentials_signed_before_a_rotation_verify_after_it(client, w, tmp_path):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    award = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award"
    ).award
    client.force_login(w.student.user)
    before = json.loads(client.get(reverse("web:diploma_credential", args=[award.number])).content)
    client.logout()
    old_key = before["proof"]["verificationMethod"]

    out = StringIO()
    call_command("credentials", "rotate-keys", stdout=out)

    assert "did:web:cursus.example#key-2" in out.getvalue()
    did = served(client, "web:did_document")
    assert [m["id"] for m in did["verificationMethod"]] == [old_key, f"{did['id']}#key-2"]
    status = served(client, "web:credential_status_list", 1)
    assert issuance.check_credential(before).genuine
    result = run_node(tmp_path, before, did, status)
    assert result == {"verified": True, "revoked": False, "statusListVerified": True, "errors": []}
    assert status["proof"]["verificationMethod"].endswith("#key-2")
    pass_exam(w)
    after = ask_for(client, w)
    assert after["proof"]["verificationMethod"].endswith("#key-2")
    assert run_node(tmp_path, after, did, served(client, "web:unit_credential_status_list", 1))[
        "verified"
    ]
