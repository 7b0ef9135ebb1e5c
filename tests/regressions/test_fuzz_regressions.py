"""Inputs that once crashed a fuzz harness, replayed through the same harness and the CLI.

A file here is named HARNESS-WHAT (fuzz/fuzz_HARNESS.py found it); the harness's own
test_one must now return without raising, and `readout extract` must end in a result or a
one-line error, never a traceback.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FUZZ = HERE.parent.parent / "fuzz"
INPUTS = sorted(p for p in HERE.iterdir() if p.is_file() and "-" in p.name and p.suffix != ".py")


def harness(name: str):
    pytest.importorskip("atheris")          # a dev dependency: the harnesses import it
    if str(FUZZ) not in sys.path:
        sys.path.insert(0, str(FUZZ))
    return importlib.import_module(f"fuzz_{name}")


def test_there_are_regression_inputs():
    assert INPUTS, "tests/regressions/ lost its inputs"


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_harness_replays_the_input_without_raising(path):
    harness(path.name.split("-", 1)[0]).test_one(path.read_bytes())


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_cli_ends_in_a_result_or_one_line_error(path, run_readout):
    result = run_readout("extract", path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1)
    assert result.returncode == 0 or result.stderr.strip().splitlines()[-1].startswith("error: ")
