"""Regenerate README's sample outputs from the real commands (tests/test_readme.py checks them).

Each block follows a marker line `<!-- readme-output: readout ARGS -->`; `demo.db` in ARGS is a
store of the sample articles built afresh in a temporary folder.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"(<!-- readme-output: (.+?) -->\n```text\n)(.*?)(```)", re.S)
RELIABILITY = re.compile(r"(<!-- readme-reliability -->\n)(.*?)(<!-- /readme-reliability -->)", re.S)
FIGURES = re.compile(r"(<!-- readme-figures: (.+?) -->\n)(.*?)(<!-- /readme-figures -->)", re.S)
BENCH_KEYS = ["extract_docs_per_s", "ingest_sqlite_docs_per_s", "ingest_postgres_docs_per_s",
              "peak_rss_mb_10k", "peak_rss_mb_100k", "reingest_ratio", "store_docs", "timeline_p95_ms",
              "event_search_p95_ms", "fulltext_p95_ms", "dask_speedup_2_workers", "serving_store_docs",
              "page_p95_ms", "load_rps", "load_errors"]
WIDTH = "100"


def run(command: str, demo_db: Path) -> str:
    args = [str(demo_db) if a == "demo.db" else a for a in shlex.split(command)]
    assert args[0] == "readout", command
    env = {**os.environ, "COLUMNS": WIDTH, "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run([sys.executable, "-m", "readout", *args[1:]], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"{command}: exit {result.returncode}: {result.stderr.strip()}")
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n"


def figures(path: str) -> str:
    """A table of the benchmark keys from a saved `readout bench --json` result, each with its
    target from bench.yaml and whether the measurement meets it."""
    import json

    from readout.bench.run import verdicts
    from readout.domain import load_yaml

    result = json.loads((ROOT / path).read_text(encoding="utf-8"))
    machine, targets, met = result.get("machine", {}), load_yaml("bench.yaml")["targets"], verdicts(result)
    lines = [f"Measured {result.get('date', '?')} ({result.get('mode', 'full')} run, {machine.get('nproc')} cores, "
             f"load average {machine.get('load_average_start', ['?'])[0]:.1f} at the start):", "",
             "| key | value | target | met |", "|---|---|---|---|"]
    for key in BENCH_KEYS:
        value, target = result.get(key), targets.get(key, {})
        bound = f">= {target['min']}" if "min" in target else (f"<= {target['max']}" if "max" in target else "")
        verdict = {True: "yes", False: "**no**", None: ""}[met.get(key)] if target else ""
        shown = "not measured" if value is None else round(value, 2)
        lines.append(f"| `{key}` | {shown} | {bound} | {verdict} |")
    return "\n".join(lines) + "\n\n"


def reliability() -> str:
    """Issue 6's figures from the JSON the runs wrote: inputs fuzzed, kills survived, requests
    served under load."""
    import json

    def load(path: str) -> dict:
        return json.loads((ROOT / path).read_text(encoding="utf-8"))

    fuzz, crash, bench = load("fuzz/summary.json"), load("fuzz/crash.json"), load("docs/bench-full.json")
    runs = ", ".join(f"{name} {r['inputs_tried']:,} ({r['outcome']})" for name, r in sorted(fuzz["harnesses"].items()))
    kills = "; ".join(f"{store}: {r['forked_kills'] + r['fresh_process_kills']} SIGKILLs, final rows "
                      f"{'equal to' if r['final_rows_equal_reference'] else 'DIFFERENT from'} an uninterrupted run"
                      for store, r in crash.items())
    return (f"- Fuzzing: {fuzz['total_inputs']:,} inputs in all, none open as a crash or hang; per harness: {runs}.\n"
            f"- Crash safety: {kills}.\n"
            f"- Load run (full bench): {bench.get('load_served')} of {bench.get('load_requests')} requests answered at "
            f"{bench.get('load_target_rps')}/s for {bench.get('load_seconds')} s, {bench.get('load_errors')} errors "
            f"(p50 {bench.get('load_p50_ms', 0):.0f} ms, p95 {bench.get('load_p95_ms', 0):.0f} ms).\n")


def rendered(readme: str) -> str:
    readme = FIGURES.sub(lambda m: m.group(1) + figures(m.group(2)) + m.group(4), readme)
    readme = RELIABILITY.sub(lambda m: m.group(1) + reliability() + m.group(3), readme)
    with tempfile.TemporaryDirectory() as folder:
        demo_db = Path(folder) / "demo.db"
        subprocess.run([sys.executable, "-m", "readout", "ingest", "--samples", "--db", str(demo_db)],
                       cwd=ROOT, check=True, capture_output=True)
        return MARKER.sub(lambda m: m.group(1) + run(m.group(2), demo_db) + m.group(4), readme)


if __name__ == "__main__":
    path = ROOT / "README.md"
    path.write_text(rendered(path.read_text(encoding="utf-8")), encoding="utf-8")
