"""`readout eval`: precision, recall and F1 per field against gold annotations."""
from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from readout.cli import app, console, fail
from readout.evaluate import gate
from readout.evaluate.run import evaluate_folder


@app.command(name="eval")
def evaluate(gold_dir: str = typer.Argument(..., help="Folder of NAME.txt with NAME.gold.json"),
             min_f1: Optional[float] = typer.Option(None, "--min-f1", help="Exit non-zero if any F1 is below this"),
             misses: bool = typer.Option(False, "--misses", help="List every miss and extra"),
             floors: Optional[str] = typer.Option(None, "--floors", help="Floors file: exit non-zero below any floor"),
             raise_floors: bool = typer.Option(False, "--raise-floors", help="Raise the floors file to today's scores")):
    """Score extraction against the gold format of DESIGN.md."""
    scores = evaluate_folder(gold_dir)
    table = Table("field", "precision", "recall", "F1", "gold", box=None)
    for score in scores.values():
        table.add_row(score.name, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
                      str(score.gold))
    console.print(table)
    if misses:
        for score in scores.values():
            for miss in score.misses:
                console.print(f"  {miss}", markup=False, highlight=False)
    if floors and raise_floors:
        gate.raise_floors(scores, floors, gold_dir)
        console.print(f"floors written to {floors}")
    elif floors:
        problems = gate.check(scores, floors, gold_dir)
        if problems:
            fail("; ".join(problems))
    below = [s.name for s in scores.values() if min_f1 is not None and s.f1 < min_f1]
    if below:
        fail(f"F1 below {min_f1} for: {', '.join(below)}")
