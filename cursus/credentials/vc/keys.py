"""The institution's Ed25519 keys and its ``did:web`` document.

Keys live as PKCS#8 PEM files ``key-<n>.pem`` in a directory given by the caller
(configured outside the repository). The first key is made on first use; rotation adds
a new current key and keeps the old ones, so that credentials they signed still verify.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import CredentialError
from .multibase import base58btc_decode, base58btc_encode

# Multicodec prefix of an Ed25519 public key (varint of 0xed).
ED25519_PUB_PREFIX = b"\xed\x01"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]

KeyResolver = Callable[[str], Ed25519PublicKey]


def did_web(host: str) -> str:
    """The ``did:web`` identifier of a host (a port's colon is percent-encoded)."""
    if not host or "/" in host or host != host.strip():
        raise CredentialError(f"{host!r} is not a host name for did:web.")
    return "did:web:" + quote(host.lower(), safe=".-")


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """``z`` + base58btc(0xed01 + the 32 raw bytes of the key)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base58btc_encode(ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Read a ``publicKeyMultibase`` Ed25519 key."""
    data = base58btc_decode(value)
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise CredentialError("publicKeyMultibase is not an Ed25519 multikey.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


@dataclass(frozen=True)
class SigningKey:
    """One key of the institution, named by its verification method id."""

    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_key_multibase(self) -> str:
        return public_key_multibase(self.public_key)


@dataclass(frozen=True)
class KeyRing:
    """Every key of one ``did:web`` identity, oldest first; the last one signs."""

    did: str
    keys: tuple[SigningKey, ...]

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    def public_key(self, key_id: str) -> Ed25519PublicKey:
        """The public key of a verification method of this identity (a ``KeyResolver``)."""
        for key in self.keys:
            if key.key_id == key_id:
                return key.public_key
        raise CredentialError(f"Unknown verification method {key_id!r}.")

    def did_document(self) -> dict[str, Any]:
        """The DID document served at ``/.well-known/did.json``."""
        methods = [
            {
                "id": key.key_id,
                "type": "Multikey",
                "controller": self.did,
                "publicKeyMultibase": key.public_key_multibase,
            }
            for key in self.keys
        ]
        ids = [key.key_id for key in self.keys]
        return {
            "@context": list(DID_CONTEXTS),
            "id": self.did,
            "verificationMethod": methods,
            "assertionMethod": ids,
            "authentication": ids,
        }


def resolver_from_did_document(document: dict[str, Any]) -> KeyResolver:
    """A ``KeyResolver`` over the assertion methods of a published DID document."""
    assertion = set(document.get("assertionMethod", []))
    found: dict[str, Ed25519PublicKey] = {}
    for method in document.get("verificationMethod", []):
        if method.get("type") == "Multikey" and method.get("id") in assertion:
            found[method["id"]] = public_key_from_multibase(method["publicKeyMultibase"])

    def resolve(key_id: str) -> Ed25519PublicKey:
        if key_id not in found:
            raise CredentialError(f"Unknown verification method {key_id!r}.")
        return found[key_id]

    return resolve


def _key_number(path: Path) -> int:
    return int(path.stem.removeprefix("key-"))


def _key_files(directory: Path) -> list[Path]:
    files = [p for p in directory.glob("key-*.pem") if p.stem.removeprefix("key-").isdigit()]
    return sorted(files, key=_key_number)


def _write_new_key(directory: Path, number: int) -> bool:
    """Write ``key-<number>.pem`` unless it exists already (another process made it)."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = directory / f"key-{number}.pem"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return True


def _read(directory: Path, host: str) -> KeyRing:
    did = did_web(host)
    keys = []
    for path in _key_files(directory):
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise CredentialError(f"{path.name} is not an Ed25519 private key.")
        keys.append(SigningKey(key_id=f"{did}#key-{_key_number(path)}", private_key=private))
    return KeyRing(did=did, keys=tuple(keys))


def load_keyring(directory: Path, *, host: str) -> KeyRing:
    """The keys in ``directory``, making the directory and a first key on first use."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _key_files(directory):
        _write_new_key(directory, 1)
    return _read(directory, host)


def rotate_key(directory: Path, *, host: str) -> KeyRing:
    """Add a new current key; the old ones stay listed so their credentials still verify."""
    load_keyring(directory, host=host)
    number = _key_number(_key_files(directory)[-1]) + 1
    while not _write_new_key(directory, number):
        number += 1
    return _read(directory, host)
