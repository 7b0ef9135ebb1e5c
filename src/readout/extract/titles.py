"""The title that state media attach to a name, after it ("Kim Tok Hun, premier of the DPRK
Cabinet, ...") or before it ("First Deputy Prime Minister Denis Mantrov").

A title after a name runs from the comma after the name over comma-separated segments while
each next segment reads as more title (it opens with a title word, is an acronym such as "WPK",
or continues a list of capitalised words inside an organisation's name); it ends at the next
person, at a clause ("had talks", "on June 19") or at the end of the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from readout.domain import load_yaml
from readout.extract.countries import country_in
from readout.model import Span

COMMA = re.compile(r"\s*,\s*")
AND = re.compile(r"\s*and\s*")
TRAILING_JOIN = re.compile(r"(?:,?\s*(?:and)?\s*)$")
MORE_TITLE = re.compile(r"\s*(?:[A-Z]{2,6}|(?:and\s+)?[A-Z][a-z]+(?:\s+and\s+[A-Z][a-z]+)?)\s*(?:,|$)")
ANOTHER_PERSON = re.compile(r"\s*and\s+(?:the|a|an)\s")   # ", and the chairperson of a party"
TOKEN = re.compile(r"[\w'’.()-]+|,")
FIRST_WORD = re.compile(r"\s*(?:and\s+)?(?:the\s+)?([\w'’-]+)")


@dataclass
class _Vocabulary:
    start_words: frozenset[str]
    before_name: frozenset[str]
    lowercase_before: frozenset[str]
    connectors: frozenset[str]
    honorifics: frozenset[str]
    comma_phrases: tuple[str, ...]
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
        comma_phrases=tuple(data["title_comma_phrases"]),
        stop_words=frozenset(data["title_stop_words"]),
    )


def title_after(text: str, name_end: int, limit: int, name_starts: set[int]) -> Span | None:
    """The title written after a name and a comma, up to `limit` (end of sentence)."""
    match = COMMA.match(text, name_end, limit)
    if not match or not _opens_title(text, match.end(), limit, name_starts, first=True):
        return None
    start = end = match.end()
    for comma in _commas(text, start, limit):
        end = comma
        if not _opens_title(text, comma + 1, limit, name_starts, first=False):
            return _trimmed(text, start, _before_next_name(text, start, end, name_starts))
    return _trimmed(text, start, _before_next_name(text, start, limit, name_starts))


def _commas(text: str, start: int, limit: int):
    """Offsets of the commas in text[start:limit] that separate segments."""
    comma = text.find(",", start, limit)
    while comma >= 0:
        if not _inside_phrase(text, comma):
            yield comma
        comma = text.find(",", comma + 1, limit)


def _inside_phrase(text: str, comma: int) -> bool:
    for phrase in vocabulary().comma_phrases:
        for index in (i for i, ch in enumerate(phrase) if ch == ","):
            if text.startswith(phrase, comma - index):
                return True
    return False


def _before_next_name(text: str, start: int, limit: int, name_starts: set[int]) -> int:
    later = [s for s in name_starts if start <= s < limit]
    if not later:
        return limit
    # "..., and Im Chon Il" or "... and Li Jinjun": the joining word is not title
    cut = min(later)
    return start + len(TRAILING_JOIN.sub("", text[start:cut]))


def _opens_title(text: str, at: int, limit: int, name_starts: set[int], first: bool) -> bool:
    """Does the segment starting at `at` read as (more) title rather than a new clause or person?"""
    segment = text[at:limit]
    comma = segment.find(",")
    segment_end = at + (comma if comma >= 0 else len(segment))
    named = [start for start in name_starts if at <= start < segment_end]
    if named and (not first or not text[at:min(named)].strip(" ,") or
                  AND.fullmatch(text, at, min(named))):
        return False   # the segment names the next person: "..., First Deputy Prime Minister Denis Mantrov"
    word = FIRST_WORD.match(segment)
    if not word or (not first and ANOTHER_PERSON.match(segment)):
        return False
    token = word.group(1)
    if token in vocabulary().stop_words:
        return False
    if token in vocabulary().start_words or _country_then_title(segment, word):
        return True
    if first:
        return False
    return bool(MORE_TITLE.match(segment))


def _country_then_title(segment: str, word: re.Match) -> bool:
    """"DPRK's cabinet chief councilor", "Cuban ambassador": a country, then the title."""
    if country_in(re.sub(r"['’]s$", "", word.group(1))) is None:
        return False
    if re.match(r"\s*(?:and\s+)?the\s", segment):
        return False       # ", the Korean Party and government and ...": a new phrase, not a title
    following = FIRST_WORD.match(segment, word.end())
    return bool(following) and (following.group(1) in vocabulary().before_name
                                or following.group(1).islower())


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while end > start and text[end - 1] in " ,;":
        end -= 1
    if end - start > 1 and text[end - 1] == "." and text[end - 2].islower():
        end -= 1
    return Span(start, end) if end > start else None


def title_before(text: str, name_start: int, bound: int) -> Span | None:
    """The title written directly before a name ("Russian Ambassador to the DPRK ...")."""
    v = vocabulary()
    tokens = list(TOKEN.finditer(text, bound, name_start))
    if (not tokens or tokens[-1].group() == "," or tokens[-1].group() in v.connectors
            or text[tokens[-1].end():name_start].strip()):
        return None
    kept = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index].group()
        if not _title_token(token, tokens, index):
            break
        kept.insert(0, tokens[index])
    while kept and (kept[0].group() in v.connectors or kept[0].group() in v.honorifics
                    or kept[0].group() == ","):
        kept.pop(0)
    kept = _after_organisation(kept)
    words = {t.group() for t in kept}
    if not kept or not (words & v.before_name or words & v.lowercase_before):
        return None
    return Span(kept[0].start(), kept[-1].end())


def _after_organisation(kept: list) -> list:
    """"... the C.C., the CPC and General Secretary Xi Jinping": the title is what follows the
    last "and" or comma when what precedes it holds no title word (it ends an organisation's
    name, not a title)."""
    v = vocabulary()
    for index in range(len(kept) - 1, 0, -1):
        if kept[index].group() in ("and", ","):
            before = {t.group() for t in kept[:index]}
            after = {t.group() for t in kept[index + 1:]}
            if after & v.before_name and not before & v.before_name:
                return kept[index + 1:]
    return kept


def _title_token(token: str, tokens: list, index: int) -> bool:
    v = vocabulary()
    if token == ",":
        return 0 < index < len(tokens) - 1 and tokens[index - 1].group()[:1].isupper()
    if token in v.connectors or token in v.lowercase_before:
        return True
    bare = token.strip("()")
    return bare[:1].isupper() and token not in v.honorifics


def join_titles(before: str | None, after: str | None) -> str | None:
    if before and after:
        return f"{before}, {after}"
    return before or after
