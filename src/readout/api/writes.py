"""The endpoints that change something: ingest an article or a permitted file, import people
into the knowledge base. Each needs the server's bearer token (security.require_token)."""
from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from readout.api import answers
from readout.api.errors import declared
from readout.api.security import bearer, permitted_file, require_token
from readout.contract import to_record
from readout.errors import KnowledgeBaseError
from readout.ingest import iter_raw_documents
from readout.ingest.jsonl import line_item
from readout.model import RawDocument
from readout.pipeline import process
from readout.resolve import Resolver
from readout.resolve.kb_import import import_file

MAX_TEXT = 1_000_000
NO_NUL = r"^[^\x00]*$"


def writer(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    require_token(request, credentials)


router = APIRouter(prefix="/api", dependencies=[Depends(writer)], tags=["writes"],
                   responses=declared(400, 401, 403, 404, 413, 415, 422, 500, 503))
kb_lock = threading.Lock()  # one import at a time: each rewrites the user KB file whole


class Article(BaseModel):
    """One article, as one line of a JSONL dump would give it."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=40, description="ISO date")


class ServerFile(BaseModel):
    path: str = Field(min_length=1, max_length=4096, pattern=NO_NUL,
                      description="a file or folder inside READOUT_API_FOLDERS")


class PeopleFile(BaseModel):
    path: str | None = Field(None, min_length=1, max_length=4096, pattern=NO_NUL,
                             description="a CSV/JSON file inside READOUT_API_FOLDERS")
    content: str | None = Field(None, min_length=1, max_length=MAX_TEXT,
                                description="or the file's text itself")
    format: Literal["csv", "json"] = "csv"


@router.post("/ingest")
def ingest_article(request: Request, article: Article) -> dict:
    """Extract one article and store it (once: the same text again is a duplicate)."""
    where = f"POST /api/ingest {article.url or ''}".strip()
    item = line_item(where, 1, json.dumps(article.model_dump(exclude_none=True)).encode())
    if not isinstance(item, RawDocument):
        raise item
    return store_raws(request.app.state.store, [item])


@router.post("/ingest/files")
def ingest_files(request: Request, target: ServerFile) -> dict:
    """Extract and store the articles of a file or folder inside the permitted folders."""
    path = permitted_file(request.app.state.settings, target.path, folders_too=True)
    errors: list[str] = []
    raws = list(iter_raw_documents([str(path)], on_error=lambda e: errors.append(str(e))))
    return store_raws(request.app.state.store, raws, errors)


def store_raws(store, raws: list[RawDocument], errors: list[str] | None = None) -> dict:
    """Extract every document, then store them all in one transaction (all or none)."""
    errors = list(errors or [])
    resolver, batch, files = Resolver.default(), [], []
    for raw in raws:
        try:
            batch.append((to_record(process(raw, resolver)), raw.text))
            files.append(raw.path)
        except Exception as error:  # one bad article is reported, the others still stored
            errors.append(f"{raw.path}: cannot extract ({type(error).__name__}: {error})")
    results = store.add_records(batch) if batch else []
    answers.cache.forget(store)  # whole-store answers are computed again for the new state
    return {"stored": sum(r.created for r in results),
            "duplicates": sum(not r.created for r in results),
            "documents": [{"id": r.document_id, "file": f, "created": r.created}
                          for r, f in zip(results, files)],
            "errors": errors}


@router.post("/kb/import")
def kb_import(request: Request, people: PeopleFile) -> dict:
    """Check a people file whole and merge it into the server's user knowledge base."""
    if (people.path is None) == (people.content is None):
        raise KnowledgeBaseError("request body", [(0, "give either 'path' or 'content'")])
    with kb_lock:
        if people.path is not None:
            summary = import_file(permitted_file(request.app.state.settings, people.path))
        else:
            summary = import_text(people.content, people.format)
    return {"people": summary.people, "aliases": summary.aliases, "total": summary.total,
            "known": len(Resolver.default().people)}


def import_text(content: str, format: str):
    """import_file on text sent in the request, with problems named as lines of the body."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"people.{format}"
        source.write_text(content, encoding="utf-8")
        try:
            return import_file(source)
        except KnowledgeBaseError as error:
            raise KnowledgeBaseError("request content", error.problems) from None
