"""Protocol order: where each person stands in attendance lists over time, and who moved.

    rank(store, event_type="talks", country="PRK", since="2024-01-01")
      -> {"people": [{..., "appearances": [{"date", "order", "of", ...}]}],
          "rises": [...], "falls": [...]}

A position is the order within the person's side's list (1 = named first). Several outlets
reporting the same event list the same people: an appearance is counted once per person, date,
event type and side, taking the first stored report. A move compares two consecutive appearances;
going from 3rd to 7th is a fall of 4 (change +4), from 7th to 3rd a rise of 4 (change -4).
Lists of different kinds of event (an inspection entourage, a delegation at talks) are compared
as they come; `event_type` keeps to one kind.
"""
from __future__ import annotations

from sqlalchemy import func, select

from readout.analyze import settings
from readout.store.database import as_date
from readout.store.read import iso
from readout.store.tables import documents, event_participants, events


def rank(store, event_type: str | None = None, country: str | None = None,
         since=None, top: int | None = None) -> dict:
    """Positions in attendance lists per person, and the largest rises and falls."""
    top = top or settings("rank")["top_moves"]
    since = as_date(since, "since")
    with store.engine.connect() as conn:
        rows = listed(conn, event_type, country, since)
    people = by_person(rows)
    moves = [move for person in people for move in moves_of(person)]
    return {"filters": {"event_type": event_type, "country": country, "since": iso(since)},
            "people": people,
            "rises": sorted((m for m in moves if m["change"] < 0),
                            key=lambda m: (m["change"], m["to"]["date"], m["entity_id"]))[:top],
            "falls": sorted((m for m in moves if m["change"] > 0),
                            key=lambda m: (-m["change"], m["to"]["date"], m["entity_id"]))[:top]}


def listed(conn, event_type: str | None, country: str | None, since) -> list[dict]:
    """Dated participant rows with an order, oldest first, each with the size of its side's list."""
    when = func.coalesce(events.c.date, documents.c.published)
    others = event_participants.alias("others")
    size = (select(func.count()).where(others.c.event_id == event_participants.c.event_id,
                                       others.c.side == event_participants.c.side,
                                       others.c.role == "participant")
            .scalar_subquery())
    query = (select(event_participants.c.entity_id, event_participants.c.name,
                    event_participants.c.side, event_participants.c.order_in_side,
                    event_participants.c.title, events.c.id.label("event_id"), events.c.type,
                    events.c.document_id, when.label("date"), documents.c.source, size.label("of"))
             .join(events, events.c.id == event_participants.c.event_id)
             .join(documents, documents.c.id == events.c.document_id)
             .where(event_participants.c.role == "participant",
                    event_participants.c.order_in_side.is_not(None),
                    event_participants.c.entity_id.is_not(None), when.is_not(None))
             .order_by(when, events.c.document_id, events.c.seq, event_participants.c.seq))
    if event_type:
        query = query.where(events.c.type == event_type)
    if country:
        query = query.where(event_participants.c.side == country)
    if since:
        query = query.where(when >= since)
    return [dict(row) for row in conn.execute(query).mappings()]


def by_person(rows: list[dict]) -> list[dict]:
    """Each person's appearances in date order, one per (date, event type, side); most listed first."""
    people: dict[str, dict] = {}
    for row in rows:
        person = people.setdefault(row["entity_id"], {"entity_id": row["entity_id"], "name": row["name"],
                                                      "appearances": [], "_seen": set()})
        key = (row["date"], row["type"], row["side"])
        if key in person["_seen"]:
            continue  # the same event as told by another outlet
        person["_seen"].add(key)
        person["appearances"].append(
            {"date": iso(row["date"]), "order": row["order_in_side"], "of": row["of"],
             "side": row["side"], "event_type": row["type"], "title": row["title"],
             "event_id": row["event_id"], "document_id": row["document_id"], "source": row["source"]})
    for person in people.values():
        del person["_seen"]
    return sorted(people.values(), key=lambda p: (-len(p["appearances"]), p["name"] or "", p["entity_id"]))


def moves_of(person: dict) -> list[dict]:
    """Changes of position between consecutive appearances; unchanged positions are no move."""
    seen = person["appearances"]
    return [{"entity_id": person["entity_id"], "name": person["name"], "side": after["side"],
             "change": after["order"] - before["order"],
             "from": {k: before[k] for k in ("date", "order", "of", "event_type", "document_id")},
             "to": {k: after[k] for k in ("date", "order", "of", "event_type", "document_id")}}
            for before, after in zip(seen, seen[1:]) if after["order"] != before["order"]]
