"""parse: a RawDocument becomes a Document with its header read and its body cut into sentences."""
from __future__ import annotations

import datetime as dt

from readout.model import Document, RawDocument
from readout.parse.dates import parse_date
from readout.parse.header import parse_header
from readout.parse.sentences import split_sentences

__all__ = ["parse", "parse_date"]


def parse(raw: RawDocument) -> Document:
    header = parse_header(raw.text)
    published = header.published or _meta_date(raw.meta)
    return Document(
        path=raw.path,
        text=raw.text,
        source=header.source or raw.meta.get("source"),
        published=published,
        title=header.title or raw.meta.get("title"),
        title_span=header.title_span,
        byline=header.byline,
        body_start=header.body_start,
        dateline_span=header.dateline_span,
        sentences=header.headline_spans + split_sentences(raw.text, header.body_start, header.body_end),
        meta=dict(raw.meta, headline_count=len(header.headline_spans)),
        warnings=list(raw.warnings),
    )


CONTAINERS_WITH_DATES = ("feed", "jsonl", "html")


def _meta_date(meta: dict):
    """A publication date the container (feed, JSONL, HTML markup) gave, if any. A plain text
    file's sidecar is not the article: its date is not what the text itself allows."""
    value = meta.get("published")
    if not value or meta.get("format") not in CONTAINERS_WITH_DATES:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])   # ingest writes container dates as ISO
    except ValueError:
        return parse_date(str(value), None)
