"""Page and API latency of `readout serve` over a large store, as a user's browser meets it.

The real server (`readout serve`, uvicorn) runs in a child process on a free loopback port;
httpx asks it, one request at a time, for each kind of page and API answer over a sample of
real ids and names drawn from the store (the same sampling as the store query latencies):

    page_person    /people/{id}            page_event     /documents/{id}
    page_search    /search?q=...            page_network   /network?limit=N
    page_changes   /changes                 api_timeline   /api/people/{id}/timeline
    api_events     /api/events?type&since&until            api_search /api/search?q=...
    api_document   /api/documents/{id}      api_person     /api/person?name=...

The server keeps no whole answers (READOUT_CACHE_MB=0): a person asked for twice is computed
twice, so the figures are what the first visitor of each page waits (the load run measures the
server as deployed, answers kept). Every kind is asked once before the clock starts (the
server's warm-up computes the whole-store answers: network, changes), then each `count`
times; the result is p50 and p95 per kind in milliseconds, and page_p95_ms, the worst page
kind's p95 (issue 5: < 300 ms).
"""
from __future__ import annotations

import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from urllib.parse import quote

from sqlalchemy import bindparam, func, select

from readout.bench.queries import event_queries, sample_names, text_queries
from readout.errors import ReadoutError
from readout.store import open_store
from readout.store.tables import documents

PAGE_KINDS = ("page_person", "page_event", "page_search", "page_network", "page_changes")
API_KINDS = ("api_timeline", "api_events", "api_search", "api_document", "api_person")
NETWORK_SIZES = (30, 60, 100)  # people shown: the page's own choices
READY_TIMEOUT = 900.0  # seconds for a server over a large store to open it and warm up
REQUEST_TIMEOUT = 120.0


class ServerError(ReadoutError):
    """The server under measurement did not start, or answered with an error."""


@dataclass(frozen=True)
class Request:
    kind: str
    path: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(db: str, log: Path | None = None, workers: int = 1,
                   keep_answers: bool = True) -> Iterator[str]:
    """`readout serve --db DB --workers N` in a child process on a free loopback port: its
    base URL, once it answers. Without `keep_answers` the server keeps none (READOUT_CACHE_MB
    0), so that every request is computed. The child is stopped (SIGTERM, then SIGKILL) on
    the way out."""
    import httpx

    port = free_port()
    sink = open(log, "wb") if log else subprocess.DEVNULL
    env = {**os.environ, "READOUT_API_TOKEN": ""}
    if not keep_answers:
        env["READOUT_CACHE_MB"] = "0"
    child = subprocess.Popen([sys.executable, "-m", "readout", "serve", "--db", db, "--port", str(port),
                              "--log-level", "warning", "--workers", str(workers)],
                             stdout=sink, stderr=sink, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(child, base, httpx)
        yield base
    finally:
        stop(child)
        if log:
            sink.close()


def stop(child: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL, to the server and its worker processes (its own session): a
    worker busy with a long answer outlives its parent's SIGKILL otherwise."""
    os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # all gone
    child.wait()


def wait_until_up(child: subprocess.Popen, base: str, httpx) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise ServerError(f"readout serve stopped with exit code {child.returncode} before answering")
        try:
            if httpx.get(f"{base}/api/outlets", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise ServerError(f"readout serve did not answer on {base} within {READY_TIMEOUT:.0f} s")


def sample_requests(store, count: int, seed: int = 0) -> dict[str, list[Request]]:
    """`count` requests of each kind, drawn from the store: people as named in random
    documents (so the often-named are asked for often), random documents, random event
    searches, full-text queries made of the names."""
    rng = random.Random(seed)
    names = sample_names(store, count, rng)
    if not names:
        raise ServerError(f"{store.name}: no named people to ask for (is the store empty?)")
    ids = [entity for entity, _ in names]
    words = text_queries(names, rng)
    found = {
        "page_person": [f"/people/{quote(e, safe='')}" for e in ids],
        "page_event": [f"/documents/{d}" for d in document_ids(store, count, rng)],
        "page_search": [f"/search?q={quote(q)}" for q in words],
        "page_network": [f"/network?limit={rng.choice(NETWORK_SIZES)}" for _ in range(count)],
        "page_changes": ["/changes"] * count,
        "api_timeline": [f"/api/people/{quote(e, safe='')}/timeline" for e in ids],
        "api_events": [f"/api/events?type={t}&since={a}&until={b}" for t, a, b in event_queries(store, count, rng)],
        "api_search": [f"/api/search?q={quote(q)}" for q in words],
        "api_document": [f"/api/documents/{d}" for d in document_ids(store, count, rng)],
        "api_person": [f"/api/person?name={quote(name)}" for _, name in names],
    }
    return {kind: [Request(kind, path) for path in paths[:count]] for kind, paths in found.items()}


def document_ids(store, count: int, rng: random.Random) -> list[int]:
    """Ids of `count` random stored documents (the first at or after a random id: ids may have gaps)."""
    with store.engine.connect() as conn:
        highest = conn.scalar(select(func.max(documents.c.id)))
        if highest is None:
            return []
        first_at = select(func.min(documents.c.id)).where(documents.c.id >= bindparam("wanted"))
        return [conn.scalar(first_at, {"wanted": rng.randint(1, highest)}) for _ in range(count)]


def quantiles(spent: list[float]) -> tuple[float, float]:
    """p50 and p95 of a list of milliseconds (one value is its own quantiles)."""
    if len(spent) == 1:
        return spent[0], spent[0]
    return statistics.median(spent), statistics.quantiles(spent, n=100, method="inclusive")[94]


def time_requests(base: str, requests: dict[str, list[Request]]) -> dict:
    """p50/p95 per kind, one request at a time. An answer but 200 is counted in page_errors
    (the first one's text kept in page_error_first) and its time left out."""
    import httpx

    results: dict = {"page_requests": 0, "page_errors": 0, "page_error_first": None}
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        # Unmeasured, every kind before any is timed: brings the pages and the database into
        # memory, and waits for the server's warm-up of the whole-store answers (network,
        # changes), which would otherwise share the process with the first kinds timed.
        for asked in requests.values():
            try:
                client.get(asked[0].path, timeout=READY_TIMEOUT)
            except httpx.HTTPError:
                pass  # measured below, and counted there if it fails again
        for kind, asked in requests.items():
            spent = []
            for request in asked:
                elapsed, error = timed_get(client, request.path)
                results["page_requests"] += 1
                if error is None:
                    spent.append(elapsed)
                else:
                    results["page_errors"] += 1
                    results["page_error_first"] = results["page_error_first"] or f"GET {request.path}: {error}"
            results[f"{kind}_p50_ms"], results[f"{kind}_p95_ms"] = quantiles(spent) if spent else (None, None)
    return results


def timed_get(client, path: str) -> tuple[float, str | None]:
    """Milliseconds to answer GET `path`, and what was wrong if the answer was not a 200."""
    import httpx

    start = perf_counter()
    try:
        response = client.get(path)
    except httpx.HTTPError as error:
        return (perf_counter() - start) * 1000, f"{type(error).__name__} {error}"
    elapsed = (perf_counter() - start) * 1000
    return elapsed, None if response.status_code == 200 else f"{response.status_code} {response.text[:200]}"


def page_latencies(db: str, count: int, seed: int = 0, log=lambda message: None) -> dict:
    """Every kind's p50/p95 against a server over the store `db`, and page_p95_ms."""
    with open_store(db) as store:
        requests = sample_requests(store, count, seed)
    log(f"starting readout serve over {db}, keeping no answers: each request is computed")
    started = perf_counter()
    with running_server(db, keep_answers=False) as base:
        ready = perf_counter() - started
        log(f"timing {count} requests of each of {len(requests)} kinds")
        results = time_requests(base, requests)
    results["server_start_s"] = ready
    measured = [kind for kind in PAGE_KINDS if results[f"{kind}_p95_ms"] is not None]
    slowest = max(measured, key=lambda kind: results[f"{kind}_p95_ms"], default=None)
    # A kind that only failed has no time: it is no answer, and so no pass.
    failed = len(measured) < len(PAGE_KINDS)
    results["page_p95_ms"] = None if failed or slowest is None else results[f"{slowest}_p95_ms"]
    results["page_slowest_kind"] = slowest
    return results
