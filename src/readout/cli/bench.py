"""`readout bench`: measure extraction, ingest, Dask, memory and queries on a generated corpus."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from readout.cli import app, console, err_console


@app.command()
def bench(quick: bool = typer.Option(False, "--quick", help="A few thousand articles, in minutes"),
          as_json: bool = typer.Option(False, "--json", help="One JSON object instead of a table"),
          size: Optional[str] = typer.Option(None, "--size", metavar="N|small|quick|full",
                                             help="Articles of the throughput corpus, or a preset"),
          db_postgres: Optional[str] = typer.Option(None, "--db-postgres", metavar="URL",
                                                    help="PostgreSQL server to measure ingest on (a scratch database is made and dropped)"),
          store_500k: Optional[Path] = typer.Option(None, "--store-500k", metavar="PATH",
                                                    help="Where the 500,000-article query store is kept (default ~/.cache/readout/bench)"),
          seed: int = typer.Option(0, "--seed", help="Seed of the generated corpus"),
          load: bool = typer.Option(False, "--load", help="Only the load run: readout serve asked for "
                                    "200 mixed requests/s (also part of the full bench)"),
          load_seconds: Optional[float] = typer.Option(None, "--load-seconds", metavar="S",
                                                       help="Length of the load run (default 60 s in full)")):
    """Measure readout on a corpus generated from the real articles; targets from issues 4-6."""
    from readout.bench import make_plan, run, verdicts
    from readout.bench.run import run_load

    plan = make_plan(quick, size, db_postgres, store_500k, seed, load_seconds)
    started = time.monotonic()
    log = lambda message: err_console.print(f"{time.monotonic() - started:7.1f}s  {message}",  # noqa: E731
                                            style="dim", highlight=False)
    results = run_load(plan, log=log) if load else run(plan, log=log)
    if as_json:
        print(json.dumps(results, indent=2))
        return
    console.print(_table(results, verdicts(results)))
    for note in results["notes"]:
        console.print(f"note: {note}", highlight=False)


def _table(results: dict, met: dict) -> Table:
    from readout.domain import load_yaml

    targets = load_yaml("bench.yaml")["targets"]
    machine = results["machine"]
    table = Table("measurement", "value", "target", "", box=None,
                  title=f"readout bench ({results['mode']}), {results['date']}, {machine['nproc']} CPUs, "
                        f"{machine['ram_gb']} GB RAM, store of {results['store_docs']} articles")
    for key, value in results.items():
        if isinstance(value, (dict, list)) or key in ("mode", "date"):
            continue
        target = targets.get(key, {})
        goal = f">= {target['min']}" if "min" in target else (f"<= {target['max']}" if target else "")
        mark = {True: "[green]ok[/]", False: "[red]below target[/]", None: "[yellow]not measured[/]"}
        table.add_row(key, _shown(value), goal, mark[met[key]] if key in met else "")
    return table


def _shown(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.2f}" if isinstance(value, float) else str(value)
