"""ingest: files, folders, JSONL dumps, web pages and feeds -> RawDocument, one at a time.

    from readout.ingest import iter_raw_documents, read_feed

    for doc in iter_raw_documents(["corpus/dev", "dump.jsonl.gz"], on_error=problems.append):
        ...                       # doc.path, doc.text, doc.meta, doc.warnings

`doc.text` is the text every later offset indexes: decoded, BOM and NULs removed, newlines
normalised to "\\n", nothing else changed. For web pages and feed entries it is the headline, a
blank line, then the body. `doc.meta` may hold url, title, source, published (YYYY-MM-DD) and
format ("text", "html", "jsonl" or "feed").
"""
from readout.ingest.documents import iter_raw_documents
from readout.ingest.feeds import read_feed

__all__ = ["iter_raw_documents", "read_feed"]
