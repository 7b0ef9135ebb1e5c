"""The output contract of `readout extract` (DESIGN.md): one JSON object per document."""
from __future__ import annotations

from readout.extract.events import mapping
from readout.model import Event, Extraction, PersonMention


def to_record(extraction: Extraction) -> dict:
    doc = extraction.document
    return {
        "file": doc.path,
        "source": doc.source,
        "published": doc.published.isoformat() if doc.published else None,
        "title": doc.title,
        "byline": doc.byline,
        "url": doc.meta.get("url"),
        "people": [_person(p) for p in extraction.people],
        "events": [_event(e) for e in extraction.events],
        "warnings": list(doc.warnings),
    }


# An article's record holds a dozen spans and a few dates, each written out inline: a helper
# called for each cost a Python frame, as did a dict comprehension per principal.
def _person(person: PersonMention) -> dict:
    span, title_span = person.span, person.title_span
    return {
        "name": person.name or person.mention,
        "mention": person.mention,
        "country": person.country,
        "titles": person.titles,
        "entity_id": person.entity_id,
        "role": person.role,
        "side": person.side,
        "order": person.order,
        "span": {"start": span[0], "end": span[1]} if span else None,
        "title_span": {"start": title_span[0], "end": title_span[1]} if title_span else None,
        "resolution": {"score": person.resolution_score, "reason": person.resolution_reason},
    }


def _event(event: Event) -> dict:
    codes = mapping(event.type)
    return {
        "type": event.type,
        "date": event.date.isoformat() if event.date else None,
        "place": event.place,
        "principals": [{"name": p.get("name"), "country": p.get("country"), "entity_id": p.get("entity_id")}
                       for p in event.principals],
        "participants": [
            {"name": p.name or p.mention, "mention": p.mention, "title": p.title, "side": p.side,
             "order": p.order, "entity_id": p.entity_id} for p in event.participants],
        "source_actor": event.source_actor,
        "target_actor": event.target_actor,
        "topic": event.topic,
        "attributes": event.attributes,
        "plover": codes.get("plover"),
        "cameo": codes.get("cameo"),
        "evidence": [{"start": s[0], "end": s[1]} if s else None for s in event.evidence],
        "rule": event.rule,
    }
