"""Turning one `readout extract` record and its text into table rows, and checking it first.

A record is checked whole before anything is written, and every problem is reported at once:
a record that points outside its own text would store facts that no span can back.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from readout.errors import StoreError

ROLES = {"principal", "participant", "mentioned"}
# One encoder for all rows: json.dumps(..., ensure_ascii=False) would build a new one per call.
to_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass
class Rows:
    """Rows of one document; `document_id` is filled in once the document row is inserted."""

    sha256: str
    document: dict
    entities: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    participants: list[list[dict]] = field(default_factory=list)  # per event, same order


def record_rows(record: dict, text: str, now: datetime) -> Rows:
    """All rows for (record, text), or StoreError listing every problem of the record."""
    problems: list[str] = []
    if not isinstance(record, dict) or not isinstance(text, str):
        raise StoreError(f"cannot store {type(record).__name__} with {type(text).__name__}: "
                         "expected (record dict, text str)")
    check = Checker(text, problems)
    document = document_row(record, text, now, check)
    rows = Rows(document["sha256"], document)
    people = record.get("people") or []
    rows.mentions = [mention_row(p, i, check.at(f"people[{i}]")) for i, p in enumerate(people)]
    for seq, item in enumerate(record.get("events") or []):
        ev = check.at(f"events[{seq}]")
        rows.events.append(event_row(item, seq, ev))
        rows.participants.append(participant_rows(item, people, ev))
    rows.entities = entity_rows(rows)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoreError(f"cannot store {record.get('file') or 'record'}: {problems[0]}{more}")
    return rows


@lru_cache(maxsize=1024)
def sha256(text: str) -> str:
    """The text's key. Remembered for the last texts: ingest hashes each text twice, to skip
    those stored already before extraction, then to store it (the engines send batches of
    200 and keep a few in flight)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Checker:
    """Reads values out of a record, noting a problem (with where it is) for each bad one."""

    def __init__(self, text: str, problems: list[str], where: str = ""):
        self.text, self.problems, self.where = text, problems, where

    def at(self, where: str) -> Checker:
        return Checker(self.text, self.problems, f"{self.where}{where}")

    def fail(self, what: str) -> None:
        self.problems.append(f"{self.where}: {what}" if self.where else what)

    def date(self, value, key: str) -> date | None:
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{key} {value!r} is not an ISO date")

    def integer(self, value, key: str) -> int | None:
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        self.fail(f"{key} {value!r} is not an integer")

    def string(self, value, key: str) -> str | None:
        if value is None or isinstance(value, str):
            return value
        self.fail(f"{key} {value!r} is not a string")

    def span(self, item: dict) -> tuple[int | None, int | None]:
        """(start, end) of an item that has them (flat or as "span"), else (None, None)."""
        span = item.get("span") if isinstance(item.get("span"), dict) else item
        start, end = self.integer(span.get("start"), "start"), self.integer(span.get("end"), "end")
        if (start is None) != (end is None):
            self.fail("has only one of start and end")
        elif start is not None and not 0 <= start <= end <= len(self.text):
            self.fail(f"span {start}:{end} is outside the text (length {len(self.text)})")
        return start, end

    def json(self, value, key: str, kind: type) -> str:
        if not isinstance(value, kind):
            self.fail(f"{key} must be a {kind.__name__}, not {type(value).__name__}")
            return "null"
        try:
            return to_json(value)
        except (TypeError, ValueError) as error:
            self.fail(f"{key} is not JSON: {error}")
            return "null"

    def role(self, value) -> str | None:
        if value is not None and value not in ROLES:
            self.fail(f"role {value!r} is not one of {', '.join(sorted(ROLES))}")
        return value


def document_row(record: dict, text: str, now: datetime, check: Checker) -> dict:
    return {
        "sha256": sha256(text),
        "url": record.get("url"),
        "path": record.get("file"),
        "source": record.get("source"),
        "published": check.date(record.get("published"), "published"),
        "title": record.get("title"),
        "byline": record.get("byline"),
        "text": text,
        "ingested_at": now,
    }


def mention_row(person: dict, seq: int, check: Checker) -> dict:
    if not isinstance(person, dict):
        check.fail("is not an object")
        return {"seq": seq}
    titles = person.get("titles") or []
    start, end = check.span(person)
    return {
        "seq": seq,
        "entity_id": check.string(person.get("entity_id"), "entity_id"),
        "mention": person.get("mention"),
        "name": person.get("name"),
        "country": person.get("country"),
        "title": titles[0] if titles and isinstance(titles, list) else None,
        "titles": check.json(titles, "titles", list),
        "role": check.role(person.get("role")),
        "side": person.get("side"),
        "order_in_side": check.integer(person.get("order"), "order"),
        "start": start,
        "end": end,
    }


def event_row(event: dict, seq: int, check: Checker) -> dict:
    if not isinstance(event, dict):
        check.fail("is not an object")
        return {"seq": seq, "type": None}
    if not event.get("type") or not isinstance(event["type"], str):
        check.fail("has no type")
    evidence = event.get("evidence") or []
    for i, span in enumerate(evidence if isinstance(evidence, list) else []):
        if isinstance(span, dict):
            check.at(f".evidence[{i}]").span(span)
        else:
            check.at(f".evidence[{i}]").fail("is not a {start, end} object")
    return {
        "seq": seq,
        "type": event.get("type"),
        "date": check.date(event.get("date"), "date"),
        "place": event.get("place"),
        "source_actor": event.get("source_actor"),
        "target_actor": event.get("target_actor"),
        "topic": event.get("topic"),
        "attributes": check.json(event.get("attributes") or {}, "attributes", dict),
        "plover": event.get("plover"),
        "cameo": event.get("cameo"),
        "evidence": check.json(evidence, "evidence", list),
    }


def participant_rows(event: dict, people: list, check: Checker) -> list[dict]:
    """Principals first, then listed participants, each in the order written."""
    if not isinstance(event, dict):
        return []
    listed = [(role, i, item) for role in ("principal", "participant")
              for i, item in enumerate(event.get(role + "s") or [])]
    rows = []
    for role, i, item in listed:
        where = check.at(f".{role}s[{i}]")
        if isinstance(item, dict):
            rows.append(participant_row(item, role, len(rows), people, where))
        else:
            where.fail("is not an object")
    return rows


def participant_row(item: dict, role: str, seq: int, people: list, check: Checker) -> dict:
    start, end = check.span(item)
    return {
        "seq": seq,
        "role": role,
        "entity_id": check.string(item.get("entity_id"), "entity_id") or entity_of(item, people),
        "mention": item.get("mention"),
        "name": item.get("name"),
        "country": item.get("country"),
        "title": item.get("title"),
        "side": item.get("side"),
        "order_in_side": check.integer(item.get("order"), "order"),
        "start": start,
        "end": end,
    }


def entity_of(item: dict, people: list) -> str | None:
    """The entity of a principal given by name only: the person of that name in the record.

    The contract lets principals omit entity_id; without this link a leader's timeline would
    miss the events they led.
    """
    for person in people:
        if (isinstance(person, dict) and person.get("entity_id") and person.get("name") == item.get("name")
                and item.get("country") in (None, person.get("country"))):
            return person["entity_id"]
    return None


def entity_rows(rows: Rows) -> list[dict]:
    """One row per entity named in the record, taking name and country from its first naming."""
    found: dict[str, dict] = {}
    named = rows.mentions + [p for event in rows.participants for p in event]
    for row in named:
        entity_id = row.get("entity_id")
        if entity_id and entity_id not in found:
            found[entity_id] = {"entity_id": entity_id, "name": row.get("name"),
                                "country": row.get("country")}
    return list(found.values())
