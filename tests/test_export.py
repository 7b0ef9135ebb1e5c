"""Exports of a store filled from the gold fixtures: they parse back, say what the store holds,
and the JSONL export is the `readout extract` record of each document, byte for byte the same
whichever database holds it and in whichever order it was filled (marker postgres for that)."""
from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select

from readout.analyze import AnalysisError
from readout.analyze.export import TABLES, export
from readout.contract import to_record
from readout.ingest import iter_raw_documents
from readout.pipeline import IngestReport, ingest, process
from readout.store import open_store
from readout.store.tables import event_participants, events

from conftest import GOLD
from store_fixtures import postgres_url  # noqa: F401  (a fixture)


@pytest.fixture(scope="module")
def raws():
    return list(iter_raw_documents([str(GOLD)]))


@pytest.fixture(scope="module")
def pairs(raws):
    """(record, text) for every gold article: what `readout extract` prints, and the text."""
    return [(to_record(process(raw)), raw.text) for raw in raws]


@pytest.fixture(scope="module")
def gold(tmp_path_factory, pairs):
    with open_store(str(tmp_path_factory.mktemp("export") / "gold.db")) as store:
        store.add_records(pairs)
        yield store


def jsonl_of(store) -> str:
    out = io.StringIO()
    export(store, "jsonl", out)
    return out.getvalue()


def count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# --- JSONL: the extract records ---------------------------------------------------------------

def as_stored(record: dict) -> dict:
    """An extract record less what the store does not keep (warnings, rule ids, resolution)."""
    people = [{k: v for k, v in p.items() if k not in ("title_span", "resolution")} for p in record["people"]]
    happened = [{k: v for k, v in e.items() if k != "rule"} for e in record["events"]]
    return {**{k: v for k, v in record.items() if k != "warnings"}, "people": people, "events": happened}


def test_jsonl_is_the_extract_record_of_each_document_in_sha256_order(gold, pairs):
    lines = [json.loads(line) for line in jsonl_of(gold).splitlines()]
    assert len(lines) == len(pairs) == 30
    assert [line["sha256"] for line in lines] == sorted(line["sha256"] for line in lines)
    expected = {record["file"]: as_stored(record) for record, _ in pairs}
    for line in lines:
        assert {k: v for k, v in line.items() if k != "sha256"} == expected[line["file"]]


def test_jsonl_does_not_depend_on_the_order_of_filling(gold, pairs, tmp_path):
    with open_store(str(tmp_path / "reversed.db")) as other:
        for start in range(0, len(pairs), 7):
            other.add_records(list(reversed(pairs))[start:start + 7])
        assert jsonl_of(other) == jsonl_of(gold)


@pytest.mark.postgres
def test_sqlite_and_postgresql_export_the_same_bytes(gold, raws, postgres_url, tmp_path):  # noqa: F811
    with open_store(postgres_url) as pg:
        with pg.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE documents, entities RESTART IDENTITY CASCADE")
        report = ingest(reversed(raws), pg, IngestReport(), batch_size=8)
        assert report.stored == 30 and not report.errors
        export(pg, "jsonl", tmp_path / "pg.jsonl")
    export(gold, "jsonl", tmp_path / "sqlite.jsonl")
    assert (tmp_path / "pg.jsonl").read_bytes() == (tmp_path / "sqlite.jsonl").read_bytes()


# --- tables: CSV and Parquet ------------------------------------------------------------------

def test_csv_tables_parse_back(gold, tmp_path):
    done = export(gold, "csv", tmp_path / "csv")
    tables = {}
    for name, columns in TABLES.items():
        with open(tmp_path / "csv" / f"{name}.csv", newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == [column for column, _ in columns]
            tables[name] = list(reader)
        assert len(tables[name]) == done["counts"][name]
    assert len(tables["events"]) == count(gold, events)
    assert len(tables["participations"]) == count(gold, event_participants)
    lavrov = [p for p in tables["participations"] if p["entity_id"] == "sergei-lavrov" and p["order"]]
    assert {(p["side"], p["order"]) for p in lavrov} == {("RUS", "1")}
    talks = [e for e in tables["events"] if e["type"] == "talks" and e["date"] == "2024-06-19"]
    assert len(talks) == 3 and json.loads(talks[0]["evidence"])[0]["start"] >= 0
    choe = {t["title"] for t in tables["titles"] if t["entity_id"] == "choe-son-hui"}
    assert {"foreign minister of the DPRK", "minister of Foreign Affairs of the DPRK"} <= choe


def test_parquet_tables_match_csv_and_keep_types(gold, tmp_path):
    counts = export(gold, "parquet", tmp_path / "pq")["counts"]
    assert counts == export(gold, "csv", tmp_path / "csv")["counts"]
    frame = pq.read_table(tmp_path / "pq" / "events.parquet")
    assert frame.num_rows == counts["events"] and frame.schema.field("date").type == pa.date32()
    people = pq.read_table(tmp_path / "pq" / "people.parquet").to_pylist()
    kim = next(p for p in people if p["entity_id"] == "kim-jong-un")
    assert kim["documents"] >= 20 and kim["first_seen"].year == 2018


def test_table_export_refuses_a_stream_and_a_missing_folder(gold, tmp_path):
    with pytest.raises(AnalysisError, match="give a folder path"):
        export(gold, "csv", io.StringIO())
    with pytest.raises(AnalysisError, match="does not exist"):
        export(gold, "parquet", tmp_path / "no" / "such")
    with pytest.raises(AnalysisError, match="choose one of csv, jsonl, parquet, plover"):
        export(gold, "xml", tmp_path / "x")


# --- PLOVER -----------------------------------------------------------------------------------

def test_plover_records(gold, pairs, tmp_path):
    export(gold, "plover", tmp_path / "plover.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "plover.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == count(gold, events) and len({r["id"] for r in rows}) == len(rows)
    texts = {record["file"]: text for record, text in pairs}
    kcna = [r for r in rows if r["file"].endswith("005_kju-putin-talks-pyongyang-2024-06.txt")]
    visit = next(r for r in kcna if r["readout_type"] == "visit")
    assert visit["event"] == ["CONSULT"] and visit["mode"] == ["visit"] and visit["quad_code"] == 1
    assert [a["code"] for a in visit["source"]] == ["RUS"] and [a["code"] for a in visit["recipient"]] == ["PRK"]
    assert visit["source"][0]["identifier_id"] == "vladimir-putin"
    talks = next(r for r in kcna if r["readout_type"] == "talks")
    assert {a["identifier_id"] for a in talks["source"]} == {"kim-jong-un", "vladimir-putin"}
    assert talks["recipient"] == [] and talks["date"] == "2024-06-19"
    info = talks["text_info"]
    assert talks["event_text"][0] == texts[talks["file"]][info["start"]:info["end"]]
    photo = next(r for r in kcna if r["readout_type"] == "photo_session")
    assert photo["has_event"] is False and photo["event"] == [] and photo["quad_code"] is None


# --- the command --------------------------------------------------------------------------------

def test_cli_export(gold, tmp_path):
    from typer.testing import CliRunner

    from readout.cli import _register_commands, app

    _register_commands()
    db = gold.engine.url.database
    runner = CliRunner()
    done = runner.invoke(app, ["export", "--format", "jsonl", "--db", db, "--output", str(tmp_path / "a.jsonl")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a.jsonl").read_text(encoding="utf-8") == jsonl_of(gold)
    to_stdout = runner.invoke(app, ["export", "--format", "plover", "--db", db])
    assert to_stdout.exit_code == 0 and len(to_stdout.stdout.splitlines()) == count(gold, events)
    refused = runner.invoke(app, ["export", "--format", "csv", "--db", db])
    assert refused.exit_code == 1 and "give a folder with --output" in refused.output
