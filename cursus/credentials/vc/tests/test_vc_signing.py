import copy
from pathlib import Path

import pytest

from cursus.credentials.vc.errors import CredentialError
from cursus.credentials.vc.keys import load_keyring, resolver_from_did_document, rotate_key
from cursus.credentials.vc.proof import canonicalize, sign, verify

from .helpers import HOST, diploma_credential


@pytest.fixture
def ring(tmp_path: Path):
    return load_keyring(tmp_path / "keys", host=HOST)


def test_signed_diploma_verifies_with_the_published_did_document(ring):
    signed = sign(diploma_credential(ring), key=ring.current)

    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["verificationMethod"] == "did:web:cursus.example#key-1"
    assert signed["proof"]["proofValue"].startswith("z")
    assert verify(signed, ring.public_key)
    assert verify(signed, resolver_from_did_document(ring.did_document()))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "creditsEarned"), 120),
        (("credentialSubject", "achievement", "name"), "Master Informatique"),
        (("issuer", "name"), "Another school"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("credentialStatus", "statusListIndex"), "8"),
    ],
)
def test_altered_credential_fails_verification(ring, path, value):
    signed = sign(diploma_credential(ring), key=ring.current)
    altered = copy.deepcopy(signed)
    target = altered
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    assert not verify(altered, ring.public_key)


def test_credential_signed_by_another_key_fails(ring, tmp_path):
    stranger = load_keyring(tmp_path / "other", host=HOST)
    forged = sign(diploma_credential(ring), key=stranger.current)

    assert not verify(forged, ring.public_key)


def test_key_not_belonging_to_the_issuer_fails(ring, tmp_path):
    other = load_keyring(tmp_path / "other", host="elsewhere.example")
    forged = sign(diploma_credential(ring), key=other.current)

    assert not verify(forged, other.public_key)


def test_rotation_keeps_old_credentials_verifiable(ring, tmp_path):
    old = sign(diploma_credential(ring), key=ring.current)

    rotated = rotate_key(tmp_path / "keys", host=HOST)
    new = sign(diploma_credential(rotated), key=rotated.current)

    assert [key.key_id for key in rotated.keys] == [
        "did:web:cursus.example#key-1",
        "did:web:cursus.example#key-2",
    ]
    assert new["proof"]["verificationMethod"].endswith("#key-2")
    published = resolver_from_did_document(rotated.did_document())
    assert verify(old, published)
    assert verify(new, published)


def test_keys_are_made_once_and_reloaded(tmp_path):
    first = load_keyring(tmp_path / "keys", host=HOST)
    again = load_keyring(tmp_path / "keys", host=HOST)

    assert len(again.keys) == 1
    assert again.current.public_key_multibase == first.current.public_key_multibase
    assert (tmp_path / "keys" / "key-1.pem").stat().st_mode & 0o077 == 0


def test_did_document_lists_every_key_as_a_multikey_assertion_method(tmp_path):
    rotate_key(tmp_path / "keys", host="cursus.example:8443")
    document = load_keyring(tmp_path / "keys", host="cursus.example:8443").did_document()

    assert document["id"] == "did:web:cursus.example%3A8443"
    assert document["@context"][0] == "https://www.w3.org/ns/did/v1"
    methods = document["verificationMethod"]
    assert [m["id"] for m in methods] == [f"{document['id']}#key-1", f"{document['id']}#key-2"]
    for method in methods:
        assert method["type"] == "Multikey"
        assert method["controller"] == document["id"]
        assert method["publicKeyMultibase"].startswith("z6Mk")
    assert document["assertionMethod"] == [m["id"] for m in methods]


def test_property_no_context_defines_is_refused(ring):
    credential = diploma_credential(ring)
    credential["credentialSubject"]["honours"] = "très bien"

    with pytest.raises(CredentialError, match="honours"):
        sign(credential, key=ring.current)


def test_relative_ids_and_types_are_refused(ring):
    relative_id = diploma_credential(ring)
    relative_id["credentialSubject"]["achievement"]["id"] = "diplomas/LG02501"
    relative_type = diploma_credential(ring)
    relative_type["type"].append("Parchment")

    with pytest.raises(CredentialError, match="Relative IRI"):
        sign(relative_id, key=ring.current)
    with pytest.raises(CredentialError, match="Relative IRI"):
        sign(relative_type, key=ring.current)


def test_contexts_not_bundled_are_never_fetched(ring):
    credential = diploma_credential(ring)
    credential["@context"].append("https://example.org/context.json")

    with pytest.raises(CredentialError, match="not bundled"):
        canonicalize(credential)


def test_credits_must_be_numbers_before_signing(ring):
    with pytest.raises(CredentialError, match="creditsEarned must be a number"):
        diploma_credential(ring, credits="180")
    with pytest.raises(CredentialError, match="creditsEarned"):
        diploma_credential(ring, credits=True)


def test_unit_credential_carries_its_credits_type_and_centre(ring):
    credential = diploma_credential(ring, credits=180)
    subject = credential["credentialSubject"]

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["achievementType"] == "Diploma"
    assert subject["achievement"]["creditsAvailable"] == 180
    assert subject["creditsEarned"] == 180
    assert subject["source"]["name"] == "Centre Cnam Paris"
    assert subject["identifier"][0]["identityHash"].startswith("sha256$")
    assert "camille" not in str(credential).lower()
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c.__setitem__("@context", 5),
        lambda c: c.__setitem__("id", 5),
        lambda c: c.__setitem__("type", [None]),
        lambda c: c["proof"].__setitem__("proofValue", "z"),
        lambda c: c["proof"].__setitem__("verificationMethod", "did:web:cursus.example#key-9"),
        lambda c: c.__delitem__("proof"),
    ],
)
def test_malformed_credential_does_not_verify_and_does_not_crash(ring, damage):
    signed = sign(diploma_credential(ring), key=ring.current)
    damage(signed)

    assert verify(signed, ring.public_key) is False
