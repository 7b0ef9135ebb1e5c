"""Answers over the whole store (network, ranks, changes) kept until the store changes.

Those analyses read every attendance list; a page must not do that per request. The store's
state is read cheaply (number of documents and newest id: index look-ups), and
an answer computed for an older state is computed again. (Not max(ingested_at): no index.)
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

from sqlalchemy import func, select

from readout.store.tables import documents


def store_state(store) -> tuple:
    """Changes whenever a document is added or removed."""
    query = select(func.count(), func.max(documents.c.id))
    with store.engine.connect() as conn:
        return tuple(conn.execute(query).one())


class AnswerCache:
    def __init__(self, size: int = 256):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, store, key: tuple, compute: Callable[[], Any]) -> Any:
        """compute()'s value for `key`, reused while the store is in the same state."""
        state = store_state(store)
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None and hit[0] == state:
                self.entries.move_to_end(key)
                return hit[1]
        value = compute()  # outside the lock: a slow analysis must not hold up other requests
        with self.lock:
            self.entries[key] = (state, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value
