"""Read queries the server needs that the Store does not offer: filtered document lists and
events of one outlet. Written against the store's tables, every value a bound parameter, and
each served by an index (documents by published/source, events by document, people by entity).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, exists, func, select

from readout.store import read
from readout.store.tables import documents, entities, events


@dataclass(frozen=True)
class Filters:
    """What lists of documents and events may be narrowed by; None means any."""

    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    country: str | None = None
    event_type: str | None = None


def list_documents(conn: Connection, f: Filters, limit: int, offset: int) -> list[dict]:
    """Document headers, latest first (as Store.list_documents), narrowed by `f`."""
    query = (select(documents.c.id, documents.c.path.label("file"), documents.c.source,
                    documents.c.published, documents.c.title, documents.c.url)
             .order_by(documents.c.published.desc().nulls_last(), documents.c.id.desc())
             .limit(limit).offset(offset))
    for condition in document_conditions(f):
        query = query.where(condition)
    return [{**row, "published": read.iso(row["published"])} for row in conn.execute(query).mappings()]


def document_conditions(f: Filters) -> list:
    conditions = []
    if f.since is not None:
        conditions.append(documents.c.published >= f.since)
    if f.until is not None:
        conditions.append(documents.c.published <= f.until)
    if f.outlet is not None:
        conditions.append(documents.c.source == f.outlet)
    if f.event_type is not None:
        conditions.append(exists().where(events.c.document_id == documents.c.id,
                                         events.c.type == f.event_type))
    if f.country is not None:
        conditions.append(exists().where(events.c.document_id == documents.c.id,
                                         read.involves(f.country)))
    return conditions


def list_events_of_outlet(conn: Connection, f: Filters, limit: int, offset: int) -> list[dict]:
    """Store.list_events narrowed to one outlet: the same order, the same shape."""
    when = func.coalesce(events.c.date, documents.c.published)
    query = (select(events, documents.c.published, documents.c.title.label("document_title"),
                    documents.c.source)
             .join(documents, documents.c.id == events.c.document_id)
             .where(documents.c.source == f.outlet)
             .order_by(when.nulls_last(), events.c.document_id, events.c.seq)
             .limit(limit).offset(offset))
    conditions = [(f.event_type, lambda: events.c.type == f.event_type),
                  (f.since, lambda: when >= f.since), (f.until, lambda: when <= f.until),
                  (f.country, lambda: read.involves(f.country))]
    for value, condition in conditions:
        if value is not None:
            query = query.where(condition())
    found = conn.execute(query).mappings().all()
    listed = read.participants_of(conn, [e["id"] for e in found])
    return [{"id": e["id"], "document_id": e["document_id"], "published": read.iso(e["published"]),
             "document_title": e["document_title"], "source": e["source"],
             **read.event_dict(e, listed.get(e["id"], []))} for e in found]


def get_entity(conn: Connection, entity_id: str) -> dict | None:
    row = conn.execute(select(entities).where(entities.c.entity_id == entity_id)).mappings().first()
    return dict(row) if row else None


def outlets(conn: Connection) -> list[str]:
    """The outlets stored, for the filter of the document list (an index-only scan)."""
    query = select(documents.c.source).where(documents.c.source.is_not(None)).distinct().order_by(documents.c.source)
    return list(conn.execute(query).scalars())


def latest_published(conn: Connection) -> date | None:
    """The latest publication date in the store, off the index on documents.published."""
    return as_date_value(conn.scalar(select(func.max(documents.c.published))))


def as_date_value(value) -> date | None:
    # SQLite's max() over a Date column may come back as text: the column type is lost.
    return date.fromisoformat(value) if isinstance(value, str) else value
