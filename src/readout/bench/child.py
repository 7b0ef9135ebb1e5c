"""`python -m readout.bench.child CORPUS DB`: `readout ingest CORPUS --db DB` in this process,
then one JSON line with the command's seconds and the process's peak resident memory.

A process of its own, so that the peak is the ingest's alone and not the benchmark's.
"""
from __future__ import annotations

import json
import resource
import sys
from time import perf_counter


def main(argv: list[str]) -> int:
    corpus, db = argv
    from readout.cli import _register_commands, app

    _register_commands()
    start = perf_counter()
    try:
        code = app(["ingest", corpus, "--db", db], standalone_mode=False) or 0
    except SystemExit as stop:
        code = stop.code or 0
    seconds = perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "exit_code": code}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
