"""Base58btc (multibase ``z``) and base64url (multibase ``u``) encodings."""

import base64

from .errors import CredentialError

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: position for position, char in enumerate(_ALPHABET)}


def base58btc_encode(data: bytes) -> str:
    """Multibase base58btc: ``z`` followed by the Bitcoin base58 alphabet."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "z" + "1" * zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    """Decode a multibase base58btc string (``z`` prefix required)."""
    if not text.startswith("z"):
        raise CredentialError("Expected a multibase base58btc value starting with 'z'.")
    body = text[1:]
    number = 0
    for char in body:
        if char not in _INDEX:
            raise CredentialError(f"{char!r} is not a base58btc character.")
        number = number * 58 + _INDEX[char]
    zeros = len(body) - len(body.lstrip("1"))
    payload = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + payload


def base64url_encode(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` followed by the encoding."""
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def base64url_decode(text: str) -> bytes:
    """Decode a multibase base64url string (``u`` prefix required)."""
    if not text.startswith("u"):
        raise CredentialError("Expected a multibase base64url value starting with 'u'.")
    body = text[1:]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as error:
        raise CredentialError("Malformed base64url value.") from error
