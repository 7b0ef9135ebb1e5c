"""A bounded load run (issue 6): `readout serve` over a large store, asked for `rate` mixed
GET requests a second for `seconds` on loopback, with no error allowed.

The client is open-loop: request i is sent at start + i/rate whether or not earlier answers
have come back, so a server that falls behind is seen falling behind (a closed loop, where
each simulated user waits for its answer before the next, would slow down with the server
and hide it). A latency is counted from the moment the request was due, not from when the
client got round to sending it. The mix is drawn from the store as the page latencies'
sample (readout.bench.pages): pages and API answers for people, timelines, event searches,
full-text searches, the network and documents. An error is any answer but 2xx, no answer
within TIMEOUT of when the request was due, or a broken connection.

The server runs as deployed for a team: `workers` processes, each keeping whole answers until
the store changes (readout.api.responses). The share of answers served from them is reported
(load_kept_share), and the share computed once for several requests that asked for the same
answer at once (load_joined_share), since a run whose requests were all different would find
none kept.
"""
from __future__ import annotations

import asyncio
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field
from time import perf_counter

from readout.bench.pages import READY_TIMEOUT, Request, running_server, sample_requests
from readout.store import open_store

# Shares of the mix, by kind: what an analyst's session asks most (people and their
# timelines, searches), with the whole-store pages less often.
MIX = {"page_person": 10, "api_timeline": 15, "api_person": 10, "api_events": 15,
       "api_search": 10, "page_search": 5, "page_event": 10, "api_document": 10,
       "page_network": 5, "page_changes": 5, "api_network": 5}
TIMEOUT = 10.0  # seconds: an answer slower than this counts as an error


@dataclass
class Outcome:
    sent: int = 0
    latencies: list[float] = field(default_factory=list)   # ms, of 2xx answers
    errors: Counter = field(default_factory=Counter)       # "kind: status or exception" -> count
    kept: int = 0                                          # answers the server had kept
    joined: int = 0                                        # answers computed for an earlier request
    seconds: float = 0.0


def mixed_requests(store, total: int, seed: int = 0) -> list[Request]:
    """`total` requests in random order, kinds in MIX's shares, each drawn from the store."""
    rng = random.Random(seed)
    per_kind = max(1, min(total, 2000) // 5)  # distinct queries of each kind, reused at random
    pool = sample_requests(store, per_kind, seed)
    pool["api_network"] = [Request("api_network", f"/api/network?limit={rng.choice((50, 100, 200))}")
                           for _ in range(per_kind)]
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=total)
    return [rng.choice(pool[kind]) for kind in kinds]


async def drive(base: str, requests: list[Request], rate: float, timeout: float = TIMEOUT) -> Outcome:
    """Send `requests` at `rate` a second, open-loop; gather what came back. Each request is
    sent at its due time on a connection of its own or a free kept-alive one, as a room of
    browsers would; one not answered within `timeout` of its due time is an error.

    The client is aiohttp: httpx's asyncio client spent about 5 ms of CPU a request here
    (its pool wakes every waiting request whenever one finishes), 0.4 ms with aiohttp, so
    that at 200/s it was the client, not the server, that fell behind."""
    import aiohttp

    outcome = Outcome()
    connector = aiohttp.TCPConnector(limit=max(100, round(rate * timeout)))
    async with aiohttp.ClientSession(base, connector=connector) as session:
        start = perf_counter()
        tasks = []
        for i, request in enumerate(requests):
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - perf_counter()))
            tasks.append(asyncio.create_task(send(session, request, due, outcome, timeout)))
            outcome.sent += 1
        await asyncio.gather(*tasks)
        outcome.seconds = perf_counter() - start
    return outcome


async def send(session, request: Request, due: float, outcome: Outcome, timeout: float) -> None:
    import aiohttp

    try:
        limit = aiohttp.ClientTimeout(total=max(0.001, timeout - (perf_counter() - due)))
        async with session.get(request.path, timeout=limit) as response:
            await response.read()
    except (aiohttp.ClientError, TimeoutError) as error:
        outcome.errors[f"{request.kind}: {type(error).__name__}"] += 1
        return
    if 200 <= response.status < 300:
        outcome.latencies.append((perf_counter() - due) * 1000)
        how = response.headers.get("x-readout-cache")
        outcome.kept += how == "hit"
        outcome.joined += how == "joined"
    else:
        outcome.errors[f"{request.kind}: HTTP {response.status}"] += 1


def summary(outcome: Outcome, rate: float) -> dict:
    spent = sorted(outcome.latencies)
    cuts = statistics.quantiles(spent, n=100, method="inclusive") if len(spent) > 1 else spent * 99
    served = len(spent)
    return {"load_target_rps": rate, "load_requests": outcome.sent, "load_served": served,
            "load_errors": sum(outcome.errors.values()),
            "load_rps": served / outcome.seconds if outcome.seconds else 0.0,
            "load_p50_ms": statistics.median(spent) if spent else None,
            "load_p95_ms": cuts[94] if spent else None, "load_p99_ms": cuts[98] if spent else None,
            "load_max_ms": spent[-1] if spent else None,
            "load_kept_share": outcome.kept / served if served else None,
            "load_joined_share": outcome.joined / served if served else None,
            "load_error_kinds": dict(outcome.errors.most_common(20))}


def load_run(db: str, seconds: float, rate: float = 200.0, seed: int = 0, workers: int = 1,
             log=lambda message: None) -> dict:
    """The load run's figures: requests sent and served, errors, achieved rate, latencies."""
    total = max(1, round(seconds * rate))
    with open_store(db) as store:
        requests = mixed_requests(store, total, seed)
    log(f"starting readout serve --workers {workers} over {db}")
    with running_server(db, workers=workers) as base:
        # Warm-up: each kind once, so the run measures a server that has opened its store.
        warm = {r.kind: r for r in requests}
        asyncio.run(drive(base, list(warm.values()), rate=5, timeout=READY_TIMEOUT))
        log(f"sending {total} mixed requests at {rate:g}/s for {seconds:g} s")
        outcome = asyncio.run(drive(base, requests, rate))
    return {**summary(outcome, rate), "load_seconds": seconds, "load_workers": workers}
