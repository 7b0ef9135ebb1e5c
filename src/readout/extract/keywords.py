"""Running a rule only where its keywords are.

A regex scan of a whole article costs about a hundred times a substring search, so every rule
names keywords (lower case) and runs only on the sentences that hold one. All keywords of all
rules are found in one pass with an Aho-Corasick automaton.
"""
from __future__ import annotations

import bisect
from functools import lru_cache
from operator import itemgetter
from typing import Iterable

import ahocorasick_rs

from readout.domain import load_yaml
from readout.model import Span


def dfa_automaton(keys: list[str]) -> ahocorasick_rs.AhoCorasick:
    """An automaton of `keys` that reports a hit as the key's number in the list. A DFA: two
    to three times faster a character than pyahocorasick's trie on the bench articles, and
    extraction scans every article whole twice (keywords, and name openers)."""
    return ahocorasick_rs.AhoCorasick(keys, implementation=ahocorasick_rs.Implementation.DFA)


@lru_cache(maxsize=1)
def _automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[str]]:
    """The automaton, and the keywords by the number it reports a hit of each with."""
    keywords = {k for rule in load_yaml("events.yaml")["rules"]
                for k in (*rule["keywords"], *rule.get("and_keywords", ()))}
    keywords |= {k for rule in load_yaml("attendance.yaml")["triggers"] for k in rule["keywords"]}
    keywords |= set(_day_word_literals() or ())
    ordered = sorted(keywords)
    return dfa_automaton(ordered), ordered


def _day_word_literals():
    from readout.extract.dates import day_word_literals  # dates reads this index: import late

    return day_word_literals()


def holds_any(window: str, keywords: tuple[str, ...]) -> bool:
    """Does `window` hold one of `keywords`? The test before a regex search of a short window
    that nearly never matches: a substring test is some 50 ns, a search about 1 us. A loop,
    as any() over a generator costs more than the tests on these few keywords."""
    for keyword in keywords:
        if keyword in window:
            return True
    return False


class SentenceIndex:
    """Sentences in text order, for each keyword the sentences that hold it, and for each
    sentence that holds any the keywords it holds (`keywords_in`: a sentence holds two or three
    of a small vocabulary, so what is done for a set of them can be cached across articles)."""

    def __init__(self, text: str, sentences: list[Span]):
        self.ordered = sorted(sentences, key=itemgetter(0))   # a span's start, read in C
        self.starts = [s.start for s in self.ordered]
        self.lowered = text.lower()   # keywords are lower case; case-insensitive rules use it too
        self.size = len(text)
        self.by_keyword: dict[str, dict[int, Span]] = {}
        keywords_in: dict[Span, list[str]] = {}
        sentence = held = None
        automaton, keywords = _automaton()
        # every occurrence of every keyword, overlapping ones too, in the order of their ends
        for number, start, _end in automaton.find_matches_as_indexes(self.lowered, overlapping=True):
            keyword = keywords[number]
            # hits come in text order, a few to a sentence: most are in the sentence before
            if sentence is None or not sentence.start <= start < sentence.end:
                sentence = self.containing(start)
                held = None if sentence is None else keywords_in.setdefault(sentence, [])
            if sentence is not None:
                self.by_keyword.setdefault(keyword, {})[sentence.start] = sentence
                held.append(keyword)
        self.keywords_in: dict[Span, frozenset[str]] = {s: frozenset(held) for s, held in keywords_in.items()}

    def from_offset(self, offset: int) -> SentenceIndex:
        """The same index over the sentences that start at `offset` or later, without a
        second pass over the text (extract asks with_keywords for them instead, which
        builds nothing)."""
        narrowed = SentenceIndex.__new__(SentenceIndex)
        narrowed.lowered, narrowed.size = self.lowered, self.size
        narrowed.ordered = [s for s in self.ordered if s.start >= offset]
        narrowed.starts = [s.start for s in narrowed.ordered]
        narrowed.by_keyword = {}
        narrowed.keywords_in = {s: held for s, held in self.keywords_in.items() if s.start >= offset}
        for keyword, sentences in self.by_keyword.items():
            kept = {start: s for start, s in sentences.items() if start >= offset}
            if kept:
                narrowed.by_keyword[keyword] = kept
        return narrowed

    def containing(self, offset: int) -> Span | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.ordered[index].end:
            return self.ordered[index]
        return None

    def with_keywords(self, keywords: Iterable[str], since: int = 0) -> list[Span]:
        """The sentences holding any of the keywords, in text order, of those that start at
        `since` or later."""
        by_keyword = self.by_keyword
        held = by_keyword.keys() & keywords   # in C; find_lists asks for 7 lists, most absent
        if not held:
            return []
        hits: dict[int, Span] = {}
        for keyword in held:
            hits.update(by_keyword[keyword])
        return [hits[start] for start in sorted(hits) if start >= since]
