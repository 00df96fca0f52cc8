"""Data Integrity proofs of cryptosuite ``eddsa-rdfc-2022`` (W3C VC Data Integrity EdDSA).

The document without its proof and the proof options (with the document's
``@context``) are each canonicalised with RDFC-1.0 (pyld's ``URDNA2015``), hashed with
SHA-256, and ``hash(proof options) || hash(document)`` is signed with Ed25519.
Canonicalisation refuses what JSON-LD would silently leave unsigned: dropped
properties and relative IRIs.
"""

import copy
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from pyld import jsonld

from .contexts import bundled_urls, load_document
from .errors import CredentialError
from .keys import KeyResolver, SigningKey
from .multibase import base58btc_decode, base58btc_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _options() -> dict[str, Any]:
    return {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "base": None,
        "documentLoader": load_document,
    }


def _check_iris(node: Any, path: str) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _check_iris(item, f"{path}[{index}]")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in {"@id", "@type"}:
            for iri in value if isinstance(value, list) else [value]:
                if not isinstance(iri, str):
                    continue
                if iri.startswith(("_:", "@")) or _ABSOLUTE_IRI.match(iri):
                    continue
                raise CredentialError(f"Relative IRI {iri!r} in {key} at {path}: refusing to sign.")
        elif key != "@value":
            _check_iris(value, f"{path}/{key}")


def canonicalize(document: Mapping[str, Any]) -> str:
    """The RDFC-1.0 N-Quads of a JSON-LD document, refusing anything JSON-LD would drop."""
    dropped: list[str | None] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    data = copy.deepcopy(dict(document))
    try:
        expanded = processor.expand(data, {"base": None, "documentLoader": load_document})
        if dropped:
            names = ", ".join(sorted({str(name) for name in dropped}))
            raise CredentialError(f"Properties no context defines would go unsigned: {names}.")
        _check_iris(expanded, "")
        nquads = processor.normalize(data, _options())
    except CredentialError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        raise CredentialError(f"Malformed JSON-LD document: {error}") from error
    except jsonld.JsonLdError as error:
        details = getattr(error, "details", None)
        url = details.get("url") if isinstance(details, dict) else None
        if url is not None and url not in bundled_urls():
            raise CredentialError(f"JSON-LD context {url!r} is not bundled.") from error
        raise CredentialError(f"JSON-LD processing failed: {error}") from error
    if not isinstance(nquads, str) or not nquads:
        raise CredentialError("The document canonicalises to nothing: refusing to sign it.")
    return nquads


def _hash_data(document: Mapping[str, Any], proof_config: Mapping[str, Any]) -> bytes:
    config_hash = hashlib.sha256(canonicalize(proof_config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(document).encode("utf-8")).digest()
    return config_hash + document_hash


def xsd_datetime(moment: datetime) -> str:
    """An XML Schema dateTime in UTC to the second (``2026-06-30T18:00:00Z``)."""
    if moment.tzinfo is None:
        raise CredentialError("Dates in credentials must be timezone-aware.")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    document: Mapping[str, Any],
    *,
    key: SigningKey,
    created: datetime | None = None,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of ``document`` with an ``eddsa-rdfc-2022`` ``DataIntegrityProof``."""
    if "proof" in document:
        raise CredentialError("The document already carries a proof.")
    if "@context" not in document:
        raise CredentialError("The document has no @context.")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created or datetime.now(UTC)),
        "verificationMethod": key.key_id,
        "proofPurpose": proof_purpose,
    }
    config = {"@context": copy.deepcopy(document["@context"]), **proof}
    signature = key.private_key.sign(_hash_data(document, config))
    signed = copy.deepcopy(dict(document))
    signed["proof"] = {**proof, "proofValue": base58btc_encode(signature)}
    return signed


def verify(credential: Mapping[str, Any], resolve_key: KeyResolver) -> bool:
    """Whether the credential's proof is a valid ``eddsa-rdfc-2022`` signature.

    ``resolve_key`` maps the proof's verification method id to a public key (for
    instance ``KeyRing.public_key`` or ``resolver_from_did_document(...)``); an unknown
    key, a key that is not the issuer's, a malformed proof or an altered document all
    verify as ``False``.
    """
    proof = credential.get("proof")
    if not isinstance(proof, dict):
        return False
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    value = proof.get("proofValue")
    method = proof.get("verificationMethod")
    if not isinstance(value, str) or not isinstance(method, str):
        return False
    if "@context" not in credential:
        return False
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer is not None and method.split("#", 1)[0] != issuer_id:
        return False
    document = {key: item for key, item in credential.items() if key != "proof"}
    options = {key: item for key, item in proof.items() if key != "proofValue"}
    config = {"@context": credential["@context"], **options}
    try:
        public_key = resolve_key(method)
        signature = base58btc_decode(value)
        public_key.verify(signature, _hash_data(document, config))
    except (CredentialError, InvalidSignature):
        return False
    return True
