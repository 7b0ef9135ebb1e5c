"""A person's appearances by date: when, in which events, facing whom, with which title.

    timeline(store, "Choe Son-hui") -> {"person": {...}, "appearances": [...]}

The person may be written in any spelling the resolver knows (or as a stored entity id). An
appearance is one stored document naming the person; its date is that of the events the person
took part in there (the publication date when they carry none), so that a report printed days
later still counts on the day of the talks.
"""
from __future__ import annotations

from sqlalchemy import bindparam, func, select

from readout.analyze import AnalysisError
from readout.resolve import Resolver
from readout.store.read import equals_unindexed
from readout.store.tables import documents, entities, event_participants, events


def timeline(store, person: str, last: int | None = None, latest: list[dict] | None = None,
             taking_part: dict[int, list[dict]] | None = None) -> dict:
    """Appearances of PERSON, oldest first (undated last), with event types and counterparts;
    only the latest `last` appearances when given (`latest`: store.person_timeline(entity,
    limit=last), and `taking_part`: events_with_principals of its documents, when the caller
    has read them already). The namings' own event types are not read: the events are."""
    entity = find_person(store, person)
    if last is None:
        named = store.person_timeline(entity["entity_id"], limit=None, oldest_first=True, event_types=False)
    else:
        named = latest if latest is not None else \
            store.person_timeline(entity["entity_id"], limit=last, event_types=False)
    window = sorted({row["document_id"] for row in named}) if last is not None else None
    if taking_part is None:
        taking_part = events_taken_part_in(store, entity["entity_id"], window)
    appearances = [appearance(row, taking_part.get(row["document_id"], []), entity) for row in named]
    appearances.sort(key=lambda a: (a["date"] is None, a["date"] or "", a["document_id"]))
    count = len(appearances) if last is None else store.count_appearances(entity["entity_id"])
    return {"person": entity, "appearances": appearances, "appearance_count": count}


def latest_with_events(store, entity_id: str, last: int) -> tuple[list[dict], dict[int, list[dict]]]:
    """The latest `last` namings of a stored person and, per document, the events the person
    took part in there: read once for both a profile and a timeline (timeline's `latest` and
    `taking_part`). Each naming's event types are those events' types, not read again."""
    latest = store.person_timeline(entity_id, limit=last, event_types=False)
    taking_part = events_taken_part_in(store, entity_id, sorted({row["document_id"] for row in latest}))
    for row in latest:
        row["event_types"] = event_types(taking_part.get(row["document_id"], []))
    return latest, taking_part


def events_taken_part_in(store, entity_id: str, documents: list[int] | None) -> dict[int, list[dict]]:
    with store.engine.connect() as conn:
        return events_with_principals(conn, entity_id, documents)


def find_person(store, person: str) -> dict:
    """The stored entity PERSON names: a stored entity id as given, a stored name, or what the
    resolver makes of the spelling. AnalysisError when the store has no such person."""
    text = person.strip()
    with store.engine.connect() as conn:
        found = entity_by(conn, entities.c.entity_id == text) or \
            entity_by(conn, func.lower(entities.c.name) == text.lower())
        if found:
            return found
        resolution = Resolver.default().resolve(text)
        found = entity_by(conn, entities.c.entity_id == resolution.entity_id)
    if found is None:
        raise AnalysisError(f"no one called {person!r} in the store (read as {resolution.name}, "
                            f"{resolution.entity_id}); `readout people` lists who is there")
    return {**found, "resolved_by": resolution.reason}


def entity_by(conn, condition) -> dict | None:
    row = conn.execute(select(entities).where(condition).order_by(entities.c.entity_id)).mappings().first()
    return dict(row) if row else None


def events_with_principals(conn, entity_id: str, documents: list[int] | None = None) -> dict[int, list[dict]]:
    """Per document (of `documents` only, when given), the events the entity takes part in,
    each with its side and principals."""
    query = (select(events.c.id, events.c.document_id, events.c.type, events.c.date,
                    events.c.place, event_participants.c.role, event_participants.c.side,
                    event_participants.c.country)
             .join(event_participants, event_participants.c.event_id == events.c.id)
             .order_by(events.c.document_id, events.c.seq, event_participants.c.seq))
    if documents is None:
        query = query.where(event_participants.c.entity_id == entity_id)
    else:  # by the documents' events, not the person's index
        query = query.where(events.c.document_id.in_(documents),
                            equals_unindexed(event_participants.c.entity_id, entity_id))
    rows = [dict(row) for row in conn.execute(query).mappings()]
    principals = principals_of(conn, sorted({row["id"] for row in rows}))
    by_document: dict[int, list[dict]] = {}
    for row in rows:
        by_document.setdefault(row["document_id"], []).append(
            {**row, "principals": principals.get(row["id"], [])})
    return by_document


IDS_PER_QUERY = 10_000  # SQLite refuses a statement of more than 32,766 parameters


def principals_of(conn, event_ids: list[int]) -> dict[int, list[dict]]:
    """The principals of each event, asked for a slice of the ids at a time: a leader named
    in most of a 500,000-article archive takes part in hundreds of thousands of events."""
    query = (select(event_participants.c.event_id, event_participants.c.entity_id,
                    event_participants.c.name, event_participants.c.country)
             .where(event_participants.c.role == "principal",
                    event_participants.c.event_id.in_(bindparam("ids", expanding=True)))
             .order_by(event_participants.c.event_id, event_participants.c.seq))
    found: dict[int, list[dict]] = {}
    for start in range(0, len(event_ids), IDS_PER_QUERY):
        for row in conn.execute(query, {"ids": event_ids[start:start + IDS_PER_QUERY]}).mappings():
            found.setdefault(row["event_id"], []).append(
                {"name": row["name"], "country": row["country"], "entity_id": row["entity_id"]})
    return found


def appearance(named: dict, taking_part: list[dict], entity: dict) -> dict:
    """One document's appearance: the person's naming there and the events they took part in."""
    dates = [e["date"] for e in taking_part if e["date"] is not None]
    day = min(dates).isoformat() if dates else named["published"]
    side = named["side"] or next((e["side"] or e["country"] for e in taking_part
                                  if e["side"] or e["country"]), None) or entity["country"]
    return {"date": day, "published": named["published"], "document_id": named["document_id"],
            "source": named["source"], "document_title": named["document_title"],
            "event_types": event_types(taking_part),
            "places": list(dict.fromkeys(e["place"] for e in taking_part if e["place"])),
            "counterparts": counterparts(taking_part, entity["entity_id"], side),
            "title": named["title"], "titles": named["titles"], "role": named["role"],
            "side": named["side"], "order": named["order"], "mention": named["mention"]}


def event_types(taking_part: list[dict]) -> list[str]:
    """The distinct types of a document's events the person took part in, in document order
    (as store.person_timeline gives them)."""
    return list(dict.fromkeys(e["type"] for e in taking_part))


def counterparts(taking_part: list[dict], entity_id: str, side: str | None) -> list[dict]:
    """The other side's principals: those of another country than the person's side.

    A principal of the person's own country (their leader) is not a counterpart; nor is the
    person. With no side known, every other principal counts.
    """
    found: dict[str, dict] = {}
    for event in taking_part:
        for principal in event["principals"]:
            if principal["entity_id"] == entity_id or (side and principal["country"] == side):
                continue
            found.setdefault(principal["entity_id"] or principal["name"], principal)
    return list(found.values())
