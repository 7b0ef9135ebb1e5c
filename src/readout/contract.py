"""The output contract of `readout extract` (DESIGN.md): one JSON object per document."""
from __future__ import annotations

from readout.extract.events import mapping
from readout.model import Event, Extraction, PersonMention, Span


def to_record(extraction: Extraction) -> dict:
    doc = extraction.document
    return {
        "file": doc.path,
        "source": doc.source,
        "published": _iso(doc.published),
        "title": doc.title,
        "byline": doc.byline,
        "url": doc.meta.get("url"),
        "people": [_person(p) for p in extraction.people],
        "events": [_event(e) for e in extraction.events],
        "warnings": list(doc.warnings),
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _span(span: Span | None) -> dict | None:
    return {"start": span.start, "end": span.end} if span else None


def _person(person: PersonMention) -> dict:
    return {
        "name": person.name or person.mention,
        "mention": person.mention,
        "country": person.country,
        "titles": person.titles,
        "entity_id": person.entity_id,
        "role": person.role,
        "side": person.side,
        "order": person.order,
        "span": _span(person.span),
        "title_span": _span(person.title_span),
        "resolution": {"score": person.resolution_score, "reason": person.resolution_reason},
    }


def _event(event: Event) -> dict:
    codes = mapping(event.type)
    return {
        "type": event.type,
        "date": _iso(event.date),
        "place": event.place,
        "principals": [{k: p.get(k) for k in ("name", "country", "entity_id")} for p in event.principals],
        "participants": [
            {"name": p.name or p.mention, "mention": p.mention, "title": p.title, "side": p.side,
             "order": p.order, "entity_id": p.entity_id} for p in event.participants],
        "source_actor": event.source_actor,
        "target_actor": event.target_actor,
        "topic": event.topic,
        "attributes": event.attributes,
        "plover": codes.get("plover"),
        "cameo": codes.get("cameo"),
        "evidence": [_span(s) for s in event.evidence],
        "rule": event.rule,
    }
