"""Text normalisation for search over French labels."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return the text lower-cased, without accents and with single spaces (for accent-insensitive search)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.replace("œ", "oe").replace("æ", "ae")).strip()


def unescape_rome(text: str) -> str:
    """Return a ROME CSV text with its doubled apostrophes ('') restored."""
    return text.replace("''", "'")
