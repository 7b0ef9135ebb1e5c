"""Feed reading: readout.ingest.read_feed on any bytes saved as a local feed file.

Holds: a feed yields RawDocuments, or raises UnreadableInput, or reports entries to on_error;
nothing else. Entity expansion is bounded (feedparser drops ENTITY declarations) and external
entities are never read: a harness-planted secret file must never appear in any text.
"""
import os

import atheris

from common import INSTRUMENTED, WARM_UP, fuzz, scratch_file, write

with atheris.instrument_imports(include=INSTRUMENTED):
    from readout.errors import UnreadableInput
    from readout.ingest import read_feed

FEED = scratch_file(".xml")
SECRET = scratch_file(".secret")
MARKER = "readout-fuzz-secret-7f3a"
write(SECRET, MARKER.encode())
os.environ.setdefault("READOUT_FUZZ_SECRET", SECRET)  # seeds name this file in SYSTEM entities


def test_one(data: bytes) -> None:
    write(FEED, data.replace(b"@SECRET@", SECRET.encode()))
    problems = []
    try:
        documents = list(read_feed(FEED, on_error=problems.append))
    except UnreadableInput:
        return
    for document in documents:
        if MARKER in document.text or MARKER in str(document.meta):
            raise AssertionError("an external entity was read into the feed's text")
        if "\x00" in document.text:
            raise AssertionError("entry text keeps a NUL")
    if not all(isinstance(problem, UnreadableInput) for problem in problems):
        raise AssertionError(f"on_error got {problems!r}")


if __name__ == "__main__":
    fuzz(test_one, b"<rss version=\"2.0\"><channel><title>KCNA</title><item><title>Talks</title><description>" + WARM_UP + b"</description></item></channel></rss>")
