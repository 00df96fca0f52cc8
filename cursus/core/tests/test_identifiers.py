import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cursus.core.identifiers import (
    INE_KEY_ALPHABET,
    is_valid_ine,
    normalise_siret,
    validate_ine,
    validate_siret,
)

DIGITS = st.text(alphabet="0123456789", min_size=10, max_size=10)
LETTERS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@given(digits=DIGITS, key=LETTERS)
def test_school_ine_is_valid_exactly_when_its_key_is_the_mod_23_letter(digits, key):
    assert is_valid_ine(digits + key) == (key == INE_KEY_ALPHABET[int(digits) % 23])


@given(digits=DIGITS)
def test_school_ine_key_is_found_whatever_the_case_and_spacing(digits):
    key = INE_KEY_ALPHABET[int(digits) % 23]

    assert is_valid_ine(f" {digits[:5]} {digits[5:]}{key.lower()} ")


@pytest.mark.parametrize(
    "ine",
    [
        "123456789AB",  # current format: 9 digits, 2 letters, no public key
        "1234A12345B",  # apprenticeship
    ],
)
def test_other_ine_formats_are_checked_by_pattern(ine):
    assert is_valid_ine(ine)
    validate_ine(ine)


@pytest.mark.parametrize("ine", ["", "12345", "123456789012", "12345678AB9", "ABCDEFGHIJK"])
def test_malformed_ines_are_refused(ine):
    assert not is_valid_ine(ine)
    with pytest.raises(ValidationError):
        validate_ine(ine)


def test_siret_with_a_good_luhn_key_is_accepted():
    validate_siret("73282932000074")
    assert normalise_siret("732 829 320 00074") == "73282932000074"


@pytest.mark.parametrize("siret", ["73282932000075", "7328293200007", "ABCDEFGHIJKLMN", ""])
def test_bad_sirets_are_refused(siret):
    with pytest.raises(ValidationError):
        validate_siret(siret)
