"""Bytes of one article -> the text that every later offset indexes.

Decoding is the one place where the text can still change: after it, parse, extract and the
evidence spans all index this exact string. So it changes as little as possible: a BOM goes,
newlines become "\\n", NUL characters and zero-width or text-direction controls go (each
with a warning); everything else stays.
"""
from __future__ import annotations

import codecs
import re

from readout.errors import UnreadableInput

EMPTY = "empty file"
BINARY = "binary file, not an article"

# Magic numbers of the files most often found beside articles in a scraped folder. Only ones
# no article could start with ("BM" of bitmaps could begin a sentence about BMW): others are
# caught by their control bytes.
BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b",
    b"\x7fELF", b"II*\x00", b"MM\x00*", b"OggS\x00", b"RIFF",
)
SNIFF_BYTES = 8192
# Text has hardly any control bytes; compressed or image data has about one in eight. A few
# stray NULs in a short article are not enough to call it binary: they are removed instead.
MAX_CONTROL_SHARE = 0.05
MIN_BINARY_CONTROLS = 16
TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")

_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_NEWLINES = re.compile(r"\r\n?")
# Zero-width space, LRM/RLM, bidi embeddings and overrides, word joiner and invisible operators,
# bidi isolates, Arabic letter mark, and U+FEFF inside the text (a BOM at the start goes first).
# Joiners (U+200C, U+200D) only next to ASCII: between Persian or Indic letters, or in emoji,
# they carry meaning; beside a Latin letter or a space they only break a name in two.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff]"
                        "|(?<=[\x00-\x7f])[\u200c\u200d]+|[\u200c\u200d]+(?=[\x00-\x7f])")
# Every character _INVISIBLE can match, looked for first: hardly any article holds one, and
# one character class scans a text ten times faster than _INVISIBLE's three branches with
# their lookarounds (0.16 ms an article, half the time of re-ingesting a stored archive).
_INVISIBLE_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff]")


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode one article's bytes; return (text, warnings) or raise UnreadableInput.

    1. Refuse empty and binary input (the reason says which).
    2. Decode: a UTF-16 BOM wins, then the declared charset (HTML), then UTF-8, then a fallback.
    3. Remove NUL characters, which no article contains and which break SQLite and terminals.
    4. Normalise \\r\\n and \\r to \\n, so offsets agree whatever system wrote the file.
    """
    if not data.strip():
        raise UnreadableInput(path, EMPTY)
    if looks_binary(data):
        raise UnreadableInput(path, BINARY)
    text, warnings = _decode(data, path, declared)
    text = _remove_nuls(text, path, warnings)
    if not text.strip():
        raise UnreadableInput(path, EMPTY)
    return normalise_newlines(text), warnings


def decode_line(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode one line of a dump: like decode_bytes, without refusing anything."""
    text, warnings = _decode(data, path, None)
    return normalise_newlines(_remove_nuls(text, path, warnings)), warnings


def clean_text(text: str, path: str, warnings: list[str]) -> str:
    """Apply the text rules to a string that arrived already decoded (JSON, feeds)."""
    return normalise_newlines(_remove_nuls(text, path, warnings))


def normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text)


def looks_binary(data: bytes) -> bool:
    """True for images, archives and other data that no decoding turns into an article."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if data.startswith(BINARY_SIGNATURES):
        return True
    sample = data[:SNIFF_BYTES]
    controls = sum(1 for byte in sample if byte < 32 and byte not in TEXT_CONTROLS)
    return controls >= MIN_BINARY_CONTROLS and controls > MAX_CONTROL_SHARE * len(sample)


def _decode(data: bytes, path: str, declared: str | None) -> tuple[str, list[str]]:
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom):], encoding, path)
    try:
        # Valid UTF-8 first even when a page declares otherwise: pages that say iso-8859-1 and
        # are UTF-8 are common, while cp1252 text that happens to be valid UTF-8 is vanishingly rare.
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    codec = _known_codec(declared) if declared else None
    if codec and codec != "utf-8":
        return _decode_as(data, codec, path, declared=True)
    return _decode_as(data, _fallback_encoding(data), path)


def _decode_as(data: bytes, encoding: str, path: str, declared: bool = False) -> tuple[str, list[str]]:
    """Decode with replacement, warning when that was a guess or lost characters."""
    text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="replace")
    replaced = text.count("\ufffd") - _count_genuine_replacement_chars(data, encoding)
    if declared or encoding.startswith("utf-16"):
        # The file said what it is: only losses deserve a warning.
        if not replaced:
            return text, []
        return text, [f"{path}: invalid {encoding} bytes; {replaced} replaced characters"]
    return text, [f"{path}: not valid UTF-8; decoded as {encoding} with {replaced} replaced characters"]


def _fallback_encoding(data: bytes) -> str:
    """Choose between UTF-8 with replacements and cp1252 for bytes that are not valid UTF-8.

    Mostly-UTF-8 files with a few bad bytes (an article cut in the middle of a character, one
    stray byte pasted in) keep their curly quotes as UTF-8; cp1252 would garble every one of them.
    Files with NULs are not Windows text either, and a UTF-8 BOM says what the file meant to be.
    """
    if b"\x00" in data or data.startswith(codecs.BOM_UTF8) or _truncated_utf8(data):
        return "utf-8"
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for char in text if ord(char) > 127) - text.count("\ufffd")
    return "utf-8" if good >= bad else "cp1252"


def _truncated_utf8(data: bytes) -> bool:
    """True when the only fault is a character cut off at the very end."""
    for cut in (1, 2, 3):
        try:
            data[:-cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def _count_genuine_replacement_chars(data: bytes, encoding: str) -> int:
    # U+FFFD written in the file itself is content, not a decoding loss.
    if encoding == "utf-8":
        return data.count("\ufffd".encode())
    if encoding.startswith("utf-16"):
        return data.count("\ufffd".encode(encoding))
    return 0


def _known_codec(name: str) -> str | None:
    """Python's name for a declared charset; latin-1 and ASCII mean cp1252 as in browsers.
    None for a name Python does not know, or knows as a codec that makes no text: "uu",
    "base64", "zlib" (found by the html fuzzer: <meta charset=UU>)."""
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
        b"a".decode(codec, "replace")  # LookupError for a bytes-to-bytes or str-to-str codec
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _remove_nuls(text: str, path: str, warnings: list[str]) -> str:
    count = text.count("\x00")
    if count:
        warnings.append(f"{path}: removed {count} NUL characters")
    text = text.replace("\x00", "") if count else text
    return _remove_invisible(text, path, warnings)


def _remove_invisible(text: str, path: str, warnings: list[str]) -> str:
    """Zero-width and bidirectional controls go: inside a name ("Kim\u200b Jong Un",
    "\u202eKim Jong Un") they hide it from every rule, and in a terminal or web page an
    override reverses the text that follows. Joiners stay where scripts need them."""
    if text.isascii() or not _INVISIBLE_CHARS.search(text):
        return text
    count = len(_INVISIBLE.findall(text))
    if count:
        warnings.append(f"{path}: removed {count} zero-width or text-direction control characters")
    return _INVISIBLE.sub("", text) if count else text
