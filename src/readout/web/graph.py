"""Positions for the network view: the co-attendance graph drawn as SVG on the server, so the
page needs no script, every person is a plain link and a test can read what is drawn."""
from __future__ import annotations

import networkx as nx

SIZE = 1000  # the SVG's viewBox is SIZE x SIZE; the browser scales it
MARGIN = 60


def layout(network: dict) -> dict:
    """Nodes with x, y and a radius, edges with their ends' positions, from answers.network."""
    graph = nx.Graph()
    graph.add_nodes_from(n["id"] for n in network["nodes"])
    graph.add_weighted_edges_from((e["source"], e["target"], e["weight"]) for e in network["edges"])
    # A fixed seed: the same store draws the same picture every time.
    positions = nx.spring_layout(graph, seed=7, weight="weight") if len(graph) else {}
    heaviest = max((n["weight"] for n in network["nodes"]), default=1) or 1
    nodes = [{**n, **place(positions[n["id"]]), "r": 5 + 15 * (n["weight"] / heaviest) ** 0.5}
             for n in network["nodes"]]
    at = {n["id"]: n for n in nodes}
    edges = [{**e, "x1": at[e["source"]]["x"], "y1": at[e["source"]]["y"],
              "x2": at[e["target"]]["x"], "y2": at[e["target"]]["y"],
              "source_name": at[e["source"]]["name"], "target_name": at[e["target"]]["name"]}
             for e in network["edges"]]
    return {"nodes": nodes, "edges": edges, "size": SIZE}


def place(position) -> dict:
    """spring_layout's [-1, 1] square mapped into the viewBox, inside the margin."""
    x, y = (float(v) for v in position)
    half = (SIZE - 2 * MARGIN) / 2
    return {"x": round(SIZE / 2 + x * half, 1), "y": round(SIZE / 2 + y * half, 1)}
