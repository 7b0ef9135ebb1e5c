"""Cutting the body into sentences, keeping offsets.

A full stop ends a sentence unless it belongs to an initial ("O.R."), an initialism ("U.S.",
"C.C.") or an abbreviation listed in data/abbreviations.yaml ("Nov.", "No.").
"""
from __future__ import annotations

import re
from functools import lru_cache

from readout.domain import load_yaml
from readout.model import Span

PARAGRAPH = re.compile(r"[^\n]+")
TRIM = " \t|"


CANDIDATE = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘']?[A-Z0-9(])")
WORD_BEFORE = re.compile(r"(\S+)$")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(load_yaml("abbreviations.yaml")["no_sentence_end"])


def _ends_sentence(text: str, stop: int) -> bool:
    """Is the full stop at `stop` the end of a sentence, not of an initial or abbreviation?"""
    if text[stop] != ".":
        return True
    word = WORD_BEFORE.search(text, max(0, stop - 40), stop)
    token = word.group(1) if word else ""
    if re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", token):   # "O.R", "U.S", "C.C", a lone initial
        return False
    return token not in _abbreviations()


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    spans = []
    for paragraph in PARAGRAPH.finditer(text, start, end):
        cursor = paragraph.start()
        for boundary in CANDIDATE.finditer(text, paragraph.start(), paragraph.end()):
            if _ends_sentence(text, boundary.start()):
                _append(spans, text, cursor, boundary.start() + 1)
                cursor = boundary.end()
        _append(spans, text, cursor, paragraph.end())
    return spans


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    if start < end and text[start] not in TRIM and text[end - 1] not in TRIM:
        spans.append(Span(start, end))   # nearly every sentence: nothing to trim
        return
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    if end > start:
        spans.append(Span(start, end))
