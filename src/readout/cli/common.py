"""Options and helpers shared by the commands."""
from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from readout.cli import err_console

DB_HELP = "SQLite file or SQLAlchemy URL (postgresql://user@host:port/db); default readout.db"
DbOption = typer.Option(None, "--db", envvar="READOUT_DB", help=DB_HELP)


def progress() -> Progress:
    """A progress bar on stderr that disappears when done; silent when stderr is not a terminal."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=True,
                    disable=not err_console.is_terminal)


def side_lines(participants: list[dict]) -> dict[str, list[dict]]:
    """Participants grouped by side, each side in written order."""
    sides: dict[str, list[dict]] = {}
    for person in participants:
        sides.setdefault(person.get("side") or "?", []).append(person)
    for people in sides.values():
        people.sort(key=lambda p: (p.get("order") is None, p.get("order") or 0))
    return sides
