"""`readout bench`: a corpus of any size made from the real articles, and the measurements of
issue 4 on it (extraction, ingest, Dask, peak memory, query latency), checked against the
targets in readout/data/bench.yaml.

    from readout.bench import make_plan, run
    results = run(make_plan(quick=True, size="small"))     # {"extract_docs_per_s": ..., ...}
"""
from readout.bench.run import REQUIRED_KEYS, BenchError, Plan, make_plan, run, verdicts

__all__ = ["REQUIRED_KEYS", "BenchError", "Plan", "make_plan", "run", "verdicts"]
