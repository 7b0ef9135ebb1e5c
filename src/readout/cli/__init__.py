"""The command line: a thin layer that opens library objects, calls one function, prints.

Each command module registers itself on `app`; library errors become one line and exit 1.
"""
from __future__ import annotations

import sys

import typer
from rich.console import Console

from readout.errors import ReadoutError

app = typer.Typer(
    name="readout",
    help="Who met whom, when, where and with whom, from state-media and government readouts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    """Print one line on stderr and stop with a non-zero exit."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _register_commands() -> None:
    # Imported for their side effect of adding commands to `app`.
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def main() -> None:
    _register_commands()
    try:
        app()
    except ReadoutError as error:
        err_console.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
