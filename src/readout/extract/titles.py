"""The title that state media attach to a name, after it ("Kim Tok Hun, premier of the DPRK
Cabinet, ...") or before it ("First Deputy Prime Minister Denis Mantrov").

A title after a name runs from the comma after the name over comma-separated segments while
each next segment reads as more title (it opens with a title word, is an acronym such as "WPK",
or continues a list of capitalised words inside an organisation's name); it ends at the next
person, at a clause ("had talks", "on June 19") or at the end of the sentence.

A title before a name is the run of title words read backwards from the name. `Titles` reads
one text for all its names: backwards over a reversed copy, so that a run costs the few words it
has rather than a pass over the sentence before it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from readout.domain import load_yaml
from readout.extract.countries import country_in
from readout.model import Span, span_of

COMMA = re.compile(r"\s*,\s*")
AND = re.compile(r"\s*and\s*")
TRAILING_JOIN = re.compile(r"(?:,?\s*(?:and)?\s*)$")
MORE_TITLE = re.compile(r"\s*(?:[A-Z]{2,6}|(?:and\s+)?[A-Z][a-z]+(?:\s+and\s+[A-Z][a-z]+)?)\s*(?:,|$)")
ANOTHER_PERSON = re.compile(r"\s*and\s+(?:the|a|an)\s")   # ", and the chairperson of a party"
NEW_PHRASE = re.compile(r"\s*(?:and\s+)?the\s")           # ", the Korean Party and government"
POSSESSIVE = re.compile(r"['’]s$")
FIRST_WORD = re.compile(r"\s*(?:and\s+)?(?:the\s+)?([\w'’-]+)")
# A token is a word ([\w'’.()-]+) or a comma; read in the reversed text, what precedes it
# (spaces, quotes, colons) is skipped first.
TOKEN_BACKWARDS = re.compile(r"[^\w'’.()\-,]*([\w'’.()-]+|,)")


@dataclass
class _Vocabulary:
    start_words: frozenset[str]
    before_name: frozenset[str]
    lowercase_before: frozenset[str]
    connectors: frozenset[str]
    honorifics: frozenset[str]
    comma_phrases: tuple[tuple[str, int], ...]   # (phrase, offset of one of its commas)
    stop_words: frozenset[str]


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    data = load_yaml("titles.yaml")
    return _Vocabulary(
        start_words=frozenset(data["title_start_words"]),
        before_name=frozenset(data["title_before_name"]),
        lowercase_before=frozenset(data["lowercase_title_before_name"]),
        connectors=frozenset(data["title_connectors"]),
        honorifics=frozenset(data["honorifics"]),
        comma_phrases=tuple((phrase, index) for phrase in data["title_comma_phrases"]
                            for index, char in enumerate(phrase) if char == ","),
        stop_words=frozenset(data["title_stop_words"]),
    )


# A token of the text read backwards: (start, end, word). A plain tuple, because a named one
# costs a Python-level constructor call for every word read.
_Token = tuple[int, int, str]


class Titles:
    """The titles written around the names of one text."""

    def __init__(self, text: str, name_starts):
        self.text = text
        self.size = len(text)
        self.reversed = text[::-1]
        self.name_starts = sorted(name_starts)
        self.words = vocabulary()

    def after(self, name_end: int, limit: int) -> Span | None:
        """The title written after a name and a comma, up to `limit` (end of sentence)."""
        text = self.text
        match = COMMA.match(text, name_end, limit)
        if not match or not self._opens_title(match.end(), limit, first=True):
            return None
        start = match.end()
        comma = self._next_comma(start, limit)
        while comma >= 0:
            if not self._opens_title(comma + 1, limit, first=False):
                return _trimmed(text, start, self._before_next_name(start, comma))
            comma = self._next_comma(comma + 1, limit)
        return _trimmed(text, start, self._before_next_name(start, limit))

    def before(self, name_start: int, bound: int) -> Span | None:
        """The title written directly before a name ("Russian Ambassador to the DPRK ..."),
        not reaching back before `bound`. It depends on text[bound:name_start] alone, so a
        short stretch is read once per process (see _title_before). Of a longer one (the start
        of a sentence) the words of its last SHORT_STRETCH characters decide, unless the title
        runs back to the first of them (a name in 80 of the bench's)."""
        found, reached = None, True
        if name_start - bound > SHORT_STRETCH:
            tail = self.text.find(" ", name_start - SHORT_STRETCH, name_start) + 1
            if tail:
                found, reached = _title_before(self.text[tail:name_start])
            if reached:
                return self._read_before(name_start, bound)[0]
        else:
            found, _ = _title_before(self.text[bound:name_start])
        return span_of((name_start - found[0], name_start - found[1])) if found else None

    def _read_before(self, name_start: int, bound: int) -> tuple[Span | None, bool]:
        """The title before a name, and whether reading it reached `bound` (what lies before
        `bound` could have changed it)."""
        v = self.words
        last = self._token_before(name_start, bound)
        if last is None:
            return None, True
        if last[2] == "," or last[2] in v.connectors or self.text[last[1]:name_start].strip():
            return None, False
        kept, reached = self._title_run(last, bound)
        while kept and (kept[0][2] in v.connectors or kept[0][2] in v.honorifics
                        or kept[0][2] == ","):
            kept.pop(0)
        kept = _after_organisation(kept, v)
        words = {word for _, _, word in kept}
        if not kept or not (words & v.before_name or words & v.lowercase_before):
            return None, reached
        return span_of((kept[0][0], kept[-1][1])), reached

    def _token_before(self, end: int, bound: int) -> _Token | None:
        """The last token of text[bound:end]."""
        size = self.size
        match = TOKEN_BACKWARDS.match(self.reversed, size - end, size - bound)
        if match is None:
            return None
        word = match.group(1)
        return size - match.end(), size - match.end() + len(word), word[::-1]

    def _title_run(self, last: _Token, bound: int) -> tuple[list[_Token], bool]:
        """The tokens that read as title, from `last` backwards, in text order, and whether
        they run back to `bound`."""
        kept, token = [], last
        while token is not None:
            word = token[2]
            if word != "," and not self._title_word(word):
                break
            previous = self._token_before(token[0], bound)
            # a comma inside a title follows a capitalised word: "the C.C., WPK"
            if word == "," and (previous is None or not previous[2][:1].isupper()):
                token = previous
                break
            kept.append(token)
            token = previous
        kept.reverse()
        return kept, token is None

    def _title_word(self, word: str) -> bool:
        v = self.words
        if word in v.connectors or word in v.lowercase_before:
            return True
        return word.strip("()")[:1].isupper() and word not in v.honorifics

    def _next_comma(self, start: int, limit: int) -> int:
        """The offset of the first comma in text[start:limit] that separates segments, or -1."""
        comma = self.text.find(",", start, limit)
        while comma >= 0 and self._inside_phrase(comma):
            comma = self.text.find(",", comma + 1, limit)
        return comma

    def _inside_phrase(self, comma: int) -> bool:
        for phrase, index in self.words.comma_phrases:
            if self.text.startswith(phrase, comma - index):
                return True
        return False

    def _next_name(self, start: int, end: int) -> int | None:
        """Where the first name starting in text[start:end] starts."""
        index = bisect.bisect_left(self.name_starts, start)
        if index < len(self.name_starts) and self.name_starts[index] < end:
            return self.name_starts[index]
        return None

    def _before_next_name(self, start: int, limit: int) -> int:
        cut = self._next_name(start, limit)
        if cut is None:
            return limit
        # "..., and Im Chon Il" or "... and Li Jinjun": the joining word is not title
        return start + len(TRAILING_JOIN.sub("", self.text[start:cut]))

    def _opens_title(self, at: int, limit: int, first: bool) -> bool:
        """Does the segment starting at `at` read as (more) title rather than a new clause or person?"""
        text, v = self.text, self.words
        comma = text.find(",", at, limit)
        named = self._next_name(at, comma if comma >= 0 else limit)
        if named is not None and (not first or not text[at:named].strip(" ,") or
                                  AND.fullmatch(text, at, named)):
            return False   # the segment names the next person: "..., First Deputy Prime Minister Denis Mantrov"
        word = FIRST_WORD.match(text, at, limit)
        if not word or (not first and ANOTHER_PERSON.match(text, at, limit)):
            return False
        token = word.group(1)
        if token in v.stop_words:
            return False
        if token in v.start_words or self._country_then_title(at, limit, word):
            return True
        if first:
            return False
        return bool(MORE_TITLE.match(text, at, limit))

    def _country_then_title(self, at: int, limit: int, word: re.Match) -> bool:
        """"DPRK's cabinet chief councilor", "Cuban ambassador": a country, then the title."""
        if country_in(POSSESSIVE.sub("", word.group(1))) is None:
            return False
        if NEW_PHRASE.match(self.text, at, limit):
            return False       # ", the Korean Party and government and ...": a new phrase, not a title
        following = FIRST_WORD.match(self.text, word.end(), limit)
        return bool(following) and (following.group(1) in self.words.before_name
                                    or following.group(1).islower())


# What comes between a name and the one before it in a list (", ", " and ", ", First Deputy
# Prime Minister ") recurs from article to article; longer stretches (the start of a
# sentence) rarely do and are not worth keeping.
SHORT_STRETCH = 60


@lru_cache(maxsize=65536)
def _title_before(stretch: str) -> tuple[tuple[int, int] | None, bool]:
    """Titles.before of a name right after `stretch`, as distances back from the name, and
    whether reading it reached the stretch's start."""
    span, reached = Titles(stretch, ())._read_before(len(stretch), 0)
    return (len(stretch) - span.start, len(stretch) - span.end) if span else None, reached


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while end > start and text[end - 1] in " ,;":
        end -= 1
    if end - start > 1 and text[end - 1] == "." and text[end - 2].islower():
        end -= 1
    return span_of((start, end)) if end > start else None


def _after_organisation(kept: list[_Token], v: _Vocabulary) -> list[_Token]:
    """"... the C.C., the CPC and General Secretary Xi Jinping": the title is what follows the
    last "and" or comma when what precedes it holds no title word (it ends an organisation's
    name, not a title)."""
    for index in range(len(kept) - 1, 0, -1):
        if kept[index][2] in ("and", ","):
            before = {word for _, _, word in kept[:index]}
            after = {word for _, _, word in kept[index + 1:]}
            if after & v.before_name and not before & v.before_name:
                return kept[index + 1:]
    return kept


def join_titles(before: str | None, after: str | None) -> str | None:
    if before and after:
        return f"{before}, {after}"
    return before or after
