"""Dates written in an event sentence ("on June 19", "on Sunday afternoon", "Thursday
received"), resolved against the publication date; the patterns live in data/event_dates.yaml."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import regex

from readout.domain import group_numbers, load_yaml
from readout.extract.keywords import SentenceIndex
from readout.model import Span
from readout.parse.dates import parse_date, weekday_before


# The `regex` module, not `re`: it scans a sentence for these alternations of month and weekday
# names two to three times faster, with the same matches.
DAY_NAMES = ("months", "weekdays")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[regex.Pattern, tuple[int | None, int | None, int | None], frozenset[str]]]:
    """Each pattern with the numbers of its weekday, monthday and year groups, and the kinds of
    day name it is written with ("{months}", "{weekdays}"), one of which its every match holds."""
    data = load_yaml("event_dates.yaml")
    found = []
    for written in data["patterns"]:
        pattern = regex.compile(written.format(months=data["months"], weekdays=data["weekdays"]))
        kinds = frozenset(kind for kind in DAY_NAMES if "{%s}" % kind in written)
        found.append((pattern, group_numbers(pattern, "weekday", "monthday", "year"), kinds))
    return found


@lru_cache(maxsize=1)
def _any_day_word() -> regex.Pattern:
    """A month or weekday name: every pattern needs one, and most sentences have none."""
    data = load_yaml("event_dates.yaml")
    return regex.compile(f"{data['months']}|{data['weekdays']}")


@lru_cache(maxsize=1)
def day_word_literals() -> frozenset[str] | None:
    """Lower-case strings one of which every month and weekday name of event_dates.yaml
    holds ("sep" for "Sept?\\."): the keyword index finds them in its one pass over the
    text, so that sentences without any (most) skip the search for a name. None when the
    names are not a plain alternation, which would need a reading of regex syntax."""
    by_kind = _literals_by_kind()
    return None if by_kind is None else frozenset().union(*by_kind.values())


@lru_cache(maxsize=1)
def _literals_by_kind() -> dict[str, frozenset[str]] | None:
    """day_word_literals, apart for month names and weekday names."""
    data = load_yaml("event_dates.yaml")
    by_kind = {}
    for kind in DAY_NAMES:
        names = data[kind]
        if not (names.startswith("(?:") and names.endswith(")")) or any(c in names[3:-1] for c in "()[]"):
            return None
        literals = [_literal_prefix(alternative).lower() for alternative in names[3:-1].split("|")]
        if not all(literals):
            return None
        by_kind[kind] = frozenset(literals)
    return by_kind


def _literal_prefix(alternative: str) -> str:
    """The characters every match of a regex alternative starts with: up to its first
    special character ("Dec\\." gives "dec.", an escaped full stop being one), less the
    character before a quantifier that may leave it out ("Sept?" gives "sep")."""
    literal, index = "", 0
    while index < len(alternative):
        char = alternative[index]
        if char == "\\" and index + 1 < len(alternative) and not alternative[index + 1].isalnum():
            char, index = alternative[index + 1], index + 1
        elif char in "?*{":
            return literal[:-1]
        elif char in "\\.[]()|+^$":
            return literal
        literal += char
        index += 1
    return literal


def day_word_kinds(index: SentenceIndex) -> dict[int, frozenset[str]] | None:
    """By the start of each sentence that may hold a month or weekday name, the kinds of name
    it may hold ("months", "weekdays"); None when the index cannot tell."""
    by_kind = _literals_by_kind()
    if by_kind is None or len(index.lowered) != index.size:
        return None
    kinds: dict[int, frozenset[str]] = {}
    for sentence, held in index.keywords_in.items():
        found = _kinds_holding(held)
        if found:
            kinds[sentence.start] = found
    return kinds


# A sentence's set of keywords recurs from article to article: its kinds are worked out once.
@lru_cache(maxsize=4096)
def _kinds_holding(held: frozenset[str]) -> frozenset[str]:
    return frozenset(kind for kind, literals in _literals_by_kind().items() if not held.isdisjoint(literals))


def date_in(text: str, sentence: Span, published: dt.date | None, skip: Span | None = None,
            kinds: frozenset[str] | None = None) -> dt.date | None:
    """The first resolvable date written in the sentence, or None. `kinds`, when the keyword
    index tells them, are the kinds of day name the sentence may hold: a pattern written with
    neither is not tried (most dated sentences name a month and no weekday, or the reverse)."""
    if kinds is None and not _any_day_word().search(text, sentence.start, sentence.end):
        return None
    for pattern, groups, written_with in _patterns():
        if kinds is not None and not _may_match(written_with, kinds, text, sentence):
            continue
        for match in pattern.finditer(text, sentence.start, sentence.end):
            if skip and skip.start <= match.start() < skip.end:
                continue
            resolved = _resolve(match, groups, published)
            if resolved:
                return resolved
    return None


def _may_match(written_with: frozenset[str], kinds: frozenset[str], text: str, sentence: Span) -> bool:
    """Can a pattern written with these kinds of day name match a sentence that may hold
    `kinds`? One written with none needs the search for a name that `kinds` stood in for."""
    if written_with:
        return bool(written_with & kinds)
    return bool(_any_day_word().search(text, sentence.start, sentence.end))


def _resolve(match: regex.Match, groups: tuple, published: dt.date | None) -> dt.date | None:
    weekday, day, year = (None if number is None else match.group(number) for number in groups)
    if weekday:
        return weekday_before(weekday, published)
    if year:
        day = f"{day}, {year}"
    return parse_date(day, published)
