"""The throughput measurements of `readout bench`: extraction, ingest, Dask, peak memory.

Each takes the articles to work on and returns plain numbers; `readout.bench.run` puts them
together. Corpus generation is never inside a timed section.
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import traceback
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from readout.engine import LocalEngine, Outcome
from readout.engine.work import warm_up
from readout.errors import StoreError
from readout.model import RawDocument
from readout.pipeline import IngestReport, ingest
from readout.store import open_store

BATCH = 200  # articles per batch and transaction, as `readout ingest` by default


def batches(raws: list[RawDocument]) -> list[list[RawDocument]]:
    """Batches of BATCH articles, smaller for a small corpus: two workers need a few each."""
    size = max(5, min(BATCH, len(raws) // 8))
    return [raws[i:i + size] for i in range(0, len(raws), size)]


@dataclass
class Extracted:
    seconds: float
    outcomes: list[Outcome]

    def rate(self) -> float:
        return len(self.outcomes) / self.seconds


def extract_locally(raws: list[RawDocument]) -> Extracted:
    """One process, resolution on, with the resolver's cache emptied first: what the first
    `readout ingest` of an archive costs. The KB index is built and the rule files read
    before the clock starts."""
    from readout.resolve import Resolver

    resolver = Resolver.default()
    warm_up(resolver)  # as each Dask worker does when it starts
    resolver.clear_cache()
    engine = LocalEngine(resolver)
    start = perf_counter()
    outcomes = kept_aside(engine.map(batches(raws)))
    return Extracted(perf_counter() - start, outcomes)


def extract_rate_in_fork(raws: list[RawDocument]) -> float:
    """extract_locally's rate, measured in a forked child that keeps none of its records:
    every repetition starts from the state the bench forked from (nothing extracted yet, the
    extraction's caches cold), so repeating the measurement never times warmed caches."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            os.write(write, json.dumps(extract_locally(raws).rate()).encode())
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        reported = pipe.read()
    os.waitpid(pid, 0)
    if not reported:
        raise RuntimeError("the extraction child reported no rate (its traceback is above)")
    return float(reported)


def kept_aside(done: Iterator[tuple[list[RawDocument], list[Outcome]]]) -> list[Outcome]:
    """Every batch's outcomes, kept for the comparison with Dask and the ingest replay, and
    hidden from the garbage collector as they come (gc.freeze). `readout ingest` frees a
    batch's records once written; kept here, they are millions of objects by the end of
    10,000 articles, and each full collection walked them all: chunks of the run with one
    took up to twice as long (2.1 against 1.0 ms an article)."""
    outcomes: list[Outcome] = []
    try:
        for _, batch in done:
            outcomes.extend(batch)
            gc.freeze()
    finally:
        gc.unfreeze()
    return outcomes


@dataclass
class DaskRun:
    extracted: Extracted
    startup: float            # seconds to start the cluster and load a resolver on each worker
    counts: dict[str, dict]   # per worker: resolver loads and batches run


def extract_with_dask(raws: list[RawDocument], workers: int = 2) -> DaskRun:
    """The same articles on a LocalCluster of `workers` processes. Start-up is not counted in
    the extraction time: a cluster is started once for a whole archive."""
    from readout.engine.cluster import DaskEngine

    start = perf_counter()
    with DaskEngine(None, workers) as engine:
        startup = perf_counter() - start
        start = perf_counter()
        outcomes = kept_aside(engine.map(batches(raws)))
        extracted = Extracted(perf_counter() - start, outcomes)
        return DaskRun(extracted, startup, engine.counts())


class Replay:
    """An engine that hands back records extracted earlier: the ingest measurement then times
    what `readout ingest` does besides extraction (hash look-up, checks, writes)."""

    name = "replay"

    def __init__(self, raws: list[RawDocument], outcomes: list[Outcome]):
        self.by_path = {raw.path: outcome for raw, outcome in zip(raws, outcomes)}

    def map(self, batches_in) -> Iterator[tuple[list[RawDocument], list[Outcome]]]:
        for raws in batches_in:
            yield raws, [self.by_path[raw.path] for raw in raws]


def ingest_rate(url: str, raws: list[RawDocument], outcomes: list[Outcome]) -> tuple[float, IngestReport]:
    """Articles stored per second into the store at `url` (which should be empty). The story
    linker's MinHash permutations are drawn before the clock starts, as the extraction rules
    are: `readout ingest` pays for them once per run (datasketch loads SciPy), not per article.
    The records replayed, and those the bench keeps for comparing Dask's, are hidden from the
    garbage collector as in `kept_aside`: `readout ingest` holds a batch of them at a time,
    and a full collection walked them all (1.2 of 18 s CPU replaying 10,000, in one)."""
    from readout.store.versions import permutations

    permutations()
    report = IngestReport()
    gc.freeze()  # what the bench holds, not what `readout ingest` would
    try:
        with open_store(url) as store:
            start = perf_counter()
            ingest(raws, store, report, BATCH, engine=Replay(raws, outcomes))
            seconds = perf_counter() - start
    finally:
        gc.unfreeze()
    return report.stored / seconds, report


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A new database on the server of `server_url`, dropped afterwards; StoreError if the
    server cannot be reached or refuses to create one."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    name = f"readout_bench_{uuid.uuid4().hex[:12]}"
    try:
        url = make_url(server_url).set(drivername="postgresql+psycopg")
        admin = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except (SQLAlchemyError, ValueError) as error:
        reason = str(getattr(error, "orig", error) or error).strip().splitlines()[0]
        raise StoreError(f"cannot create a scratch database on {server_url}: {reason}") from None
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class ChildRun:
    """One `readout ingest` in a process of its own, as the child reported it."""

    seconds: float          # the ingest command, measured in the child
    wall_seconds: float     # the whole process, start-up included
    peak_rss_mb: float
    exit_code: int


def ingest_in_child(corpus: Path, db: str) -> ChildRun:
    """Run `readout ingest CORPUS --db DB` in a child process that reports its peak RSS."""
    start = perf_counter()
    done = subprocess.run([sys.executable, "-m", "readout.bench.child", str(corpus), db],
                          capture_output=True, text=True)
    wall = perf_counter() - start
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    try:
        report = json.loads(last)
    except ValueError:
        raise RuntimeError(f"the ingest child failed (exit {done.returncode}): "
                           f"{done.stderr.strip()[-2000:]}") from None
    return ChildRun(report["seconds"], wall, report["peak_rss_mb"], report["exit_code"])
