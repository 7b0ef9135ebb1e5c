"""One function per question the server answers, used by the JSON API and the web pages alike,
so that a page and the API (and the CLI, through the same library functions) show the same
numbers. Each takes the Store first and returns plain JSON-ready data; a missing document or
person is a 404 ApiError here, so every caller reports it the same way.
"""
from __future__ import annotations

from datetime import date, timedelta

from readout.analyze import AnalysisError
from readout.analyze import absent as absent_analysis
from readout.analyze import compare as compare_analysis
from readout.analyze import network as network_analysis
from readout.analyze import person as person_analysis
from readout.analyze import rank as rank_analysis
from readout.analyze import timeline as timeline_analysis
from readout.analyze import titles as titles_analysis
from readout.api import queries
from readout.api.cache import AnswerCache
from readout.api.errors import ApiError
from readout.store import versions

cache = AnswerCache()
# A person's answers cover their latest LATEST appearances unless asked for more (?last=):
# a leader is named in most articles of an archive, and a page of 150,000 rows answers
# nobody. The same number as the person page's, so that both show the same figures.
LATEST = 100


def page(items: list, limit: int, offset: int) -> dict:
    return {"items": items, "limit": limit, "offset": offset}


def documents(store, f: queries.Filters, limit: int, offset: int) -> dict:
    with store.engine.connect() as conn:
        return page(queries.list_documents(conn, f, limit, offset), limit, offset)


def document(store, document_id: int) -> dict:
    found = store.get_document(document_id)
    if found is None:
        raise ApiError(404, "not_found", f"no document {document_id} in the store")
    return found


def events(store, f: queries.Filters, limit: int, offset: int) -> dict:
    if f.outlet is None:
        found = store.list_events(f.event_type, f.since, f.until, f.country, limit, offset)
    else:
        with store.engine.connect() as conn:
            found = queries.list_events_of_outlet(conn, f, limit, offset)
    return page(found, limit, offset)


def people(store, limit: int, offset: int) -> dict:
    # Counting everyone's appearances reads every mention: kept until the store changes.
    found = cache.get(store, ("people", limit, offset), lambda: store.list_people(limit, offset))
    return page(found, limit, offset)


def entity(store, entity_id: str) -> dict:
    """The stored person `entity_id`, or a 404."""
    with store.engine.connect() as conn:
        found = queries.get_entity(conn, entity_id)
    if found is None:
        raise ApiError(404, "not_found", f"no person {entity_id!r} in the store")
    return found


def person(store, entity_id: str, last: int = LATEST) -> dict:
    """The person view (as `readout person`) of the stored entity: aliases by script, and the
    title history, appearances and co-attendees of the latest `last` appearances."""
    entity(store, entity_id)
    return person_analysis.profile_of(store, entity_id, last)


def person_named(store, name: str, country: str | None, last: int = LATEST) -> dict:
    """The person view for any spelling or script of a name."""
    try:
        return person_analysis.person_profile(store, name, country, last)
    except person_analysis.PersonNotFound as error:
        raise ApiError(404, "not_found", str(error)) from None


def title_history(store, entity_id: str) -> list[dict]:
    entity(store, entity_id)
    return titles_analysis.title_history(store, entity_id)


def title_changes(store, since: date | None) -> list[dict]:
    return cache.get(store, ("title_changes", since), lambda: titles_analysis.title_changes(store, since))


def absent(store, entity_id: str | None, since: date | None) -> list[dict]:
    if entity_id is not None:
        entity(store, entity_id)
        return absent_analysis.absent(store, entity_id, since)
    return cache.get(store, ("absent", since), lambda: absent_analysis.absent(store, None, since))


def compare(store, document_id: int) -> dict:
    """The other outlets' reports of the same story, side by side."""
    try:
        return compare_analysis.compare(store, document_id)
    except AnalysisError as error:  # the one failure: no such document
        raise ApiError(404, "not_found", str(error)) from None


def changes(store, since: date | None) -> dict:
    """What changed: articles edited after publication, title changes, people out of sight."""
    return {"since": since.isoformat() if since else None,
            "edited": cache.get(store, ("edited", since), lambda: versions.list_changes(store, since)),
            "title_changes": title_changes(store, since),
            "absent": absent(store, None, since)}


RECENT_DAYS = 90  # the changes page's default window, back from the store's latest date


def recent_since(store, days: int = RECENT_DAYS) -> date | None:
    """The first day of the last `days` days of the store (to its latest publication date,
    not today's: an archive that ends in 2024 has its recent changes in 2024); None if undated."""
    with store.engine.connect() as conn:
        latest = queries.latest_published(conn)
    return latest - timedelta(days=days - 1) if latest else None


def timeline(store, entity_id: str, last: int = LATEST) -> dict:
    entity(store, entity_id)  # a 404 for an unknown id, not a resolver's guess at a name
    return timeline_analysis.timeline(store, entity_id, last)


def person_and_timeline(store, entity_id: str, last: int = LATEST) -> tuple[dict, dict]:
    """person() and timeline() of one person, the latest appearances and the events the
    person took part in there read once for both (the appearances' event types are those
    events' types: not read again)."""
    entity(store, entity_id)
    latest, taking_part = timeline_analysis.latest_with_events(store, entity_id, last)
    return (person_analysis.profile_of(store, entity_id, last, latest),
            timeline_analysis.timeline(store, entity_id, last, latest, taking_part))


def rank(store, event_type: str | None, country: str | None, since: date | None) -> dict:
    key = ("rank", event_type, country, since)
    return cache.get(store, key, lambda: rank_analysis.rank(store, event_type, country, since))


def network(store, since: date | None, limit: int) -> dict:
    """The co-attendance graph as JSON: the `limit` best-connected people and their edges.
    Kept per (since, limit): ranking the people of a 100,000-link graph takes a quarter second."""
    graph = cache.get(store, ("network", since), lambda: network_analysis.network(store, since))
    ranked = cache.get(store, ("network_rank", since), lambda: ranking(graph))
    return cache.get(store, ("network_top", since, limit), lambda: strongest(graph, ranked, since, limit))


def ranking(graph) -> tuple[dict, list]:
    """Each person's weighted degree, and everyone best connected first."""
    strength = dict(graph.degree(weight="weight"))
    return strength, sorted(graph.nodes, key=lambda n: (-strength[n], n))


def strongest(graph, ranked: tuple[dict, list], since: date | None, limit: int) -> dict:
    strength, everyone = ranked
    kept = everyone[:limit]
    sub = graph.subgraph(kept)
    nodes = [{"id": n, "name": graph.nodes[n].get("name"), "country": graph.nodes[n].get("country"),
              "degree": graph.degree(n), "weight": strength[n]} for n in kept]
    # Each edge's ends in id order: a subgraph walks its nodes as a set, in an order that
    # differs between processes, and two server processes must give the same bytes (and ETag).
    edges = sorted(({"source": min(a, b), "target": max(a, b), "weight": d.get("weight", 1)}
                    for a, b, d in sub.edges(data=True)),
                   key=lambda e: (-e["weight"], e["source"], e["target"]))
    return {"since": since.isoformat() if since else None, "people": graph.number_of_nodes(),
            "links": graph.number_of_edges(), "nodes": nodes, "edges": edges}


def search(store, query: str, limit: int) -> dict:
    return {"query": query, "items": store.search_text(query, limit)}


def outlets(store) -> list[str]:
    with store.engine.connect() as conn:
        return queries.outlets(conn)
