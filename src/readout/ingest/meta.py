"""What a container says about an article: url, title, source, published.

Every reader (sidecar, JSONL line, HTML page, feed entry) ends in the same four keys, so that
parse never needs to know where an article came from to use them.
"""
from __future__ import annotations

import json
import os
import re
from datetime import date
from email.utils import parsedate_to_datetime

META_KEYS = ("url", "title", "source", "published")

# Other names the same facts go by in dumps and in the gold corpus ("outlet" there).
KEY_ALIASES = {
    "url": ("url", "link", "canonical_url"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "site_name", "sitename"),
    "published": ("published", "date", "published_at", "pubdate"),
}
# Values that mean "not known", written out by people rather than left empty.
UNKNOWN_VALUES = frozenset({"", "unknown", "n/a", "none", "null", "?"})

SIDECAR_SUFFIXES = (".meta.json", ".gold.json")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def pick_meta(record: dict, where: str, warnings: list[str]) -> dict:
    """The four meta keys found in `record` under any alias, cleaned; unknown ones left out."""
    meta = {}
    for key, aliases in KEY_ALIASES.items():
        value = next((record[a] for a in aliases if record.get(a) is not None), None)
        if isinstance(value, str) and value.strip().lower() not in UNKNOWN_VALUES:
            meta[key] = value.strip()
    if "published" in meta:
        _clean_published(meta, where, warnings)
    return meta


def iso_date(value: str | None) -> str | None:
    """The day of an ISO, RFC 822 or ISO-datetime string as YYYY-MM-DD, or None.

    The day is taken as written, in the writer's own time zone: converting to UTC would move an
    article published at 07:00 in Pyongyang to the previous day.
    """
    if not value:
        return None
    value = value.strip()
    match = _ISO_DAY.match(value)
    if match:
        return _valid_day(*map(int, match.groups()))
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):  # a year of twenty digits overflows
        return None


def sidecar_path(path: str) -> str:
    """NAME.meta.json for NAME.txt, NAME.html or NAME.txt.gz."""
    stem = path[:-3] if path.endswith(".gz") else path
    return os.path.splitext(stem)[0] + ".meta.json"


def is_sidecar(path: str) -> bool:
    return path.endswith(SIDECAR_SUFFIXES)


def load_sidecar(path: str, warnings: list[str]) -> dict:
    """Meta from NAME.meta.json beside the article, if there is one.

    A broken sidecar costs its metadata, not the article: it becomes a warning.
    """
    sidecar = sidecar_path(path)
    if not os.path.isfile(sidecar):
        return {}
    try:
        with open(sidecar, encoding="utf-8-sig") as handle:
            record = json.load(handle)
    except (OSError, ValueError) as error:
        warnings.append(f"{sidecar}: sidecar ignored: {error}")
        return {}
    if not isinstance(record, dict):
        warnings.append(f"{sidecar}: sidecar ignored: not a JSON object")
        return {}
    return pick_meta(record, sidecar, warnings)


def _clean_published(meta: dict, where: str, warnings: list[str]) -> None:
    day = iso_date(meta["published"])
    if day is None:
        warnings.append(f"{where}: published date {meta['published']!r} not understood; ignored")
        del meta["published"]
    else:
        meta["published"] = day


def _valid_day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
