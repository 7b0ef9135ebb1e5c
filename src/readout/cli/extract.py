"""`readout extract`: the output contract of DESIGN.md for files, without a store."""
from __future__ import annotations

import json
from enum import Enum
from typing import List

import typer
from rich.table import Table

from readout.cli import app, console, err_console
from readout.cli.common import side_lines
from readout.errors import UnreadableInput
from readout.ingest import iter_raw_documents
from readout.pipeline import process
from readout.contract import to_record


class Format(str, Enum):
    jsonl = "jsonl"
    table = "table"


@app.command()
def extract(files: List[str] = typer.Argument(..., help="Article files or folders (.txt, .html, .jsonl, feeds, .gz)"),
            format: Format = typer.Option(Format.jsonl, "--format", "-f", help="jsonl (one object per document) or table")):
    """Print who met whom, with lists, titles and events, for each article, in input order."""
    errors: list[str] = []
    raws = iter_raw_documents(files, on_error=lambda e: errors.append(str(e)))
    for raw in raws:
        for warning in raw.warnings:
            err_console.print(f"warning: {warning}", markup=False, highlight=False)
        record = to_record(process(raw))
        if format is Format.jsonl:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print_record(record)
    for error in errors:
        err_console.print(f"error: {error}", markup=False, highlight=False)
    if errors:
        raise typer.Exit(1)


def print_record(record: dict) -> None:
    console.rule(f"{record['file']}", style="dim")
    console.print(f"[bold]{record['title'] or '(no headline)'}[/]")
    console.print(f"{record['source'] or 'unknown outlet'}, published {record['published'] or 'unknown'}"
                  + (f", by {record['byline']}" if record['byline'] else ""), highlight=False)
    people = Table("name", "as written", "country", "role", "side", "#", "title", box=None)
    for p in record["people"]:
        people.add_row(p["name"], p["mention"], p["country"] or "", p["role"], p["side"] or "",
                       str(p["order"] or ""), (p["titles"] or [""])[0])
    console.print(people)
    events = Table("event", "date", "place", "actors", "evidence", box=None)
    for e in record["events"]:
        actors = f"{e['source_actor'] or '?'} -> {e['target_actor'] or '?'}" if e["source_actor"] or e["target_actor"] else ""
        spans = ", ".join(f"{s['start']}-{s['end']}" for s in e["evidence"])
        events.add_row(e["type"], e["date"] or "", e["place"] or "", actors, spans)
    console.print(events)
