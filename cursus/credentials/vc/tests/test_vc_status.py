from datetime import UTC, datetime
from pathlib import Path

import pytest

from cursus.credentials.vc.errors import CredentialError
from cursus.credentials.vc.keys import load_keyring
from cursus.credentials.vc.proof import sign, verify
from cursus.credentials.vc.status import (
    MIN_ENTRIES,
    build_status_list_credential,
    decode_list,
    empty_bitstring,
    encode_list,
    is_revoked,
    read_bit,
    set_bit,
)

from .helpers import HOST, STATUS_URL, diploma_credential


def test_bits_set_read_and_clear_most_significant_first():
    bits = empty_bitstring()
    set_bit(bits, 0)
    set_bit(bits, 13)
    set_bit(bits, MIN_ENTRIES - 1)

    assert len(bits) * 8 == MIN_ENTRIES
    assert bits[0] == 0x80
    assert bits[1] == 0x04
    assert [read_bit(bits, i) for i in (0, 1, 12, 13, 14, MIN_ENTRIES - 1)] == [
        True,
        False,
        False,
        True,
        False,
        True,
    ]
    set_bit(bits, 13, value=False)
    assert not read_bit(bits, 13)


def test_encoded_list_is_gzip_base64url_and_round_trips():
    bits = empty_bitstring()
    set_bit(bits, 4242)
    encoded = encode_list(bits)

    assert encoded.startswith("u")
    assert "=" not in encoded
    assert decode_list(encoded) == bits


def test_out_of_range_index_and_short_list_are_refused():
    with pytest.raises(CredentialError):
        read_bit(empty_bitstring(), MIN_ENTRIES)
    with pytest.raises(CredentialError):
        empty_bitstring(1024)


def test_revocation_shows_in_the_signed_status_list(tmp_path: Path):
    ring = load_keyring(tmp_path / "keys", host=HOST)
    credential = sign(diploma_credential(ring, index=7), key=ring.current)
    bits = empty_bitstring()
    moment = datetime(2026, 7, 4, tzinfo=UTC)

    before = sign(
        build_status_list_credential(
            list_url=STATUS_URL, issuer_did=ring.did, bits=bits, valid_from=moment
        ),
        key=ring.current,
    )
    set_bit(bits, 7)
    after = sign(
        build_status_list_credential(
            list_url=STATUS_URL, issuer_did=ring.did, bits=bits, valid_from=moment
        ),
        key=ring.current,
    )

    assert verify(before, ring.public_key)
    assert verify(after, ring.public_key)
    assert after["credentialSubject"]["type"] == "BitstringStatusList"
    assert not is_revoked(credential, before)
    assert is_revoked(credential, after)
