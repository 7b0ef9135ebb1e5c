"""Inserting a checked batch of documents, one executemany per table, inside the caller's transaction."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from readout.store import versions
from readout.store.bulk import insert_many
from readout.store.rows import Rows
from readout.store.tables import documents, entities, event_participants, events, mentions

CHUNK = 500  # ids looked up per IN (...) query, well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class AddResult:
    document_id: int
    created: bool  # False when the same text (by sha256) was stored before, or earlier in the batch


def insert_batch(conn: Connection, dialect, batch: list[Rows]) -> list[AddResult]:
    """Store every document of `batch` not stored yet, with its people and events."""
    ids, new = insert_documents(conn, dialect, batch)
    created = first_of_each(batch, new)
    fresh = [rows for rows, is_new in zip(batch, created) if is_new]
    insert_entities(conn, dialect, fresh)
    insert_rows(conn, mentions, [{**m, "document_id": ids[r.sha256], "published": r.document["published"]}
                                 for r in fresh for m in r.mentions])
    insert_events(conn, fresh, ids)
    versions.link(conn, [(ids[r.sha256], r) for r in fresh])  # stories and edits, same transaction
    return [AddResult(ids[rows.sha256], is_new) for rows, is_new in zip(batch, created)]


def first_of_each(batch: list[Rows], new: set[str]) -> list[bool]:
    """True for the first item of each text inserted now; False for older texts and repeats."""
    seen: set[str] = set()
    flags = []
    for rows in batch:
        flags.append(rows.sha256 in new and rows.sha256 not in seen)
        seen.add(rows.sha256)
    return flags


def insert_documents(conn: Connection, dialect, batch: list[Rows]) -> tuple[dict[str, int], set[str]]:
    """Ids of all texts of the batch by sha256, and the set of those inserted now.

    ON CONFLICT DO NOTHING rather than a look-up first: a text stored by a concurrent writer
    between look-up and insert must not abort the whole batch.
    """
    unique = {}
    for rows in batch:
        unique.setdefault(rows.sha256, rows.document)
    if not unique:
        return {}, set()
    statement = dialect.insert_ignore(documents, ["sha256"]).returning(documents.c.id, documents.c.sha256)
    ids = {sha: id_ for id_, sha in conn.execute(statement, list(unique.values()))}
    new = set(ids)
    ids.update(ids_by_sha(conn, [sha for sha in unique if sha not in ids]))
    return ids, new


def ids_by_sha(conn: Connection, shas: list[str]) -> dict[str, int]:
    query = select(documents.c.sha256, documents.c.id).where(
        documents.c.sha256.in_(bindparam("shas", expanding=True)))
    found = {}
    for i in range(0, len(shas), CHUNK):
        found.update((sha, id_) for sha, id_ in conn.execute(query, {"shas": shas[i:i + CHUNK]}))
    return found


def insert_entities(conn: Connection, dialect, fresh: list[Rows]) -> None:
    """Insert entities not known yet; a known entity keeps the name it was first stored with."""
    unique = {}
    for rows in fresh:
        for entity in rows.entities:
            unique.setdefault(entity["entity_id"], entity)
    if unique:
        conn.execute(dialect.insert_ignore(entities, ["entity_id"]), list(unique.values()))


def insert_events(conn: Connection, fresh: list[Rows], ids: dict[str, int]) -> None:
    rows = [{**event, "document_id": ids[r.sha256], "sort_date": event["date"] or r.document["published"]}
            for r in fresh for event in r.events]
    if not rows:
        return
    # Inserted through the driver and their ids read back by document, rather than with
    # INSERT ... RETURNING through SQLAlchemy, whose work per row cost more than SQLite's.
    insert_rows(conn, events, rows)
    event_ids = event_ids_of(conn, sorted({row["document_id"] for row in rows}))
    insert_rows(conn, event_participants, [
        {**p, "event_id": event_ids[ids[r.sha256], event["seq"]]}
        for r in fresh for event, people in zip(r.events, r.participants) for p in people
    ])


EVENT_IDS = select(events.c.id, events.c.document_id, events.c.seq).where(
    events.c.document_id.in_(bindparam("docs", expanding=True)))


def event_ids_of(conn: Connection, documents_: list[int]) -> dict[tuple[int, int], int]:
    """Event ids by (document, seq) of documents inserted in this transaction."""
    found = {}
    for i in range(0, len(documents_), CHUNK):
        found.update(((doc, seq), id_) for id_, doc, seq in conn.execute(EVENT_IDS, {"docs": documents_[i:i + CHUNK]}))
    return found


def insert_rows(conn: Connection, table, rows: list[dict]) -> None:
    insert_many(conn, table, rows)
