"""The read endpoints of the REST API, under /api. Each validates its parameters (types,
ranges, patterns: a bad one is a 422 in the error shape) and calls one function of answers."""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BeforeValidator

from readout.api import answers
from readout.api.errors import READ_ERRORS
from readout.api.queries import Filters

router = APIRouter(prefix="/api", responses=READ_ERRORS)

# No NUL anywhere (PostgreSQL refuses it in text), bounded lengths everywhere.
TEXT = r"^[^\x00]*$"
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]


def iso_day(value):
    """A date only as YYYY-MM-DD: pydantic would also read a number as seconds since 1970,
    so that ?until=0 meant 1970-01-01 and ?since=1700000000 a day of 2023."""
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


IsoDay = Annotated[date, BeforeValidator(iso_day)]
Since = Annotated[IsoDay | None, Query(description="from this date (YYYY-MM-DD)")]
Until = Annotated[IsoDay | None, Query(description="up to this date (YYYY-MM-DD)")]
Country = Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3")]
EventType = Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$", description="e.g. talks")]
Outlet = Annotated[str | None, Query(min_length=1, max_length=200, pattern=TEXT,
                                     description="outlet as stored, e.g. KCNA")]
EntityId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00/]+$")]
DocumentId = Annotated[int, Path(ge=1, le=2**62)]
Last = Annotated[int, Query(ge=1, le=1_000_000, description="the person's latest appearances covered")]


def store_of(request: Request):
    return request.app.state.store


@router.get("/documents", tags=["documents"])
def list_documents(request: Request, since: Since = None, until: Until = None,
                   outlet: Outlet = None, country: Country = None, event_type: EventType = None,
                   limit: Limit = 50, offset: Offset = 0) -> dict:
    """Document headers, latest first, narrowed by date range, outlet, country and event type."""
    filters = Filters(since, until, outlet, country, event_type)
    return answers.documents(store_of(request), filters, limit, offset)


@router.get("/documents/{document_id}", tags=["documents"])
def get_document(request: Request, document_id: DocumentId) -> dict:
    """One document: its text, people (with spans) and events (with attendance lists)."""
    return answers.document(store_of(request), document_id)


@router.get("/events", tags=["events"])
def list_events(request: Request, type: EventType = None, since: Since = None,
                until: Until = None, country: Country = None, outlet: Outlet = None,
                limit: Limit = 50, offset: Offset = 0) -> dict:
    """Events by date (undated ones take their document's date), with principals and attendees."""
    filters = Filters(since, until, outlet, country, type)
    return answers.events(store_of(request), filters, limit, offset)


@router.get("/people", tags=["people"])
def list_people(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict:
    """People, most often named first, with first and last appearance."""
    return answers.people(store_of(request), limit, offset)


@router.get("/people/{entity_id}", tags=["people"])
def get_person(request: Request, entity_id: EntityId, last: Last = answers.LATEST) -> dict:
    """One person: aliases by writing system, and the title history, appearances and
    co-attendees of their latest `last` appearances (appearance_count: all of them)."""
    return answers.person(store_of(request), entity_id, last)


@router.get("/person", tags=["people"])
def find_person(request: Request,
                name: Annotated[str, Query(min_length=1, max_length=200, pattern=TEXT,
                                           description="any spelling or script")],
                country: Country = None, last: Last = answers.LATEST) -> dict:
    """The same as /people/{entity_id}, for a name as written: 최선희, Ch'oe Sŏn-hŭi, ..."""
    return answers.person_named(store_of(request), name, country, last)


@router.get("/people/{entity_id}/titles", tags=["people"])
def title_history(request: Request, entity_id: EntityId) -> list[dict]:
    """Each normalised title held: first and last seen, documents, forms as written."""
    return answers.title_history(store_of(request), entity_id)


@router.get("/people/{entity_id}/timeline", tags=["people"])
def person_timeline(request: Request, entity_id: EntityId, last: Last = answers.LATEST) -> dict:
    """The latest `last` appearances, by date, with event types, counterparts, title, side and
    order (appearance_count: all of them)."""
    return answers.timeline(store_of(request), entity_id, last)


@router.get("/titles/changes", tags=["analyses"])
def title_changes(request: Request, since: Since = None) -> list[dict]:
    """People whose titles changed between two consecutive appearances."""
    return answers.title_changes(store_of(request), since)


@router.get("/absent", tags=["analyses"])
def absent(request: Request, since: Since = None,
           entity_id: Annotated[str | None, Query(min_length=1, max_length=200,
                                                  pattern=r"^[^\x00/]+$")] = None) -> list[dict]:
    """People overdue against their usual rate of appearing (or one person's standing)."""
    return answers.absent(store_of(request), entity_id, since)


@router.get("/changes", tags=["analyses"])
def changes(request: Request, since: Since = None) -> dict:
    """Edited articles, title changes and people who dropped out of sight."""
    return answers.changes(store_of(request), since)


@router.get("/documents/{document_id}/compare", tags=["documents"])
def compare(request: Request, document_id: DocumentId) -> dict:
    """The reports of the same story by other outlets, side by side."""
    return answers.compare(store_of(request), document_id)


@router.get("/rank", tags=["analyses"])
def rank(request: Request, event_type: EventType = None, country: Country = None,
         since: Since = None) -> dict:
    """Protocol order: positions in attendance lists over time, largest rises and falls."""
    return answers.rank(store_of(request), event_type, country, since)


@router.get("/network", tags=["analyses"])
def network(request: Request, since: Since = None,
            limit: Annotated[int, Query(ge=1, le=2000, description="people kept")] = 100) -> dict:
    """The co-attendance graph: the best-connected people and how often they met."""
    return answers.network(store_of(request), since, limit)


@router.get("/search", tags=["documents"])
def search(request: Request,
           q: Annotated[str, Query(min_length=1, max_length=500, pattern=TEXT,
                                   description='words, "a phrase"')],
           limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict:
    """Documents whose title or text has every word, best match first, with a snippet."""
    return answers.search(store_of(request), q, limit)


@router.get("/outlets", tags=["documents"])
def outlets(request: Request) -> list[str]:
    """The outlets stored, for filters."""
    return answers.outlets(store_of(request))
