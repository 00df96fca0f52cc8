"""Identifiers checked at the door: INE (national student number) and SIRET."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

# The key alphabet of the 10-digit INE: letters without I, O and Q.
INE_KEY_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"
_INE_SCHOOL = re.compile(r"^(\d{10})([A-Z])$")
_INE_CURRENT = re.compile(r"^\d{9}[A-Z]{2}$")
_INE_APPRENTICE = re.compile(r"^\d{4}A\d{5}[A-Z]$")


def normalise_ine(value: str) -> str:
    """Return the INE in upper case without spaces."""
    return re.sub(r"\s+", "", value).upper()


def is_valid_ine(value: str) -> bool:
    """Tell whether an INE has a known format and, where the format has one, a right key."""
    ine = normalise_ine(value)
    if match := _INE_SCHOOL.match(ine):
        digits, key = match.groups()
        return INE_KEY_ALPHABET[int(digits) % 23] == key
    return bool(_INE_CURRENT.match(ine) or _INE_APPRENTICE.match(ine))


def validate_ine(value: str) -> None:
    """Raise a validation error for a malformed INE."""
    if not is_valid_ine(value):
        raise ValidationError(
            _("%(value)s is not a valid INE (11 characters, with its check key)."),
            code="invalid_ine",
            params={"value": value},
        )


def normalise_siret(value: str) -> str:
    """Return the SIRET as 14 digits, without spaces."""
    return str(stdnum_siret.compact(value))


def validate_siret(value: str) -> None:
    """Raise a validation error for a SIRET that is not 14 digits with a valid Luhn key."""
    try:
        stdnum_siret.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid SIRET (14 digits with a valid key)."),
            code="invalid_siret",
            params={"value": value},
        ) from error
