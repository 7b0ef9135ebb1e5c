"""`readout person` (the person view) and `readout titles` (title changes, normalisation)."""
from __future__ import annotations

import json
from enum import Enum
from typing import List, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from readout.cli import app, console, fail
from readout.cli.common import DbOption
from readout.store import open_store

LAST_APPEARANCES = 10
TOP_CO_ATTENDEES = 15


class Format(str, Enum):
    table = "table"
    json = "json"


FormatOption = typer.Option(Format.table, "--format", "-f", help="table or json")


@app.command()
def person(name: str = typer.Argument(..., help="Any spelling or script: Choe Son Hui, 최선희, ..."),
           country: Optional[str] = typer.Option(None, help="ISO alpha-3, to choose among namesakes"),
           db: Optional[str] = DbOption, format: Format = FormatOption):
    """One person: spellings by script, titles over time, last appearances, co-attendees."""
    from readout.analyze.person import person_profile

    with open_store(db) as store:
        profile = person_profile(store, name, country)
    if format is Format.json:
        print(json.dumps(profile, ensure_ascii=False, indent=2))
        return
    _print_profile(profile)


@app.command()
def titles(texts: List[str] = typer.Argument(None, metavar="[TITLE]...",
                                             help="Titles to normalise (without --changes)"),
           changes: bool = typer.Option(False, "--changes", help="List title changes in the store"),
           since: Optional[str] = typer.Option(None, help="Changes on or after this date (YYYY-MM-DD)"),
           country: Optional[str] = typer.Option(None, help="Whose titles (ISO alpha-3): own-country "
                                                            "qualifiers are dropped"),
           db: Optional[str] = DbOption, format: Format = FormatOption):
    """Title changes (a person's set of titles differs from their previous dated appearance),
    or the canonical roles of the TITLE texts given."""
    from readout.analyze.titles import normalize_title, title_changes

    if changes == bool(texts):
        fail("give --changes to list title changes, or TITLE texts to normalise (not both)")
    if texts:
        found = [{"title": t, "roles": normalize_title(t, country)} for t in texts]
        _print(found, format, _print_roles)
        return
    with open_store(db) as store:
        found = title_changes(store, since)
    _print(found, format, _print_changes)


def _print(found: list[dict], format: Format, as_table) -> None:
    if format is Format.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        as_table(found)


def _row(table: Table, *cells: str) -> None:
    # Names and titles are data: a "[" in them must print, not start rich markup.
    table.add_row(*(Text(cell, overflow="fold") for cell in cells))


def _print_profile(profile: dict) -> None:
    where = f", {profile['country']}" if profile["country"] else ""
    console.rule(f"[bold]{escape(profile['name'])}[/]{escape(where)}  ({profile['entity_id']})", style="dim")
    if profile["resolved_by"] != "exact":
        console.print(f"{profile['query']!r} read as {profile['name']}: {profile['resolved_by']}",
                      markup=False, highlight=False)
    if not profile["in_kb"]:
        console.print("not in the knowledge base: known from stored articles only", style="dim")
    _print_aliases(profile["aliases"])
    _print_titles(profile["titles"])
    _print_appearances(profile["appearances"])
    _print_co_attendees(profile["co_attendees"])


def _print_aliases(aliases: dict[str, list[str]]) -> None:
    table = Table("script / system", "spellings", title="Spellings", title_justify="left", box=None)
    for system, names in aliases.items():
        _row(table, system, ", ".join(names))
    console.print(table if aliases else "no other spellings known", highlight=False)


def _print_titles(history: list[dict]) -> None:
    table = Table("title", "first seen", "last seen", "docs", "as written",
                  title="Titles over time", title_justify="left", box=None)
    for entry in history:
        _row(table, entry["title"], entry["first_seen"] or "undated", entry["last_seen"] or "",
                      str(len(entry["documents"])), "; ".join(entry["raw"]))
    console.print(table if history else "no titles in stored articles", highlight=False)


def _print_appearances(appearances: list[dict]) -> None:
    last = appearances[::-1][:LAST_APPEARANCES]
    table = Table("published", "doc", "source", "events", "role", "headline",
                  title=f"Last appearances ({len(last)} of {len(appearances)})",
                  title_justify="left", box=None)
    for a in last:
        _row(table, a["published"] or "undated", str(a["document_id"]), a["source"] or "",
                      ", ".join(a["event_types"]), a["role"] or "", a["document_title"] or "")
    console.print(table if appearances else "no appearances in the store", highlight=False)


def _print_co_attendees(people: list[dict]) -> None:
    table = Table("name", "country", "events", "docs", "last together", "entity",
                  title="Co-attendees (same events)", title_justify="left", box=None)
    for p in people[:TOP_CO_ATTENDEES]:
        _row(table, p["name"] or "", p["country"] or "", str(p["events"]), str(p["documents"]),
                      p["last_together"] or "", p["entity_id"])
    console.print(table if people else "no co-attendees in stored events", highlight=False)


def _print_changes(changes: list[dict]) -> None:
    table = Table("date", "person", "country", "dropped", "added", "previous", "doc", box=None)
    for c in changes:
        _row(table, c["date"], c["name"] or c["entity_id"], c["country"] or "",
             "; ".join(c["lost"]), "; ".join(c["gained"]), c["previous_date"],
             str(c["document_id"]))
    console.print(table if changes else "no title changes in the store", highlight=False)


def _print_roles(found: list[dict]) -> None:
    for item in found:
        console.print(item["title"], markup=False, highlight=False)
        for role in item["roles"]:
            console.print(f"  -> {role}", markup=False, highlight=False)
