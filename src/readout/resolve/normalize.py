"""Folding of names into comparison keys, display forms and ids.

`fold` is the one notion of "the same spelling" in resolve: case, diacritics, scripts
(via anyascii), apostrophes, hyphens and runs of spaces do not count, so
"Ch'oe Sŏn-hŭi" and "choe son hui" share a key, as the gold scorer also treats them.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Apostrophe-like marks vanish (Ch'oe -> choe), unlike other punctuation, which separates
# words (Diaz-Canel -> diaz canel, O.R. -> o r).
_APOSTROPHES = "'`\u2018\u2019\u02bc\u02bb\u00b4\u2032"
_DROP = str.maketrans("", "", _APOSTROPHES)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_SCRIPTS_WITHOUT_SPACES = re.compile(r"[\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]")


@lru_cache(maxsize=65536)  # a mention is folded again in every article that names the person
def fold(text: str) -> str:
    """The comparison key of a name: lower-case ASCII words separated by single spaces."""
    if not text.isascii():
        if _SCRIPTS_WITHOUT_SPACES.search(text):
            # 김정은 and 김 정은 are one name; anyascii would otherwise split them differently.
            text = _SPACES.sub("", text)
        text = anyascii(unicodedata.normalize("NFC", text))
    text = text.translate(_DROP).lower()
    return _NON_WORD.sub(" ", text).strip()


def display_form(mention: str) -> str:
    """A mention tidied for display: spaces collapsed, outer punctuation gone, and
    all-capital or all-lower-case words given a capital ("KIM TOK CHOL" -> "Kim Tok Chol")."""
    text = _SPACES.sub(" ", mention).strip(" \t\n,;:.\"()[]")
    if text.isupper() or text.islower():
        text = " ".join(_capitalise(word) for word in text.split(" "))
    return text


def _capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def slug(text: str) -> str:
    """An id-safe form of a name: folded words joined by hyphens."""
    return fold(text).replace(" ", "-")


NEW_ENTITY_PREFIX = "x-"


def new_entity_id(mention: str) -> str:
    """The id of a person the KB does not know, the same for the same folded name."""
    return NEW_ENTITY_PREFIX + (slug(mention) or "unnamed")
