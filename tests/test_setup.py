"""The interpreter `make` builds the venv on (scripts/python.sh)."""
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "python.sh"
DEBIAN = Path("/usr/bin/python3")


def chosen() -> str:
    return subprocess.run([str(SCRIPT)], check=True, capture_output=True, text=True).stdout.strip()


def test_the_chosen_interpreter_runs_python_3_11_or_later():
    version = subprocess.run([chosen(), "-c", "import sys; print(sys.version_info >= (3, 11))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert version == "True"


@pytest.mark.skipif(not DEBIAN.exists(), reason="no /usr/bin/python3 on this machine")
def test_debian_s_python_is_chosen_where_it_can_build_a_venv():
    usable = subprocess.run([str(DEBIAN), "-c", "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))"],
                            capture_output=True).returncode == 0
    assert (chosen() == str(DEBIAN)) == usable


def test_the_bench_says_which_interpreter_ran():
    from readout.bench.run import machine

    assert Path(machine()["python_executable"]) == Path(sys.executable).resolve()
