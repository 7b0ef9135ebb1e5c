"""The co-attendance graph: who took part in events together, and how often.

    graph = network(store, since="2024-01-01")   # networkx.Graph
    write_graph(graph, "net.graphml")             # or .gexf

Nodes are entities (attributes name, country, events); an edge joins two people who took part
(as principal or listed attendee) in the same event, weighted by the number of events they
shared. Outlets that report the same event are not counted twice: an event is known by its type,
date and principals, so KCNA's and Rodong Sinmun's accounts of one talks make one event.
"""
from __future__ import annotations

from itertools import combinations
from pathlib import Path

import networkx as nx
from sqlalchemy import func, select

from readout.analyze import AnalysisError
from readout.store.database import as_date
from readout.store.tables import documents, event_participants, events

WRITERS = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}


def network(store, since=None) -> nx.Graph:
    """The co-attendance graph of events on or after `since` (all events when None)."""
    since = as_date(since, "since")
    with store.engine.connect() as conn:
        rows = attendance(conn, since)
    graph = nx.Graph()
    for (event_id, key, document_id), people in group_events(rows).items():
        add_event(graph, key, document_id, people)
    for _, data in graph.nodes(data=True):
        data["events"] = len(data.pop("_events"))
    for _, _, data in graph.edges(data=True):
        data["weight"] = len(data.pop("_events"))
        data["documents"] = len(data.pop("_documents"))
    return graph


def attendance(conn, since) -> list:
    """Every (event, person) pair with what identifies the event across outlets (as Rows:
    building a dict per row would cost as much as the query)."""
    when = func.coalesce(events.c.date, documents.c.published)
    query = (select(events.c.id.label("event_id"), events.c.type, events.c.document_id,
                    when.label("date"), event_participants.c.role, event_participants.c.entity_id,
                    event_participants.c.name, event_participants.c.country, event_participants.c.side)
             .join(events, events.c.id == event_participants.c.event_id)
             .join(documents, documents.c.id == events.c.document_id)
             .where(event_participants.c.entity_id.is_not(None))
             .order_by(events.c.id, event_participants.c.seq))
    if since is not None:
        query = query.where(when >= since)
    return conn.execute(query).all()


def group_events(rows: list) -> dict[tuple, list]:
    """Rows grouped per stored event, keyed by (event id, cross-outlet key, document id)."""
    stored: dict[int, list] = {}
    for row in rows:
        stored.setdefault(row.event_id, []).append(row)
    grouped = {}
    for event_id, people in stored.items():
        first = people[0]
        principals = frozenset(p.entity_id for p in people if p.role == "principal")
        # Undated events cannot be matched across outlets: each stands for itself.
        key = (first.type, first.date, principals) if first.date else ("event", event_id)
        grouped[event_id, key, first.document_id] = people
    return grouped


def add_event(graph: nx.Graph, key: tuple, document_id: int, people: list) -> None:
    ids = sorted({p.entity_id for p in people})
    for person in people:
        if person.entity_id not in graph:
            graph.add_node(person.entity_id, name=person.name or "",
                           country=person.country or person.side or "", _events=set())
        graph.nodes[person.entity_id]["_events"].add(key)
    adjacency = graph.adj
    for a, b in combinations(ids, 2):
        if b not in adjacency[a]:
            graph.add_edge(a, b, _events=set(), _documents=set())
        data = adjacency[a][b]
        data["_events"].add(key)
        data["_documents"].add(document_id)


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
