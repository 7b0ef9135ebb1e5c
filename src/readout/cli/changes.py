"""Commands over the links between documents: `readout changes` and `readout story`."""
from __future__ import annotations

import json
from enum import Enum
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from readout.cli import app, console
from readout.cli.common import DbOption
from readout.store import open_store
from readout.store.versions import list_changes, story_reports


class Output(str, Enum):
    table = "table"
    json = "json"


@app.command()
def changes(since: Optional[str] = typer.Option(None, "--since", help="Only edits stored on or after this date (YYYY-MM-DD)"),
            db: Optional[str] = DbOption,
            format: Output = typer.Option(Output.table, "--format", "-f", help="table or json"),
            diff: bool = typer.Option(False, "--diff", help="Print each edit's unified diff after the table")):
    """Articles edited after publication: the same URL stored with another text. Each edit with
    its versions' dates, lines added and removed, and the people added and removed."""
    with open_store(db) as store:
        articles = list_changes(store, since)
    if format is Output.json:
        print(json.dumps(articles, ensure_ascii=False, indent=2))
        return
    print_changes(articles)
    if diff:
        for article in articles:
            for edit in article["edits"]:
                console.rule(f"{article['url']}  {edit['from']} -> {edit['to']}", style="dim")
                console.print(edit["diff"], markup=False, highlight=False)


def print_changes(articles: list[dict]) -> None:
    """One block per article: its URL, headline and publication, then a line per edit."""
    for article in articles:
        stored = {v["id"]: (v["stored"] or "")[:10] for v in article["versions"]}
        published = ", ".join(sorted({v["published"] for v in article["versions"] if v["published"]}))
        console.print(f"[bold]{escape(article['url'])}[/]", highlight=False, soft_wrap=True)
        console.print(f"  {escape(article['title'] or '(no headline)')}, published {published or 'unknown'}",
                      highlight=False, soft_wrap=True)
        for edit in article["edits"]:
            console.print(f"  doc {edit['from']} (stored {stored[edit['from']]}) -> doc {edit['to']} "
                          f"(stored {stored[edit['to']]}): +{edit['lines_added']} -{edit['lines_removed']} lines; "
                          f"people added: {names(edit['people_added'])}; removed: {names(edit['people_removed'])}",
                          markup=False, highlight=False, soft_wrap=True)
    console.print(f"{len(articles)} articles edited, {sum(len(a['edits']) for a in articles)} edits",
                  highlight=False)


def names(people: list[dict]) -> str:
    return ", ".join(p["name"] or p["entity_id"] for p in people) or "none"


@app.command()
def story(document_id: int = typer.Argument(..., metavar="ID"), db: Optional[str] = DbOption,
          format: Output = typer.Option(Output.table, "--format", "-f", help="table or json")):
    """The stored reports of the story of document ID: outlet, date and title of each."""
    with open_store(db) as store:
        reports = story_reports(store, document_id)
    if format is Output.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
        return
    table = Table("doc", "outlet", "published", "title", "version of", box=None)
    for report in reports:
        table.add_row(str(report["id"]), report["source"] or "", report["published"] or "",
                      report["title"] or "", str(report["version_of"] or ""))
    console.print(table)
