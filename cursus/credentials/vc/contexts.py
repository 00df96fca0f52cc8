"""An offline JSON-LD document loader serving only the contexts bundled with Cursus.

Nothing is ever fetched: a context that is not in ``contexts/`` is refused, at signing
time and at verification time alike.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from .errors import CredentialError

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"

_FILES = {
    CREDENTIALS_V2: "credentials-v2.json",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
}


def bundled_urls() -> tuple[str, ...]:
    """The context URLs the loader serves."""
    return tuple(_FILES)


@cache
def _context(url: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((CONTEXT_DIR / _FILES[url]).read_text("utf-8"))
    return document


def load_document(url: str, options: Any = None) -> dict[str, Any]:
    """Serve a bundled context in pyld's remote-document shape, refuse every other URL."""
    if url not in _FILES:
        raise CredentialError(f"JSON-LD context {url!r} is not bundled; nothing is fetched.")
    # pyld may keep the document it is given: hand it a fresh copy each time.
    document = json.loads(json.dumps(_context(url)))
    return {"contextUrl": None, "documentUrl": url, "document": document}
