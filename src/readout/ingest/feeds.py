"""RSS and Atom feeds, local or fetched, through feedparser.

Safety: feedparser drops every ENTITY declaration except plain character replacements and turns
off external entities in its XML parser, so a feed cannot make readout read local files or
fetch URLs; it also removes scripts from entry HTML. Local feeds are handed to it as a stream of
bytes, never as a string it might take for a file name or a URL.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from datetime import date

import feedparser

from readout.errors import UnreadableInput
from readout.ingest.decoding import EMPTY, clean_text
from readout.ingest.files import read_bytes
from readout.ingest.meta import iso_date
from readout.ingest.webpage import fragment_text, with_headline
from readout.model import RawDocument

FETCHED_SCHEMES = ("http://", "https://")
AGENT = "readout/0.1 (feed reader for research on diplomatic readouts)"
NO_SUCH = "no such file or folder"
# Entry fields that may carry the day of publication, best first.
DATE_FIELDS = ("published", "updated", "created")


def read_feed(url_or_path: str, on_error: Callable[[UnreadableInput], None] | None = None
              ) -> Iterator[RawDocument]:
    """Each entry of an RSS or Atom feed as a RawDocument at "FEED#N" (N counts from 1).

    The text is the entry's title, a blank line, then its content (or summary) as plain text.
    A feed that cannot be read at all raises UnreadableInput naming it; an entry with nothing in
    it goes to `on_error` (raised when None) and the other entries still come.
    """
    for item in feed_items(url_or_path):
        if isinstance(item, RawDocument):
            yield item
        elif on_error is None:
            raise item
        else:
            on_error(item)


def feed_items(source: str) -> Iterator[RawDocument | UnreadableInput]:
    """Entries of a feed, with entry-level errors as UnreadableInput items."""
    parsed = _parse(source)
    warnings = _feed_warnings(source, parsed)
    outlet = _one_line(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, 1):
        yield entry_item(source, number, entry, outlet, warnings)


def entry_item(feed: str, number: int, entry: dict, outlet: str | None,
               feed_warnings: list[str]) -> RawDocument | UnreadableInput:
    """One feed entry -> its document, or the error that names the entry."""
    where = f"{feed}#{number}"
    title, body = _one_line(entry.get("title")), _entry_body(entry)
    if not body and not title:
        return UnreadableInput(feed, f"entry {number}: no title, content or summary")
    warnings = list(feed_warnings)
    if not body:
        warnings.append(f"{where}: entry has no content or summary; its text is the title only")
    text = clean_text(with_headline(title, body), where, warnings)
    return RawDocument(where, text, {"format": "feed", **_entry_meta(entry, title, outlet)}, warnings)


def _parse(source: str) -> feedparser.FeedParserDict:
    fetched = source.lower().startswith(FETCHED_SCHEMES)
    stream = None if fetched else io.BytesIO(_local_bytes(source))
    try:
        parsed = feedparser.parse(source, agent=AGENT) if fetched else feedparser.parse(stream)
    except Exception as error:  # noqa: BLE001 - feedparser's own bugs on broken feeds: a
        # non-UTF-8 encoding name (UnicodeDecodeError), a <link> closed by </item> (KeyError)
        raise UnreadableInput(source, f"malformed feed: {type(error).__name__}: {error}") from None
    if fetched:
        _check_fetch(source, parsed)
    _check_feed(source, parsed)
    return parsed


def _local_bytes(path: str) -> bytes:
    if not os.path.exists(path):
        raise UnreadableInput(path, NO_SUCH)
    data = read_bytes(path)
    if not data.strip():
        raise UnreadableInput(path, EMPTY)
    return data


def _check_fetch(url: str, parsed: feedparser.FeedParserDict) -> None:
    if "status" not in parsed:
        raise UnreadableInput(url, f"cannot fetch the feed: {parsed.get('bozo_exception')}")
    if parsed.status >= 400:
        raise UnreadableInput(url, f"cannot fetch the feed: HTTP status {parsed.status}")


def _check_feed(source: str, parsed: feedparser.FeedParserDict) -> None:
    if parsed.entries:
        return
    if parsed.bozo:
        raise UnreadableInput(source, f"malformed feed: {parsed.bozo_exception}")
    if not parsed.version:
        raise UnreadableInput(source, "not an RSS or Atom feed")


def _feed_warnings(source: str, parsed: feedparser.FeedParserDict) -> list[str]:
    if not parsed.bozo:
        return []
    return [f"{source}: feed is not well-formed ({parsed.bozo_exception}); entries read leniently"]


def _entry_body(entry: dict) -> str:
    """Plain text of the entry's full content if it has any, else of its summary."""
    for detail in [*entry.get("content", []), entry.get("summary_detail")]:
        value = (detail or {}).get("value") or ""
        if value.strip():
            return value.strip() if detail.get("type") == "text/plain" else fragment_text(value)
    return ""


def _entry_meta(entry: dict, title: str | None, outlet: str | None) -> dict:
    candidates = {"url": entry.get("link"), "title": title, "source": outlet,
                  "published": _entry_day(entry)}
    return {key: value for key, value in candidates.items() if value}


def _entry_day(entry: dict) -> str | None:
    """The day as the feed wrote it (its own time zone), else feedparser's UTC reading."""
    for field in DATE_FIELDS:
        day = iso_date(entry.get(field))
        if day:
            return day
    parsed = next((entry.get(f"{field}_parsed") for field in DATE_FIELDS
                   if entry.get(f"{field}_parsed")), None)
    try:
        return date(*parsed[:3]).isoformat() if parsed else None
    except ValueError:  # feedparser reads "0000-01-01" or "-99" as years that date() refuses
        return None


def _one_line(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None
