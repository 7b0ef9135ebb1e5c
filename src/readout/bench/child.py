"""`python -m readout.bench.child CORPUS DB`: `readout ingest CORPUS --db DB` in a process of
its own, then one JSON line with the command's seconds and that process's peak resident memory.

Why a fork inside the child: on Linux, exec() carries the parent's peak RSS over into the new
program's ru_maxrss, so a child started by the benchmark (holding thousands of records) would
report the benchmark's peak, not its own. A process forked here starts a fresh count from what
this small process holds (the readout modules, which the ingest needs anyway).
"""
from __future__ import annotations

import json
import os
import resource
import sys
from time import perf_counter


def main(argv: list[str]) -> int:
    corpus, db = argv
    from readout.cli import _register_commands, app

    _register_commands()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        os._exit(ingest(app, corpus, db))
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def ingest(app, corpus: str, db: str) -> int:
    start = perf_counter()
    try:
        code = app(["ingest", corpus, "--db", db], standalone_mode=False) or 0
    except SystemExit as stop:
        code = stop.code or 0
    seconds = perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "exit_code": code}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
