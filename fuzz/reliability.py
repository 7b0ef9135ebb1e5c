"""Tables of docs/reliability.md, made from the measured JSON files rather than typed.

    python fuzz/reliability.py [fuzz/summary.json] [fuzz/hostile.json] [fuzz/crash.json]

fuzz/summary.json is written by fuzz/run.sh; fuzz/hostile.json by
`READOUT_HOSTILE_REPORT=fuzz/hostile.json pytest tests/test_hostile.py`; fuzz/crash.json by
`READOUT_CRASH_REPORT=fuzz/crash.json pytest tests/test_crash.py` (with PostgreSQL running).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def fuzz_table(summary: dict) -> str:
    rows = ["| harness | inputs tried | of asked | seconds | inputs/s | slowest input (s) | peak RSS (MB) "
            "| load stalls | outcome |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, r in sorted(summary["harnesses"].items()):
        rows.append(f"| {name} | {r['inputs_tried']:,} | {r['runs_asked']:,} | {r['seconds']:,} | "
                    f"{r['exec_per_second']} | {r['slowest_input_seconds']} | {r['peak_rss_mb']} | "
                    f"{r.get('load_stalls', 0)} | {r['outcome']} |")
    rows.append(f"\nTotal inputs tried: {summary['total_inputs']:,}.")
    return "\n".join(rows)


def hostile_table(hostile: dict) -> str:
    run = hostile["extract_run"]
    rows = [f"One `readout extract` over all of them: exit {run['exit_code']}, {run['cpu_seconds']} s of CPU, "
            f"{run['max_rss_mb']} MB peak RSS, under limits of {run['memory_limit_mb']} MB address space "
            f"and {run['cpu_limit_seconds']} s CPU.", "", "| input | outcome |", "|---|---|"]
    rows += [f"| {name} | {outcome.replace('|', '/')} |" for name, outcome in hostile["outcomes"].items()]
    return "\n".join(rows)


def crash_table(crash: dict) -> str:
    rows = ["| store | articles | writers side by side | rounds | SIGKILLs (forked) | fresh-process kills "
            "| stores emptied and refilled | seconds | final rows equal uninterrupted run |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for backend, c in crash.items():
        rows.append(f"| {backend} | {c['articles']} | {c['writers_side_by_side']} | {c['rounds']} | "
                    f"{c['forked_kills']} | {c['fresh_process_kills']} | {c.get('stores_emptied', 0)} | "
                    f"{c['seconds']} | {'yes' if c['final_rows_equal_reference'] else 'NO'} |")
    return "\n".join(rows)


def main(argv: list[str]) -> None:
    paths = [Path(p) for p in argv] or [HERE / "summary.json", HERE / "hostile.json", HERE / "crash.json"]
    makers = [fuzz_table, hostile_table, crash_table]
    for path, make in zip(paths, makers):
        if path.exists():
            print(f"<!-- from {path.name} -->\n{make(json.loads(path.read_text()))}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
