"""Queries of the store, returning plain dicts shaped like `readout extract` records.

Every list has a total order (ties broken by ids), so pages and test expectations are stable.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

from sqlalchemy import Connection, bindparam, distinct, exists, func, or_, select

from readout.store.tables import documents, entities, event_participants, events, mentions

CHUNK = 500  # ids per IN (...) query, well under SQLite's limit on bound parameters


def get_document(conn: Connection, document_id: int) -> dict | None:
    found = get_documents(conn, [document_id])
    return found[0] if found else None


def equals_unindexed(column, value):
    """column == value, written (column || '') so that no index on the column serves it: for
    a query whose rows are found by a few documents' keys, where the index on a leader's
    hundreds of thousands of rows would otherwise be read to keep the few of those documents."""
    return column.concat("") == value


def get_documents(conn: Connection, ids: list[int]) -> list[dict]:
    """The documents of `ids` as get_document gives each, in id order, missing ones left out:
    four queries for all of them rather than four each (a comparison lays out a dozen)."""
    if not ids:
        return []
    wanted = {"ids": sorted(set(ids))}
    rows = conn.execute(select(documents).where(documents.c.id.in_(bindparam("ids", expanding=True)))
                        .order_by(documents.c.id), wanted).mappings().all()
    people: dict[int, list[dict]] = {}
    for row in conn.execute(select(mentions).where(mentions.c.document_id.in_(bindparam("ids", expanding=True)))
                            .order_by(mentions.c.document_id, mentions.c.seq), wanted).mappings():
        people.setdefault(row["document_id"], []).append(person_dict(row))
    found = conn.execute(select(events).where(events.c.document_id.in_(bindparam("ids", expanding=True)))
                         .order_by(events.c.document_id, events.c.seq), wanted).mappings().all()
    listed = participants_of(conn, [e["id"] for e in found])
    happened: dict[int, list[dict]] = {}
    for event in found:
        happened.setdefault(event["document_id"], []).append(event_dict(event, listed.get(event["id"], [])))
    return [{**document_dict(row), "people": people.get(row["id"], []), "events": happened.get(row["id"], [])}
            for row in rows]


def list_events(conn: Connection, type: str | None, since: date | None, until: date | None,
                country: str | None, limit: int, offset: int) -> list[dict]:
    """Events in order of date, an undated event taking its document's publication date
    (events.sort_date, stored so that an index gives the order)."""
    when = events.c.sort_date
    query = (select(events, documents.c.published, documents.c.title.label("document_title"),
                    documents.c.source)
             .join(documents, documents.c.id == events.c.document_id)
             .order_by(when.nulls_last(), events.c.document_id, events.c.seq)
             .limit(limit).offset(offset))
    if type is not None:
        query = query.where(events.c.type == type)
    if since is not None:
        query = query.where(when >= since)
    if until is not None:
        query = query.where(when <= until)
    if country is not None:
        query = query.where(involves(country))
    found = conn.execute(query).mappings().all()
    listed = participants_of(conn, [e["id"] for e in found])
    return [{"id": e["id"], "document_id": e["document_id"], "published": iso(e["published"]),
             "document_title": e["document_title"], "source": e["source"],
             **event_dict(e, listed.get(e["id"], []))} for e in found]


def involves(country: str):
    """An event involves a country as actor, or through a principal or an attendee's side."""
    taking_part = exists().where(event_participants.c.event_id == events.c.id,
                                 or_(event_participants.c.country == country,
                                     event_participants.c.side == country))
    return or_(events.c.source_actor == country, events.c.target_actor == country, taking_part)


def list_people(conn: Connection, limit: int, offset: int) -> list[dict]:
    """Entities, most often seen first, with the number of documents naming them."""
    appearances = func.count(distinct(mentions.c.document_id))
    query = (select(entities, appearances.label("appearances"),
                    func.min(documents.c.published).label("first_seen"),
                    func.max(documents.c.published).label("last_seen"))
             .select_from(entities.outerjoin(mentions).outerjoin(documents))
             .group_by(entities.c.entity_id, entities.c.name, entities.c.country)
             .order_by(appearances.desc(), entities.c.entity_id)
             .limit(limit).offset(offset))
    return [{**row, "first_seen": iso(row["first_seen"]), "last_seen": iso(row["last_seen"])}
            for row in conn.execute(query).mappings()]


TIMELINE_COLUMNS = [c for c in mentions.c if c.name != "published"]  # the document's is read


def person_timeline(conn: Connection, entity_id: str, limit: int | None, offset: int,
                    oldest_first: bool, event_types: bool = True) -> list[dict]:
    """A page of the namings of a person, newest first (or oldest first), undated last, with
    the types of events they took part in (None without `event_types`: for a caller that
    reads the person's events itself). Newest first is read straight off the index
    ix_mentions_timeline, so the first page of a person named 100,000 times comes at once."""
    if oldest_first:
        order = (mentions.c.published.nulls_last(), mentions.c.document_id, mentions.c.seq)
    else:
        order = (mentions.c.published.desc().nulls_last(), mentions.c.document_id.desc(), mentions.c.seq)
    # The page's keys first, from the index alone: an offset then skips index entries,
    # not rows of mentions and documents.
    page = (select(mentions.c.document_id, mentions.c.seq).where(mentions.c.entity_id == entity_id)
            .order_by(*order).limit(limit).offset(offset).subquery())
    query = (select(*TIMELINE_COLUMNS, documents.c.published, documents.c.title.label("document_title"),
                    documents.c.source)
             .select_from(page)
             .join(mentions, (mentions.c.document_id == page.c.document_id) & (mentions.c.seq == page.c.seq))
             .join(documents, documents.c.id == mentions.c.document_id)
             .order_by(*order))
    found = conn.execute(query).mappings().all()
    pages = None if limit is None else sorted({m["document_id"] for m in found})
    types = event_types_of(conn, entity_id, pages) if event_types else {}
    return [{"document_id": m["document_id"], "published": iso(m["published"]),
             "document_title": m["document_title"], "source": m["source"],
             "event_types": types.get(m["document_id"], []) if event_types else None,
             "title": m["title"], **person_dict(m)}
            for m in found]


def count_appearances(conn: Connection, entity_id: str) -> int:
    """How many rows the whole timeline has, counted in the index rather than read."""
    return conn.scalar(select(func.count()).select_from(mentions).where(mentions.c.entity_id == entity_id))


def event_types_of(conn: Connection, entity_id: str, document_ids: list[int] | None) -> dict[int, list[str]]:
    """Per document, the distinct types of events the entity takes part in, in document order:
    in the documents of a page, read from their events, or (None) in all of the person's."""
    query = (select(events.c.document_id, events.c.type)
             .join(event_participants, event_participants.c.event_id == events.c.id)
             .order_by(events.c.document_id, events.c.seq))
    if document_ids is None:
        return distinct_types(conn.execute(query.where(event_participants.c.entity_id == entity_id)))
    query = query.where(events.c.document_id.in_(bindparam("ids", expanding=True)),
                        equals_unindexed(event_participants.c.entity_id, entity_id))
    return distinct_types(row for i in range(0, len(document_ids), CHUNK)
                          for row in conn.execute(query, {"ids": document_ids[i:i + CHUNK]}))


def distinct_types(rows) -> dict[int, list[str]]:
    types: dict[int, list[str]] = {}
    for document_id, type_ in rows:
        seen = types.setdefault(document_id, [])
        if type_ not in seen:
            seen.append(type_)
    return types


def list_documents(conn: Connection, limit: int, offset: int) -> list[dict]:
    """Document headers, latest publication first (undated last)."""
    query = (select(documents.c.id, documents.c.path.label("file"), documents.c.source,
                    documents.c.published, documents.c.title, documents.c.url)
             .order_by(documents.c.published.desc().nulls_last(), documents.c.id.desc())
             .limit(limit).offset(offset))
    return [{**row, "published": iso(row["published"])} for row in conn.execute(query).mappings()]


def count_documents(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(documents)).scalar_one()


def participants_of(conn: Connection, event_ids: list[int]) -> dict[int, list[dict]]:
    if not event_ids:
        return {}
    query = (select(event_participants)
             .where(event_participants.c.event_id.in_(bindparam("ids", expanding=True)))
             .order_by(event_participants.c.event_id, event_participants.c.seq))
    listed: dict[int, list[dict]] = {}
    for row in conn.execute(query, {"ids": event_ids}).mappings():
        listed.setdefault(row["event_id"], []).append(row)
    return listed


def document_dict(row) -> dict:
    return {"id": row["id"], "sha256": row["sha256"], "file": row["path"], "source": row["source"],
            "published": iso(row["published"]), "title": row["title"], "byline": row["byline"],
            "url": row["url"], "text": row["text"], "ingested_at": iso(row["ingested_at"]),
            "story_id": row["story_id"], "version_of": row["version_of"]}


def person_dict(row) -> dict:
    return {"name": row["name"], "mention": row["mention"], "country": row["country"],
            "titles": json.loads(row["titles"] or "[]"), "entity_id": row["entity_id"],
            "role": row["role"], "side": row["side"], "order": row["order_in_side"],
            "start": row["start"], "end": row["end"]}


def event_dict(row, listed: list) -> dict:
    return {"type": row["type"], "date": iso(row["date"]), "place": row["place"],
            "principals": [{"name": p["name"], "country": p["country"], "entity_id": p["entity_id"]}
                           for p in listed if p["role"] == "principal"],
            "participants": [participant_dict(p) for p in listed if p["role"] == "participant"],
            "source_actor": row["source_actor"], "target_actor": row["target_actor"],
            "topic": row["topic"], "attributes": json.loads(row["attributes"] or "{}"),
            "plover": row["plover"], "cameo": row["cameo"],
            "evidence": json.loads(row["evidence"] or "[]")}


def participant_dict(row) -> dict:
    return {"name": row["name"], "mention": row["mention"], "title": row["title"],
            "side": row["side"], "order": row["order_in_side"], "entity_id": row["entity_id"],
            "start": row["start"], "end": row["end"]}


def iso(value) -> str | None:
    """ISO text for a date or time, whichever type the driver returned; times in UTC."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat()
    return value.isoformat() if isinstance(value, date) else value
