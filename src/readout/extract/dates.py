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
@lru_cache(maxsize=1)
def _patterns() -> list[tuple[regex.Pattern, tuple[int | None, int | None, int | None]]]:
    """Each pattern with the numbers of its weekday, monthday and year groups."""
    data = load_yaml("event_dates.yaml")
    patterns = [regex.compile(p.format(months=data["months"], weekdays=data["weekdays"])) for p in data["patterns"]]
    return [(pattern, group_numbers(pattern, "weekday", "monthday", "year")) for pattern in patterns]


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
    data = load_yaml("event_dates.yaml")
    literals = []
    for names in (data["months"], data["weekdays"]):
        if not (names.startswith("(?:") and names.endswith(")")) or any(c in names[3:-1] for c in "()[]"):
            return None
        literals += [_literal_prefix(alternative).lower() for alternative in names[3:-1].split("|")]
    return frozenset(literals) if all(literals) else None


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


def sentences_with_day_words(index: SentenceIndex) -> set[int] | None:
    """The starts of the sentences that may hold a month or weekday name, or None when the
    index cannot tell (no literals, or lowering moved the offsets of the text)."""
    literals = day_word_literals()
    if literals is None or len(index.lowered) != index.size:
        return None
    return index.starts_with_any(literals)


def date_in(text: str, sentence: Span, published: dt.date | None, skip: Span | None = None) -> dt.date | None:
    """The first resolvable date written in the sentence, or None."""
    if not _any_day_word().search(text, sentence.start, sentence.end):
        return None
    for pattern, groups in _patterns():
        for match in pattern.finditer(text, sentence.start, sentence.end):
            if skip and skip.start <= match.start() < skip.end:
                continue
            resolved = _resolve(match, groups, published)
            if resolved:
                return resolved
    return None


def _resolve(match: regex.Match, groups: tuple, published: dt.date | None) -> dt.date | None:
    weekday, day, year = (None if number is None else match.group(number) for number in groups)
    if weekday:
        return weekday_before(weekday, published)
    if year:
        day = f"{day}, {year}"
    return parse_date(day, published)
