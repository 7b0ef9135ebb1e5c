"""Query latency on a large store: a person's timeline, an event search, a full-text search.

Each kind runs `count` random queries through the Store methods the CLI and the API call,
after the store's file has been read through once (read_through) and a few unmeasured
queries; the result is p50 and p95 in milliseconds. Queries are drawn from the store itself:
- timeline: the person of a random naming (so people named often are asked for often, as an
  analyst would), and apart (timeline_uniform_*) a person drawn from all alike; what is timed
  is the page Store.person_timeline gives by default (the newest 100 namings with their event
  types), as an analyst first sees a timeline of hundreds of thousands of namings;
- event search: a random event type over a random window of one to twelve months;
- full text: a random person's name, or their surname with a word of bench.yaml's list.
"""
from __future__ import annotations

import random
import statistics
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from time import perf_counter

from sqlalchemy import func, select, text

from readout.domain import load_yaml
from readout.store.tables import documents, entities, events

WARM_UP = 10
CHUNK = 16 * 1024 * 1024


def read_through(path: Path) -> float:
    """Read the store's file (and its WAL) once, start to end, and the seconds it took: the
    operating system then holds it in memory, as it holds the store of a server in use.
    What is timed after is the query, not the disk: ten warm-up queries touch a few pages of
    a 4 GB file, and a run that came after another large ingest found the rest on disk."""
    start = perf_counter()
    for part in (path, path.with_name(path.name + "-wal")):
        if part.exists():
            with open(part, "rb", buffering=0) as file:
                while file.read(CHUNK):
                    pass
    return perf_counter() - start


def latencies(store, count: int, seed: int = 0) -> dict[str, float]:
    """p50 and p95 (ms) of each kind of query over `count` random queries of it."""
    rng = random.Random(seed)
    names = sample_names(store, count + WARM_UP, rng)
    results = {}
    results.update(timed("timeline", store.person_timeline, [e for e, _ in names]))
    # The same over people drawn alike, however often named: most are named a few times, so
    # the gap between the two says how much of a timeline's time is its length.
    uniform = timed("timeline_uniform", store.person_timeline, sample_entities(store, count + WARM_UP, rng))
    results.update({k: v for k, v in uniform.items() if not k.endswith("_queries")})
    results.update(timed("event_search", lambda q: store.list_events(*q), event_queries(store, count + WARM_UP, rng)))
    results.update(timed("fulltext", store.search_text, text_queries(names, rng)))
    return results


def timed(kind: str, query: Callable, arguments: list) -> dict[str, float]:
    for argument in arguments[:WARM_UP]:
        query(argument)
    spent = []
    for argument in arguments[WARM_UP:]:
        start = perf_counter()
        query(argument)
        spent.append((perf_counter() - start) * 1000)
    cuts = statistics.quantiles(spent, n=100, method="inclusive")
    return {f"{kind}_p50_ms": statistics.median(spent), f"{kind}_p95_ms": cuts[94],
            f"{kind}_queries": len(spent)}


def sample_names(store, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(entity_id, name as written) of `count` random namings: one person each of random
    documents (the first with people at or after a random id, as ids may have gaps)."""
    found: list[tuple[str, str]] = []
    with store.engine.connect() as conn:
        highest = conn.scalar(select(func.max(documents.c.id))) or 0
        for _ in range(count * 20 if highest else 0):  # bounded: a store may name nobody
            rows = conn.execute(_NAMINGS, {"id": rng.randint(1, highest)}).all()
            if rows:
                found.append(tuple(rng.choice(rows)))
            if len(found) == count:
                break
    return found


_NAMINGS = text("SELECT entity_id, mention FROM mentions WHERE entity_id IS NOT NULL AND document_id = "
                "(SELECT min(document_id) FROM mentions WHERE document_id >= :id)")


def sample_entities(store, count: int, rng: random.Random) -> list[str]:
    with store.engine.connect() as conn:
        every = list(conn.scalars(select(entities.c.entity_id).order_by(entities.c.entity_id)))
    return [rng.choice(every) for _ in range(count)] if every else []


def event_queries(store, count: int, rng: random.Random) -> list[tuple]:
    """(type, since, until) over the store's own types and years."""
    with store.engine.connect() as conn:
        types = sorted(conn.scalars(select(events.c.type).distinct()))
        first, last = conn.execute(select(func.min(documents.c.published), func.max(documents.c.published))).one()
    first, last = _as_date(first) or date(1997, 1, 1), _as_date(last) or date(2025, 12, 31)
    span = max(1, (last - first).days)
    queries = []
    for _ in range(count):
        since = first + timedelta(days=rng.randrange(span))
        queries.append((rng.choice(types), since, since + timedelta(days=rng.randint(30, 365))))
    return queries


def text_queries(names: list[tuple[str, str]], rng: random.Random) -> list[str]:
    words = load_yaml("bench.yaml")["search_words"]
    queries = []
    for _, name in names:
        surname = max(name.split(), key=len)
        queries.append(name if rng.random() < 0.5 else f"{surname} {rng.choice(words)}")
    return queries


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
