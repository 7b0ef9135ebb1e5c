"""Running the pipeline over a gold folder and scoring it."""
from __future__ import annotations

from pathlib import Path

from readout.errors import UnreadableInput
from readout.evaluate.scorer import FieldScore, evaluate_dir, load_gold
from readout.ingest import iter_raw_documents
from readout.pipeline import records


def gold_pairs(folder: str) -> list[tuple[Path, Path]]:
    """(text, gold) file pairs of a gold folder, in name order."""
    root = Path(folder)
    if not root.is_dir():
        raise UnreadableInput(folder, "no such folder")
    pairs = [(g.with_name(g.name[: -len(".gold.json")] + ".txt"), g) for g in sorted(root.glob("*.gold.json"))]
    pairs = [(t, g) for t, g in pairs if t.exists()]
    if not pairs:
        raise UnreadableInput(folder, "no NAME.txt with NAME.gold.json in this folder")
    return pairs


def evaluate_folder(folder: str) -> dict[str, FieldScore]:
    pairs = gold_pairs(folder)
    raws = iter_raw_documents([str(text) for text, _ in pairs])
    produced = records(raws)
    return evaluate_dir([(text.stem, record, load_gold(gold)) for (text, gold), record in zip(pairs, produced)])
