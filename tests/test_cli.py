"""The command line as a user meets it: output, one-line errors, exit codes, nothing half-stored."""
import json
import sqlite3

from conftest import GOLD, SEED


def one_error_line(result, *expected):
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for piece in expected:
        assert piece in lines[0]


def test_extract_jsonl_follows_the_contract(run_readout):
    result = run_readout("extract", SEED, GOLD / "011_ri-yong-ho-wang-yi-talks-2019-09.txt")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in records] == [str(SEED), str(GOLD / "011_ri-yong-ho-wang-yi-talks-2019-09.txt")]
    assert records[1]["events"][0]["type"] == "talks" and records[1]["events"][0]["date"] == "2019-09-02"


def test_extract_table(run_readout):
    result = run_readout("extract", "--format", "table", SEED)
    assert result.returncode == 0 and "Denis Manturov" in result.stdout and "talks" in result.stdout


def test_empty_file(run_readout, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    one_error_line(run_readout("extract", tmp_path / "empty.txt"), "empty.txt", "empty")


def test_binary_file(run_readout, tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    one_error_line(run_readout("extract", tmp_path / "image.txt"), "image.txt", "binary")


def test_missing_path(run_readout, tmp_path):
    one_error_line(run_readout("extract", tmp_path / "nowhere.txt"), "nowhere.txt")


def test_folder_without_articles(run_readout, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    one_error_line(run_readout("ingest", tmp_path, "--db", tmp_path / "x.db"), str(tmp_path), "no articles")


def test_text_that_is_not_utf8_is_decoded_and_said_so(run_readout, tmp_path):
    (tmp_path / "latin.txt").write_bytes("Kim Jong Un met Sergei Lavrov at the café on June 19.\n".encode("cp1252"))
    result = run_readout("extract", tmp_path / "latin.txt")
    assert result.returncode == 0
    assert "not valid UTF-8" in result.stderr
    assert json.loads(result.stdout)["people"][0]["name"] == "Kim Jong Un"


def test_unreachable_database(run_readout, tmp_path):
    result = run_readout("ingest", SEED, "--db", "postgresql://nobody@127.0.0.1:1/none")
    one_error_line(result, "cannot reach", "127.0.0.1:1")


def test_ingest_twice_stores_once_and_bad_files_store_nothing(run_readout, tmp_path):
    db = tmp_path / "store.db"
    first = run_readout("ingest", SEED, "--db", db)
    assert first.returncode == 0, first.stderr
    again = run_readout("ingest", SEED, "--db", db)
    assert again.returncode == 0 and "0 new, 1 already stored" in again.stdout
    (tmp_path / "empty.txt").write_text("")
    bad = run_readout("ingest", tmp_path / "empty.txt", "--db", db)
    assert bad.returncode != 0 and "empty" in bad.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone()[0] == 1
        assert conn.execute("select count(*) from events where document_id not in (select id from documents)").fetchone()[0] == 0


def test_show_events_people(run_readout, tmp_path):
    db = tmp_path / "store.db"
    assert run_readout("ingest", GOLD, "--db", db).returncode == 0
    events = run_readout("events", "--db", db, "--type", "talks")
    assert events.returncode == 0 and "2024-06-19" in events.stdout
    people = run_readout("people", "--db", db)
    assert people.returncode == 0 and "Kim Jong Un" in people.stdout
    show = run_readout("show", "1", "--db", db)
    assert show.returncode == 0, show.stderr
    missing = run_readout("show", "9999", "--db", db)
    one_error_line(missing, "no document 9999")


def test_eval_min_f1(run_readout):
    passing = run_readout("eval", GOLD, "--min-f1", "0.5")
    assert passing.returncode == 0 and "participants" in passing.stdout
    failing = run_readout("eval", GOLD, "--min-f1", "1.01")
    one_error_line(failing, "below 1.01")
