"""What every harness shares: checks on spans, a scratch file, and the atheris entry point.

This module must not import readout: a harness imports readout inside
`atheris.instrument_imports()`, and a module imported before that is not instrumented.
"""
from __future__ import annotations

import atexit
import os
import sys
import tempfile
from datetime import date

import atheris

# Parsers that readout calls and whose Python code can be instrumented too; C extensions
# (lxml, selectolax) are exercised but not traced.
INSTRUMENTED = ["readout"]


def check_span(text: str, start: int, end: int, what: str) -> None:
    """A span must index the text it came from: 0 <= start <= end <= len(text)."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise AssertionError(f"{what} span {start}:{end} outside text of length {len(text)}")


def scratch_file(suffix: str) -> str:
    """One reusable file per harness process, in RAM where possible (the disk is shared)."""
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    handle, path = tempfile.mkstemp(suffix=suffix, dir=folder, prefix="readout-fuzz-")
    os.close(handle)
    atexit.register(_remove, path)
    return path


def _remove(path: str) -> None:
    if os.path.exists(path):
        os.remove(path)


def write(path: str, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)


WARM_DATES = [("May 24. 2019", None, "DMY"), ("20/06/2024", None, "DMY"), ("June 20, 2024", None, "MDY"),
              ("June 3", date(2024, 6, 20), "MDY"), ("Friday", date(2024, 6, 20), "MDY")]
WARM_UP = (b"Pyongyang, June 19 (KCNA) -- Kim Jong Un held talks with Vladimir Putin at the "
           b"Kumsusan State Guesthouse.\nPresent on the Russian side were Denis Mantrov, first "
           b"deputy prime minister, and Choe Son Hui, foreign minister.\n")


def fuzz(test_one, warm_up: bytes = WARM_UP) -> None:
    """Run libFuzzer on `test_one` after warming up: the first call loads the rules, the data
    files and dateparser's locale tables, which takes several seconds on a busy machine and
    would count as a hang under the one-second limit."""
    from readout.parse.dates import parse_date

    for span, base, order in WARM_DATES:
        parse_date(span, base, order)
    test_one(warm_up)
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
