"""Events from trigger rules (data/events.yaml), each with the sentence it came from.

1. every rule is matched within each sentence and the headline;
2. a trigger with a past-time clause beside it ("since the meeting in 2023") is dropped;
3. each event takes the date written in its sentence, else the document's main date, and the
   first place phrase of its sentence;
4. events of one type and direction are merged, keeping every piece of evidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from readout.domain import alternation, load_yaml
from readout.extract.countries import country_in
from readout.extract.keywords import SentenceIndex
from readout.model import Event, Span


TIME_WORDS = regex.compile(r"(?: (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                        r"January|February|March|April|May|June|July|August|September|October|"
                        r"November|December)\b.*)$")


@dataclass(slots=True)
class Trigger:
    rule: str
    type: str
    sentence: Span
    match: Span
    target: str | None
    source: str | None


@dataclass
class _Rules:
    rules: list[tuple[str, str, regex.Pattern, tuple[str, ...]]]
    types: dict
    past_after: re.Pattern
    past_before: re.Pattern
    topics: list[regex.Pattern]
    place: regex.Pattern
    place_words: regex.Pattern


@lru_cache(maxsize=1)
def rules() -> _Rules:
    data = load_yaml("events.yaml")
    return _Rules(
        rules=[(r["id"], r["type"], regex.compile(r["pattern"], 0 if r.get("case_sensitive") else regex.IGNORECASE),
                tuple(r["keywords"])) for r in data["rules"]],
        types=data["types"],
        # `re`, not `regex`: a fifth faster on these short windows, with the same matches
        past_after=re.compile(data["past_after"]),
        past_before=re.compile(data["past_before"]),
        topics=[regex.compile(rf"\b{regex.escape(topic)}\b") for topic in data["topics"]],
        place=regex.compile(data["place"]),
        place_words=regex.compile(rf"\b(?:{alternation(data['place_words'])})\b"),
    )


def find_triggers(text: str, index: SentenceIndex) -> list[Trigger]:
    """Each rule runs only on the sentences that hold one of its keywords."""
    found = []
    past = rules().past_after, rules().past_before
    for (rule_id, event_type, pattern), sentences in _rule_sentences(index).items():
        for sentence in sentences:
            for match in pattern.finditer(text, sentence.start, sentence.end):
                if not _in_past(text, match, sentence, past):
                    found.append(Trigger(rule_id, event_type, sentence, Span(*match.span()),
                                         _group(match, "target"), _group(match, "source")))
    found.sort(key=_text_order)
    return found


def _text_order(trigger: Trigger) -> tuple[int, str]:
    return trigger.match.start, trigger.rule


def _rule_sentences(index: SentenceIndex) -> dict[tuple, list[Span]]:
    """For each rule with a keyword in the text, the sentences to run it on."""
    wanted: dict[tuple, dict[int, Span]] = {}
    by_keyword = _rules_by_keyword()
    for keyword, sentences in index.by_keyword.items():
        for rule in by_keyword.get(keyword, ()):
            wanted.setdefault(rule, {}).update(sentences)
    return {rule: [found[s] for s in sorted(found)] for rule, found in wanted.items()}


@lru_cache(maxsize=1)
def _rules_by_keyword() -> dict[str, list[tuple]]:
    table: dict[str, list[tuple]] = {}
    for rule_id, event_type, pattern, keywords in rules().rules:
        for keyword in keywords:
            table.setdefault(keyword, []).append((rule_id, event_type, pattern))
    return table


def _group(match: regex.Match, name: str) -> str | None:
    return country_in(match.group(name)) if name in match.re.groupindex and match.group(name) else None


def _in_past(text: str, match: regex.Match, sentence: Span, past: tuple[re.Pattern, re.Pattern]) -> bool:
    start, end = match.span()
    past_after, past_before = past
    return bool(past_after.search(text[end:sentence.end])
                or past_before.search(text[max(sentence.start, start - 60):start]))


LEADING_THE = regex.compile(r"^(?:the) ")   # compiled once: regex.sub looks a pattern up per call


def place_in(text: str, sentence: Span, people: list[Span]) -> str | None:
    r = rules()
    for match in r.place.finditer(text, sentence.start, sentence.end):
        at = match.start("place")
        if any(p.start <= at < p.end for p in people):
            continue
        place = match.group("place")
        if r.place_words.search(place):
            return TIME_WORDS.sub("", LEADING_THE.sub("", place))
    return None


def topic_in(text: str, sentence: Span) -> str | None:
    """The first topic of the list (most specific first) that the sentence names."""
    for pattern in rules().topics:
        match = pattern.search(text, sentence.start, sentence.end)
        if match:
            return match.group()
    return None


def build_events(text: str, triggers: list[Trigger], dates: dict[int, object], main_date,
                 people: list[Span]) -> list[Event]:
    """One event per type and direction, in order of first evidence."""
    events: list[Event] = []
    for trigger in triggers:
        event = next((e for e in events if _same_event(e, trigger)), None)
        if event is None:
            events.append(_new_event(text, trigger, dates, main_date, people))
            continue
        if trigger.sentence not in event.evidence:
            event.evidence.append(trigger.sentence)
            if event.type in _inheriting():
                event.place = event.place or place_in(text, trigger.sentence, people)
        event.source_actor = event.source_actor or trigger.source
        event.target_actor = event.target_actor or trigger.target
    _inherit_place(events)
    return events


@lru_cache(maxsize=1)
def _inheriting() -> frozenset[str]:
    return frozenset(load_yaml("events.yaml")["inherit_place"])


def _inherit_place(events: list[Event]) -> None:
    """"Prior to the talks, ... at the Kumsusan State Guesthouse": the talks were there too."""
    inheriting = _inheriting()
    main = next((e.place for e in events if e.place and e.type in inheriting), None)
    for event in events:
        if event.place is None and event.type in inheriting:
            event.place = main


def _same_event(event: Event, trigger: Trigger) -> bool:
    """Same type, and no direction that tells them apart (a message each way is two events)."""
    def agree(a, b):
        return a is None or b is None or a == b
    return (event.type == trigger.type and agree(event.source_actor, trigger.source)
            and agree(event.target_actor, trigger.target))


def _new_event(text, trigger: Trigger, dates, main_date, people) -> Event:
    event = Event(type=trigger.type, evidence=[trigger.sentence], rule=trigger.rule,
                  date=dates.get(trigger.sentence.start) or main_date,
                  place=place_in(text, trigger.sentence, people),
                  source_actor=trigger.source, target_actor=trigger.target)
    if trigger.type in ("support", "criticism"):
        event.topic = topic_in(text, trigger.sentence)
    return event


def mapping(event_type: str) -> dict:
    """PLOVER and CAMEO codes for an event type."""
    return rules().types.get(event_type, {})
