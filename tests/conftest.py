"""Shared fixtures: the gold fixture folder and a runner for the real command line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GOLD = Path(__file__).parent / "fixtures" / "gold"
SEED = GOLD / "000_rodong-kju-putin-talks-2024-06.txt"


@pytest.fixture
def run_readout():
    """Run `readout ARGS` as a user would: a separate process, its exit code and both streams."""
    def run(*args: str, cwd: str | Path | None = None, input: str | None = None):
        return subprocess.run([sys.executable, "-m", "readout", *map(str, args)], cwd=cwd,
                              capture_output=True, text=True, input=input, timeout=300)
    return run
