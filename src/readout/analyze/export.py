"""Exports of the store: tables (CSV, Parquet), extract records (JSONL) and PLOVER events.

    export(store, "csv", "out/")         # events.csv, people.csv, participations.csv, titles.csv
    export(store, "parquet", "out/")     # the same four tables as .parquet files
    export(store, "jsonl", "all.jsonl")  # one `readout extract` record per stored document
    export(store, "plover", sys.stdout)  # one PLOVER event record per stored event

JSONL rebuilds, from the stored rows, the object `readout extract` printed for each document
(DESIGN.md's contract; what the store does not keep - warnings, rule ids, resolution scores -
is left out) and writes them in order of the text's sha256. Nothing in a line depends on the
database, its row ids or the order of ingestion, so two stores holding the same articles export
the same bytes, SQLite or PostgreSQL alike.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import bindparam, func, select

import readout
from readout.analyze import AnalysisError
from readout.domain import load_yaml
from readout.store.read import iso
from readout.store.tables import documents, entities, event_participants, events, mentions

FORMATS = ("csv", "jsonl", "parquet", "plover")
CHUNK = 500  # documents read per round of queries: bounded memory, few round trips

# Columns of the table exports, with their Parquet types (CSV writes them as text).
TABLES = {
    "events": [("event_id", "int64"), ("document_id", "int64"), ("document_sha256", "string"),
               ("seq", "int64"), ("type", "string"), ("date", "date32"), ("place", "string"),
               ("source_actor", "string"), ("target_actor", "string"), ("topic", "string"),
               ("plover", "string"), ("cameo", "string"), ("attributes", "string"),
               ("evidence", "string"), ("outlet", "string"), ("published", "date32")],
    "people": [("entity_id", "string"), ("name", "string"), ("country", "string"),
               ("documents", "int64"), ("first_seen", "date32"), ("last_seen", "date32")],
    "participations": [("event_id", "int64"), ("seq", "int64"), ("role", "string"),
                       ("entity_id", "string"), ("name", "string"), ("mention", "string"),
                       ("country", "string"), ("side", "string"), ("order", "int64"),
                       ("title", "string"), ("start", "int64"), ("end", "int64")],
    "titles": [("entity_id", "string"), ("name", "string"), ("title", "string"),
               ("documents", "int64"), ("first_seen", "date32"), ("last_seen", "date32")],
}


def export(store, format: str, out) -> dict:
    """Write the store as FORMAT to OUT (a folder for csv/parquet; a path or a text stream for
    jsonl/plover). Returns what was written: {"format", "output", "counts": {name: rows}}."""
    writers = {"csv": write_csv, "parquet": write_parquet, "jsonl": write_jsonl, "plover": write_plover}
    if format not in writers:
        raise AnalysisError(f"cannot export as {format!r}: choose one of {', '.join(FORMATS)}")
    counts = writers[format](store, out)
    return {"format": format, "output": str(getattr(out, "name", out)), "counts": counts}


# --- tables: CSV and Parquet ---------------------------------------------------------------

def write_csv(store, folder) -> dict[str, int]:
    folder = output_folder(folder)
    counts = {}
    with store.engine.connect() as conn:
        for name, columns in TABLES.items():
            with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow([column for column, _ in columns])
                counts[name] = 0
                for row in table_rows(conn, name):
                    writer.writerow([csv_value(row[column]) for column, _ in columns])
                    counts[name] += 1
    return counts


def csv_value(value):
    return iso(value) if value is not None else ""


def write_parquet(store, folder) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = output_folder(folder)
    counts = {}
    with store.engine.connect() as conn:
        for name, columns in TABLES.items():
            schema = pa.schema([(column, getattr(pa, kind)()) for column, kind in columns])
            with pq.ParquetWriter(folder / f"{name}.parquet", schema) as writer:
                counts[name] = 0
                for batch in batched(table_rows(conn, name), 10_000):
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    counts[name] += len(batch)
    return counts


def batched(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def output_folder(folder) -> Path:
    """The folder to write tables into, created when its parent exists."""
    if not isinstance(folder, (str, Path)):
        raise AnalysisError("table exports write several files: give a folder path, not a stream")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise AnalysisError(f"{folder}: is a file; table exports need a folder")
    if not folder.parent.is_dir():
        raise AnalysisError(f"{folder}: folder {folder.parent} does not exist")
    folder.mkdir(exist_ok=True)
    return folder


def table_rows(conn, name: str) -> Iterator[dict]:
    return {"events": event_rows, "people": people_rows, "participations": participation_rows,
            "titles": title_rows}[name](conn)


def event_rows(conn) -> Iterator[dict]:
    query = (select(events.c.id.label("event_id"), events.c.document_id,
                    documents.c.sha256.label("document_sha256"), events.c.seq, events.c.type,
                    events.c.date, events.c.place, events.c.source_actor, events.c.target_actor,
                    events.c.topic, events.c.plover, events.c.cameo, events.c.attributes,
                    events.c.evidence, documents.c.source.label("outlet"), documents.c.published)
             .join(documents, documents.c.id == events.c.document_id)
             .order_by(events.c.id))
    for row in conn.execute(query).mappings():
        yield dict(row)


def people_rows(conn) -> Iterator[dict]:
    query = (select(entities.c.entity_id, entities.c.name, entities.c.country,
                    func.count(func.distinct(mentions.c.document_id)).label("documents"),
                    func.min(documents.c.published).label("first_seen"),
                    func.max(documents.c.published).label("last_seen"))
             .select_from(entities.outerjoin(mentions).outerjoin(documents))
             .group_by(entities.c.entity_id, entities.c.name, entities.c.country)
             .order_by(entities.c.entity_id))
    for row in conn.execute(query).mappings():
        yield dict(row)


def participation_rows(conn) -> Iterator[dict]:
    query = (select(event_participants, event_participants.c.order_in_side.label("order"))
             .order_by(event_participants.c.event_id, event_participants.c.seq))
    for row in conn.execute(query).mappings():
        yield dict(row)


def title_rows(conn) -> Iterator[dict]:
    """Each (person, title) as written, with the documents that give it and when."""
    query = (select(mentions.c.entity_id, mentions.c.name, mentions.c.titles,
                    mentions.c.document_id, documents.c.published)
             .join(documents, documents.c.id == mentions.c.document_id)
             .where(mentions.c.entity_id.is_not(None)))
    found: dict[tuple, dict] = {}
    for row in conn.execute(query):
        for title in json.loads(row.titles or "[]"):
            entry = found.setdefault((row.entity_id, title), {
                "entity_id": row.entity_id, "name": row.name, "title": title,
                "_documents": set(), "_dates": []})
            entry["_documents"].add(row.document_id)
            if row.published is not None:
                entry["_dates"].append(row.published)
    for key in sorted(found):
        entry = found[key]
        dates = entry.pop("_dates")
        yield {**entry, "documents": len(entry.pop("_documents")),
               "first_seen": min(dates, default=None), "last_seen": max(dates, default=None)}


# --- extract records: JSONL ----------------------------------------------------------------

def write_jsonl(store, out) -> dict[str, int]:
    count = 0
    with text_output(out) as handle:
        for record, _ in stored_records(store):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return {"documents": count}


@contextmanager
def text_output(out):
    """A text stream to write to: the one given, or the file at the path given."""
    if hasattr(out, "write"):
        yield out
        return
    path = Path(out)
    if not path.parent.is_dir():
        raise AnalysisError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise AnalysisError(f"{path}: is a folder; give a file path")
    with open(path, "w", encoding="utf-8") as handle:
        yield handle


def stored_records(store, chunk: int = CHUNK) -> Iterator[tuple[dict, str]]:
    """Every stored document as (its extract record, its text), in order of the text's sha256."""
    with store.engine.connect() as conn:
        order = sorted(conn.execute(select(documents.c.sha256, documents.c.id)).all())
        for start in range(0, len(order), chunk):
            yield from records_of(conn, [id_ for _, id_ in order[start:start + chunk]])


def records_of(conn, ids: list[int]) -> Iterator[tuple[dict, str]]:
    """The records of the documents `ids`, in that order: four queries for the whole chunk."""
    wanted = {"ids": ids}
    docs = {row["id"]: row for row in conn.execute(
        select(documents).where(documents.c.id.in_(bindparam("ids", expanding=True))), wanted).mappings()}
    people = grouped(conn.execute(select(mentions).where(
        mentions.c.document_id.in_(bindparam("ids", expanding=True)))
        .order_by(mentions.c.document_id, mentions.c.seq), wanted).mappings(), "document_id")
    found = grouped(conn.execute(select(events).where(
        events.c.document_id.in_(bindparam("ids", expanding=True)))
        .order_by(events.c.document_id, events.c.seq), wanted).mappings(), "document_id")
    listed = grouped(conn.execute(select(event_participants).where(
        event_participants.c.event_id.in_(bindparam("events", expanding=True)))
        .order_by(event_participants.c.event_id, event_participants.c.seq),
        {"events": [e["id"] for evs in found.values() for e in evs]}).mappings(), "event_id")
    for id_ in ids:
        doc = docs[id_]
        yield record(doc, people.get(id_, []), found.get(id_, []), listed), doc["text"]


def grouped(rows, key: str) -> dict:
    found: dict = {}
    for row in rows:
        found.setdefault(row[key], []).append(row)
    return found


def record(doc, people: list, found: list, listed: dict) -> dict:
    """DESIGN.md's record of one document, keys in the order `readout extract` prints them."""
    return {"file": doc["path"], "source": doc["source"], "published": iso(doc["published"]),
            "title": doc["title"], "byline": doc["byline"], "url": doc["url"],
            "sha256": doc["sha256"],
            "people": [person_record(p) for p in people],
            "events": [event_record(e, listed.get(e["id"], [])) for e in found]}


def person_record(row) -> dict:
    span = {"start": row["start"], "end": row["end"]} if row["start"] is not None else None
    return {"name": row["name"], "mention": row["mention"], "country": row["country"],
            "titles": json.loads(row["titles"] or "[]"), "entity_id": row["entity_id"],
            "role": row["role"], "side": row["side"], "order": row["order_in_side"], "span": span}


def event_record(row, listed: list) -> dict:
    return {"type": row["type"], "date": iso(row["date"]), "place": row["place"],
            "principals": [{"name": p["name"], "country": p["country"], "entity_id": p["entity_id"]}
                           for p in listed if p["role"] == "principal"],
            "participants": [{"name": p["name"], "mention": p["mention"], "title": p["title"],
                              "side": p["side"], "order": p["order_in_side"], "entity_id": p["entity_id"]}
                             for p in listed if p["role"] == "participant"],
            "source_actor": row["source_actor"], "target_actor": row["target_actor"],
            "topic": row["topic"], "attributes": json.loads(row["attributes"] or "{}"),
            "plover": row["plover"], "cameo": row["cameo"],
            "evidence": json.loads(row["evidence"] or "[]")}


# --- PLOVER --------------------------------------------------------------------------------

def write_plover(store, out) -> dict[str, int]:
    count = 0
    with text_output(out) as handle:
        for record_, text in stored_records(store):
            for seq, event in enumerate(record_["events"]):
                handle.write(json.dumps(plover_record(record_, text, seq, event), ensure_ascii=False) + "\n")
                count += 1
    return {"events": count}


def plover_record(doc: dict, text: str, seq: int, event: dict) -> dict:
    """One event in PLOVER's JSON fields (openeventdata/PLOVER, PLOVER_MANUAL.tex, chapter
    "JSON Data Fields": id, date, source, recipient, event, mode, context, quad_code, event_loc,
    event_text, text_info {start, end}, cite_info {url, title, publication}, coder), followed
    by readout's own fields, which PLOVER allows ("providers should feel free to include named
    fields beyond those provided"). Events with no PLOVER category keep has_event false."""
    rules = load_yaml("plover.yaml")
    spans = event["evidence"]
    source, recipient = plover_actors(event)
    return {
        "id": f"readout-{doc['sha256'][:16]}-{seq}",
        "has_event": event["plover"] is not None,
        "date": event["date"] or doc["published"],
        "source": source, "recipient": recipient,
        "event": [event["plover"]] if event["plover"] else [],
        "mode": rules["modes"].get(event["type"], []),
        "context": rules["contexts"].get(event["type"], []),
        "quad_code": rules["quad_codes"].get(event["plover"]),
        "event_loc": {"name": event["place"]} if event["place"] else None,
        "event_text": [text[s["start"]:s["end"]] for s in spans],
        "text_info": {"start": spans[0]["start"], "end": spans[0]["end"]} if spans else None,
        "cite_info": {"url": doc["url"], "title": doc["title"], "publication": doc["source"]},
        "coder": f"readout {readout.__version__}",
        "readout_type": event["type"], "cameo": event["cameo"], "topic": event["topic"],
        "document_sha256": doc["sha256"], "file": doc["file"],
    }


def plover_actors(event: dict) -> tuple[list[dict], list[dict]]:
    """(source, recipient) actor lists. A directed event has the visitor or speaker as source
    and the host or addressee as recipient; an undirected consultation codes every principal as
    source with no recipient, as PLOVER's "Compound and Reciprocal Actors" section asks."""
    principals = event["principals"]
    if not (event["source_actor"] or event["target_actor"]):
        return [actor(p["country"], p) for p in principals], []
    return (actors_of(event["source_actor"], principals), actors_of(event["target_actor"], principals))


def actors_of(country: str | None, principals: list[dict]) -> list[dict]:
    if country is None:
        return []
    named = [actor(country, p) for p in principals if p["country"] == country]
    return named or [{"code": country}]


def actor(country: str | None, principal: dict) -> dict:
    """PLOVER's actor object: code (ISO alpha-3), actor_text, and the identifier of the person."""
    return {"code": country, "actor_text": principal["name"],
            "identifier_id": principal["entity_id"], "identifier_text": principal["name"]}
