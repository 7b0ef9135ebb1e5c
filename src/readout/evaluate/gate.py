"""The quality gate: floors per field kept in a file beside the gold fixtures.

The floors file also records a hash of the gold folder, so that changing the articles or their
annotations is noticed; floors are raised by `readout eval --raise-floors`, never lowered by it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from readout.errors import GoldError
from readout.evaluate.scorer import FieldScore


def corpus_hash(folder: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*")):
        if path.suffix in (".txt", ".json") and path.name != "floors.json":
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_floors(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise GoldError(f"{path}: cannot read floors ({error})") from error


def check(scores: dict[str, FieldScore], floors_path: str, folder: str) -> list[str]:
    """Every way the scores fall short of the floors, as readable lines."""
    floors = read_floors(floors_path)
    problems = []
    if floors.get("corpus_sha256") != corpus_hash(folder):
        problems.append(f"{folder} changed since the floors were set: review and run --raise-floors")
    for name, floor in floors.get("floors", {}).items():
        score = scores.get(name)
        if score is None:
            problems.append(f"{floors_path}: unknown field {name}")
        elif round(score.f1, 3) < floor:
            problems.append(f"{name}: F1 {score.f1:.3f} is below its floor {floor:.3f}")
    return problems


def raise_floors(scores: dict[str, FieldScore], floors_path: str, folder: str) -> dict:
    """Write floors at least as high as before and as today's scores (rounded down)."""
    path = Path(floors_path)
    old = read_floors(floors_path).get("floors", {}) if path.exists() else {}
    new = {name: max(old.get(name, 0.0), int(score.f1 * 1000) / 1000) for name, score in scores.items()}
    content = {"corpus_sha256": corpus_hash(folder), "floors": new}
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    return content
