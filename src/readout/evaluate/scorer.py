"""Scoring as DESIGN.md describes it: people by mention or canonical name (case, hyphens,
apostrophes and diacritics folded), participants by person and side, titles by token overlap,
event types as sets per document, and the date of the first dated event against event_date.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from readout.errors import GoldError
from readout.normalize import fold

TITLE_OVERLAP = 0.5
FIELDS = ("people", "participants", "titles", "event_types", "event_date", "published", "canonical")


@dataclass
class FieldScore:
    name: str
    tp: float = 0
    predicted: int = 0
    gold: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GoldError(f"{path}: not a readable gold file ({error})") from error
    if not isinstance(gold, dict) or not isinstance(gold.get("people"), list) or not isinstance(gold.get("events"), list):
        raise GoldError(f"{path}: a gold file needs 'people' and 'events' lists")
    return gold


def evaluate_dir(pairs: list[tuple[str, dict, dict]]) -> dict[str, FieldScore]:
    """Score (name, record, gold) triples; returns one FieldScore per field."""
    scores = {name: FieldScore(name) for name in FIELDS}
    for name, record, gold in pairs:
        score_document(name, record, gold, scores)
    return scores


def score_document(name: str, record: dict, gold: dict, scores: dict[str, FieldScore]) -> None:
    matches = _match_people(record["people"], gold["people"])
    _score_people(name, record, gold, matches, scores["people"])
    _score_participants(name, record, gold, matches, scores["participants"])
    _score_titles(name, record, gold, matches, scores["titles"])
    _score_types(name, record, gold, scores["event_types"])
    _score_exact(name, _first_event_date(record), gold.get("event_date"), scores["event_date"])
    _score_exact(name, record.get("published"), gold.get("published"), scores["published"])
    _score_canonical(name, record, gold, matches, scores["canonical"])


def _names(gold_person: dict) -> set[str]:
    return {fold(gold_person["mention"])} | {fold(c) for c in gold_person.get("canonical") or []}


def _match_people(predicted: list[dict], gold: list[dict]) -> dict[int, int]:
    """Predicted index -> gold index, one to one, first come first served."""
    matches, taken = {}, set()
    for i, person in enumerate(predicted):
        keys = {fold(person["mention"]), fold(person.get("name") or "")}
        for j, gold_person in enumerate(gold):
            if j not in taken and keys & _names(gold_person):
                matches[i], _ = j, taken.add(j)
                break
    return matches


def _score_people(name, record, gold, matches, score: FieldScore) -> None:
    score.tp += len(matches)
    score.predicted += len(record["people"])
    score.gold += len(gold["people"])
    found = set(matches.values())
    score.misses += [f"{name}: missed {g['mention']}" for j, g in enumerate(gold["people"]) if j not in found]
    score.misses += [f"{name}: extra {p['mention']}" for i, p in enumerate(record["people"]) if i not in matches]


def _score_participants(name, record, gold, matches, score: FieldScore) -> None:
    predicted = [i for i, p in enumerate(record["people"]) if p.get("role") == "participant" and p.get("side")]
    wanted = [j for j, g in enumerate(gold["people"]) if g.get("role") == "participant" and g.get("side")]
    hits = [i for i in predicted if i in matches and matches[i] in wanted
            and record["people"][i]["side"] == gold["people"][matches[i]]["side"]]
    score.tp += len(hits)
    score.predicted += len(predicted)
    score.gold += len(wanted)
    hit_gold = {matches[i] for i in hits}
    score.misses += [f"{name}: participant {gold['people'][j]['mention']} ({gold['people'][j]['side']})"
                     for j in wanted if j not in hit_gold]
    score.misses += [f"{name}: not a participant {record['people'][i]['mention']}" for i in predicted if i not in hits]


def _tokens(title: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(title or "")))


def title_overlap(predicted: str | None, gold: str | None) -> float:
    a, b = _tokens(predicted), _tokens(gold)
    if not a or not b:
        return 0.0
    common = len(a & b)
    return 2 * common / (len(a) + len(b))


def _score_titles(name, record, gold, matches, score: FieldScore) -> None:
    score.predicted += sum(1 for p in record["people"] if p.get("titles"))
    score.gold += sum(1 for g in gold["people"] if g.get("title"))
    for i, j in matches.items():
        wanted = gold["people"][j].get("title")
        best = max((title_overlap(t, wanted) for t in record["people"][i].get("titles") or []), default=0.0)
        if wanted and best >= TITLE_OVERLAP:
            score.tp += 1
        elif wanted:
            got = (record["people"][i].get("titles") or [None])[0]
            score.misses += [f"{name}: title of {gold['people'][j]['mention']}: {got!r} vs {wanted!r}"]


def _score_types(name, record, gold, score: FieldScore) -> None:
    predicted = {e["type"] for e in record["events"]}
    wanted = {e["type"] for e in gold["events"]}
    score.tp += len(predicted & wanted)
    score.predicted += len(predicted)
    score.gold += len(wanted)
    score.misses += [f"{name}: missed event {t}" for t in sorted(wanted - predicted)]
    score.misses += [f"{name}: extra event {t}" for t in sorted(predicted - wanted)]


def _first_event_date(record: dict) -> str | None:
    return next((e["date"] for e in record["events"] if e.get("date")), None)


def _score_exact(name, predicted, wanted, score: FieldScore) -> None:
    """One document, one value: right counts for precision and recall alike."""
    score.predicted += 1
    score.gold += 1
    if predicted == wanted:
        score.tp += 1
    else:
        score.misses.append(f"{name}: {score.name} {predicted} vs {wanted}")


def _score_canonical(name, record, gold, matches, score: FieldScore) -> None:
    for i, j in matches.items():
        score.predicted += 1
        score.gold += 1
        canonical = {fold(c) for c in gold["people"][j].get("canonical") or [gold["people"][j]["mention"]]}
        if fold(record["people"][i].get("name") or "") in canonical:
            score.tp += 1
        else:
            score.misses.append(f"{name}: {record['people'][i].get('name')!r} not in {sorted(canonical)}")
