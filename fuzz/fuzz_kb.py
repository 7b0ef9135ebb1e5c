"""Knowledge-base import: readout.resolve.kb_import.read_people_file on any bytes, as CSV or JSON.

Holds: it returns people, each with an id and a name, or raises KnowledgeBaseError whose
message names the file and a line; nothing else.
"""
import atheris

from common import INSTRUMENTED, fuzz, scratch_file, write

with atheris.instrument_imports(include=INSTRUMENTED):
    from pathlib import Path

    from readout.errors import KnowledgeBaseError
    from readout.resolve.kb_import import read_people_file

FILES = {0: Path(scratch_file(".csv")), 1: Path(scratch_file(".json"))}


def test_one(data: bytes) -> None:
    if not data:
        return
    # The first byte picks the file name ending, which decides CSV or JSON for some inputs.
    path = FILES[data[0] & 1]
    write(str(path), data[1:])
    try:
        people = read_people_file(path)
    except KnowledgeBaseError as error:
        if not str(error).startswith(f"{path}:") or not error.problems:
            raise AssertionError(f"error does not name file and line: {error}")
        return
    for person in people:
        if not person.entity_id or not person.name.strip():
            raise AssertionError(f"person without id or name: {person!r}")


if __name__ == "__main__":
    fuzz(test_one, b"\x00entity_id,name,country,alias,system,title\nkim-jong-un,Kim Jong Un,PRK,Kim Jong-un,other,\n")
