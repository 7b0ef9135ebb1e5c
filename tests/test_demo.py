"""`make demo` end to end, as a newcomer runs it (reusing this test run's environment)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_make_demo_prints_the_talks_with_both_lists(tmp_path):
    venv = Path(sys.prefix)
    (venv / ".installed").touch()   # this environment already has readout installed
    result = subprocess.run(["make", "demo", f"VENV={venv}", f"DEMO_DB={tmp_path / 'demo.db'}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "stored 5 new" in out
    assert "2024-06-19  talks at Kumsusan State Guesthouse" in out
    assert "principals: Kim Jong Un (PRK), Vladimir Putin (RUS)" in out
    assert out.index("1. Kim Tok Hun, premier of the DPRK Cabinet") < out.index("6. Im Chon Il, vice-minister of Foreign Affairs")
    assert "2. Denis Manturov, First Deputy Prime Minister" in out
    assert "7. Alexander Matsegora, Russian Ambassador to the DPRK" in out
