"""Paths given on the command line -> RawDocuments, one at a time."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

from readout.errors import UnreadableInput
from readout.ingest.decoding import decode_bytes
from readout.ingest.feeds import NO_SUCH, feed_items
from readout.ingest.files import NO_ARTICLES, article_files, kind_of, read_bytes
from readout.ingest.jsonl import read_jsonl
from readout.ingest.meta import is_sidecar, load_sidecar
from readout.ingest.webpage import read_html_bytes
from readout.model import RawDocument

OnError = Callable[[UnreadableInput], None]
Item = RawDocument | UnreadableInput


def iter_raw_documents(paths: Sequence[str], on_error: OnError | None = None
                       ) -> Iterator[RawDocument]:
    """Every article in `paths` (files or folders), in order, one at a time.

    Folders are walked recursively in sorted order for .txt, .html/.htm, .jsonl/.json-lines and
    .xml/.rss/.atom feeds, each possibly .gz. Memory stays bounded whatever the number of files
    or the size of a JSONL dump.

    Errors: a missing path or a folder without articles raises UnreadableInput when the iteration
    reaches it. A file or line that cannot be read (empty, binary, not JSON) is passed to
    `on_error` and the iteration goes on; with on_error=None it is raised instead.
    """
    report = on_error or _raise
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a str is a Sequence[str] too: without this, one path reads as letters
    for path in paths:
        for item in _path_items(os.fspath(path)):
            if isinstance(item, RawDocument):
                yield item
            else:
                report(item)


def _path_items(path: str) -> Iterator[Item]:
    if os.path.isdir(path):
        return _folder_items(path)
    if not os.path.exists(path):
        raise UnreadableInput(path, NO_SUCH)
    if is_sidecar(path):
        # Sidecars come in with their article; a shell glob such as corpus/dev/* names them too.
        return iter(())
    # A file named explicitly is read as text whatever its ending: the user chose it.
    return _file_items(path, kind_of(path) or "text")


def _folder_items(folder: str) -> Iterator[Item]:
    found = False
    for entry in article_files(folder):
        if isinstance(entry, UnreadableInput):
            yield entry
            continue
        found = True
        yield from _file_items(*entry)
    if not found:
        raise UnreadableInput(folder, NO_ARTICLES)


def _file_items(path: str, kind: str) -> Iterator[Item]:
    """Items of one file; a file refused whole becomes a single UnreadableInput item."""
    try:
        yield from READERS[kind](path)
    except UnreadableInput as error:
        yield error


def read_text(path: str) -> Iterator[Item]:
    """A plain-text article, with NAME.meta.json beside it as its meta."""
    text, warnings = decode_bytes(read_bytes(path), path)
    meta = {"format": "text", **load_sidecar(path, warnings)}
    yield RawDocument(path, text, meta, warnings)


def read_html(path: str) -> Iterator[Item]:
    """A saved web page; a sidecar's meta wins over the page's, as a person checked it."""
    text, meta, warnings = read_html_bytes(read_bytes(path), path)
    meta = {"format": "html", **meta, **load_sidecar(path, warnings)}
    yield RawDocument(path, text, meta, warnings)


READERS: dict[str, Callable[[str], Iterator[Item]]] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "feed": feed_items,
}


def _raise(error: UnreadableInput) -> None:
    raise error
