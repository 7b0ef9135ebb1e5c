"""Turning a date span found in the text into a date, against the publication date.

Finding the span is the caller's job (dateparser's own search turns ordinary words into dates);
here we only parse a span once it is known to be a date.
"""
from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

import dateparser

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}


def weekday_before(weekday: str, base: dt.date | None) -> dt.date | None:
    """The latest `weekday` on or before `base`: KCNA's "on Friday" in a Friday report is that day."""
    index = WEEKDAYS.get(weekday.lower())
    if base is None or index is None:
        return None
    return base - dt.timedelta(days=(base.weekday() - index) % 7)


@lru_cache(maxsize=65536)
def parse_date(span: str, base: dt.date | None = None, date_order: str = "MDY") -> dt.date | None:
    """Parse a date span; a span without a year needs `base` and resolves to the past of it."""
    try:
        return dt.date.fromisoformat(span)   # ISO needs no guessing, and dateparser misreads it as YMD
    except ValueError:
        pass
    settings = {"PREFER_DATES_FROM": "past", "DATE_ORDER": date_order,
                "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    elif not _has_year(span):
        return None
    parsed = dateparser.parse(span, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _has_year(span: str) -> bool:
    return any(len(token) == 4 and token.isdigit() for token in span.replace(",", " ").replace(".", " ").replace("/", " ").split())
