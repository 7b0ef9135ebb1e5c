"""Figures of fuzz runs, read from libFuzzer's own output: nothing here is typed by hand.

    summarize.py result NAME RUNS EXIT STARTED LOG WORK   # one harness -> WORK/results/NAME.json
    summarize.py gather WORK SUMMARY                      # all results -> SUMMARY (JSON)
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

STAT = re.compile(r"^stat::(\w+):\s+(\d+)", re.MULTILINE)
DONE = re.compile(r"^Done (\d+) runs in (\d+) second", re.MULTILINE)
# How libFuzzer names what stopped a run.
STOPS = {"run interrupted": "interrupted", "deadly signal": "crash", "fuzz target exited": "crash", "timeout": "hang",
         "out-of-memory": "out of memory", "Uncaught Python exception": "crash"}


def result(name: str, runs: str, code: str, started: str, log_path: str, work: str) -> dict:
    log = Path(log_path).read_text(errors="replace")
    stats = {key: int(value) for key, value in STAT.findall(log)}
    done = DONE.search(log)
    artifacts = sorted(str(p) for p in Path(work, "artifacts").glob(f"{name}-*"))
    stop = next((kind for marker, kind in STOPS.items() if marker in log and code != "0"), None)
    return {
        "harness": name,
        "started": started,
        "finished": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "runs_asked": int(runs),
        "inputs_tried": stats.get("number_of_executed_units", int(done.group(1)) if done else 0),
        "seconds": int(done.group(2)) if done else None,
        "exec_per_second": stats.get("average_exec_per_sec"),
        "slowest_input_seconds": stats.get("slowest_unit_time_sec"),
        "peak_rss_mb": stats.get("peak_rss_mb"),
        "corpus_units_added": stats.get("new_units_added"),
        "exit_code": int(code),
        "reached_runs": done is not None and int(done.group(1)) >= int(runs),
        # clean: the run ended by itself, by RUNS or by the time limit, with no crash and no hang
        "outcome": "clean" if code == "0" and done else (stop or "failed"),
        "artifacts": artifacts,
    }


def gather(work: str, summary_path: str) -> dict:
    results = {}
    summary = Path(summary_path)
    if summary.exists():  # harnesses run at other times keep their last result
        results = json.loads(summary.read_text()).get("harnesses", {})
    for path in sorted(Path(work, "results").glob("*.json")):
        found = json.loads(path.read_text())
        results[found["harness"]] = found
    return {"harnesses": results,
            "total_inputs": sum(r["inputs_tried"] for r in results.values()),
            "clean": sorted(n for n, r in results.items() if r["outcome"] == "clean"),
            "not_clean": sorted(n for n, r in results.items() if r["outcome"] != "clean")}


def main(argv: list[str]) -> None:
    if argv[0] == "result":
        name, runs, code, started, log, work = argv[1:7]
        found = result(name, runs, code, started, log, work)
        Path(work, "results", f"{name}.json").write_text(json.dumps(found, indent=2) + "\n")
        print(json.dumps(found))
    elif argv[0] == "gather":
        work, summary = argv[1:3]
        Path(summary).write_text(json.dumps(gather(work, summary), indent=2) + "\n")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
