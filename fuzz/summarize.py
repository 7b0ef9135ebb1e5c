"""Figures of fuzz runs, read from libFuzzer's own output: nothing here is typed by hand.

    summarize.py count LOG                                # inputs one libFuzzer run executed
    summarize.py result NAME RUNS EXIT STARTED WORK       # one harness -> WORK/results/NAME.json
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


def count(log_path: str) -> int:
    """Inputs one libFuzzer run executed, from its final statistics."""
    log = Path(log_path).read_text(errors="replace")
    stats = dict(STAT.findall(log))
    if "number_of_executed_units" in stats:
        return int(stats["number_of_executed_units"])
    done = DONE.search(log)
    return int(done.group(1)) if done else 0


def segment_logs(work: str, name: str) -> list[Path]:
    """A harness's logs in order: one per run of libFuzzer (the runner resumes after a stall)."""
    logs = list(Path(work, "logs").glob(f"{name}.*.log")) + list(Path(work, "logs").glob(f"{name}.log"))
    return sorted(logs, key=lambda p: int(p.stem.rsplit(".", 1)[-1]) if "." in p.stem else 0)


def result(name: str, runs: str, code: str, started: str, work: str) -> dict:
    logs = segment_logs(work, name)
    stats = [{key: int(value) for key, value in STAT.findall(p.read_text(errors="replace"))} for p in logs]
    last = logs[-1].read_text(errors="replace") if logs else ""
    finished = datetime.now(timezone.utc)
    elapsed = (finished - datetime.fromisoformat(started.replace("Z", "+00:00"))).total_seconds()
    tried = sum(count(str(p)) for p in logs)
    stop = next((kind for marker, kind in STOPS.items() if marker in last and code != "0"), None)
    return {
        "harness": name,
        "started": started,
        "finished": finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "runs_asked": int(runs),
        "inputs_tried": tried,
        "reached_runs": tried >= int(runs),
        "seconds": round(elapsed),
        "exec_per_second": round(tried / elapsed) if elapsed else None,
        "slowest_input_seconds": max((s.get("slowest_unit_time_sec", 0) for s in stats), default=None),
        "peak_rss_mb": max((s.get("peak_rss_mb", 0) for s in stats), default=None),
        "corpus_units_added": sum(s.get("new_units_added", 0) for s in stats),
        "load_stalls": len(list(Path(work, "artifacts", "stalls").glob(f"{name}-timeout-*"))),
        "segments": len(logs),
        "exit_code": int(code),
        # clean: ended by RUNS or by the time limit, with no crash and no hang that replays as one
        "outcome": "clean" if code == "0" and DONE.search(last) else (stop or "failed"),
        "artifacts": sorted(str(p) for p in Path(work, "artifacts").glob(f"{name}-*")),
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
    if argv[0] == "count":
        print(count(argv[1]))
    elif argv[0] == "result":
        name, runs, code, started, work = argv[1:5] + argv[-1:]   # an older runner passed a log too
        found = result(name, runs, code, started, work)
        Path(work, "results", f"{name}.json").write_text(json.dumps(found, indent=2) + "\n")
        print(json.dumps(found))
    elif argv[0] == "gather":
        work, summary = argv[1:3]
        Path(summary).write_text(json.dumps(gather(work, summary), indent=2) + "\n")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
