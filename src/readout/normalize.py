"""Folding names for comparison: case, diacritics, apostrophes, hyphens and spaces."""
from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

NOT_LETTERS = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """'Ch'oe Sŏn-hŭi' -> 'choe son hui'; folding twice changes nothing."""
    return NOT_LETTERS.sub(" ", anyascii(name).lower().replace("'", "").replace("’", "")).strip()
