"""The store query latencies are measured on: built once from the bench corpus, then reused.

Building 500,000 articles takes a while, so the store is kept (by default under
~/.cache/readout/bench) with a small marker beside it saying which corpus it holds and how far
the build got. A build that is interrupted resumes: the articles are generated again from
the marker's position and those already stored are skipped by their hash, unextracted.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from readout.bench.corpus import Corpus, load_templates
from readout.engine import open_engine
from readout.pipeline import IngestReport, ingest
from readout.store import open_store

CHUNK = 10_000  # articles between two saves of the marker


def default_path(size: int) -> Path:
    return Path.home() / ".cache" / "readout" / "bench" / f"store-{size // 1000}k.db"


def marker_of(path: Path) -> Path:
    return path.with_name(path.name + ".bench.json")


def ensure_store(path: Path, size: int, seed: int, engine: str = "dask",
                 on_progress: Callable[[int], None] | None = None) -> int:
    """Make the SQLite store at `path` hold at least `size` bench articles, building or
    finishing it with `engine`; the number of documents it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    state = _read_marker(path, seed)
    with open_store(str(path)) as store:
        count = store.count_documents()
        if count >= size:
            return count
        corpus = Corpus(load_templates(), state["seed"])
        with open_engine(engine) as extractor:
            while count < size:
                # Only the missing number: repeated texts (1-2%) make the loop go round again.
                chunk = min(CHUNK, size - count)
                report = ingest(corpus.documents(chunk, state["next"]), store, IngestReport(),
                                engine=extractor)
                state["next"] += chunk
                state["errors"] = state.get("errors", 0) + len(report.errors)
                marker_of(path).write_text(json.dumps(state))
                count = store.count_documents()
                if on_progress:
                    on_progress(count)
    return count


def _read_marker(path: Path, seed: int) -> dict:
    """Where the last build stopped; a store without a marker is started from scratch."""
    marker = marker_of(path)
    if marker.exists() and path.exists():
        return json.loads(marker.read_text())
    return {"seed": seed, "next": 0}
