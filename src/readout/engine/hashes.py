"""Which texts the store holds already, found before any extraction is spent on them."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select

from readout.store.rows import sha256 as text_hash  # the store's own key, so they cannot drift
from readout.store.tables import documents

CHUNK = 500  # hashes per IN (...) query: well under SQLite's limit on bound parameters

__all__ = ["known_hashes", "text_hash"]

_QUERY = select(documents.c.sha256).where(documents.c.sha256.in_(bindparam("shas", expanding=True)))


def known_hashes(store, hashes: Iterable[str]) -> set[str]:
    """The subset of `hashes` already stored, by the unique index on documents.sha256."""
    wanted = list(dict.fromkeys(hashes))
    found: set[str] = set()
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), CHUNK):
            found.update(conn.scalars(_QUERY, {"shas": wanted[i:i + CHUNK]}))
    return found
