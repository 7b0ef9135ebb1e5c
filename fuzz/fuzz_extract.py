"""Attendance lists and the whole extractor: readout.extract.extract on any parsed text.

Holds: extract never raises; every person span slices back to the mention; every title span
and evidence span lies inside the text; each listed participant's span slices to its mention.
"""
import atheris

from common import INSTRUMENTED, check_span, fuzz

with atheris.instrument_imports(include=INSTRUMENTED):
    from readout.extract import extract
    from readout.model import RawDocument
    from readout.parse import parse


def check_extraction(text: str, extraction) -> None:
    for person in extraction.people:
        if text[person.span.start:person.span.end] != person.mention:
            raise AssertionError(f"person span {person.span} is not {person.mention!r}")
        if person.title_span is not None:
            check_span(text, person.title_span.start, person.title_span.end, "title")
    for event in extraction.events:
        for span in event.evidence:
            check_span(text, span.start, span.end, f"{event.type} evidence")
        for participant in event.participants:
            if text[participant.span.start:participant.span.end] != participant.mention:
                raise AssertionError(f"participant span {participant.span} is not {participant.mention!r}")


def test_one(data: bytes) -> None:
    # Bytes as the decoder would pass them on (decoding has a harness of its own).
    text = data.decode("utf-8", errors="replace").replace("\r", "\n").replace("\x00", "")
    doc = parse(RawDocument("fuzz.txt", text, {"format": "text"}))
    check_extraction(text, extract(doc))


if __name__ == "__main__":
    fuzz(test_one)
