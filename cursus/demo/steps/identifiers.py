"""Identifiers made valid by construction: SIRET with their Luhn keys, INE with theirs."""

import random

from cursus.core.identifiers import INE_KEY_ALPHABET

# La Poste's SIREN follows another key rule; never draw it.
_LA_POSTE_SIREN = "356000000"


def luhn_key(digits: str) -> int:
    """Return the digit that, appended to ``digits``, makes the number pass the Luhn check."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        # Once the key is appended, these digits sit in even places from the right: doubled.
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def random_siret(rng: random.Random, taken: set[str]) -> str:
    """Return a new SIRET: a SIREN with its key, then an establishment number with the key."""
    while True:
        body = f"{rng.randint(1, 9)}{rng.randrange(10**7):07d}"
        siren = f"{body}{luhn_key(body)}"
        if siren == _LA_POSTE_SIREN:
            continue
        establishment = f"{rng.randrange(1, 10**4):04d}"
        siret = f"{siren}{establishment}{luhn_key(siren + establishment)}"
        if siret not in taken:
            taken.add(siret)
            return siret


def random_ine(rng: random.Random, taken: set[str]) -> str:
    """Return a new INE, in the older school format (with its key letter) or the current one."""
    while True:
        if rng.random() < 0.6:
            digits = f"{rng.randrange(10**10):010d}"
            ine = f"{digits}{INE_KEY_ALPHABET[int(digits) % 23]}"
        else:
            letters = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(2))
            ine = f"{rng.randrange(10**9):09d}{letters}"
        if ine not in taken:
            taken.add(ine)
            return ine
