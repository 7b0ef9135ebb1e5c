"""Decoding and dump lines: decode_bytes on any bytes, and a JSONL line read as a dump's line.

Holds: decode_bytes returns text without NUL or carriage return, or raises UnreadableInput;
line_item returns a RawDocument or an UnreadableInput naming the line, never raises.
"""
import atheris

from common import INSTRUMENTED, fuzz

with atheris.instrument_imports(include=INSTRUMENTED):
    from readout.errors import UnreadableInput
    from readout.ingest.decoding import decode_bytes
    from readout.ingest.jsonl import line_item
    from readout.model import RawDocument


def test_one(data: bytes) -> None:
    try:
        text, _warnings = decode_bytes(data, "fuzz.txt")
        if "\x00" in text or "\r" in text:
            raise AssertionError("decoded text keeps a NUL or a carriage return")
    except UnreadableInput:
        pass
    item = line_item("fuzz.jsonl", 1, data)
    if not isinstance(item, (RawDocument, UnreadableInput)):
        raise AssertionError(f"line_item returned {item!r}")
    if isinstance(item, RawDocument) and ("\x00" in item.text or "\r" in item.text):
        raise AssertionError("dump text keeps a NUL or a carriage return")


if __name__ == "__main__":
    fuzz(test_one)
