"""Engines and the streaming ingest: Dask gives the rows the local engine gives; a re-ingest
extracts nothing; a killed ingest resumes; one refused record does not sink its batch."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from readout.bench.corpus import Corpus, load_templates
from readout.engine import LocalEngine, Outcome, known_hashes, open_engine, text_hash
from readout.errors import ReadoutError
from readout.ingest import iter_raw_documents
from readout.pipeline import IngestReport, ingest
from readout.store import open_store
from conftest import GOLD
from store_fixtures import postgres_url  # noqa: F401  (a fixture)

IDS = ("id", "ingested_at", "story_id", "version_of")  # differ between two stores by nature


def exported(path) -> list[dict]:
    """Every stored document with its people and events, without ids and times, by text."""
    with open_store(str(path)) as store:
        ids = [d["id"] for d in store.list_documents(limit=10_000)]
        documents = [store.get_document(i) for i in ids]
    return sorted(({k: v for k, v in d.items() if k not in IDS} for d in documents),
                  key=lambda d: d["sha256"])


class Counting(LocalEngine):
    """The local engine, counting the documents it is asked to extract."""

    def __init__(self):
        super().__init__()
        self.extracted = 0

    def map(self, batches):
        for raws, outcomes in super().map(batches):
            self.extracted += len(raws)
            yield raws, outcomes


class Spoiling(LocalEngine):
    """The local engine, spoiling the record of `bad` the way a buggy extractor would."""

    def __init__(self, bad: str, spoil):
        super().__init__()
        self.bad, self.spoil = bad, spoil

    def map(self, batches):
        for raws, outcomes in super().map(batches):
            yield raws, [Outcome(record=self.spoil(o.record)) if raw.path == self.bad else o
                         for raw, o in zip(raws, outcomes)]


def test_dask_engine_stores_the_same_rows_as_the_local_engine(run_readout, tmp_path):
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    with open_store(str(local)) as store:
        ingest(iter_raw_documents([str(GOLD)]), store, IngestReport())
    result = run_readout("ingest", GOLD, "--db", dask, "--engine", "dask", "--batch-size", "4")
    assert result.returncode == 0, result.stderr
    assert "stored 30 new" in result.stdout
    assert exported(dask) == exported(local)
    assert any(d["events"] and d["people"] for d in exported(dask))  # not two empty stores


def test_a_local_cluster_gives_the_local_outcomes_with_its_housekeeping_made_rare():
    """Outcomes travel pickled, decoded with the collector paused (and left as it was); the
    workers run without Dask's profiler."""
    import dask
    import gc
    from readout.engine.cluster import DaskEngine

    raws = list(Corpus(load_templates(), 7).documents(12))
    batches = [raws[:5], raws[5:]]
    with DaskEngine(None, 2) as engine:
        profiling = engine.client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
        on_dask = list(engine.map(batches))
        assert gc.isenabled()
    assert len(profiling) == 2 and not any(profiling.values())
    assert [outcomes for _, outcomes in on_dask] == [outcomes for _, outcomes in LocalEngine().map(batches)]
    assert all(o.record for _, outcomes in on_dask for o in outcomes)


def test_the_local_engine_warms_its_resolver_up_and_hides_it_from_the_collector():
    """warm_up freezes what it loaded: full collections, which walked the whole resolver
    each time, no longer see it."""
    import gc

    gc.unfreeze()
    engine = LocalEngine()
    list(engine.map([list(Corpus(load_templates(), 2).documents(2))]))
    assert gc.get_freeze_count() > 0
    assert not any(o is engine.resolver for o in gc.get_objects())


def test_batches_are_shared_between_the_workers():
    """Each worker's actor takes its share of the batches, and the resolver is loaded once
    per worker, not once per batch."""
    from readout.engine.cluster import DaskEngine

    raws = list(Corpus(load_templates(), 3).documents(24))
    batches = [raws[i:i + 3] for i in range(0, len(raws), 3)]
    with DaskEngine(None, 2) as engine:
        list(engine.map(batches))
        counts = list(engine.counts().values())
    assert [c["loads"] for c in counts] == [1, 1]
    assert min(c["batches"] for c in counts) >= 1 and sum(c["batches"] for c in counts) == 8


def test_a_named_scheduler_gives_the_local_outcomes():
    """With --scheduler the client is not the cluster's: batches reach the actors through
    the scheduler, as they must when the workers cannot be reached directly."""
    import logging
    from distributed import LocalCluster
    from readout.engine.cluster import DaskEngine

    raws = list(Corpus(load_templates(), 4).documents(8))
    batches = [raws[:3], raws[3:6], raws[6:]]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        with DaskEngine(cluster.scheduler_address) as engine:
            on_dask = list(engine.map(batches))
            assert engine.extractors.given == [3] and engine.extractors.as_tasks == 0
    assert [outcomes for _, outcomes in on_dask] == [outcomes for _, outcomes in LocalEngine().map(batches)]


def test_a_worker_killed_mid_ingest_loses_no_batch():
    """The batches of a worker that dies run as plain tasks on a live worker: every batch
    comes back, in order, with the local engine's outcomes."""
    from readout.engine.cluster import DaskEngine

    raws = list(Corpus(load_templates(), 5).documents(30))
    batches = [raws[i:i + 3] for i in range(0, len(raws), 3)]
    with DaskEngine(None, 2) as engine:
        victim = min(engine.client.run(os.getpid).values())

        def killing_after_the_third():
            for number, batch in enumerate(batches):
                if number == 3:
                    os.kill(victim, signal.SIGKILL)
                yield batch

        on_dask = list(engine.map(killing_after_the_third()))
        assert len(engine.extractors.lost) == 1 and engine.extractors.as_tasks >= 1
    assert [raws for raws, _ in on_dask] == batches
    assert [outcomes for _, outcomes in on_dask] == [outcomes for _, outcomes in LocalEngine().map(batches)]


def test_reingest_extracts_and_adds_nothing(tmp_path):
    raws = list(iter_raw_documents([str(GOLD)]))
    with open_store(str(tmp_path / "s.db")) as store:
        first = ingest(raws, store, IngestReport(), batch_size=7)
        engine = Counting()
        again = ingest(raws, store, IngestReport(), batch_size=7, engine=engine)
        count = store.count_documents()
    assert first.stored == len(raws) == count
    assert (again.stored, again.duplicates, engine.extracted) == (0, len(raws), 0)


def test_known_hashes_is_the_stored_subset(tmp_path):
    raws = list(iter_raw_documents([str(GOLD)]))[:3]
    with open_store(str(tmp_path / "s.db")) as store:
        ingest(raws[:2], store, IngestReport())
        asked = [text_hash(r.text) for r in raws] + ["0" * 64]
        assert known_hashes(store, asked) == {text_hash(r.text) for r in raws[:2]}
        assert known_hashes(store, []) == set()


def spoil_span(record: dict) -> dict:
    record["people"][0]["span"] = {"start": 0, "end": 10**9}  # outside the text: the store's check refuses it
    return record


def spoil_country(record: dict) -> dict:
    record["people"][0]["country"] = "NOT-A-CODE"  # VARCHAR(3): only PostgreSQL refuses it
    return record


@pytest.mark.parametrize("backend, spoil", [
    ("sqlite", spoil_span),
    pytest.param("postgres", spoil_country, marks=pytest.mark.postgres),
])
def test_a_refused_record_is_reported_and_its_batch_stored(request, tmp_path, backend, spoil):
    url = str(tmp_path / "s.db") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    raws = list(iter_raw_documents([str(GOLD)]))[:5]
    bad = raws[2].path
    with open_store(url) as store:
        before = store.count_documents()
        report = ingest(raws, store, IngestReport(), batch_size=5, engine=Spoiling(bad, spoil))
        stored = {d["file"] for d in store.list_documents(limit=1000)}
        added = store.count_documents() - before
    assert report.stored == added == 4
    assert bad not in stored and {r.path for r in raws} - {bad} <= stored
    [error] = report.errors
    assert bad in error and "\n" not in error


def test_killed_ingest_leaves_whole_articles_and_resumes(tmp_path, monkeypatch):
    """kill -9 while the ingest waits for more input (a named pipe holds it there, whatever
    the machine's speed): the store keeps the two whole batches it had, and a rerun on the
    whole dump stores the rest, ending where a run without a kill ends."""
    dump = Corpus(load_templates(), seed=11).write_jsonl(tmp_path / "dump.jsonl", 20)
    lines = dump.read_text().splitlines(True)
    assert len(set(lines)) == 20
    (tmp_path / "piped").mkdir()
    os.mkfifo(tmp_path / "piped" / "dump.jsonl")  # the same relative path as the dump, for `file`
    db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "readout", "ingest", "dump.jsonl", "--batch-size", "5", "--db", str(db)]
    child = subprocess.Popen(command, cwd=tmp_path / "piped", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with open(tmp_path / "piped" / "dump.jsonl", "w", encoding="utf-8") as writer:
            writer.writelines(lines[:12])  # two batches and two articles of a third
            writer.flush()
            assert wait_for_documents(db, 10, child), child.stderr.read1().decode()
            time.sleep(0.3)  # time enough to store more, if anything wrongly would be
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    except BrokenPipeError:
        pass
    finally:
        child.kill()
    assert count(db) == 10
    resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert "stored 10 new, 10 already stored" in resumed.stdout
    monkeypatch.chdir(tmp_path)
    with open_store("clean.db") as store:
        ingest(iter_raw_documents(["dump.jsonl"]), store, IngestReport())
    assert exported(db) == exported(tmp_path / "clean.db")


def wait_for_documents(db, at_least: int, child: subprocess.Popen) -> bool:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if db.exists() and count(db) >= at_least:
            return True
        time.sleep(0.05)
    return False


def count(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def test_engine_errors_are_one_line(run_readout, tmp_path):
    result = run_readout("ingest", GOLD, "--db", tmp_path / "s.db", "--scheduler", "tcp://127.0.0.1:1")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: --scheduler names a Dask scheduler: use it with --engine dask"
    with pytest.raises(ReadoutError, match="unknown engine 'spark'"):
        open_engine("spark")
