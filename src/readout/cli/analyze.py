"""Commands over the analyses: timeline, rank, network, compare, absent, export.

Each opens the store, calls one function of readout.analyze and prints its answer as a table,
or as JSON with --format json (the same data the function returns). The analyses are imported
inside the commands: every `readout` command loads this module, and networkx alone takes
longer to import than most commands take to run.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer
from rich.table import Table

from readout.analyze import settings
from readout.cli import app, console, err_console, fail
from readout.cli.common import DbOption
from readout.store import open_store


class Output(str, Enum):
    table = "table"
    json = "json"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    plover = "plover"


FormatOption = typer.Option(Output.table, "--format", "-f", help="table, or json (the library's answer)")
SinceOption = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)")


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@app.command()
def timeline(person: str = typer.Argument(..., help="Name in any spelling, or an entity id"),
             db: Optional[str] = DbOption, format: Output = FormatOption):
    """A person's appearances by date: events, counterparts, title, side and list place."""
    from readout.analyze.timeline import timeline as person_timeline

    with open_store(db) as store:
        found = person_timeline(store, person)
    if format is Output.json:
        return print_json(found)
    who = found["person"]
    console.print(f"[bold]{who['name']}[/] ({who['country'] or '?'}, {who['entity_id']}): "
                  f"{len(found['appearances'])} appearances", highlight=False)
    table = Table("date", "events", "counterparts", "title", "role", "side", "#", "outlet", "doc", box=None)
    for a in found["appearances"]:
        table.add_row(a["date"] or "undated", ", ".join(a["event_types"]),
                      ", ".join(c["name"] for c in a["counterparts"]), a["title"] or "",
                      a["role"] or "", a["side"] or "", str(a["order"] or ""), a["source"] or "",
                      str(a["document_id"]))
    console.print(table)


@app.command()
def rank(db: Optional[str] = DbOption,
         event_type: Optional[str] = typer.Option(None, "--event-type", "-t", help="Only this event type, e.g. talks"),
         country: Optional[str] = typer.Option(None, "--country", help="Only lists of this side (ISO alpha-3)"),
         since: Optional[str] = SinceOption, format: Output = FormatOption):
    """Protocol order: each person's place in attendance lists over time; largest rises and falls."""
    from readout.analyze.rank import rank as protocol_rank

    with open_store(db) as store:
        found = protocol_rank(store, event_type, country, since)
    if format is Output.json:
        return print_json(found)
    table = Table("name", "side", "places (date: place/of)", box=None)
    for person in found["people"]:
        table.add_row(person["name"] or person["entity_id"], person["appearances"][0]["side"],
                      "  ".join(place_runs(person["appearances"])))
    console.print(table)
    for label, moves in (("rises", found["rises"]), ("falls", found["falls"])):
        console.print(f"[bold]largest {label}[/]" if moves else f"no {label}")
        for m in moves:
            console.print(f"  {m['name']} ({m['side']}): {m['from']['order']} on {m['from']['date']} -> "
                          f"{m['to']['order']} on {m['to']['date']} ({m['change']:+d})", highlight=False)


def place_runs(appearances: list[dict]) -> list[str]:
    """Consecutive appearances at the same place shown once: "2024-01-05..2024-06-19: 4/6 (x12)"."""
    runs: list[list[dict]] = []
    for a in appearances:
        if runs and (runs[-1][-1]["order"], runs[-1][-1]["of"]) == (a["order"], a["of"]):
            runs[-1].append(a)
        else:
            runs.append([a])
    return [f"{run[0]['date']}: {run[0]['order']}/{run[0]['of']}" if len(run) == 1 else
            f"{run[0]['date']}..{run[-1]['date']}: {run[0]['order']}/{run[0]['of']} (x{len(run)})"
            for run in runs]


@app.command()
def network(db: Optional[str] = DbOption, since: Optional[str] = SinceOption,
            output: Optional[str] = typer.Option(None, "--output", "-o", help="Write FILE.graphml or FILE.gexf"),
            top: int = typer.Option(None, "--top", min=1, help="How many nodes and edges to print"),
            format: Output = FormatOption):
    """The co-attendance graph: people who took part in events together, weighted by events."""
    from readout.analyze.network import network as build_network, summary, write_graph

    with open_store(db) as store:
        graph = build_network(store, since)
    if output:
        kind = write_graph(graph, output)
        err_console.print(f"wrote {kind} with {graph.number_of_nodes()} nodes and "
                          f"{graph.number_of_edges()} edges to {output}", highlight=False)
    shown = summary(graph, top or settings("network")["top"])
    if format is Output.json:
        return print_json(shown)
    console.print(f"{shown['nodes']} people, {shown['edges']} pairs who attended together", highlight=False)
    nodes = Table("person", "country", "events", "co-attendees", "weighted", box=None)
    for n in shown["top_nodes"]:
        nodes.add_row(n["name"], n["country"], str(n["events"]), str(n["degree"]), str(n["weighted_degree"]))
    console.print(nodes)
    edges = Table("person", "person", "events together", "documents", box=None)
    for e in shown["top_edges"]:
        edges.add_row(e["source_name"], e["target_name"], str(e["weight"]), str(e["documents"]))
    console.print(edges)


@app.command()
def compare(document_id: int = typer.Argument(..., metavar="STORY_OR_DOCUMENT_ID"),
            db: Optional[str] = DbOption, format: Output = FormatOption):
    """The reports of one event from different outlets side by side, and what each lacks."""
    from readout.analyze.compare import compare as compare_reports

    with open_store(db) as store:
        found = compare_reports(store, document_id)
    if format is Output.json:
        return print_json(found)
    heads = [f"{r['source'] or '?'} #{r['id']}" for r in found["reports"]]
    console.print(f"{len(heads)} reports (linked by {found['linked_by']}): " +
                  "; ".join(f"#{r['id']} {r['source']}, {r['published'] or 'undated'}" for r in found["reports"]),
                  highlight=False)
    people = Table("person", *heads, box=None)
    for p in found["people"]:
        people.add_row(p["name"], *[cell(p, i) for i in range(len(heads))])
    console.print(people)
    happened = Table("event", *heads, box=None)
    for e in found["events"]:
        happened.add_row(e["event"], *["yes" if seen else "-" for seen in e["in"]])
    console.print(happened)
    for lack in found["only_in"]:
        if lack["people"] or lack["events"]:
            console.print(f"#{lack['document_id']} {lack['source']} has what another lacks: " +
                          ", ".join(lack["people"] + lack["events"]), highlight=False)


def cell(person: dict, i: int) -> str:
    if not person["in"][i]:
        return "-"
    listed = f"[{person['listed'][i]}] " if person["listed"][i] else ""
    return listed + (person["titles"][i] or "named")


@app.command()
def absent(person: Optional[str] = typer.Argument(None, help="One person's standing (any spelling)"),
           db: Optional[str] = DbOption, since: Optional[str] = typer.Option(
               None, "--since", help="Only people last seen on or after this date (YYYY-MM-DD)"),
           format: Output = FormatOption):
    """People who stopped appearing: days since last seen against their usual gap."""
    from readout.analyze.absent import absent as find_absent

    with open_store(db) as store:
        found = find_absent(store, person, since)
    if format is Output.json:
        return print_json(found)
    factor = settings("absent")["factor"]
    if not found:
        console.print(f"no one is away longer than {factor}x their usual gap")
        return
    table = Table("name", "country", "seen", "last seen", "usual gap", "days away", "x usual", "absent", box=None)
    for s in found:
        table.add_row(s["name"], s["country"] or "", str(s["appearances"]), s["last_seen"],
                      f"{s['usual_gap_days']:g}" if s["usual_gap_days"] is not None else "n/a",
                      str(s["days_since"]), f"{s['overdue']:g}" if s["overdue"] is not None else "n/a",
                      "yes" if s["absent"] else "no")
    console.print(table)
    console.print(f"absent = away more than {factor}x the usual gap, as of {found[0]['as_of']}", highlight=False)


@app.command()
def export(format: ExportFormat = typer.Option(..., "--format", "-f", help="csv, jsonl, parquet or plover"),
           db: Optional[str] = DbOption,
           output: Optional[str] = typer.Option(None, "--output", "-o",
                                                help="Folder for csv/parquet; file for jsonl/plover (default stdout)")):
    """Export events, people, participations and titles (csv, parquet), the extract records
    of every document (jsonl), or PLOVER event records (plover)."""
    from readout.analyze.export import export as run_export

    if output is None and format in (ExportFormat.csv, ExportFormat.parquet):
        fail(f"--format {format.value} writes one file per table: give a folder with --output")
    with open_store(db) as store:
        done = run_export(store, format.value, output or sys.stdout)
    counts = ", ".join(f"{n} {name}" for name, n in done["counts"].items())
    err_console.print(f"exported {counts} as {format.value} to {output or 'stdout'}", highlight=False)
