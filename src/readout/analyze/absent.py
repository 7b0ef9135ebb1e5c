"""People who stopped appearing, measured against their own usual rate.

    absent(store)                      -> everyone overdue, most overdue first
    absent(store, person="Kim Yo Jong") -> that person's standing, overdue or not

A person's appearances are the distinct dates of events they took part in (as principal or
listed attendee; an undated event takes its report's publication date). Their usual gap is the
median of the gaps between consecutive appearances; they are overdue when the days since the
last appearance exceed `absent.factor` (data/analysis.yaml) times that. "Now" is the latest
appearance of anyone in the store, not today's date: an archive that ends in 2024 says nothing
about who vanished in 2025.
"""
from __future__ import annotations

from datetime import date
from statistics import median

from sqlalchemy import bindparam, func, select

from readout.analyze import settings
from readout.analyze.timeline import find_person
from readout.store.database import as_date
from readout.store.tables import entities, event_participants, events


def absent(store, person: str | None = None, since=None, as_of=None) -> list[dict]:
    """Overdue people sorted by how overdue they are (the named person alone, flagged or not).

    `since` keeps people last seen on or after that date; `as_of` replaces the store's latest
    appearance as the day the gap is measured to.
    """
    config = settings("absent")
    since, as_of = as_date(since, "since"), as_date(as_of, "as_of")
    entity_id = find_person(store, person)["entity_id"] if person else None
    with store.engine.connect() as conn:
        seen = appearance_dates(conn, entity_id, since)
        as_of = as_of or latest_appearance(conn)
    standings = [standing(who, days, as_of, config) for who, days in seen.items()
                 if since is None or days["dates"][-1] >= since]
    if person is None:
        standings = [s for s in standings if s["absent"]]
    return sorted(standings, key=lambda s: (-(s["overdue"] or 0), s["name"] or "", s["entity_id"]))


def appearance_dates(conn, entity_id: str | None, since: date | None = None) -> dict[str, dict]:
    """Per entity: name, country and the sorted distinct dates of its event appearances; of
    the entity `entity_id` only, or (with `since`) of those seen on or after that day only."""
    # events.sort_date is coalesce(event date, publication date), stored and indexed.
    query = (select(entities.c.entity_id, entities.c.name, entities.c.country, events.c.sort_date.label("day"))
             .join(event_participants, event_participants.c.entity_id == entities.c.entity_id)
             .join(events, events.c.id == event_participants.c.event_id)
             .where(events.c.sort_date.is_not(None)).distinct())
    if entity_id is not None:
        return dates_by_entity(conn.execute(query.where(entities.c.entity_id == entity_id)))
    if since is None:
        return dates_by_entity(conn.execute(query))
    recent = sorted(seen_since(conn, since))
    chosen = query.where(entities.c.entity_id.in_(bindparam("ids", expanding=True)))
    return dates_by_entity(row for start in range(0, len(recent), IDS_PER_QUERY)
                           for row in conn.execute(chosen, {"ids": recent[start:start + IDS_PER_QUERY]}))


IDS_PER_QUERY = 5_000  # SQLite refuses a statement of more than 32,766 parameters


def seen_since(conn, since: date) -> set[str]:
    """Entities taking part in an event on or after `since`: by the index on events.sort_date."""
    query = (select(event_participants.c.entity_id).distinct()
             .join(events, events.c.id == event_participants.c.event_id)
             .where(events.c.sort_date >= since, event_participants.c.entity_id.is_not(None)))
    return set(conn.scalars(query))


def dates_by_entity(rows) -> dict[str, dict]:
    seen: dict[str, dict] = {}
    for row in rows:
        person = seen.setdefault(row.entity_id, {"name": row.name, "country": row.country, "dates": []})
        person["dates"].append(row.day)
    for person in seen.values():
        person["dates"].sort()
    return seen


def latest_appearance(conn) -> date | None:
    """The latest appearance date in the store, off the index on events.sort_date."""
    return conn.execute(select(func.max(events.c.sort_date))).scalar()


def standing(entity_id: str, seen: dict, as_of: date | None, config: dict) -> dict:
    """How long a person has been away against their usual gap, and whether that is absence."""
    dates = seen["dates"]
    gaps = [(b - a).days for a, b in zip(dates, dates[1:])]
    usual = median(gaps) if len(dates) >= config["min_appearances"] else None
    away = (as_of - dates[-1]).days if as_of else None
    overdue = round(away / usual, 2) if usual and away is not None else None
    return {"entity_id": entity_id, "name": seen["name"], "country": seen["country"],
            "appearances": len(dates), "first_seen": dates[0].isoformat(),
            "last_seen": dates[-1].isoformat(), "usual_gap_days": usual, "days_since": away,
            "overdue": overdue, "absent": overdue is not None and overdue > config["factor"],
            "as_of": as_of.isoformat() if as_of else None}
