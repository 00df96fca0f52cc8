"""The Node verifier judges the credential a holder downloads beside their parchment.

The credential stored with the diploma's documents, the DID document and the status list
are fetched from the pages a holder and a verifier use, then handed to ``verify.mjs``.
"""

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from cursus.credentials.actions import decide, revoke_diploma
from cursus.credentials.tests.fixtures import candidate, open_session, satisfy

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


def served(client, name: str, *args: object) -> dict[str, Any]:
    answer = client.get(reverse(name, args=args))
    assert answer.status_code == 200
    document: dict[str, Any] = json.loads(answer.content)
    return document


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


def test_javascript_verifier_judges_the_credential_downloaded_with_the_documents(
    client, w, tmp_path
):
    satisfy(w.student, w.registrar)
    session = open_session(w.paris_staff, w.juror, w.paris)
    award = decide(
        actor=w.juror, candidate=candidate(w.paris_staff, session, w.student), decision="award"
    ).award
    client.force_login(w.student.user)
    answer = client.get(reverse("web:diploma_document", args=[award.number, "credential"]))
    assert answer.status_code == 200
    credential = json.loads(answer.content)
    client.logout()
    did = served(client, "web:did_document")

    status = served(client, "web:credential_status_list", 1)
    result = run_node(tmp_path, credential, did, status)
    assert result == {"verified": True, "revoked": False, "statusListVerified": True, "errors": []}

    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["creditsEarned"] = 60
    assert run_node(tmp_path, altered, did, status)["verified"] is False

    revoke_diploma(actor=w.registrar, award=award, reason="Forged equivalence.")
    status = served(client, "web:credential_status_list", 1)
    assert run_node(tmp_path, credential, did, status)["revoked"] is True
