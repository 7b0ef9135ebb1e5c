"""`readout kb import|export` and `readout resolve`: the knowledge base of people."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from readout.cli import app, console, err_console, fail
from readout.errors import KnowledgeBaseError

kb_app = typer.Typer(help="The knowledge base of people: import your own, export the merged KB.",
                     no_args_is_help=True)
app.add_typer(kb_app, name="kb")


class KbFormat(str, Enum):
    csv = "csv"
    json = "json"


class ResolveFormat(str, Enum):
    json = "json"
    table = "table"


@kb_app.command("import")
def kb_import(file: Path = typer.Argument(..., help="CSV or JSON with columns entity_id,name,"
                                                    "country,alias,system,title")) -> None:
    """Check FILE whole and add its people to the user KB ($READOUT_HOME or ~/.readout)."""
    from readout.resolve.kb_import import import_file

    if not file.exists():
        fail(f"{file}: no such file")
    try:
        summary = import_file(file)
    except KnowledgeBaseError as error:
        # Every problem at once, so one round of fixes is enough.
        for line, reason in error.problems:
            err_console.print(f"error: {error.path}:{line}: {reason}", markup=False,
                              highlight=False, soft_wrap=True)
        fail(f"{error.path}: {len(error.problems)} problem(s); nothing was imported")
    console.print(f"imported {summary.people} people ({summary.aliases} aliases) into "
                  f"{summary.path}; it now holds {summary.total}", markup=False, highlight=False)


@kb_app.command("export")
def kb_export(format: KbFormat = typer.Option(KbFormat.csv, "--format", "-f",
                                              help="csv or json")) -> None:
    """Print the merged KB (shipped and user) as import rows."""
    from readout.resolve import Resolver
    from readout.resolve.kb_import import export_rows, write_rows

    write_rows(export_rows(Resolver.default().people), sys.stdout, format.value)


@app.command()
def resolve(names: List[str] = typer.Argument(..., help="names as written"),
            country: Optional[str] = typer.Option(None, "--country", "-c",
                                                  help="ISO alpha-3 code of the person's country"),
            format: ResolveFormat = typer.Option(ResolveFormat.json, "--format", "-f")) -> None:
    """Resolve each NAME against the knowledge base: one JSON object per line."""
    from readout.resolve import Resolver

    resolver = Resolver.default()
    found = [resolver.resolve(name, country=country.upper() if country else None)
             for name in names]
    if format is ResolveFormat.table:
        _print_table(found)
        return
    for resolution in found:
        record = resolution.as_dict()
        print(json.dumps({k: record[k] for k in ("query", "name", "entity_id", "country",
                                                  "score", "reason")}, ensure_ascii=False))


def _print_table(found) -> None:
    table = Table("query", "name", "entity_id", "score", "reason")
    for r in found:
        table.add_row(r.query, r.name if r.is_known else "-", r.entity_id, f"{r.score:.2f}",
                      r.reason)
    console.print(table)
