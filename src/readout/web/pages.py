"""The pages. Each gathers the answers (readout.api.answers, the API's own functions) for one
question and renders a template; no page computes a number of its own."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator, StringConstraints

from readout.api import answers
from readout.api.queries import Filters
from readout.api.routes import TEXT, DocumentId, EntityId, IsoDay, Last, Limit, Offset, store_of
from readout.web import graph, highlight, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

# A filter form sends empty fields for "any": read them as not given, then check the rest
# as the API does (the constraints sit inside the union, so that None need not meet them).
Blank = BeforeValidator(lambda value: None if value == "" else value)
Day = Annotated[IsoDay | None, Blank, Query()]
Country = Annotated[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None, Blank, Query()]
EventType = Annotated[Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")] | None, Blank,
                      Query()]
Outlet = Annotated[Annotated[str, StringConstraints(max_length=200, pattern=TEXT)] | None, Blank,
                   Query()]


COATTENDEES = 15  # rows of "seen most often with" on a person page


def person_href(entity_id: str | None) -> str | None:
    return f"/people/{entity_id}" if entity_id else None


@router.get("/")
def home(request: Request, since: Day = None, until: Day = None, outlet: Outlet = None,
         country: Country = None, event_type: EventType = None, limit: Limit = 50,
         offset: Offset = 0):
    store = store_of(request)
    filters = Filters(since, until, outlet, country, event_type)
    return render(request, "index.html", {
        "documents": answers.documents(store, filters, limit, offset), "filters": filters,
        "outlets": answers.outlets(store), "total": store.count_documents()})


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: DocumentId):
    document = answers.document(store_of(request), document_id)
    marks = highlight.document_marks(document, person_href)
    return render(request, "document.html", {
        "document": document, "pieces": highlight.pieces(document["text"], marks),
        "sides": [sides(event) for event in document["events"]],
        "reports": answers.compare(store_of(request), document_id)})


def sides(event: dict) -> list[tuple[str, list[dict]]]:
    """An event's attendance lists: per side, in the order written (the store's order)."""
    grouped: dict[str, list[dict]] = {}
    for person in event["participants"]:
        grouped.setdefault(person["side"] or "?", []).append(person)
    return list(grouped.items())


@router.get("/people")
def people_page(request: Request, limit: Limit = 100, offset: Offset = 0):
    return render(request, "people.html", {"people": answers.people(store_of(request), limit, offset)})


@router.get("/people/{entity_id}")
def person_page(request: Request, entity_id: EntityId, last: Last = answers.LATEST):
    """A person's latest `last` appearances (the page says so when there are more): a
    leader's whole record would take seconds to gather and could not be read on one page."""
    store = store_of(request)
    person, timeline = answers.person_and_timeline(store, entity_id, last)
    ranked = [a for a in timeline["appearances"] if a["order"] is not None and a["date"]]
    return render(request, "person.html", {
        "person": person, "timeline": timeline, "ranked": ranked,
        "coattendees": person["co_attendees"][:COATTENDEES],
        "chart": {"appearances": [{"date": a["date"], "order": a["order"], "side": a["side"]}
                                  for a in timeline["appearances"] if a["date"]]}})


@router.get("/network")
def network_page(request: Request, since: Day = None,
                 limit: Annotated[int, Query(ge=1, le=300)] = 60):
    store = store_of(request)
    network, drawing = drawn_network(store, since, limit)
    return render(request, "network.html", {"network": network, "drawing": drawing,
                                            "since": since, "limit": limit})


def drawn_network(store, since: date | None, limit: int) -> tuple[dict, dict]:
    """The network answer and its drawing, kept until the store changes."""
    network = answers.network(store, since, limit)
    return network, answers.cache.get(store, ("layout", since, limit), lambda: graph.layout(network))


@router.get("/search")
def search_page(request: Request,
                q: Annotated[str, Query(max_length=500, pattern=TEXT)] = "",
                limit: Annotated[int, Query(ge=1, le=200)] = 20):
    found = answers.search(store_of(request), q, limit) if q.strip() else None
    return render(request, "search.html", {"q": q, "found": found})


@router.get("/changes")
def changes_page(request: Request, since: Day = None):
    """The changes of the store's last RECENT_DAYS days unless `since` widens (or narrows)
    them: over a whole archive the title changes alone run to tens of thousands of rows."""
    store = store_of(request)
    chosen = since or answers.recent_since(store)
    return render(request, "changes.html", {"changes": answers.changes(store, chosen),
                                            "since": chosen, "recent": since is None,
                                            "days": answers.RECENT_DAYS})


@router.get("/docs")
def api_docs(request: Request):
    """Swagger UI from the package's own copy: the API's docs work offline, under the CSP."""
    return render(request, "docs.html", {})
