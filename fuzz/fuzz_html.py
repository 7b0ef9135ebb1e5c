"""HTML reading: readout.ingest.webpage.read_html_bytes on any bytes, as for a saved page.

Holds: the reader returns (text, meta, warnings) or raises UnreadableInput, nothing else;
the text has no NUL and no carriage return (every later offset indexes it as is).
"""
import atheris

from common import INSTRUMENTED, WARM_UP, fuzz

with atheris.instrument_imports(include=INSTRUMENTED):
    from readout.errors import UnreadableInput
    from readout.ingest.webpage import fragment_text, read_html_bytes


def test_one(data: bytes) -> None:
    try:
        text, meta, _warnings = read_html_bytes(data, "fuzz.html")
    except UnreadableInput:
        return
    if "\x00" in text or "\r" in text:
        raise AssertionError("page text keeps a NUL or a carriage return")
    if not all(isinstance(value, str) for value in meta.values()):
        raise AssertionError(f"meta values not all strings: {meta!r}")
    # Feed entries go through the fragment reader instead of the page reader.
    fragment_text(data.decode("utf-8", errors="replace"))


if __name__ == "__main__":
    fuzz(test_one, b"<html><head><title>Talks</title></head><body><article><p>" + WARM_UP + b"</p></article></body></html>")
