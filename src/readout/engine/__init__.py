"""How extraction is spread: in this process, or over a Dask cluster.

    from readout.engine import open_engine
    with open_engine("dask", scheduler=None) as engine:      # or "local"
        for raws, outcomes in engine.map(batches):          # batches: lists of RawDocument
            ...                                             # outcomes[i] belongs to raws[i]

Both engines run the same `extract_batch` on a batch and give the batches back in the order
they came, so the store gets the same rows whichever engine ran. Storing stays in the calling
process (`readout.pipeline.ingest`): one writer, batches as transactions.
"""
from __future__ import annotations

from readout.engine.hashes import known_hashes, text_hash
from readout.engine.local import LocalEngine
from readout.engine.work import EngineError, Outcome, extract_batch

ENGINES = ("local", "dask")

__all__ = ["ENGINES", "EngineError", "LocalEngine", "Outcome", "extract_batch", "known_hashes",
           "open_engine", "text_hash"]


def open_engine(name: str = "local", scheduler: str | None = None, workers: int = 2):
    """The engine called `name`: "local", or "dask" on the cluster at `scheduler` (a new
    LocalCluster of `workers` processes when None). Raises EngineError."""
    if name == "local":
        if scheduler:
            raise EngineError("--scheduler names a Dask scheduler: use it with --engine dask")
        return LocalEngine()
    if name == "dask":
        from readout.engine.cluster import DaskEngine  # distributed takes ~1 s to import

        return DaskEngine(scheduler, workers)
    raise EngineError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
