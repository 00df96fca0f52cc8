"""Accent- and case-free text, so that "donnees" finds "Bases de données" on any database."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Return the text in lower case, without accents, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def search_terms(query: str) -> list[str]:
    """Split a search query into normalised terms, longest first (the most selective)."""
    return sorted(set(normalise(query).split()), key=lambda term: (-len(term), term))


def unit_search_text(
    *, code: str, title_fr: str, title_en: str, description_fr: str = "", description_en: str = ""
) -> str:
    """Return the text a unit is searched by."""
    return f" {normalise(' '.join([code, title_fr, title_en, description_fr, description_en]))} "
