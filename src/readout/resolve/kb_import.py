"""Import of a user's people file (CSV or JSON) into the user KB, and export of the KB.

The file is checked whole first and refused whole: every problem is reported with its line
(KnowledgeBaseError) and nothing is written unless there are none. Rows carry the columns
entity_id, name, country, alias, system, title; one person may span several rows (one per
alias or title), all with the same id and name.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from readout.errors import KnowledgeBaseError
from readout.resolve.kb import (SYSTEMS, Person, Title, load_user_people, save_user_people,
                                user_kb_path)
from readout.resolve.normalize import NEW_ENTITY_PREFIX

COLUMNS = ("entity_id", "name", "country", "alias", "system", "title")
REQUIRED = ("entity_id", "name")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class ImportSummary:
    path: Path            # the user KB written
    people: int           # people in the imported file
    aliases: int
    total: int            # people in the user KB afterwards


def import_file(source: Path, home: Path | None = None) -> ImportSummary:
    """Check `source` whole, then merge its people into the user KB."""
    people = read_people_file(source)
    target = user_kb_path(home)
    merged = _merge_into(list(load_user_people(target)), people)
    save_user_people(merged, target)
    return ImportSummary(target, len(people), sum(len(p.aliases) for p in people), len(merged))


def _merge_into(existing: list[Person], imported: list[Person]) -> list[Person]:
    # The import's name and country win; aliases and titles already known are kept.
    by_id = {p.entity_id: p for p in existing}
    for person in imported:
        old = by_id.get(person.entity_id)
        by_id[person.entity_id] = person.merged_with(old) if old else person
    return list(by_id.values())


def read_people_file(path: Path) -> list[Person]:
    """The people of a CSV or JSON file, or KnowledgeBaseError naming every bad line."""
    text = _decode(path)
    rows = _json_rows(path, text) if _looks_like_json(path, text) else _csv_rows(path, text)
    problems: list[tuple[int, str]] = []
    people = _people_from_rows(rows, problems)
    if problems:
        raise KnowledgeBaseError(str(path), sorted(problems))
    return people


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KnowledgeBaseError(str(path), [(0, f"cannot read: {error.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise KnowledgeBaseError(str(path), [(line, "not UTF-8 text: save the file as UTF-8")]) \
            from None


def _looks_like_json(path: Path, text: str) -> bool:
    return path.suffix.lower() in (".json", ".jsonl") or text.lstrip()[:1] in ("[", "{")


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise KnowledgeBaseError(str(path), [(1, f"empty file: expected a header {','.join(COLUMNS)}")])
    _check_columns(path, [h.strip() for h in header], 1)
    names = [h.strip() for h in header]
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        line = reader.line_num
        if len(values) != len(names):
            rows.append((line, {"__error__": f"{len(values)} fields where the header has {len(names)}"}))
            continue
        rows.append((line, dict(zip(names, values))))
    return rows


def _check_columns(path: Path, columns: list[str], line: int) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in columns]
    if unknown or missing:
        detail = "; ".join(filter(None, [
            unknown and f"unknown column {', '.join(unknown)}",
            missing and f"missing column {', '.join(missing)}"]))
        raise KnowledgeBaseError(str(path), [(line, f"{detail}: columns are {','.join(COLUMNS)}")])


def _json_rows(path: Path, text: str) -> list[tuple[int, dict]]:
    """Objects of a JSON array or of JSON lines, each with the line where it starts."""
    decoder, rows, at = json.JSONDecoder(), [], 0
    at = _skip(text, at, "[")
    while at < len(text):
        line = text.count("\n", 0, at) + 1
        try:
            value, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as error:
            raise KnowledgeBaseError(str(path), [(error.lineno, f"not JSON: {error.msg}")]) from None
        if not isinstance(value, dict):
            raise KnowledgeBaseError(str(path), [(line, "expected an object per person row")])
        _check_columns(path, list(value), line)
        rows.append((line, {k: "" if v is None else str(v) for k, v in value.items()}))
        at = _skip(text, at, ",]")
    return rows


def _skip(text: str, at: int, punctuation: str) -> int:
    while at < len(text) and (text[at].isspace() or text[at] in punctuation):
        at += 1
    return at


def _people_from_rows(rows: list[tuple[int, dict]], problems: list) -> list[Person]:
    people: dict[str, dict] = {}
    for line, row in rows:
        row_problems = _row_problems(row)
        problems += [(line, reason) for reason in row_problems]
        if not row_problems:
            _add_row(people, line, row, problems)
    return [_person(entry) for entry in people.values()]


def _row_problems(row: dict) -> list[str]:
    if "__error__" in row:
        return [row["__error__"]]
    entity_id, name = row.get("entity_id", "").strip(), row.get("name", "").strip()
    country, system = row.get("country", "").strip(), row.get("system", "").strip()
    out = []
    if not entity_id:
        out.append("empty entity_id")
    elif not _ID.match(entity_id):
        out.append(f"entity_id {entity_id!r} must be lower-case words joined by hyphens")
    elif entity_id.startswith(NEW_ENTITY_PREFIX):
        out.append(f"entity_id {entity_id!r}: ids starting with {NEW_ENTITY_PREFIX!r} are "
                   "reserved for people the KB does not know")
    if not name:
        out.append("empty name")
    if country and not _COUNTRY.match(country):
        out.append(f"country {country!r} is not an ISO 3166-1 alpha-3 code such as PRK")
    if system and system not in SYSTEMS:
        out.append(f"system {system!r} is not one of {', '.join(sorted(SYSTEMS))}")
    if system and not row.get("alias", "").strip():
        out.append("system given without an alias")
    return out


def _add_row(people: dict, line: int, row: dict, problems: list) -> None:
    entity_id, name = row["entity_id"].strip(), row["name"].strip()
    country = row.get("country", "").strip() or None
    entry = people.setdefault(entity_id, {"id": entity_id, "name": name, "country": country,
                                          "line": line, "aliases": [], "titles": []})
    if entry["name"] != name:
        problems.append((line, f"entity_id {entity_id!r} is named {entry['name']!r} on line "
                               f"{entry['line']} and {name!r} here"))
    if country and entry["country"] and entry["country"] != country:
        problems.append((line, f"entity_id {entity_id!r} has country {entry['country']} on line "
                               f"{entry['line']} and {country} here"))
    entry["country"] = entry["country"] or country
    alias = row.get("alias", "").strip()
    if alias:
        entry["aliases"].append((row.get("system", "").strip() or "other", alias))
    if row.get("title", "").strip():
        entry["titles"].append(Title(row["title"].strip()))


def _person(entry: dict) -> Person:
    return Person(entry["id"], entry["name"], entry["country"],
                  tuple(dict.fromkeys(entry["aliases"])), tuple(dict.fromkeys(entry["titles"])),
                  source="user")


def export_rows(people: list[Person]) -> list[dict]:
    """The KB as import rows (the listed aliases, not the generated ones), so that an
    export can be edited and imported again."""
    rows = []
    for person in people:
        base = {"entity_id": person.entity_id, "name": person.name,
                "country": person.country or "", "alias": "", "system": "", "title": ""}
        rows += [{**base, "alias": text, "system": system} for system, text in person.aliases]
        rows += [{**base, "title": title.title} for title in person.titles]
        if not person.aliases and not person.titles:
            rows.append(base)
    return rows


def write_rows(rows: list[dict], out, fmt: str) -> None:
    """Rows as CSV or as a JSON array on a text stream."""
    if fmt == "json":
        # One row per line: readable, diffable, and still one JSON array.
        out.write("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n")
        return
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
