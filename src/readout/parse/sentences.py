"""Cutting the body into sentences, keeping offsets.

A full stop ends a sentence unless it belongs to an initial ("O.R."), an initialism ("U.S.",
"C.C.") or an abbreviation listed in data/abbreviations.yaml ("Nov.", "No.").
"""
from __future__ import annotations

import re
from functools import lru_cache, partial
from itertools import repeat

from readout.domain import load_yaml
from readout.model import Span, span_of

PARAGRAPH = re.compile(r"[^\n]+")
TRIM = " \t|"


# The spaces after a stop never include a newline: a boundary lies inside one paragraph, so
# that one search of the whole body finds what a search of each paragraph finds.
CANDIDATE = re.compile(r"[.!?][\"”’']?[^\S\n]+(?=[\"“‘']?[A-Z0-9(])")
INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")   # "O.R", "U.S", "C.C", a lone initial


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(load_yaml("abbreviations.yaml")["no_sentence_end"])


def _ends_sentence(text: str, stop: int) -> bool:
    """Is the full stop at `stop` the end of a sentence, not of an initial or abbreviation?"""
    if text[stop] != ".":
        return True
    token = _word_before(text[stop - 40 if stop > 40 else 0:stop])
    if INITIALS.fullmatch(token):
        return False
    return token not in _abbreviations()


def _word_before(window: str) -> str:
    """The run of non-space characters that ends the window, or "" if a space ends it: what
    a search for r"(\\S+)$" finds, without trying it at every offset of the window (str.split
    and \\s agree on what a space is)."""
    if window.endswith("\n"):
        window = window[:-1]   # "$" matches before a final newline too
    if not window or window[-1].isspace():
        return ""
    return window.rsplit(None, 1)[-1]


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    spans = []
    # the boundaries of the whole body at once: searched per paragraph, the three str.find
    # scans and the sort ran for each of some six paragraphs an article, most without one
    boundaries = _candidates(text, start, end)
    taken, count = 0, len(boundaries)
    for paragraph in PARAGRAPH.finditer(text, start, end):
        cursor, stop = paragraph.span()
        while taken < count and boundaries[taken].start() < stop:
            boundary = boundaries[taken]
            taken += 1
            if _ends_sentence(text, boundary.start()):
                _append(spans, text, cursor, boundary.start() + 1)
                cursor = boundary.end()
        # nearly every paragraph is one sentence with nothing to trim: kept without a call
        if cursor < stop and text[cursor] not in TRIM and text[stop - 1] not in TRIM:
            spans.append(span_of((cursor, stop)))
        else:
            _append(spans, text, cursor, stop)
    return spans


STOPS = ".!?"   # the characters a CANDIDATE match opens with


def _candidates(text: str, start: int, end: int) -> list[re.Match]:
    """What CANDIDATE.finditer(text, start, end) finds, tried only where a stop stands: a
    search runs every character through the pattern's opening class (some 90k instructions
    an article), str.find skips to the few stops in C. No stop lies inside a match after its
    first character, so matching at each stop in turn finds what the search finds."""
    stops = []
    for char in STOPS:
        at = text.find(char, start, end)
        while at >= 0:
            stops.append(at)
            at = text.find(char, at + 1, end)
    stops.sort()
    return [match for match in map(partial(CANDIDATE.match, text), stops, repeat(end)) if match]


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    if start < end and text[start] not in TRIM and text[end - 1] not in TRIM:
        spans.append(span_of((start, end)))   # nearly every sentence: nothing to trim
        return
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    if end > start:
        spans.append(Span(start, end))
