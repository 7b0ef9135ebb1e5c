"""Which country a phrase points to, from the cues in data/countries.yaml."""
from __future__ import annotations

import re
from functools import lru_cache

from readout.domain import alternation, load_yaml


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern, dict[str, str]]:
    by_cue = {}
    for code, cues in load_yaml("countries.yaml").items():
        for cue in cues:
            by_cue.setdefault(cue, code)
    pattern = re.compile(rf"(?<![\w.])(?:{alternation(by_cue)})(?![\w])")
    return pattern, by_cue


def country_in(text: str | None) -> str | None:
    """The country of the first cue in `text`, or None."""
    return _first_country(text) if text else None


# Titles and side phrases recur from article to article; the cue pattern is tried at every
# offset of them (some 10 µs for a long title).
@lru_cache(maxsize=8192)
def _first_country(text: str) -> str | None:
    pattern, by_cue = _cues()
    match = pattern.search(text)
    return by_cue[match.group()] if match else None


def countries_in(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
    """(offset, country) for every cue in text[start:end]."""
    pattern, by_cue = _cues()
    end = len(text) if end is None else end
    return [(m.start(), by_cue[m.group()]) for m in pattern.finditer(text, start, end)]
