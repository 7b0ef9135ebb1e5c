"""Finding article files and opening them, compressed or not."""
from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from readout.errors import UnreadableInput
from readout.ingest.meta import is_sidecar

# File name ending -> how to read it. Any of these may also end in .gz.
KINDS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json-lines": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
NO_ARTICLES = "no articles (.txt, .html, .jsonl, feeds) in this folder"
# One article is kilobytes; a bigger single file is a dump in the wrong format, and reading it
# whole would break the promise of bounded memory.
MAX_ARTICLE_BYTES = 32 * 1024 * 1024


def kind_of(path: str) -> str | None:
    """"text", "html", "jsonl" or "feed" from the file name; None for anything else."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if is_sidecar(name):
        return None
    return KINDS.get(os.path.splitext(name)[1])


def article_files(folder: str) -> Iterator[tuple[str, str] | UnreadableInput]:
    """(path, kind) of every article file under `folder`, depth first, in sorted order.

    Names starting with "." (.git, editor backups) are skipped; a folder reached twice through
    symbolic links is walked once. A subfolder that cannot be listed comes out as an
    UnreadableInput item, so that the caller reports it and goes on with the rest.
    """
    yield from _walk(folder, set())


def _walk(folder: str, seen: set[str]) -> Iterator[tuple[str, str] | UnreadableInput]:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        yield UnreadableInput(folder, f"cannot list folder: {error.strerror or error}")
        return
    for name in names:
        path = os.path.join(folder, name)
        if name.startswith("."):
            continue
        if os.path.isdir(path):
            yield from _walk(path, seen)
        elif kind := kind_of(path):
            yield path, kind


@contextmanager
def open_binary(path: str) -> Iterator[BinaryIO]:
    """Open a file for reading bytes, through gzip when its name ends in .gz.

    Errors become UnreadableInput so that one unreadable file never stops a batch.
    """
    try:
        with (gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")) as handle:
            yield handle
    except (gzip.BadGzipFile, zlib.error, EOFError) as error:
        raise UnreadableInput(path, f"not a valid gzip file ({error})") from error
    except OSError as error:
        raise UnreadableInput(path, f"cannot read: {error.strerror or error}") from error


def read_bytes(path: str) -> bytes:
    """The whole content of one article file, refusing files too big to be one article."""
    with open_binary(path) as handle:
        data = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        limit = MAX_ARTICLE_BYTES // (1024 * 1024)
        raise UnreadableInput(path, f"larger than {limit} MB, too big for one article: "
                                    "split it, or give a JSONL dump with one article a line")
    return data
