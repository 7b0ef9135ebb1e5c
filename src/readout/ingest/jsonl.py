"""JSONL dumps: one article a line, read one line at a time however big the dump."""
from __future__ import annotations

import json
from collections.abc import Iterator

from readout.errors import UnreadableInput
from readout.ingest.decoding import BINARY, EMPTY, clean_text, decode_line, looks_binary
from readout.ingest.files import MAX_ARTICLE_BYTES, open_binary
from readout.ingest.meta import pick_meta
from readout.model import RawDocument

# Where dumps put the article text, in order of preference.
TEXT_KEYS = ("text", "content", "body")
TOO_LONG = f"longer than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB, too long for one article; skipped"


def read_jsonl(path: str) -> Iterator[RawDocument | UnreadableInput]:
    """Each line of a JSONL file (plain or .gz) as a RawDocument at "PATH#LINE".

    A bad line comes out as an UnreadableInput item naming the line, and reading goes on;
    only a file that is empty or not text at all is refused whole (raised).
    """
    seen_any = False
    with open_binary(path) as handle:
        for number, raw in enumerate(_lines(handle), 1):
            if raw is None:
                seen_any = True
                yield UnreadableInput(path, f"line {number}: {TOO_LONG}")
                continue
            if not raw.strip():
                continue  # blank lines, a trailing newline: not articles, not errors
            if not seen_any and looks_binary(raw):
                raise UnreadableInput(path, BINARY)
            seen_any = True
            yield line_item(path, number, raw)
    if not seen_any:
        raise UnreadableInput(path, EMPTY)


def _lines(handle) -> Iterator[bytes | None]:
    """The lines of a dump, with None for a line longer than one article may be: iterating
    the file itself would hold a whole line in memory however long (a 1 GB line of zeros)."""
    while line := handle.readline(MAX_ARTICLE_BYTES + 1):
        if len(line) <= MAX_ARTICLE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(MAX_ARTICLE_BYTES)) and not rest.endswith(b"\n"):
            pass  # skip the rest of the long line in bounded pieces
        yield None


def line_item(path: str, number: int, raw: bytes) -> RawDocument | UnreadableInput:
    """One line of a dump -> its document, or the error that names the line."""
    where = f"{path}#{number}"
    line, warnings = decode_line(raw, where)
    try:
        record = json.loads(line)
    except ValueError as error:
        return UnreadableInput(path, f"line {number}: not JSON ({error})")
    if not isinstance(record, dict):
        return UnreadableInput(path, f"line {number}: not a JSON object")
    text = _text_of(record)
    problem = _text_problem(text)
    if problem:
        return UnreadableInput(path, f"line {number}: {problem}")
    meta = {"format": "jsonl", **pick_meta(record, where, warnings)}
    return RawDocument(where, clean_text(text, where, warnings), meta, warnings)


def _text_of(record: dict) -> object:
    return next((record[key] for key in TEXT_KEYS if record.get(key) is not None), None)


def _text_problem(value: object) -> str | None:
    if value is None:
        return "no 'text' field"
    if not isinstance(value, str):
        return f"'text' is a {type(value).__name__}, not a string"
    return None if value.strip() else "empty 'text' field"
