"""Crash safety: `readout ingest` killed with SIGKILL at random points leaves a consistent store,
and resuming finishes with exactly the rows of an uninterrupted run (SQLite and PostgreSQL).

The archive is ARTICLES distinct copies of the gold articles, in PARTS subfolders. The test
reads it once itself (the reference: what `readout extract` says of each article), then runs
rounds of one `readout ingest PART --db URL --batch-size 5` per part side by side (concurrent
writers), each SIGKILLed at its own seeded-random point of the time the parts take, until
KILLS kills. The ingests are child processes forked from the test, each running the real
command line through `readout.cli.main`: a fork spares each run the second or two a new
interpreter spends importing. A store that a round completed is emptied, so that the kills
keep falling while documents are written. One kill of a fresh `python -m readout ingest`
process of the whole archive checks that nothing depends on the fork.

After every round: the SQLite file passes PRAGMA integrity_check and foreign_key_check; no
mention, event or participant row lacks its parent; every stored document has exactly the
people, events and participants its record has (no article without its events). At the end
`readout ingest` over the whole archive runs to completion, and the export of (sha256, people,
events) sorted by sha256 equals that of a run that was never interrupted.

Set READOUT_CRASH_REPORT=FILE to keep the figures of the runs as JSON (docs/reliability.md).
"""
from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from readout.ingest import iter_raw_documents
from readout.pipeline import records
from readout.store import open_store
from readout.store.rows import sha256
from store_fixtures import postgres_url  # noqa: F401  (a fixture)

GOLD = Path(__file__).parent / "fixtures" / "gold"
ARTICLES = 200
PARTS = 4              # subfolders ingested side by side, each by its own process
KILLS = 50
BATCH = "5"
SEED = 20261129
KILLED: dict[str, list[int]] = {}   # kills of each round, by store

TABLES = {"documents", "entities", "mentions", "events", "event_participants", "alembic_version"}
ORPHANS = {
    "mentions without their document":
        "SELECT count(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)",
    "events without their document":
        "SELECT count(*) FROM events WHERE document_id NOT IN (SELECT id FROM documents)",
    "participants without their event":
        "SELECT count(*) FROM event_participants WHERE event_id NOT IN (SELECT id FROM events)",
    "mentions of an unknown entity":
        "SELECT count(*) FROM mentions WHERE entity_id IS NOT NULL AND entity_id NOT IN (SELECT entity_id FROM entities)",
    "participants of an unknown entity":
        "SELECT count(*) FROM event_participants WHERE entity_id IS NOT NULL"
        " AND entity_id NOT IN (SELECT entity_id FROM entities)",
}
PER_DOCUMENT = """
SELECT d.sha256,
       (SELECT count(*) FROM mentions m WHERE m.document_id = d.id),
       (SELECT count(*) FROM events e WHERE e.document_id = d.id),
       (SELECT count(*) FROM event_participants p JOIN events e ON e.id = p.event_id
         WHERE e.document_id = d.id)
FROM documents d
"""


def vary(text: str, copy: int) -> str:
    """Copy `copy` of a gold article: years moved on, Kim Jong Un's name in another spelling
    in odd copies, and a closing line that makes every copy a text of its own."""
    text = re.sub(r"\b(?:19|20)\d\d\b", lambda m: str(int(m.group()) + copy // 30), text)
    if copy % 2:
        text = text.replace("Kim Jong Un", "Kim Jong-un")
    return f"{text.rstrip()}\n\nArchive copy {copy}.\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """ARTICLES distinct articles in PARTS subfolders, what extract says of each (by sha256),
    and how long the parts take to ingest side by side (the span the kills are drawn from)."""
    folder = tmp_path_factory.mktemp("archive")
    sources = sorted(GOLD.glob("*.txt"))
    for copy in range(ARTICLES):
        source = sources[copy % len(sources)]
        part = folder / f"part{copy % PARTS}"
        part.mkdir(exist_ok=True)
        (part / f"{copy:03d}-{source.name}").write_text(vary(source.read_text(encoding="utf-8"), copy),
                                                        encoding="utf-8")
    raws = list(iter_raw_documents([str(folder)]))
    expected = {}
    for raw, record in zip(raws, records(raws)):
        participants = sum(len(e["principals"]) + len(e["participants"]) for e in record["events"])
        expected[sha256(raw.text)] = (len(record["people"]), len(record["events"]), participants)
    assert len(expected) == ARTICLES and sum(n[1] for n in expected.values()) > ARTICLES
    span = run_parts_to_end(folder, tmp_path_factory.mktemp("timing"))
    return folder, expected, span


def start_ingest(folder: Path, url: str) -> int:
    """A child process running `readout ingest FOLDER --db URL --batch-size 5`; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1), os.dup2(devnull, 2)
        sys.argv = ["readout", "ingest", str(folder), "--db", url, "--batch-size", BATCH]
        from readout.cli import main
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    finally:
        os._exit(code)


def run_to_end(folder: Path, url: str) -> float:
    started = time.monotonic()
    _, status = os.waitpid(start_ingest(folder, url), 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return time.monotonic() - started


def parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part*"))


def run_parts_to_end(folder: Path, scratch: Path) -> float:
    """Ingest every part at once, each into a store of its own (no lock waits, no kill): the
    seconds until all are done, the span over which the kills of a round are drawn."""
    started = time.monotonic()
    for pid in [start_ingest(part, str(scratch / f"{part.name}.db")) for part in parts(folder)]:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    return time.monotonic() - started


def kill_round(folder: Path, url: str, span: float, rng: random.Random) -> int:
    """One ingest per part, side by side, each SIGKILLed at its own random point of `span`
    unless it ended first; how many were killed."""
    started = time.monotonic()
    deadlines = {start_ingest(part, url): started + rng.uniform(0.0, span) for part in parts(folder)}
    killed = 0
    while deadlines:
        for pid, deadline in list(deadlines.items()):
            if os.waitpid(pid, os.WNOHANG)[0]:
                del deadlines[pid]
            elif time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                del deadlines[pid]
                killed += 1
        time.sleep(0.005)
    return killed


def kill_after(pid: int, delay: float) -> bool:
    """SIGKILL `pid` after `delay` seconds unless it ended first; True if it was killed."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return True


def engine_for(url: str):
    if "://" not in url:
        return create_engine(f"sqlite:///{url}")
    return create_engine(make_url(url).set(drivername="postgresql+psycopg"))


def check_consistent(url: str, expected: dict) -> int:
    """Assert the store is consistent; return how many documents it holds."""
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names()) & TABLES
            if not tables:
                return 0              # killed before its migration committed: nothing at all
            assert tables == TABLES   # the migration is one transaction: all tables or none
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            for what, query in ORPHANS.items():
                assert conn.execute(text(query)).scalar() == 0, what
            stored = {sha: tuple(counts) for sha, *counts in conn.execute(text(PER_DOCUMENT))}
    finally:
        engine.dispose()   # no connection may cross the next fork
    for sha, counts in stored.items():
        assert counts == expected[sha], f"document {sha[:12]} stored with (people, events, participants) {counts}, record has {expected[sha]}"
    return len(stored)


def export(url: str) -> list[tuple]:
    """(sha256, people, events) of every document, sorted by sha256."""
    with open_store(url) as store:
        documents = [store.get_document(d["id"]) for d in store.list_documents(limit=10 * ARTICLES)]
    return sorted((d["sha256"], d["people"], d["events"]) for d in documents)


def kill_repeatedly(folder: Path, url: str, expected: dict, span: float, rng: random.Random) -> list[int]:
    """Rounds of killed ingests until KILLS kills; the documents stored after each round.

    A store that a round completed is emptied, so that the kills keep falling while documents
    are being written rather than on runs that only find duplicates; the last round must leave
    the store partly filled, for the resume to have something to finish.
    """
    progress, kills = [], []
    while sum(kills) < KILLS or progress[-1] in (0, ARTICLES):
        if progress and progress[-1] == ARTICLES:
            empty(url)
        kills.append(kill_round(folder, url, span, rng))
        progress.append(check_consistent(url, expected))
    KILLED[url] = kills
    return progress


def empty(url: str) -> None:
    if "://" not in url:
        for suffix in ("", "-wal", "-shm"):
            Path(url + suffix).unlink(missing_ok=True)
        return
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("TRUNCATE documents, entities RESTART IDENTITY CASCADE"))


def kill_real_process(folder: Path, url: str, expected: dict, full: float, rng: random.Random) -> int:
    """Kill a fresh `python -m readout ingest` of the whole archive into an empty store, past its
    imports (timed with `readout --help`), at a random point of an uninterrupted run's time."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "readout", "--help"], capture_output=True, check=True)
    startup = time.monotonic() - started
    for _ in range(3):   # a run that beat its deadline is tried again: one kill is the point
        empty(url)
        process = subprocess.Popen([sys.executable, "-m", "readout", "ingest", str(folder), "--db", url,
                                    "--batch-size", BATCH], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        killed = kill_after(process.pid, startup + rng.uniform(0.1, 0.9) * full)
        process.returncode = -9   # reaped by kill_after
        check_consistent(url, expected)
        if killed:
            return 1
    return 0


def crash_and_resume(archive, url: str, reference: list[tuple], full: float, real: bool, backend: str) -> None:
    folder, expected, span = archive
    rng = random.Random(SEED)
    started = time.monotonic()
    real_kills = kill_real_process(folder, url, expected, full, rng) if real else 0
    progress = kill_repeatedly(folder, url, expected, span, rng)
    assert 0 < progress[-1] < ARTICLES   # the resume starts from a partly filled store
    run_to_end(folder, url)
    assert check_consistent(url, expected) == ARTICLES
    assert export(url) == reference
    report(backend, {"articles": ARTICLES, "writers_side_by_side": PARTS, "batch_size": int(BATCH),
                     "rounds": len(progress), "stores_emptied": progress[:-1].count(ARTICLES), "forked_kills": sum(KILLED[url]), "kills_per_round": KILLED[url],
                     "stored_after_each_round": progress, "fresh_process_kills": real_kills,
                     "seconds": round(time.monotonic() - started, 1), "final_rows_equal_reference": True})


def report(backend: str, figures: dict) -> None:
    target = os.environ.get("READOUT_CRASH_REPORT")
    if target:
        path = Path(target)
        found = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps({**found, backend: figures}, indent=2) + "\n")


def test_sigkill_during_ingest_leaves_sqlite_consistent_and_resume_completes(archive, tmp_path):
    folder = archive[0]
    reference_db = str(tmp_path / "reference.db")
    full = run_to_end(folder, reference_db)
    reference = export(reference_db)
    assert len(reference) == ARTICLES
    crash_and_resume(archive, str(tmp_path / "killed.db"), reference, full, real=True, backend="sqlite")


@pytest.mark.postgres
def test_sigkill_during_ingest_leaves_postgres_consistent_and_resume_completes(archive, postgres_url):
    full = run_to_end(archive[0], postgres_url)
    reference = export(postgres_url)
    assert len(reference) == ARTICLES
    empty(postgres_url)
    crash_and_resume(archive, postgres_url, reference, full, real=False, backend="postgresql")
