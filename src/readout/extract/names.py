"""Finding personal names by their shape, without a general-purpose NLP model.

Four finders, each from data in data/name_parts.yaml and data/titles.yaml:
0. known: a spelling of someone in data/people.yaml, whatever its shape;
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
from functools import lru_cache, partial
from typing import NamedTuple

import ahocorasick_rs
from retrie.trie import Trie

from readout.domain import alternation, load_yaml
from readout.extract.keywords import dfa_automaton

WORD = r"[A-Z][a-zà-öø-ÿ'’]+"
FINDERS = ("known", "korean", "chinese", "given_first", "apposition", "after_title")
FINDER_RANK = {finder: rank for rank, finder in enumerate(FINDERS)}
LATIN_SYSTEMS = ("kcna", "mr_ascii", "rr", "bgn", "passport", "kcna_misspelling", "other")


class NameMatch(NamedTuple):
    """A name found in the text; a named tuple, as an article makes dozens of candidates."""

    start: int
    end: int
    text: str
    finder: str
    country_hint: str | None


# A named tuple's own constructor is a Python-level function (its __new__ was ~3% of all the
# samples of an extraction); tuple.__new__ through a partial builds the same tuple in one C call.
new_match = partial(tuple.__new__, NameMatch)


@dataclass
class _Patterns:
    korean: re.Pattern            # each anchored at a first word found by _by_opening
    korean_surnames: frozenset[str]
    korean_syllable: re.Pattern
    chinese: re.Pattern
    chinese_surnames: frozenset[str]
    pinyin_given: re.Pattern
    given_first: re.Pattern
    given_country: dict[str, str]
    apposition: re.Pattern        # searched backwards from ", <title word>"
    title_comma: re.Pattern       # ", <title word>", the word whole
    after_title: re.Pattern
    title_before_words: frozenset[str]   # capitalised ("Ambassador") and lower-case ("negotiator")
    not_name: frozenset[str]
    korean_english: frozenset[str]
    trailing: frozenset[str]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    parts = load_yaml("name_parts.yaml")
    titles = load_yaml("titles.yaml")
    korean_given = r"[A-Z][a-z]{0,6}(?:-[A-Za-z][a-z]{0,5})?"
    given_country = {}
    for country, names in parts["given_names"].items():
        for name in names:
            given_country.setdefault(name, None if country == "OTHER" else country)
    name_word = rf"(?:[A-Z]\.(?:[A-Z]\.)*|{WORD}(?:-{WORD})*|{alternation(parts['regnal'])}|{alternation(parts['particles'])})"
    title_words = titles["title_before_name"] + titles["lowercase_title_before_name"]
    title_before = trie(title_words)
    return _Patterns(
        korean=re.compile(rf"([A-Z][a-z]*)((?: {korean_given}){{1,2}})\b"),
        korean_surnames=frozenset(parts["korean"]["surnames"]),
        korean_syllable=re.compile(parts["korean"]["syllable"]),
        chinese=re.compile(r"([A-Z][a-z]*) ([A-Z][a-z]{1,12})\b"),
        chinese_surnames=frozenset(parts["chinese"]["surnames"]),
        pinyin_given=re.compile(f"(?:{parts['chinese']['syllable']}){{1,3}}"),
        given_first=re.compile(rf"({trie(given_country)})((?: {name_word}){{1,4}})"),
        given_country=given_country,
        apposition=re.compile(rf"(?<![\w'’-])({WORD}(?: {WORD}){{1,3}}) ?$"),
        title_comma=_title_comma(titles["title_start_words"]),
        after_title=re.compile(rf"(?:{title_before}) ({WORD}(?: {WORD}){{1,2}})\b"),
        title_before_words=frozenset(title_words),
        not_name=frozenset(parts["not_name_words"]) | frozenset(titles["title_start_words"]),
        korean_english=frozenset(parts["korean"]["also_english"]),
        trailing=frozenset(parts["particles"]),
    )


def trie(words) -> str:
    """A regex of any of `words`, as a trie ("a(?:bc?)?"): it tries the words that match at a
    place longest first, as alternation() does, but one branch a character instead of one a
    word (", <title word>" tried 130 words at each of the dozen commas of an article: 41k of
    find_names' 490k instructions an article)."""
    return Trie().add(*words).pattern()


def _title_comma(title_start_words: list[str]) -> re.Pattern:
    """", <title word>", the word whole: one search finds the few commas of an article that
    open a title, with no Python step for each other comma. A word of other characters than
    [\\w-] never followed a comma as a whole word."""
    words = [word for word in title_start_words if re.fullmatch(r"[\w-]+", word)]
    return re.compile(rf", (?:{trie(words)})(?![\w-])")


def find_names(text: str, start: int = 0, end: int | None = None) -> list[NameMatch]:
    """Every personal name in text[start:end], earliest first, never overlapping."""
    end = len(text) if end is None else end
    chosen = _not_overlapping(_by_opening(text, start, end) + _apposition(text, start, end))
    places = _eponym_places()
    # "Kim Il Sung Square" names a square, not a person. The place word follows a space or a
    # hyphen: half the names are followed by a comma, and need no match.
    return [m for m in chosen if not (text.startswith((" ", "-"), m.end) and places.match(text, m.end))]


def _not_overlapping(found: list[NameMatch]) -> list[NameMatch]:
    """The earliest of overlapping finds, the longer of two at one place, then by FINDER_RANK.
    Ranked as tuples of ints compared in C: a key function was a Python call for each of the
    25 finds of an article."""
    ranked = sorted([(m.start, m.start - m.end, FINDER_RANK[m.finder], i, m) for i, m in enumerate(found)])
    chosen, last_end = [], -1
    for _, _, _, _, match in ranked:
        if match.start >= last_end:
            chosen.append(match)
            last_end = match.end
    return chosen


@lru_cache(maxsize=1)
def _eponym_places() -> re.Pattern:
    return re.compile(rf"[ -](?:{alternation(load_yaml('name_parts.yaml')['eponym_places'])})\b")


def _known_spellings() -> dict[str, str | None]:
    """Every Latin spelling of the people in data/people.yaml with a space in it, and the
    person's country: names of any shape."""
    spellings = {}
    for person in load_yaml("people.yaml"):
        for spelling in [person["name"]] + [a for system in LATIN_SYSTEMS
                                            for a in (person.get("aliases") or {}).get(system, [])]:
            if " " in spelling:
                spellings[spelling] = person.get("country")
    return spellings


def _by_opening(text: str, start: int, end: int) -> list[NameMatch]:
    """Known spellings, and names recognised by their first word (a surname, a given name or a
    title), from one pass of one automaton over the text: each pass costs the same a
    character whatever it finds, and a name is found a few times an article. The word-edge
    tests are written out in the loop: as functions they were a third of its calls."""
    found = []
    for first, stop, (word, finders, country) in _opening_hits(text, start, end):
        before = text[first - 1] if first else " "
        if finders is None:
            after = text[stop] if stop < len(text) else " "
            if not (before.isalnum() or before in "'’" or after.isalnum() or after in "'’"):
                found.append(new_match((first, stop, word, "known", country)))
        elif not (before.isalnum() or before in "_'’.") and (
                word[0].isupper() or "A" <= text[first + len(word) + 1:first + len(word) + 2] <= "Z"):
            for finder in finders:
                name = finder(text, first, end)
                if name is not None:
                    found.append(name)
    return found


def _opening_hits(text: str, start: int, end: int) -> list[tuple[int, int, tuple]]:
    """Every occurrence of every key of _openings() within text[start:end], overlapping ones
    too, as (start, end, what the key is), offsets in the text."""
    automaton, keys = _openings()
    # the slice, as the automaton scans a whole string; its offsets are the slice's
    return [(first + start, stop + start, keys[number])
            for number, first, stop in automaton.find_matches_as_indexes(text[start:end], overlapping=True)]


@lru_cache(maxsize=1)
def _openings() -> tuple[ahocorasick_rs.AhoCorasick, list[tuple]]:
    """An automaton of every known spelling and every word that can open a name followed by the
    space every finder needs after it, and by the number it reports a hit of each with, what
    the key is: (spelling, None, country) or (word, the finders to try there, None). A spelling
    never ends in a space, so the two kinds of key never collide."""
    p = patterns()
    table: dict[str, list] = {}
    for words, finder in ((p.korean_surnames, _korean), (p.chinese_surnames, _chinese),
                          (p.given_country, _given_first), (p.title_before_words, _after_title)):
        for word in words:
            if word[:1].isupper() or finder is _after_title:
                table.setdefault(word, []).append(finder)
    keys = {word + " ": (word, tuple(finders), None) for word, finders in table.items()}
    keys.update((spelling, (spelling, None, country)) for spelling, country in _known_spellings().items())
    return dfa_automaton(list(keys)), list(keys.values())


def _korean(text: str, at: int, end: int) -> NameMatch | None:
    match = patterns().korean.match(text, at, end)
    if not match:
        return None
    given = match.group(2)
    length, before_hyphen = _korean_given_name(given)
    if before_hyphen is not None:
        following = NEXT_SYLLABLE.match(text, match.end())
        if following and _korean_given(following.group(1)):
            length = before_hyphen
    if not length:
        return None
    stop = match.start(2) + length
    return new_match((at, stop, text[at:stop], "korean", "PRK"))


NEXT_SYLLABLE = re.compile(r" ([A-Z][a-z]{0,6})\b")


@lru_cache(maxsize=65536)  # the same few thousand given names recur from article to article
def _korean_given_name(given: str) -> tuple[int, int | None]:
    """How much of `given` (" Tok Hun", with its leading space) is a romanized given name, and
    how much when a surname after a hyphen in its last word starts the next name instead
    (None when it has none): "Kim Il Sung-Kim Jong Il", where "Roh Moo-Hyun" is one name."""
    tokens = given.split()
    head, _, tail = tokens[-1].partition("-")
    cut = _given_length(tokens[:-1] + [head]) if tail in patterns().korean_surnames else None
    return _given_length(tokens), cut


def _given_length(tokens: list[str]) -> int:
    """The length, with its leading space, of the run of leading tokens that are syllables."""
    kept = []
    for token in tokens:
        if not _korean_given(token):
            break
        kept.append(token)
    return len(" " + " ".join(kept)) if kept else 0


@lru_cache(maxsize=65536)  # the same few hundred syllables make up nearly every name
def _korean_given(token: str) -> bool:
    p = patterns()
    return (token not in p.not_name or token in p.korean_english) and all(
        p.korean_syllable.fullmatch(part) for part in token.lower().split("-"))


def _chinese(text: str, at: int, end: int) -> NameMatch | None:
    p = patterns()
    match = p.chinese.match(text, at, end)
    if match and match.group(2) not in p.not_name and p.pinyin_given.fullmatch(match.group(2).lower()):
        return new_match((at, match.end(), match.group(0), "chinese", "CHN"))
    return None


def _given_first(text: str, at: int, end: int) -> NameMatch | None:
    p = patterns()
    match = p.given_first.match(text, at, end)
    length = _name_length(match.group(2)) if match else 0
    if not length:
        return None
    stop = match.start(2) + length
    return new_match((at, stop, text[at:stop], "given_first", p.given_country.get(match.group(1))))


@lru_cache(maxsize=65536)  # the rest of a name after its given name recurs as often as the name
def _name_length(rest: str) -> int:
    """The length, with its leading space, of the leading words of `rest` (" Vladimirovich
    Putin") that can be part of a name; particles may not end one."""
    p = patterns()
    kept = []
    for token in rest.split():
        if token.rstrip(".") in p.not_name or token in p.not_name:
            break
        kept.append(token)
    while kept and kept[-1] in p.trailing:
        kept.pop()
    return len(" " + " ".join(kept)) if kept else 0


def _after_title(text: str, at: int, end: int) -> NameMatch | None:
    """"Ambassador Gholamreza Sedighi": unknown words after a title word."""
    match = patterns().after_title.match(text, at, end)
    return _unknown(match) if match else None


def _apposition(text: str, start: int, end: int) -> list[NameMatch]:
    """"Gholamreza Sedighi, ambassador of ...": unknown words before a comma and a title."""
    p = patterns()
    found = []
    for comma in p.title_comma.finditer(text, start, end):
        stop = comma.start() - 1 if text[comma.start() - 1] == " " else comma.start()
        match = p.apposition.search(text, _after_spaces(text, max(start, stop - 80), stop, 5), stop)
        name = _unknown(match) if match else None
        if name:
            found.append(name)
    return found


def _after_spaces(text: str, low: int, stop: int, count: int) -> int:
    """Where the search for an apposition may start: after the `count`th space back from
    `stop`, as what it finds (two to four words, single spaces between, one after) holds four
    at most. The search tries every offset, and the window of 80 characters has a dozen words."""
    at = stop
    for _ in range(count):
        at = text.rfind(" ", low, at)
        if at < 0:
            return low
    return at + 1


def _unknown(match: re.Match) -> NameMatch | None:
    words = match.group(1)
    if not _could_be_name(words):
        return None
    return new_match((match.start(1), match.end(1), words, "apposition", None))


@lru_cache(maxsize=65536)  # capitalised phrases before titles recur ("Foreign Minister")
def _could_be_name(words: str) -> bool:
    tokens = words.split()
    return len(tokens) >= 2 and not any(t in patterns().not_name for t in tokens)
