"""extract: a parsed Document becomes people, attendance lists and events, with their spans.

Order of work: names by shape -> attendance lists -> people with titles and roles -> event
triggers -> dates and places -> principals and participants attached to events.
"""
from __future__ import annotations

from readout.extract.attendance import find_lists
from readout.extract.dates import date_in, day_word_kinds
from readout.extract.events import Trigger, build_events, find_triggers
from readout.extract.keywords import SentenceIndex
from readout.extract.names import find_names
from readout.extract.people import collect_people
from readout.model import Document, Event, Extraction, Participant, PersonMention, Span

__all__ = ["extract"]

LIST_GAP = 80   # characters between two lists that continue one another


def extract(doc: Document) -> Extraction:
    text = doc.text
    body = [s for s in doc.sentences if s.start >= doc.body_start]
    body_end = body[-1].end if body else doc.body_start
    names = find_names(text, doc.body_start, body_end)
    index = SentenceIndex(text, doc.sentences)
    lists = find_lists(text, index, doc.body_start)
    people = collect_people(text, names, body, lists)
    triggers = find_triggers(text, index)
    dates = _sentence_dates(doc, {t.sentence.start: t.sentence for t in triggers}, index)
    events = build_events(text, triggers, dates, _main_date(triggers, dates, doc.body_start),
                          [p.span for p in people])
    _attach_people(events, people, lists)
    return Extraction(document=doc, people=people, events=events)


def _sentence_dates(doc: Document, sentences: dict[int, Span], index: SentenceIndex) -> dict:
    """The date written in each event sentence, by its start. The keyword index tells which
    sentences may hold a month or weekday name, and of which kind (None: it cannot tell)."""
    kinds = day_word_kinds(index)
    dates = {}
    for start, sentence in sentences.items():
        if kinds is not None and start not in kinds:
            dates[start] = None
        else:
            dates[start] = date_in(doc.text, sentence, doc.published, doc.dateline_span,
                                   None if kinds is None else kinds[start])
    return dates


def _main_date(triggers: list[Trigger], dates: dict, body_start: int):
    """The date of the first event sentence of the body that has one."""
    for trigger in triggers:
        if trigger.sentence.start >= body_start and dates.get(trigger.sentence.start):
            return dates[trigger.sentence.start]
    return None


def _attach_people(events: list[Event], people: list[PersonMention], lists) -> None:
    principals = [p for p in people if p.role == "principal"]
    for event in events:
        event.principals = [{"mention": p.mention, "country": p.country} for p in principals]
        _directed(event, principals)
    hosts = _list_hosts(events, lists)
    for person in people:
        if person.role == "participant" or person.list_index is not None:
            host = hosts[person.list_index] if person.list_index is not None else \
                _event_before(events, person.span.start)
            if host:
                host.participants.append(Participant(person.mention, person.span, person.title,
                                                     person.side, person.order))


def _list_hosts(events: list[Event], lists) -> list[Event | None]:
    """The event each attendance list belongs to: the one its trigger names ("Present at the
    talks"), else the previous list's when it follows right on ("Present from the Russian side
    were"), else the event reported last before it."""
    hosts: list[Event | None] = []
    for index, listing in enumerate(lists):
        host = _event_named(events, listing)
        if host is None and index and listing.span.start - lists[index - 1].span.end < LIST_GAP:
            host = hosts[-1]
        hosts.append(host or _event_before(events, listing.span.start))
    return hosts


def _event_named(events: list[Event], listing) -> Event | None:
    """"Present at the talks were ...": the list belongs to the talks."""
    if listing is None:
        return None
    words = listing.trigger.lower()
    named = [e for e in events if e.type.replace("_", " ") in words or e.type in words]
    return named[0] if named else None


def _event_before(events: list[Event], offset: int) -> Event | None:
    """The event reported last before `offset` (the list's own sentence included), else the first."""
    before = [e for e in events if e.evidence[0].start <= offset]
    if before:
        return max(before, key=lambda e: e.evidence[0].start)
    return events[0] if events else None


def _directed(event: Event, principals: list[PersonMention]) -> None:
    """A visit to a country is made by the other side's principal."""
    if event.type == "visit" and event.target_actor and not event.source_actor:
        others = [p.country for p in principals if p.country and p.country != event.target_actor]
        event.source_actor = others[0] if others else None
    if event.type == "visit" and event.source_actor and not event.target_actor:
        others = [p.country for p in principals if p.country and p.country != event.source_actor]
        event.target_actor = others[0] if others else None
