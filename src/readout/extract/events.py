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
from typing import Iterable, NamedTuple

import regex

from readout.domain import alternation, group_numbers, load_yaml
from readout.extract.countries import country_in
from readout.extract.keywords import SentenceIndex, holds_any
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


class _Matcher(NamedTuple):
    """A rule's pattern as written, and for a case-insensitive rule the same pattern in lower
    case without IGNORECASE, run on the lower-cased text: the `regex` module tries every case
    of every letter at every offset under IGNORECASE, which was a third of trigger finding."""

    exact: regex.Pattern
    lowered: regex.Pattern | None
    target: int | None   # the numbers of its "target" and "source" groups (domain.group_numbers)
    source: int | None


@dataclass
class _Rules:
    rules: list[tuple[str, str, _Matcher, tuple[str, ...]]]
    and_keywords: dict[str, frozenset[str]]   # by rule id: it also needs one of these
    types: dict
    past_after: re.Pattern
    past_before: re.Pattern                # ends at the trigger ("$")
    past_before_backwards: regex.Pattern   # the same, tried from the trigger backwards
    past_keywords: tuple[tuple[str, ...], tuple[str, ...]]   # one of which every match holds
    topics: list[regex.Pattern]
    place: regex.Pattern
    place_group: int
    place_words: regex.Pattern


@lru_cache(maxsize=1)
def rules() -> _Rules:
    data = load_yaml("events.yaml")
    place = regex.compile(data["place"])
    return _Rules(
        rules=[(r["id"], r["type"], _matcher(r["pattern"], r.get("case_sensitive", False)),
                tuple(r["keywords"])) for r in data["rules"]],
        and_keywords={r["id"]: frozenset(r["and_keywords"]) for r in data["rules"] if "and_keywords" in r},
        types=data["types"],
        # `re`, not `regex`: a fifth faster on these short windows, with the same matches
        past_after=re.compile(data["past_after"]),
        past_before=re.compile(data["past_before"]),
        past_before_backwards=regex.compile(data["past_before"], regex.REVERSE),
        past_keywords=(tuple(data["past_after_keywords"]), tuple(data["past_before_keywords"])),
        topics=[regex.compile(rf"\b{regex.escape(topic)}\b") for topic in data["topics"]],
        place=place,
        place_group=group_numbers(place, "place")[0],
        place_words=regex.compile(rf"\b(?:{alternation(data['place_words'])})\b"),
    )


def _matcher(pattern: str, case_sensitive: bool) -> _Matcher:
    if case_sensitive:
        exact = regex.compile(pattern)
        return _Matcher(exact, None, *group_numbers(exact, "target", "source"))
    exact = regex.compile(pattern, regex.IGNORECASE)
    if not _lowerable(pattern):
        return _Matcher(exact, None, *group_numbers(exact, "target", "source"))
    return _Matcher(exact, regex.compile(LETTERS_OF_PATTERN.sub(_lower_letters, pattern)),
                    *group_numbers(exact, "target", "source"))


def _lowerable(pattern: str) -> bool:
    """Does lowering the pattern keep what it matches? Not when a property or character name
    must keep its case ("\\p{Lu}"), when a part turns IGNORECASE off ("(?-i:"), or when a
    letter beyond ASCII has case rules of its own."""
    return not (regex.search(r"\\[pPN]|\(\?[a-zA-Z]*-", pattern)
                or any(char.isalpha() and not char.isascii() for char in pattern))


# An escape and a named group keep their case ("\\B", "(?P<target>"); the rest is lowered.
LETTERS_OF_PATTERN = regex.compile(r"(\\.|\(\?P[<=]\w+>?)|[^\\(]+|\(")


def _lower_letters(piece: regex.Match) -> str:
    return piece.group() if piece.group(1) else piece.group().lower()


def find_triggers(text: str, index: SentenceIndex) -> list[Trigger]:
    """Each rule runs only on the sentences that hold one of its keywords (and one of its
    `and_keywords`, if it has them)."""
    found = []
    past = rules().past_after, rules().past_before, rules().past_before_backwards
    lowered = index.lowered if _lowering_keeps_matches(text, index.lowered) else None
    for sentence, held in index.keywords_in.items():
        for rule_id, event_type, matcher in _rules_holding(held):
            pattern, subject = (matcher.lowered, lowered) if matcher.lowered and lowered else (matcher.exact, text)
            for match in pattern.finditer(subject, sentence.start, sentence.end):
                if not _in_past(text, match, sentence, past):
                    found.append(Trigger(rule_id, event_type, sentence, Span(*match.span()),
                                         _group(text, match, matcher.target),
                                         _group(text, match, matcher.source)))
    found.sort(key=_text_order)
    return found


def _lowering_keeps_matches(text: str, lowered: str) -> bool:
    """Does a lower-case pattern match the lower-cased text where the pattern matches the text
    under IGNORECASE? Of all characters only "İ" lowers to two characters, and only "ſ"
    matches an ASCII letter ("s") under IGNORECASE without lowering to it (the Kelvin sign
    lowers to "k"); lowering never changes what \\w, \\d or \\s match."""
    return text.isascii() or (len(lowered) == len(text) and "ſ" not in text)


def _text_order(trigger: Trigger) -> tuple[int, str]:
    return trigger.match.start, trigger.rule


# A sentence's set of keywords recurs from article to article (~5 sets an article): the rules
# to run on it are looked up once per set, where a walk over the article's keywords, rule by
# rule, was ~10 us an article. New sets keep coming (846 in 3,000 bench articles), so a miss
# looks up only the rules of the keywords held.
@lru_cache(maxsize=4096)
def _rules_holding(held: frozenset[str]) -> tuple[tuple[str, str, _Matcher], ...]:
    """The rules to run on a sentence holding these keywords: one of its keywords and, for a
    rule with `and_keywords`, one of those too."""
    table, and_keywords = rules().rules, rules().and_keywords
    by_keyword = _rules_by_keyword()
    numbers = sorted({number for keyword in held for number in by_keyword.get(keyword, ())})
    return tuple(table[number][:3] for number in numbers
                 if table[number][0] not in and_keywords or not held.isdisjoint(and_keywords[table[number][0]]))


@lru_cache(maxsize=1)
def _rules_by_keyword() -> dict[str, tuple[int, ...]]:
    """The numbers of the rules (in rules().rules) each keyword is one of the keywords of."""
    table: dict[str, tuple[int, ...]] = {}
    for number, (_id, _type, _matcher, keywords) in enumerate(rules().rules):
        for keyword in keywords:
            table[keyword] = (*table.get(keyword, ()), number)
    return table


def _group(text: str, match: regex.Match, group: int | None) -> str | None:
    """The country a group of the match names, read from the text as written (the match
    may be on the lower-cased text)."""
    if group is None:
        return None
    start, end = match.span(group)
    return country_in(text[start:end]) if end > start else None


def _in_past(text: str, match: regex.Match, sentence: Span, past: tuple) -> bool:
    start, end = match.span()
    past_after, past_before, backwards = past
    after_keywords, before_keywords = rules().past_keywords
    after = text[end:sentence.end]
    if holds_any(after, after_keywords) and past_after.search(after):
        return True
    # not max(): a Python-level builtin call is 150-260 ns, the conditional 25-50
    lowest = start - 60 if start - 60 > sentence.start else sentence.start
    window = text[lowest:start]
    if not holds_any(window, before_keywords):
        return False
    # A phrase that must end at the trigger is found, if anywhere, by one attempt from the
    # window's end, where a forward search tries each of its 60 offsets (2 us against 6, and
    # nearly every trigger has none). On ASCII `regex` and `re` agree on \w and \b; past it
    # (combining marks) they may not, so other windows keep `re`.
    return bool((backwards if window.isascii() else past_before).search(window))


LEADING_THE = regex.compile(r"^(?:the) ")   # compiled once: regex.sub looks a pattern up per call


def place_in(text: str, sentence: Span, people: list[Span]) -> str | None:
    r = rules()
    group = r.place_group
    for match in r.place.finditer(text, sentence.start, sentence.end):
        at = match.start(group)
        if any(p.start <= at < p.end for p in people):
            continue
        place = match.group(group)
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
    return (event.type == trigger.type and _agree(event.source_actor, trigger.source)
            and _agree(event.target_actor, trigger.target))


# At module level: a nested def makes a new function object at every call (8.7 calls an article).
def _agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


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
