"""Plain data passed between the stages of the pipeline.

ingest -> RawDocument -> parse -> Document -> extract -> Extraction -> resolve -> (people resolved)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import NamedTuple


class Span(NamedTuple):
    """Character offsets [start, end) into a document's text. A named tuple: an article makes
    hundreds, and a frozen dataclass costs several times as much to build."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start:self.end]


# span_of((start, end)) is Span(start, end) built in C alone: a named tuple's own __new__ is
# a Python function, a frame for each span (twice the time of this, timeit).
span_of = partial(tuple.__new__, Span)


@dataclass
class RawDocument:
    """Decoded text of one article as read, with what the container told about it."""

    path: str                      # path or URL as given, plus "#N" for the Nth item of a dump
    text: str
    meta: dict = field(default_factory=dict)   # url, title, source, published from JSONL/feeds/HTML
    warnings: list[str] = field(default_factory=list)


@dataclass
class Document:
    """An article with its header understood: the output of parse."""

    path: str
    text: str
    source: str | None = None
    published: date | None = None
    title: str | None = None
    title_span: Span | None = None
    byline: str | None = None
    body_start: int = 0           # offset where the article body begins (after header furniture)
    dateline_span: Span | None = None
    sentences: list[Span] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class PersonMention:
    """A person named in the text, with what the text says of them."""

    mention: str                  # surface form at first occurrence
    span: Span
    country: str | None = None    # ISO 3166-1 alpha-3
    title: str | None = None
    title_span: Span | None = None
    role: str = "mentioned"       # principal | participant | mentioned
    side: str | None = None
    order: int | None = None
    titles: list[str] = field(default_factory=list)
    list_index: int | None = None  # which attendance list of the document holds the person
    # filled by resolve
    name: str | None = None
    entity_id: str | None = None
    resolution_score: float | None = None
    resolution_reason: str | None = None


@dataclass
class Participant:
    mention: str
    span: Span
    title: str | None
    side: str | None
    order: int | None
    name: str | None = None
    entity_id: str | None = None


@dataclass
class Event:
    type: str
    evidence: list[Span]
    rule: str                     # id of the trigger rule that produced the event
    date: date | None = None
    place: str | None = None
    principals: list[dict] = field(default_factory=list)    # {"name", "country"}
    participants: list[Participant] = field(default_factory=list)
    source_actor: str | None = None
    target_actor: str | None = None
    topic: str | None = None
    attributes: dict = field(default_factory=dict)


@dataclass
class Extraction:
    document: Document
    people: list[PersonMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
