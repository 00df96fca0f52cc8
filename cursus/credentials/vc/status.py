"""Bitstring Status List (W3C): the revocation list of issued credentials.

The list is a bitstring of at least 131,072 entries (16 KiB), bit 0 being the most
significant bit of the first byte, GZIP-compressed and written as multibase base64url
(``u`` prefix) in a ``BitstringStatusListCredential`` signed like any credential.
"""

import gzip
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .contexts import CREDENTIALS_V2
from .errors import CredentialError
from .multibase import base64url_decode, base64url_encode
from .proof import xsd_datetime

MIN_ENTRIES = 131_072


@dataclass(frozen=True)
class StatusEntry:
    """Where a credential's revocation bit is: list credential URL and index."""

    list_url: str
    index: int

    def as_json(self) -> dict[str, Any]:
        """The ``credentialStatus`` of a credential pointing at this bit."""
        return {
            "id": f"{self.list_url}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_url,
        }


def empty_bitstring(size: int = MIN_ENTRIES) -> bytearray:
    """A bitstring of ``size`` cleared entries (at least the 131,072 the spec asks)."""
    if size < MIN_ENTRIES or size % 8:
        raise CredentialError(f"A status list holds at least {MIN_ENTRIES} entries, in bytes.")
    return bytearray(size // 8)


def _check_index(bits: bytearray | bytes, index: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(bits) * 8:
        raise CredentialError(f"Status list index {index!r} is out of range.")


def set_bit(bits: bytearray, index: int, *, value: bool = True) -> None:
    """Set (revoke) or clear the bit at ``index``."""
    _check_index(bits, index)
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF


def read_bit(bits: bytes | bytearray, index: int) -> bool:
    """Whether the bit at ``index`` is set."""
    _check_index(bits, index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode_list(bits: bytes | bytearray) -> str:
    """The ``encodedList`` value: multibase base64url of the GZIP-compressed bitstring."""
    return base64url_encode(gzip.compress(bytes(bits), mtime=0))


def decode_list(encoded: str) -> bytearray:
    """The bitstring of an ``encodedList`` value."""
    try:
        return bytearray(gzip.decompress(base64url_decode(encoded)))
    except (OSError, EOFError) as error:
        raise CredentialError("encodedList is not a GZIP-compressed bitstring.") from error


def build_status_list_credential(
    *, list_url: str, issuer_did: str, bits: bytes | bytearray, valid_from: datetime
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` published at ``list_url``."""
    return {
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(bits),
        },
    }


def is_revoked(credential: dict[str, Any], status_list_credential: dict[str, Any]) -> bool:
    """Whether the credential's revocation bit is set in the (verified) status list."""
    status = credential.get("credentialStatus")
    if not isinstance(status, dict) or status.get("statusPurpose") != "revocation":
        raise CredentialError("The credential has no revocation status entry.")
    if status.get("statusListCredential") != status_list_credential.get("id"):
        raise CredentialError("The status list is not the one the credential points to.")
    subject = status_list_credential.get("credentialSubject", {})
    index_text = status.get("statusListIndex")
    if not isinstance(index_text, str) or not index_text.isdigit():
        raise CredentialError("statusListIndex must be a string of digits.")
    return read_bit(decode_list(subject.get("encodedList", "")), int(index_text))
