"""Positions for the network view: the co-attendance graph drawn as SVG on the server, so the
page needs no script, every person is a plain link and a test can read what is drawn.

Each connected group of people is laid out on its own (networkx's spring layout, fixed seed)
in a square sized to its number of people, and the squares are packed in rows: laid out
together, unconnected groups push each other to the edges and squeeze the main one.
"""
from __future__ import annotations

import math

import networkx as nx
from markupsafe import Markup

WIDTH = 1000   # the SVG's viewBox width; the browser scales it
MARGIN = 40
LABELLED = 25  # the best-connected people carry their name; the rest show it on hover


def layout(network: dict) -> dict:
    """Nodes with x, y, a radius and whether labelled; edges with their ends, from answers.network."""
    graph = nx.Graph()
    graph.add_nodes_from(n["id"] for n in network["nodes"])
    graph.add_weighted_edges_from((e["source"], e["target"], e["weight"]) for e in network["edges"])
    positions, height = pack(graph)
    heaviest = max((n["weight"] for n in network["nodes"]), default=1) or 1
    nodes = [{**n, "x": positions[n["id"]][0], "y": positions[n["id"]][1],
              "r": round(4 + 12 * (n["weight"] / heaviest) ** 0.5, 1), "labelled": rank < LABELLED}
             for rank, n in enumerate(network["nodes"])]
    at = {n["id"]: n for n in nodes}
    edges = [{**e, "x1": at[e["source"]]["x"], "y1": at[e["source"]]["y"],
              "x2": at[e["target"]]["x"], "y2": at[e["target"]]["y"],
              "source_name": at[e["source"]]["name"], "target_name": at[e["target"]]["name"]}
             for e in network["edges"]]
    return {"nodes": nodes, "edges": edges, "lines": lines(edges), "width": WIDTH, "height": height}


LINE = Markup('<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{width}">'
              '<title>{weight} together</title></line>')


def lines(edges: list[dict]) -> Markup:
    """The edges as SVG, made once with the layout: a hundred people can share four thousand
    links, and writing each through the template took most of the page's time. Markup.format
    escapes every value as the template would."""
    return Markup("\n").join(LINE.format(x1=e["x1"], y1=e["y1"], x2=e["x2"], y2=e["y2"], weight=e["weight"],
                                          width=min(1 + e["weight"] * 0.5, 7)) for e in edges)


def pack(graph: nx.Graph) -> tuple[dict, int]:
    """Positions in viewBox units for every node, and the height the drawing needs."""
    groups = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c))
    boxes, row_width = shelves([math.sqrt(len(g)) for g in groups])
    rows_height = max((y + side for x, y, side in boxes), default=1)
    scale = (WIDTH - 2 * MARGIN) / max(row_width, 1e-9)
    positions = {}
    for group, (x, y, side) in zip(groups, boxes):
        local = spread(graph.subgraph(group)) if len(group) > 1 else {group[0]: (0.0, 0.0)}
        for node, (u, v) in local.items():
            # [-1, 1] into the box, a tenth of it left free all round
            positions[node] = (round(MARGIN + (x + side * (0.5 + 0.4 * float(u))) * scale, 1),
                               round(MARGIN + (y + side * (0.5 + 0.4 * float(v))) * scale, 1))
    return positions, round(2 * MARGIN + rows_height * scale)


def spread(group: nx.Graph) -> dict:
    """A spring layout looser than networkx's default (k = 1/sqrt(n)): a hub such as a leader
    met by everyone otherwise pulls the whole group into one knot."""
    return nx.spring_layout(group, k=2.5 / math.sqrt(len(group)), iterations=100, seed=7,
                            weight=None)


def shelves(sides: list[float]) -> tuple[list[tuple[float, float, float]], float]:
    """Squares of the given sides (largest first) placed left to right in rows."""
    # The largest group, with the next largest beside it; the rest in rows underneath.
    width = (sides[0] + max(sides[1:], default=0)) if sides else 1
    boxes, x, y, row = [], 0.0, 0.0, 0.0
    for side in sides:
        if x > 0 and x + side > width:
            x, y, row = 0.0, y + row, 0.0
        boxes.append((x, y, side))
        x, row = x + side, max(row, side)
    return boxes, width
