"""Commands over the store: ingest, show, events, people, report."""
from __future__ import annotations

from importlib import resources
from typing import List, Optional

import typer
from rich.table import Table

from readout.cli import app, console, err_console, fail
from readout.cli.common import DbOption, progress, side_lines
from readout.engine import open_engine
from readout.errors import UnreadableInput
from readout.ingest import iter_raw_documents, read_feed
from readout.pipeline import IngestReport, ingest as run_ingest
from readout.store import open_store


def sample_folder() -> str:
    """The real articles shipped with readout for the demo."""
    return str(resources.files("readout.data").joinpath("samples"))


@app.command()
def ingest(paths: List[str] = typer.Argument(None, help="Files and folders of .txt/.html/.jsonl/feeds, .gz too"),
           db: Optional[str] = DbOption,
           feed: List[str] = typer.Option([], "--feed", help="RSS/Atom feed URL or file (repeatable)"),
           samples: bool = typer.Option(False, "--samples", help="Ingest the sample articles readout ships"),
           batch_size: int = typer.Option(200, "--batch-size", min=1, help="Articles per transaction"),
           engine: str = typer.Option("local", "--engine", help="Where extraction runs: local or dask"),
           scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                                   help="Dask scheduler (tcp://host:8786); default: a 2-worker LocalCluster")):
    """Extract articles and store them; the same article ingested twice is stored once, and a
    run that was interrupted finishes the rest when run again."""
    paths = list(paths or []) + ([sample_folder()] if samples else [])
    if not paths and not feed:
        fail("nothing to ingest: give files or folders, --feed URL, or --samples")
    report = IngestReport()
    with open_store(db) as store, open_engine(engine, scheduler) as extractor, progress() as bar:
        task = bar.add_task("ingesting", total=None)
        sources = _sources(paths, feed, report)
        run_ingest(sources, store, report, batch_size, lambda n: bar.advance(task, n), engine=extractor)
        total = store.count_documents()
    for warning in report.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    for error in report.errors:
        err_console.print(f"error: {error}", markup=False, highlight=False)
    console.print(f"stored {report.stored} new, {report.duplicates} already stored, "
                  f"{len(report.errors)} refused; {total} documents in {store.name}", highlight=False)
    if report.errors:
        raise typer.Exit(1)


def _sources(paths, feeds, report: IngestReport):
    """Every article of every path and feed; a bad file is reported and the rest go on."""
    on_error = lambda error: report.errors.append(str(error))  # noqa: E731
    for path in paths:
        yield from iter_raw_documents([path], on_error=on_error)
    for url in feeds:
        yield from read_feed(url, on_error=on_error)


@app.command()
def show(document_id: int = typer.Argument(..., metavar="ID"), db: Optional[str] = DbOption):
    """One stored document: its header, people and events with attendance lists."""
    with open_store(db) as store:
        document = store.get_document(document_id)
    if document is None:
        fail(f"no document {document_id} in the store")
    print_document(document)


@app.command()
def events(db: Optional[str] = DbOption,
           type: Optional[str] = typer.Option(None, "--type", "-t", help="Event type, e.g. talks"),
           since: Optional[str] = typer.Option(None, help="From this date (YYYY-MM-DD)"),
           until: Optional[str] = typer.Option(None, help="Up to this date (YYYY-MM-DD)"),
           country: Optional[str] = typer.Option(None, help="Involving this country (ISO alpha-3)"),
           limit: int = typer.Option(50, min=1), offset: int = typer.Option(0, min=0)):
    """Stored events by date, with their principals and number of listed attendees."""
    with open_store(db) as store:
        found = store.list_events(type, since, until, country, limit, offset)
    table = Table("date", "event", "place", "principals", "listed", "doc", box=None)
    for e in found:
        principals = ", ".join(f"{p['name']} ({p['country'] or '?'})" for p in e["principals"])
        table.add_row(e["date"] or "", e["type"], e["place"] or "", principals,
                      str(len(e["participants"])), str(e["document_id"]))
    console.print(table)


@app.command()
def people(db: Optional[str] = DbOption, limit: int = typer.Option(50, min=1),
           offset: int = typer.Option(0, min=0)):
    """Stored people, most often named first, with first and last appearance."""
    with open_store(db) as store:
        found = store.list_people(limit, offset)
    table = Table("name", "country", "documents", "first seen", "last seen", "entity", box=None)
    for p in found:
        table.add_row(p["name"], p["country"] or "", str(p["appearances"]), p["first_seen"] or "",
                      p["last_seen"] or "", p["entity_id"])
    console.print(table)


@app.command()
def report(db: Optional[str] = DbOption, limit: int = typer.Option(20, min=1)):
    """A readable summary: each document's events with date, place, principals and the
    attendance list of each side in protocol order, with titles."""
    with open_store(db) as store:
        ids = [row["id"] for row in store.list_documents(limit)]
        documents = [store.get_document(i) for i in ids]
    for document in documents:
        print_document(document, text=False)


def print_document(document: dict, text: bool = True) -> None:
    console.rule(f"document {document['id']}", style="dim")
    console.print(f"[bold]{document['title'] or '(no headline)'}[/]")
    console.print(f"{document['source'] or 'unknown outlet'}, published {document['published'] or 'unknown'}",
                  highlight=False)
    for event in document["events"]:
        _print_event(event)


def _print_event(event: dict) -> None:
    where = f" at {event['place']}" if event["place"] else ""
    actors = ""
    if event["source_actor"] or event["target_actor"]:
        actors = f" ({event['source_actor'] or '?'} -> {event['target_actor'] or '?'})"
    topic = f" on {event['topic']}" if event["topic"] else ""
    console.print(f"  {event['date'] or 'undated':10}  [bold]{event['type']}[/]{where}{actors}{topic}",
                  highlight=False)
    if event["participants"]:
        principals = ", ".join(f"{p['name']} ({p['country'] or '?'})" for p in event["principals"])
        console.print(f"      principals: {principals}", highlight=False)
    for side, listed in side_lines(event["participants"]).items():
        console.print(f"      {side} side:", highlight=False)
        for person in listed:
            order = f"{person['order']}." if person["order"] else "-"
            title = f", {person['title']}" if person["title"] else ""
            console.print(f"        {order:>3} {person['name']}{title}", highlight=False, soft_wrap=True)
