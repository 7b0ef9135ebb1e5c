"""The person view: who someone is, under which spellings, with which titles over time,
where they appeared and with whom.

    person_profile(store, "최선희")   # or "Choe Son Hui", "Ch'oe Sŏn-hŭi", "Choe Sun Hee"

The name is read by the resolver, so any spelling or script it knows finds the person; a name
the knowledge base does not know is looked up among the stored new entities ("x-...").
"""
from __future__ import annotations

from functools import cache

from sqlalchemy import String, bindparam, case, cast, distinct, func, literal, select

from readout.analyze.titles import title_history
from readout.errors import ReadoutError
from readout.resolve import Person, Resolution, Resolver
from readout.resolve.rules import name_rules
from readout.resolve.variants import expand
from readout.store.read import equals_unindexed, iso
from readout.store.tables import entities, event_participants, events

WRITTEN = "as written"   # the alias group of spellings seen in stored articles


class PersonNotFound(ReadoutError):
    """Neither the knowledge base nor the store knows the name."""

    def __init__(self, name: str, store_name: str):
        self.name = name
        super().__init__(f"no person matches {name} (not in the knowledge base nor in "
                         f"{store_name}); `readout people` lists the stored ones")


def person_profile(store, name: str, country: str | None = None, last: int | None = None) -> dict:
    """Everything readout knows of the person NAME names (`country`, ISO alpha-3, breaks ties
    between namesakes). Raises PersonNotFound when no one matches. With `last`, appearances,
    titles and co-attendees are those of the person's latest `last` appearances only."""
    resolver = Resolver.default()
    resolution = resolver.resolve(name.strip(), country)
    known = resolver.person(resolution.entity_id) if resolution.is_known else None
    entity = _kb_entity(known) if known else _stored_entity(store, name.strip(), resolution)
    if entity is None:
        raise PersonNotFound(name, store.name)
    return _profile(store, entity, known, {"query": name, "resolved_by": resolution.reason,
                                           "score": resolution.score}, last)


def profile_of(store, entity_id: str, last: int | None = None, latest: list[dict] | None = None) -> dict:
    """The person view of the stored entity `entity_id` as it is, never read as a name (a
    new entity's id such as x-o-chun-ryong reads as the known O Chun Ryong's name). `latest`:
    store.person_timeline(entity_id, limit=last) when the caller has read it already."""
    known = Resolver.default().person(entity_id)
    entity = _kb_entity(known) if known else _stored_entity_by_id(store, entity_id)
    if entity is None:
        raise PersonNotFound(entity_id, store.name)
    return _profile(store, entity, known, {"query": entity_id, "resolved_by": "entity id",
                                           "score": 1.0}, last, latest)


def _profile(store, entity: dict, known: Person | None, read_as: dict, last: int | None,
             latest: list[dict] | None = None) -> dict:
    """A person's aliases, titles, appearances and co-attendees; of the latest `last`
    appearances when given (a leader named in most of an archive has hundreds of thousands)."""
    entity_id = entity["entity_id"]
    if last is None:
        appearances = store.person_timeline(entity_id, limit=None, oldest_first=True)
        window = None
    else:
        if latest is None:
            latest = store.person_timeline(entity_id, limit=last)
        appearances = latest[::-1]
        window = sorted({a["document_id"] for a in appearances})
    aliases = _aliases(known)
    written = list(dict.fromkeys(a["mention"] for a in appearances if a["mention"]))
    if written:
        aliases[WRITTEN] = written
    return {**entity, **read_as, "aliases": aliases,
            "titles": title_history(store, entity_id, window),
            "appearances": appearances,
            "appearance_count": store.count_appearances(entity_id) if window is not None else len(appearances),
            "co_attendees": co_attendees(store, entity_id, within=window)}


def _kb_entity(person: Person) -> dict:
    kb_titles = [{"title": t.title, "from": t.start, "to": t.end} for t in person.titles]
    return {"entity_id": person.entity_id, "name": person.name, "country": person.country,
            "in_kb": True, "kb_titles": kb_titles}


def _stored_entity(store, name: str, resolution: Resolution) -> dict | None:
    """A stored entity the KB does not know: by id as given, by the id the resolver derives
    for the name (the one ingest gave it), or by its stored name."""
    conditions = [entities.c.entity_id == name, entities.c.entity_id == resolution.entity_id,
                  func.lower(entities.c.name) == name.lower()]
    with store.engine.connect() as conn:
        for condition in conditions:
            row = conn.execute(select(entities).where(condition)
                               .order_by(entities.c.entity_id)).mappings().first()
            if row:
                return {**row, "in_kb": False, "kb_titles": []}
    return None


def _stored_entity_by_id(store, entity_id: str) -> dict | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(entities).where(entities.c.entity_id == entity_id)).mappings().first()
    return {**row, "in_kb": False, "kb_titles": []} if row else None


def _aliases(person: Person | None) -> dict[str, list[str]]:
    """The KB's spellings of a person by system or script (hangul, rr, cyrillic, ...): those
    listed and those the name rules generate."""
    if person is None:
        return {}
    grouped: dict[str, list[str]] = {}
    spellings = expand(person.name, person.country, list(person.aliases), name_rules())
    for system, text in [*person.aliases, *spellings]:
        if system != "canonical" and text != person.name:
            names = grouped.setdefault(system, [])
            if text not in names:
                names.append(text)
    return grouped


def co_attendees(store, entity_id: str, limit: int | None = None,
                 within: list[int] | None = None) -> list[dict]:
    """People who took part (as principal or listed attendee) in the same events as the
    person, most shared events first, with the documents and the last date they shared.

    One event told by several outlets counts once: events are told apart by type and date
    (by their id when undated), so KCNA's and Rodong Sinmun's accounts of one talks are one.
    Counted by the database: a leader's hundred latest articles share thousands of rows. The
    person's events are found first (by the documents of `within`, or by the person), then
    everyone else in them, grouped before the names are joined: joined per shared row, the
    names cost more than the counting.
    """
    params = {"entity_id": entity_id} if within is None else {"entity_id": entity_id, "within": within}
    with store.engine.connect() as conn:
        rows = conn.execute(co_attendance_query(within is not None), params).mappings()
        people = [{**row, "last_together": iso(row["last_together"])} for row in rows]
    ranked = sorted(people, key=lambda p: (-p["events"], -p["documents"], p["entity_id"]))
    return ranked[:limit] if limit else ranked


@cache
def co_attendance_query(by_documents: bool):
    """co_attendees' statement, built once: the person's events (by the documents of the
    bound list "within" when `by_documents`), everyone else in them counted per person."""
    me, other = event_participants.alias("me"), event_participants.alias("other")
    when = events.c.sort_date  # the event's date, else its document's publication date
    occasion = case((when.is_(None), literal("event|") + cast(events.c.id, String)),
                    else_=events.c.type + literal("|") + cast(when, String))
    mine = select(me.c.event_id)
    if by_documents:  # found by the documents' events, not by the person's index
        theirs = events.alias("theirs")  # not the outer query's events
        mine = (mine.join(theirs, theirs.c.id == me.c.event_id)
                .where(theirs.c.document_id.in_(bindparam("within", expanding=True)),
                       equals_unindexed(me.c.entity_id, bindparam("entity_id"))))
    else:
        mine = mine.where(me.c.entity_id == bindparam("entity_id"))
    shared = (select(other.c.entity_id,
                     func.count(distinct(occasion)).label("events"),
                     func.count(distinct(events.c.document_id)).label("documents"),
                     func.max(when).label("last_together"))
              .select_from(events)
              .join(other, other.c.event_id == events.c.id)
              .where(events.c.id.in_(mine), other.c.entity_id != bindparam("entity_id"))
              .group_by(other.c.entity_id)
              .subquery())
    return (select(shared.c.entity_id, entities.c.name, entities.c.country, shared.c.events,
                   shared.c.documents, shared.c.last_together)
            .join_from(shared, entities, entities.c.entity_id == shared.c.entity_id))
