"""Reading the furniture around an article: outlet, publication date, headline, dateline, byline.

Steps, top to bottom (rules live in data/header.yaml):
1. cut the text into lines with their offsets;
2. walk the top lines: crawl dates are skipped, date and outlet lines are read, page furniture is
   skipped, and the first short line without a full stop is the headline (repeats of it and
   kicker lines are headline lines too);
3. the first line after that is where the body begins; a wire dateline there names the agency;
4. walk the bottom lines: furniture is skipped and a short signature line is the byline.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from readout.domain import load_yaml
from readout.model import Span, span_of
from readout.parse.dates import parse_date

TAG = re.compile(r"<[^>]{0,200}>")
HEADLINE_MAX = 300


class Line(NamedTuple):
    """A line of the text; a named tuple, as every line of every article makes one."""

    start: int
    end: int
    text: str        # stripped, tags removed


@dataclass
class Header:
    source: str | None = None
    published: dt.date | None = None
    published_rule: str | None = None
    title: str | None = None
    title_span: Span | None = None
    headline_spans: list[Span] = field(default_factory=list)
    body_start: int = 0
    body_end: int = 0
    dateline_span: Span | None = None
    dateline_date: str | None = None
    byline: str | None = None


@dataclass
class _Rules:
    crawl: list[tuple[str, re.Pattern, re.Pattern | None]]
    published: list[tuple[str, re.Pattern, str]]
    outlets: list[tuple[str, re.Pattern, str | None]]
    furniture: re.Pattern          # all of header.yaml's furniture lines, one alternation
    dateline: re.Pattern
    byline: re.Pattern
    agencies: dict[str, str]
    any_line: re.Pattern           # matches a line where any crawl, furniture, date or outlet rule does


@lru_cache(maxsize=1)
def rules() -> _Rules:
    data = load_yaml("header.yaml")
    fill = lambda pattern: re.compile(pattern.format(months=data["months"]))  # noqa: E731
    return _Rules(
        crawl=[(r["id"], fill(r["line"]), fill(r["next_line"]) if r.get("next_line") else None)
               for r in data["crawl_dates"]],
        published=[(r["id"], fill(r["line"]), r.get("date_order", "MDY")) for r in data["published"]],
        outlets=[(r["id"], fill(r["line"]), r.get("source")) for r in data["outlet_lines"]],
        furniture=re.compile("|".join(f"(?:{p})" for p in data["furniture"])),
        any_line=_any_line([fill(r["line"]).pattern for key in ("crawl_dates", "published", "outlet_lines")
                            for r in data[key]] + data["furniture"]),
        dateline=fill(data["dateline"]),
        byline=re.compile(data["byline"]),
        agencies=data["agencies"],
    )


def _any_line(patterns: list[str]) -> re.Pattern:
    """One alternation of every rule for a whole top line, its named groups plain (they
    repeat from rule to rule): a line it does not match, the headline or the body's first,
    skips the dozen matches of the rules one by one."""
    assert not any("(?P=" in p for p in patterns), "a back reference needs its group"
    return re.compile("|".join(f"(?:{re.sub(r'[(][?]P<[^>]+>', '(?:', p)})" for p in patterns))


LINE = re.compile(r"\S(?:[^\n]*\S)?")  # a line's content, from its first to its last non-space


class LinesAhead:
    """The text's non-empty lines, with offsets of their stripped content, read from the top
    as far as they are asked for: the header walk reads a few, the body may have hundreds."""

    def __init__(self, text: str):
        self._matches = LINE.finditer(text)
        self._lines: list[Line] = []

    def get(self, index: int) -> Line | None:
        """Line `index` (from 0), or None past the last."""
        while len(self._lines) <= index:
            match = next(self._matches, None)
            if match is None:
                return None
            self._lines.append(_line(match))
        return self._lines[index]


class LinesBack:
    """The same lines read from the bottom up, as far as they are asked for, down to the one
    that starts at `start` (a line's start)."""

    def __init__(self, text: str, start: int):
        self._text, self._start, self._end = text, start, len(text)
        self._lines: list[Line] = []

    def get(self, index: int) -> Line | None:
        """Line `index` counted from the last (0), or None before the first."""
        while len(self._lines) <= index:
            if self._end < self._start:
                return None
            self._read_one()
        return self._lines[index]

    def _read_one(self) -> None:
        """The next line up, if the piece between two newlines holds one."""
        newline = self._text.rfind("\n", self._start, self._end)
        match = LINE.search(self._text, max(newline + 1, self._start), self._end)
        self._end = newline if newline >= 0 else self._start - 1
        if match:
            self._lines.append(_line(match))

    def __iter__(self):
        index = 0
        while (line := self.get(index)) is not None:
            yield line
            index += 1


def _line(match: re.Match) -> Line:
    stripped = match.group()
    return Line(match.start(), match.end(), TAG.sub("", stripped).strip() if "<" in stripped else stripped)


LANGUAGE_TAG = re.compile(r"\s*\((?:En|EN)\)\s*$")
# The stops that end a line's text (stripped: no newline ends it), read off its last character:
# a search for [.!?:"”]$ ran every character of the line through the class.
STOPS_AT_END = (".", "!", "?", ":", '"', "”")


def canonical_source(name: str) -> str:
    """Map an agency or source-line name ("KCNA.kp (En)") to the outlet's name."""
    bare = LANGUAGE_TAG.sub("", name.strip())
    return rules().agencies.get(bare, bare)


def parse_header(text: str) -> Header:
    lines = LinesAhead(text)
    header = Header(body_end=len(text))
    first = lines.get(_read_top(lines, header))
    if first is not None:
        header.body_start = first.start
        _read_dateline(text, header)
        _read_bottom(LinesBack(text, first.start), header)
    return header


def _is_furniture(line: Line) -> bool:
    return rules().furniture.match(line.text) is not None


def _crawl_date(lines: LinesAhead, i: int) -> bool:
    for _id, pattern, next_line in rules().crawl:
        if pattern.match(lines.get(i).text):
            following = lines.get(i + 1)
            if next_line is None or next_line.match(following.text if following else ""):
                return True
    return False


def _read_date_line(line: Line, header: Header) -> bool:
    for rule_id, pattern, order in rules().published:
        match = pattern.match(line.text)
        if match:
            if header.published is None:
                header.published = parse_date(match["date"], None, order)
                header.published_rule = rule_id
            if "source" in pattern.groupindex and header.source is None:
                header.source = canonical_source(match["source"])
            return True
    return False


def _read_outlet_line(line: Line, header: Header) -> bool:
    for _id, pattern, source in rules().outlets:
        match = pattern.match(line.text)
        if match:
            header.source = header.source or source or canonical_source(match["source"])
            return True
    return False


def _looks_like_headline(line: Line) -> bool:
    return (len(line.text) <= HEADLINE_MAX and not line.text.endswith(STOPS_AT_END)
            and not rules().dateline.match(line.text))


def _read_top(lines: LinesAhead, header: Header) -> int:
    """Consume header lines; return the index of the first body line."""
    i = 0
    while (line := lines.get(i)) is not None:
        if rules().any_line.match(line.text) and (
                _crawl_date(lines, i) or _is_furniture(line)
                or _read_date_line(line, header) or _read_outlet_line(line, header)):
            i += 1
        elif _looks_like_headline(line) and _more_follows(lines, i):
            header.title_span = span_of((line.start, line.end))   # one tuple serves both
            header.headline_spans.append(header.title_span)
            header.title = line.text
            i += 1
        else:
            break
    return i


def _more_follows(lines: LinesAhead, i: int) -> bool:
    """A headline is followed by a body; a lone last line is not a headline."""
    return lines.get(i + 1) is not None


def _read_dateline(text: str, header: Header) -> None:
    match = rules().dateline.match(text, header.body_start)
    if match:
        header.dateline_span = Span(match.start("place"), match.end())
        header.dateline_date = match["date"]
        header.source = header.source or canonical_source(match["agency"])


def _read_bottom(lines: LinesBack, header: Header) -> None:
    for line in lines:
        if _is_furniture(line):
            header.body_end = line.start
            continue
        if rules().byline.match(line.text) and lines.get(1) is not None:
            header.byline = line.text
            header.body_end = line.start
            if line.text in rules().agencies:
                header.source = header.source or canonical_source(line.text)
        break
    if header.source is None and "KOREA NEWS SERVICE" in _last_three(lines):
        header.source = "KCNA"


def _last_three(lines: LinesBack) -> str:
    """The last three lines joined, read only for an article whose source is not known yet."""
    return " ".join(reversed([line.text for line in map(lines.get, range(3)) if line is not None]))
