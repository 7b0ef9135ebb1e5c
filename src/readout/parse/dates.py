"""Turning a date span found in the text into a date, against the publication date.

Finding the span is the caller's job (dateparser's own search turns ordinary words into dates);
here we only parse a span once it is known to be a date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

import dateparser
from dateutil import parser as dateutil_parser

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}


def weekday_before(weekday: str, base: dt.date | None) -> dt.date | None:
    """The latest `weekday` on or before `base`: KCNA's "on Friday" in a Friday report is that day."""
    index = WEEKDAYS.get(weekday.lower())
    if base is None or index is None:
        return None
    return base - dt.timedelta(days=(base.weekday() - index) % 7)


def parse_date(span: str, base: dt.date | None = None, date_order: str = "MDY") -> dt.date | None:
    """Parse a date span; a span without a year needs `base` and resolves to the past of it."""
    if _has_year(span):
        return _parse_dated(span, date_order)
    if base is None:
        return None
    # Parsed once per spelling ("June 19"), then placed before `base`: an archive has a new
    # publication date every day, so caching on (span, base) would hardly ever hit.
    month_day = _parse_dated(f"{span} {LEAP_YEAR}", date_order)
    return _latest_on_or_before(month_day, base) if month_day else None


LEAP_YEAR = 2000  # a year that has every month-day, 29 February included


@lru_cache(maxsize=65536)
def _parse_dated(span: str, date_order: str) -> dt.date | None:
    if span[:1].isdigit():   # every ISO form opens with its year: the rest skip a raised error
        try:
            return dt.date.fromisoformat(span)   # ISO needs no guessing, and dateparser misreads it as YMD
        except ValueError:
            pass
    return (_parse_by_format(span, date_order) or _parse_quickly(span, date_order)
            or _parse_thoroughly(span, date_order))


# The spellings state media print, after dots and commas become spaces: strptime reads them
# in microseconds; anything else goes to dateutil, then to dateparser.
FORMATS = {"MDY": ("%B %d %Y", "%b %d %Y"), "DMY": ("%d %B %Y", "%d %b %Y", "%d/%m/%Y"),
           "YMD": ("%Y %m %d", "%Y/%m/%d")}
SEPARATORS = re.compile(r"[.,\s]+")


def _parse_by_format(span: str, date_order: str) -> dt.date | None:
    cleaned = SEPARATORS.sub(" ", span).strip()
    if date_order == "MDY" and (day := _month_day_year(cleaned)):
        return day
    if date_order == "DMY" and (day := _numeric_dmy(cleaned)):
        return day
    for form in FORMATS.get(date_order, ()):
        try:
            return dt.datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    return None


MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
          for number, name in enumerate(names) if name}
MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+) (\d{1,2}) (\d{4})")


def _month_day_year(cleaned: str) -> dt.date | None:
    """What strptime's "%B %d %Y" and "%b %d %Y" read, for the spelling nearly every header
    and event date has ("June 19 2024"): strptime spends some 30 µs a call on its own
    machinery, and publication dates rarely repeat. Anything else is left to strptime."""
    match = MONTH_DAY_YEAR.fullmatch(cleaned)
    month = MONTHS.get(match.group(1).lower()) if match else None
    if month is None:
        return None
    try:
        return dt.date(int(match.group(3)), month, int(match.group(2)))
    except ValueError:
        return None


NUMERIC_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def _numeric_dmy(cleaned: str) -> dt.date | None:
    """What strptime's "%d/%m/%Y" reads ("18/06/2024", the dates of DMY headers), without
    the two failed strptime calls of the month-name formats before it (some 25 µs each,
    and these dates rarely repeat). Anything else is left to strptime."""
    match = NUMERIC_DMY.fullmatch(cleaned)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


# dateutil fills a part the span lacks from its `default`: parsing against two defaults that
# differ in every part tells a complete date (the same both times) from a partial one.
DEFAULTS = (dt.datetime(1901, 1, 1), dt.datetime(1902, 2, 2))


def _parse_quickly(span: str, date_order: str) -> dt.date | None:
    """dateutil reads most other spellings about ten times faster than dateparser."""
    try:
        first, second = (dateutil_parser.parse(span, default=default, dayfirst=date_order == "DMY",
                                               yearfirst=date_order == "YMD") for default in DEFAULTS)
    except (ValueError, OverflowError):
        return None
    return first.date() if first == second else None


def _parse_thoroughly(span: str, date_order: str) -> dt.date | None:
    settings = {"DATE_ORDER": date_order, "REQUIRE_PARTS": ["day", "month", "year"]}
    parsed = dateparser.parse(span, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _latest_on_or_before(month_day: dt.date, base: dt.date) -> dt.date | None:
    """The latest date with this month and day on or before `base` (29 February: leap years)."""
    for year in range(base.year, base.year - 9, -1):
        try:
            candidate = month_day.replace(year=year)
        except ValueError:
            continue
        if candidate <= base:
            return candidate
    return None


DATE_SEPARATORS = re.compile(r"[\s,./-]+")


def _has_year(span: str) -> bool:
    return any(len(token) == 4 and token.isdigit() for token in DATE_SEPARATORS.split(span))
