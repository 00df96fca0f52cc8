"""Verifiable credentials without Django: keys, Open Badges 3.0, proofs, status lists.

Everything here is plain Python so that the credentials app, the command line and the
tests can all call it: ``keys`` holds the institution's Ed25519 keys and its ``did:web``
document, ``badges`` builds ``OpenBadgeCredential`` documents, ``proof`` signs and
verifies them with ``eddsa-rdfc-2022`` over bundled JSON-LD contexts (``contexts``),
and ``status`` keeps the Bitstring Status List used for revocation.
"""
