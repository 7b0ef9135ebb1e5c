"""Finding personal names by their shape, without a general-purpose NLP model.

Four finders, each from data in data/name_parts.yaml and data/titles.yaml:
1. korean: a Korean surname and one or two romanized syllables ("Kim Tok Hun", "Choe Hwi");
2. chinese: a Chinese surname and a pinyin given name ("Wang Yi", "Li Hongzhong");
3. given_first: a known given name and more capitalised words ("Vladimir Vladimirovich Putin",
   "Mahmoud O.R. Al Aloul", "Elizabeth II");
4. apposition: two to four unknown capitalised words followed by ", <title>" or preceded by a
   title word, which is how state media introduce anyone they name.
Overlapping finds are settled by length, then by the order above.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from readout.domain import alternation, load_yaml

WORD = r"[A-Z][a-zà-öø-ÿ'’]+"
FINDERS = ("korean", "chinese", "given_first", "apposition", "after_title")


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    text: str
    finder: str
    country_hint: str | None


@dataclass
class _Patterns:
    korean: re.Pattern
    korean_syllable: re.Pattern
    chinese: re.Pattern
    pinyin_given: re.Pattern
    given_first: re.Pattern
    given_country: dict[str, str]
    apposition: re.Pattern
    after_title: re.Pattern
    not_name: frozenset[str]
    korean_english: frozenset[str]
    trailing: frozenset[str]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    parts = load_yaml("name_parts.yaml")
    titles = load_yaml("titles.yaml")
    korean_given = r"[A-Z][a-z]{0,6}(?:-[a-z]{1,6})?"
    given_country = {}
    for country, names in parts["given_names"].items():
        for name in names:
            given_country.setdefault(name, None if country == "OTHER" else country)
    name_word = rf"(?:[A-Z]\.(?:[A-Z]\.)*|{WORD}(?:-{WORD})*|{alternation(parts['regnal'])}|{alternation(parts['particles'])})"
    title_start = alternation(titles["title_start_words"])
    title_before = alternation(titles["title_before_name"])
    return _Patterns(
        korean=re.compile(rf"\b({alternation(parts['korean']['surnames'])})((?: {korean_given}){{1,2}})\b"),
        korean_syllable=re.compile(parts["korean"]["syllable"]),
        chinese=re.compile(rf"\b({alternation(parts['chinese']['surnames'])}) ([A-Z][a-z]{{1,12}})\b"),
        pinyin_given=re.compile(f"(?:{parts['chinese']['syllable']}){{1,3}}"),
        given_first=re.compile(rf"\b({alternation(given_country)})((?: {name_word}){{1,4}})"),
        given_country=given_country,
        apposition=re.compile(rf"\b({WORD}(?: {WORD}){{1,3}}) ?, (?:{title_start})\b"),
        after_title=re.compile(rf"\b(?:{title_before}) ({WORD}(?: {WORD}){{1,2}})\b"),
        not_name=frozenset(parts["not_name_words"]) | frozenset(titles["title_start_words"]),
        korean_english=frozenset(parts["korean"]["also_english"]),
        trailing=frozenset(parts["particles"]),
    )


def find_names(text: str, start: int = 0, end: int | None = None) -> list[NameMatch]:
    """Every personal name in text[start:end], earliest first, never overlapping."""
    end = len(text) if end is None else end
    found = (_korean(text, start, end) + _chinese(text, start, end) + _given_first(text, start, end)
             + _apposition(text, start, end))
    found.sort(key=lambda m: (m.start, -(m.end - m.start), FINDERS.index(m.finder)))
    chosen, last_end = [], -1
    for match in found:
        if match.start >= last_end:
            chosen.append(match)
            last_end = match.end
    return chosen


def _korean(text: str, start: int, end: int) -> list[NameMatch]:
    p = patterns()
    out = []
    for match in p.korean.finditer(text, start, end):
        tokens = match.group(2).split()
        while tokens and not all(_korean_given(t) for t in tokens):
            tokens.pop()
        if tokens:
            stop = match.start(2) + len(" " + " ".join(tokens))
            out.append(NameMatch(match.start(), stop, text[match.start():stop], "korean", "PRK"))
    return out


def _korean_given(token: str) -> bool:
    p = patterns()
    return (token not in p.not_name or token in p.korean_english) and all(
        p.korean_syllable.fullmatch(part) for part in token.lower().split("-"))


def _chinese(text: str, start: int, end: int) -> list[NameMatch]:
    p = patterns()
    return [NameMatch(m.start(), m.end(), m.group(0), "chinese", "CHN")
            for m in p.chinese.finditer(text, start, end)
            if m.group(2) not in p.not_name and p.pinyin_given.fullmatch(m.group(2).lower())]


def _given_first(text: str, start: int, end: int) -> list[NameMatch]:
    p = patterns()
    out = []
    for match in p.given_first.finditer(text, start, end):
        tokens = _name_tokens(match.group(2).split())
        if tokens:
            stop = match.start(2) + len(" " + " ".join(tokens))
            country = p.given_country.get(match.group(1))
            out.append(NameMatch(match.start(), stop, text[match.start():stop], "given_first", country))
    return out


def _name_tokens(tokens: list[str]) -> list[str]:
    """The leading tokens that can be part of a name; particles may not end one."""
    p = patterns()
    kept = []
    for token in tokens:
        if token.rstrip(".") in p.not_name or token in p.not_name:
            break
        kept.append(token)
    while kept and kept[-1] in p.trailing:
        kept.pop()
    return kept


def _apposition(text: str, start: int, end: int) -> list[NameMatch]:
    p = patterns()
    out = []
    for pattern in (p.apposition, p.after_title):
        for match in pattern.finditer(text, start, end):
            tokens = match.group(1).split()
            if len(tokens) >= 2 and not any(t in p.not_name for t in tokens):
                out.append(NameMatch(match.start(1), match.end(1), match.group(1), "apposition", None))
    return out
