"""Answers over the whole store (network, ranks, changes) kept until the store changes.

Those analyses read every attendance list; a page must not do that per request. The store's
state (number of documents and newest id) is read at most once a second, and an answer
computed for an older state is computed again. (Not max(ingested_at): no index.)
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable

from sqlalchemy import func, select

from readout.store.tables import documents


STATE_SECONDS = 1.0  # how long a reading of the store's state is trusted


def store_state(store) -> tuple:
    """Changes whenever a document is added or removed."""
    query = select(func.count(), func.max(documents.c.id))
    with store.engine.connect() as conn:
        return tuple(conn.execute(query).one())


class AnswerCache:
    def __init__(self, size: int = 256):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()
        self.states: dict[int, tuple[float, tuple]] = {}  # id(store) -> (read at, state)
        self.computing: dict[tuple, threading.Lock] = {}
        self.reading: set[int] = set()  # stores whose state a background thread is reading

    def state(self, store) -> tuple:
        """The store's state, read again at most once a STATE_SECONDS: counting 500,000
        documents takes 40 ms, more than most answers the cache gives."""
        now = time.monotonic()
        seen = self.states.get(id(store))
        if seen is None or now - seen[0] > STATE_SECONDS:
            seen = (now, store_state(store))
            self.states[id(store)] = seen
        return seen[1]

    def last_state(self, store) -> tuple | None:
        """The state as last read, for callers on an event loop, which must not wait for the
        database: when that reading is older than STATE_SECONDS one thread reads it again
        in the background. None before the first reading (or after forget)."""
        seen = self.states.get(id(store))
        if seen is None:
            return None
        if time.monotonic() - seen[0] > STATE_SECONDS:
            self.read_again_soon(store)
        return seen[1]

    def read_again_soon(self, store) -> None:
        with self.lock:
            if id(store) in self.reading:
                return
            self.reading.add(id(store))
        threading.Thread(target=self._read_again, args=(store,), daemon=True, name="store-state").start()

    def _read_again(self, store) -> None:
        try:
            self.states[id(store)] = (time.monotonic(), store_state(store))
        except Exception:  # a store closed meanwhile; the next request reads it itself
            self.states.pop(id(store), None)
        finally:
            with self.lock:
                self.reading.discard(id(store))

    def forget(self, store) -> None:
        """After a write through this server: the next answer reads the state again."""
        self.states.pop(id(store), None)

    def get(self, store, key: tuple, compute: Callable[[], Any]) -> Any:
        """compute()'s value for `key`, reused while the store is in the same state. Requests
        that miss together wait for one computation instead of each running it."""
        state = self.state(store)
        hit = self.lookup(key, state)
        if hit is not None:
            return hit[0]
        with self.lock:
            computing = self.computing.setdefault(key, threading.Lock())
        try:
            with computing:  # per key: a slow analysis does not hold up other keys
                hit = self.lookup(key, state)
                if hit is not None:
                    return hit[0]
                value = compute()
                with self.lock:
                    self.entries[key] = (state, value)
                    self.entries.move_to_end(key)
                    while len(self.entries) > self.size:
                        self.entries.popitem(last=False)
            return value
        finally:
            # A lock per key ever asked for would grow without bound on a server open for
            # months; one waiting on this lock still holds it, and finds the value kept.
            with self.lock:
                if self.computing.get(key) is computing:
                    del self.computing[key]

    def lookup(self, key: tuple, state: tuple) -> tuple[Any] | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None and hit[0] == state:
                self.entries.move_to_end(key)
                return (hit[1],)
        return None
