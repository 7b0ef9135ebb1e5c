"""The co-attendance graph: who took part in events together, and how often.

    graph = network(store, since="2024-01-01")   # networkx.Graph
    write_graph(graph, "net.graphml")             # or .gexf

Nodes are entities (attributes name, country, events); an edge joins two people who took part
(as principal or listed attendee) in the same event, weighted by the number of events they
shared. Outlets that report the same event are not counted twice: an event is known by its type,
date and principals, so KCNA's and Rodong Sinmun's accounts of one talks make one event.
"""
from __future__ import annotations

from collections import Counter
from functools import cache
from itertools import combinations, groupby
from operator import itemgetter
from pathlib import Path

import networkx as nx
from sqlalchemy import Date, bindparam, func, select

from readout.analyze import AnalysisError
from readout.store.bulk import run_prepared
from readout.store.database import as_date
from readout.store.tables import event_participants, events

WRITERS = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}


def network(store, since=None) -> nx.Graph:
    """The co-attendance graph of events on or after `since` (all events when None)."""
    since = as_date(since, "since")
    with store.engine.connect() as conn:
        rows = attendance(conn, since)
    people, occasions, documents_of = group_events(rows)
    graph = nx.Graph()
    graph.add_nodes_from((entity_id, {"name": name, "country": country, "events": len(keys)})
                         for entity_id, (name, country, keys) in people.items())
    weights, shared_documents = Counter(), Counter()
    for pairs in occasions.values():
        weights.update(pairs)
    for pairs in documents_of.values():
        shared_documents.update(pairs)
    graph.add_edges_from((a, b, {"weight": weight, "documents": shared_documents[a, b]})
                         for (a, b), weight in weights.items())
    return graph


# Row positions of `attendance`: read as plain tuples, since a Row per each of the millions
# of (event, person) pairs of a large store costs more than the query.
EVENT_ID, TYPE, DOCUMENT_ID, DATE, ROLE, ENTITY_ID, NAME, COUNTRY, SIDE = range(9)


def attendance(conn, since) -> list[tuple]:
    """Every (event, person) pair with what identifies the event across outlets, in event order."""
    params = {} if since is None else {"since": since}
    return run_prepared(conn, attendance_query(since is not None), params).fetchall()


@cache
def attendance_query(from_a_date: bool):
    """attendance's statement, built once: events from the bound date "since" when `from_a_date`."""
    when = events.c.sort_date  # the event's date, else its document's publication date
    query = (select(events.c.id.label("event_id"), events.c.type, events.c.document_id,
                    when.label("date"), event_participants.c.role, event_participants.c.entity_id,
                    event_participants.c.name, event_participants.c.country, event_participants.c.side)
             .join(events, events.c.id == event_participants.c.event_id)
             .where(event_participants.c.entity_id.is_not(None))
             .order_by(events.c.id, event_participants.c.seq))
    return query.where(when >= bindparam("since", type_=Date)) if from_a_date else query


def group_events(rows: list[tuple]) -> tuple[dict, dict, dict]:
    """From the attendance rows: each person's (name, country, keys of the events they took
    part in); per event key, the pairs of people who took part together; per document, the
    same. An event is known across outlets by its type, date and principals, so KCNA's and
    Rodong Sinmun's accounts of one talks share one key; an undated event is its own."""
    people: dict[str, tuple] = {}
    occasions: dict[tuple, set] = {}
    documents_of: dict[int, set] = {}
    for _, taking_part in groupby(rows, key=itemgetter(EVENT_ID)):
        taking_part = list(taking_part)
        first = taking_part[0]
        principals = frozenset(p[ENTITY_ID] for p in taking_part if p[ROLE] == "principal")
        key = (first[TYPE], first[DATE], principals) if first[DATE] else ("event", first[EVENT_ID])
        for person in taking_part:
            if person[ENTITY_ID] not in people:
                people[person[ENTITY_ID]] = (person[NAME] or "", person[COUNTRY] or person[SIDE] or "", set())
            people[person[ENTITY_ID]][2].add(key)
        pairs = list(combinations(sorted({p[ENTITY_ID] for p in taking_part}), 2))
        occasions.setdefault(key, set()).update(pairs)
        documents_of.setdefault(first[DOCUMENT_ID], set()).update(pairs)
    return people, occasions, documents_of


def write_graph(graph: nx.Graph, path) -> str:
    """Write GraphML or GEXF, chosen by the file's extension; returns the format written."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise AnalysisError(f"{path}: cannot tell the graph format; name the file .graphml or .gexf")
    if not path.parent.is_dir():
        raise AnalysisError(f"{path}: folder {path.parent} does not exist")
    writer(graph, str(path))
    return path.suffix.lower().lstrip(".")


def summary(graph: nx.Graph, top: int) -> dict:
    """The most connected people (by weighted degree) and the heaviest edges, for display."""
    degree = dict(graph.degree(weight="weight"))
    nodes = sorted(graph.nodes, key=lambda n: (-degree[n], n))[:top]
    edges = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))[:top]
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
            "top_nodes": [{"entity_id": n, **graph.nodes[n], "degree": graph.degree(n),
                           "weighted_degree": degree[n]} for n in nodes],
            "top_edges": [{"source": a, "target": b, "source_name": graph.nodes[a]["name"],
                           "target_name": graph.nodes[b]["name"], **data} for a, b, data in edges]}
