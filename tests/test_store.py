"""The store, the same tests on SQLite and PostgreSQL (marker `postgres`).

PostgreSQL tests run when READOUT_TEST_POSTGRES_URL names a server, e.g.
    scripts/postgres.sh start
    READOUT_TEST_POSTGRES_URL=$(scripts/postgres.sh url) pytest tests/test_store.py
"""
from __future__ import annotations

import multiprocessing
import sqlite3
import string
import threading
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from readout.errors import StoreError
from readout.store import AddResult, dialects, open_store
from readout.store import write as store_write
from readout.store.tables import event_participants, events, include_object, mentions, metadata
from store_fixtures import (  # noqa: F401  (postgres_url, store_url and store are fixtures)
    TALKS,
    appearance,
    postgres_url,
    store,
    store_url,
    talks_record,
)


def without(items: list[dict], *keys: str) -> list[dict]:
    return [{k: v for k, v in item.items() if k not in keys} for item in items]


# --- writing and reading back ------------------------------------------------------------------

def test_add_then_get_returns_what_went_in(store):
    record = talks_record()
    [result] = store.add_records([(record, TALKS)])
    assert result.created
    stored = store.get_document(result.document_id)

    assert stored["text"] == TALKS and len(stored["sha256"]) == 64
    for key in ("file", "source", "published", "title", "byline", "url"):
        assert stored[key] == record[key], key
    assert stored["people"] == record["people"]  # names, titles, roles, sides, orders, spans
    assert [p["titles"] for p in stored["people"]][0] == ["General Secretary", "President"]
    for person in stored["people"]:
        assert stored["text"][person["start"]:person["end"]] == person["mention"]


def test_events_come_back_in_order_with_participants_and_evidence(store):
    record = talks_record()
    [result] = store.add_records([(record, TALKS)])
    talks, support = store.get_document(result.document_id)["events"]

    assert [talks["type"], support["type"]] == ["talks", "support"]
    assert talks["participants"] == record["events"][0]["participants"]
    assert [p["order"] for p in talks["participants"]] == [1, 2, 1, 2]
    assert talks["attributes"] == {"duration": "at least two hours"}
    # a principal given by name only is linked to the person of that name in the record
    assert talks["principals"] == [
        {"name": "Kim Jong Un", "country": "PRK", "entity_id": "kim-jong-un"},
        {"name": "Vladimir Putin", "country": "RUS", "entity_id": "vladimir-putin"},
    ]
    [evidence] = talks["evidence"]
    assert TALKS[evidence["start"]:evidence["end"]] == "Kim Jong Un held talks with Vladimir Putin"
    assert (support["source_actor"], support["target_actor"], support["topic"]) == ("PRK", "RUS", "Ukraine")


def test_get_document_that_does_not_exist_is_none(store):
    assert store.get_document(12345) is None


def test_same_text_is_stored_once(store):
    record = talks_record()
    first = store.add_records([(record, TALKS), (record, TALKS)])
    again = store.add_records([({**record, "file": "copy.txt"}, TALKS)])

    doc_id = first[0].document_id
    assert first == [AddResult(doc_id, True), AddResult(doc_id, False)]
    assert again == [AddResult(doc_id, False)]
    assert store.count_documents() == 1
    assert store.get_document(doc_id)["file"] == "talks.txt"  # the copy wrote nothing
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(mentions)).scalar_one() == 6


def test_entities_are_shared_between_documents(store):
    store.add_records([appearance("2020-01-01", "vice minister")])
    store.add_records([appearance("2022-06-10", "foreign minister")])
    people = store.list_people(limit=10, offset=0)

    assert [(p["entity_id"], p["appearances"]) for p in people] == [("choe-son-hui", 2)]
    assert (people[0]["first_seen"], people[0]["last_seen"]) == ("2020-01-01", "2022-06-10")


# --- a batch is all or nothing -----------------------------------------------------------------

def test_bad_record_stores_nothing_of_its_batch(store):
    bad = talks_record()
    bad["events"][0]["evidence"] = [{"start": 10, "end": len(TALKS) + 50}]  # beyond the text
    good = appearance("2024-01-02", "foreign minister")

    with pytest.raises(StoreError, match=r"talks.txt: events\[0\]\.evidence\[0\]: span .* outside the text"):
        store.add_records([good, (bad, TALKS)])
    assert store.count_documents() == 0
    assert store.list_people(limit=10, offset=0) == []


def test_every_problem_of_a_record_is_counted(store):
    bad = talks_record()
    bad["published"] = "19 June"
    bad["people"][0]["role"] = "host"
    bad["events"][1]["type"] = None
    with pytest.raises(StoreError, match=r"published '19 June' is not an ISO date \(and 2 more\)"):
        store.add_records([(bad, TALKS)])


def test_database_error_mid_batch_rolls_back_everything(store, monkeypatch):
    # Skipping the entity rows makes the database itself refuse the mentions (foreign key),
    # after the documents of the batch were already inserted in the same transaction.
    monkeypatch.setattr(store_write, "insert_entities", lambda *args: None)
    with pytest.raises(StoreError, match=r"^cannot store documents in "):
        store.add_records([appearance("2024-01-02", "minister"), (talks_record(), TALKS)])
    monkeypatch.undo()

    assert store.count_documents() == 0
    assert store.add_records([(talks_record(), TALKS)])[0].created  # the store still works


def test_concurrent_writers_of_the_same_text_store_it_once(store_url):
    # Both writers may pass the point of inserting at once; the loser must get the
    # winner's id, not a unique-constraint error that aborts its whole batch.
    stores = [open_store(store_url), open_store(store_url)]
    start, results = threading.Barrier(2), []

    def write(store):
        start.wait()
        results.extend(store.add_records([(talks_record(), TALKS), appearance("2024-01-01", "minister")]))

    workers = [threading.Thread(target=write, args=(store,)) for store in stores]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(r.created for r in results) == [False, False, True, True]
    assert len({r.document_id for r in results}) == 2
    assert stores[0].count_documents() == 2
    for store in stores:
        store.close()


def hold_write_lock(path, seconds: float) -> threading.Thread:
    """Another writer's transaction on the SQLite file at `path`, for `seconds`."""
    taken = threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait()
    return holder


def test_a_batch_waits_for_a_writer_longer_than_the_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(dialects, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "busy.db"
    with open_store(str(path)) as store:
        holder = hold_write_lock(path, 0.35)  # longer than one timeout, shorter than the attempts
        [result] = store.add_records([appearance("2024-01-01", "minister")])
        holder.join()
        assert result.created and store.count_documents() == 1


def test_a_writer_that_never_lets_go_is_one_line_and_nothing_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(dialects, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "busy.db"
    with open_store(str(path)) as store:
        holder = hold_write_lock(path, 1.0)
        with pytest.raises(StoreError, match=r"^cannot store documents in .*: database is locked$"):
            store.add_records([appearance("2024-01-01", "minister")])
        holder.join()
        assert store.count_documents() == 0


def _ingest_batches(path: str, worker: int) -> None:
    with open_store(path) as store:
        for batch in range(8):
            store.add_records([appearance(f"20{worker + 10}-01-{batch * 3 + i + 1:02}", "minister")
                               for i in range(3)])


def test_four_processes_write_one_sqlite_file_without_locking_errors(tmp_path):
    path = str(tmp_path / "shared.db")
    open_store(path).close()  # created and migrated once, as a first `readout ingest` would
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_ingest_batches, args=(path, n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    with open_store(path) as store:
        assert store.count_documents() == 4 * 8 * 3


# --- opening ----------------------------------------------------------------------------------

def test_unreachable_postgres_is_one_line_naming_the_url_without_password():
    with pytest.raises(StoreError) as raised:
        open_store("postgresql://postgres:secret@127.0.0.1:1/readout")
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("cannot reach postgresql://postgres:***@127.0.0.1:1/readout: ")
    assert "secret" not in message
    assert "is the server running? readout uses SQLite when --db is not given" in message


@pytest.mark.parametrize("target", ["{tmp}/missing/readout.db", "sqlite:///{tmp}/missing/readout.db"])
def test_sqlite_file_in_a_missing_folder_is_refused(tmp_path, target):
    with pytest.raises(StoreError, match=r"folder .*missing does not exist"):
        open_store(target.format(tmp=tmp_path))
    assert not (tmp_path / "missing").exists()


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database " * 40)
    with pytest.raises(StoreError, match=rf"^cannot open {path}: file is not a database; [^\n]*$"):
        open_store(str(path))


def test_in_memory_store_is_shared_between_threads():
    with open_store("sqlite://") as store:
        store.add_records([(talks_record(), TALKS)])
        counted = []
        worker = threading.Thread(target=lambda: counted.append(store.count_documents()))
        worker.start()
        worker.join()
        assert counted == [1]


def test_other_databases_are_refused():
    with pytest.raises(StoreError, match="SQLite or PostgreSQL only"):
        open_store("mysql://user@localhost/readout")


def test_no_url_means_readout_db_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store(None) as store:
        store.add_records([(talks_record(), TALKS)])
    with open_store(str(tmp_path / "readout.db")) as store:
        assert store.count_documents() == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    with open_store(str(tmp_path / "x.db")) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_sqlite_writer_has_a_page_cache_for_a_whole_batch(tmp_path):
    with open_store(str(tmp_path / "x.db")) as store:
        with store.engine.connect().execution_options(**dialects.WRITE) as conn, conn.begin():
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -dialects.WRITER_CACHE_KIB


def test_migrated_schema_is_the_declared_schema(store):
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, metadata) == []


def test_reopening_migrates_nothing_and_keeps_data(store_url):
    with open_store(store_url) as store:
        store.add_records([(talks_record(), TALKS)])
    with open_store(store_url) as store:
        assert store.count_documents() == 1


# --- deleting ---------------------------------------------------------------------------------

def test_deleting_a_document_removes_its_people_events_and_search_entry(store):
    [kept] = store.add_records([appearance("2024-01-02", "foreign minister")])
    [gone] = store.add_records([(talks_record(), TALKS)])
    assert store.delete_document(gone.document_id)
    assert not store.delete_document(gone.document_id)

    with store.engine.connect() as conn:
        count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar_one()  # noqa: E731
        assert (count(mentions), count(events), count(event_participants)) == (1, 1, 1)
    assert store.search_text("Guesthouse") == []
    assert store.get_document(kept.document_id)["people"][0]["mention"] == "Choe Son Hui"


# --- queries ----------------------------------------------------------------------------------

def test_full_text_search_finds_words_in_text_and_title(store):
    [talks] = store.add_records([(talks_record(), TALKS)])
    store.add_records([appearance("2024-01-02", "foreign minister")])

    assert [hit["id"] for hit in store.search_text("Guesthouse")] == [talks.document_id]
    assert [hit["id"] for hit in store.search_text("holds putin")] == [talks.document_id]  # title
    assert [hit["id"] for hit in store.search_text("talk")] == [talks.document_id]  # stemmed
    assert len(store.search_text("Choe Son Hui")) == 2
    assert store.search_text("Kremlin") == []
    assert store.search_text("Jong-Un (U.S.)") == []  # punctuation is not query syntax
    hit = store.search_text("Belousov")[0]
    assert hit["published"] == "2024-06-20" and "[Belousov]" in hit["snippet"]


def test_full_text_gives_the_last_stored_matches_best_first(store):
    # more matches than the limit: the newest `limit` of them, those naming her in the title first
    store.add_records([appearance(f"2021-03-{day:02}", "minister", "visit") for day in range(1, 6)])
    [talks] = store.add_records([(talks_record(), TALKS)])  # names her in the text only
    store.add_records([appearance("2021-04-01", "minister", "reception")])
    found = store.search_text("Choe Son Hui", limit=3)
    assert {hit["id"] for hit in found} == {talks.document_id - 1, talks.document_id, talks.document_id + 1}
    assert found[-1]["id"] == talks.document_id
    assert all("[Choe Son Hui]" in hit["snippet"] or "[Choe] [Son] [Hui]" in hit["snippet"] for hit in found)


def test_queries_are_answered_from_indexes(store):
    if store.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL picks plans by its statistics")
    store.add_records([(talks_record(), TALKS)])
    plans = {}
    with store.engine.connect() as conn:
        def capture(conn_, cursor, statement, parameters, context, executemany):
            if statement.startswith("SELECT"):
                rows = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
                plans[statement] = " / ".join(row[-1] for row in rows)
        event.listen(store.engine, "before_cursor_execute", capture)
        try:
            store.person_timeline("choe-son-hui", offset=1)
            store.list_events(type="talks", since="2024-01-01", until="2024-12-31")
        finally:
            event.remove(store.engine, "before_cursor_execute", capture)
    [timeline] = [p for s, p in plans.items() if "FROM mentions" in s and "LIMIT" in s]
    assert "COVERING INDEX ix_mentions_timeline (entity_id=?)" in timeline and "TEMP B-TREE" not in timeline.split("SCAN")[0]
    [listing] = [p for s, p in plans.items() if "FROM events JOIN documents" in s]
    assert "ix_events_type_sort_date_document_id_seq (type=? AND sort_date>? AND sort_date<?)" in listing
    assert "TEMP B-TREE" not in listing


def store_four_appearances(store) -> None:
    """Choe Son Hui named in four articles stored out of date order, one undated."""
    for published, title in [("2023-05-01", "first vice minister"), (None, "minister"),
                             ("2019-02-01", "vice minister"), ("2024-06-20", None)]:
        if title is None:
            store.add_records([(talks_record(), TALKS)])
        else:
            store.add_records([appearance(published, title)])


def test_person_timeline_is_in_date_order(store):
    # asked for whole and oldest first: undated last
    store_four_appearances(store)
    timeline = store.person_timeline("choe-son-hui", limit=None, oldest_first=True)

    assert [t["published"] for t in timeline] == ["2019-02-01", "2023-05-01", "2024-06-20", None]
    assert [t["title"] for t in timeline] == ["vice minister", "first vice minister",
                                              "Foreign Minister", "minister"]
    assert [t["event_types"] for t in timeline] == [["meeting"], ["meeting"], ["talks"], ["meeting"]]
    assert (timeline[2]["role"], timeline[2]["side"], timeline[2]["order"]) == ("participant", "PRK", 2)
    assert store.person_timeline("nobody") == [] and store.count_appearances("nobody") == 0


def test_person_timeline_pages_newest_first_undated_last(store):
    store_four_appearances(store)
    whole = store.person_timeline("choe-son-hui")
    assert [t["published"] for t in whole] == ["2024-06-20", "2023-05-01", "2019-02-01", None]
    assert whole[0]["event_types"] == ["talks"] and whole[1]["title"] == "first vice minister"
    assert store.person_timeline("choe-son-hui", limit=2) == whole[:2]
    assert store.person_timeline("choe-son-hui", limit=2, offset=2) == whole[2:]
    assert store.count_appearances("choe-son-hui") == 4
    oldest_first = store.person_timeline("choe-son-hui", limit=None, oldest_first=True)
    assert sorted(map(str, oldest_first)) == sorted(map(str, whole))  # the same rows


def test_person_timeline_page_is_the_newest_of_a_long_timeline(store):
    store.add_records([appearance(f"2020-01-{day:02}", "minister") for day in range(1, 31)])
    assert len(store.person_timeline("choe-son-hui", limit=25)) == 25
    assert store.person_timeline("choe-son-hui", limit=25)[0]["published"] == "2020-01-30"
    assert len(store.person_timeline("choe-son-hui", limit=None)) == store.count_appearances("choe-son-hui") == 30


def test_list_events_filters_and_orders(store):
    store.add_records([(talks_record(), TALKS)])
    store.add_records([appearance("2024-01-02", "minister", "reception")])
    store.add_records([appearance("2023-03-04", "minister", "meeting")])

    listed = store.list_events()
    # undated support event sorts by its article's publication date (2024-06-20)
    assert [(e["type"], e["date"]) for e in listed] == [
        ("meeting", "2023-03-04"), ("reception", "2024-01-02"), ("talks", "2024-06-19"), ("support", None)]
    assert [e["type"] for e in store.list_events(type="talks")] == ["talks"]
    assert [e["type"] for e in store.list_events(since="2024-01-01", until="2024-06-19")] == ["reception", "talks"]
    assert [e["type"] for e in store.list_events(country="RUS")] == ["talks", "support"]
    assert [e["type"] for e in store.list_events(limit=2, offset=1)] == ["reception", "talks"]
    talks = listed[2]
    assert talks["document_title"] == "Kim Jong Un Holds Talks with Putin"
    assert without(talks["participants"], "start", "end")[0]["name"] == "Denis Manturov"


def test_list_events_refuses_a_date_that_is_not_iso(store):
    with pytest.raises(StoreError, match="since 'June 2024' is not an ISO date"):
        store.list_events(since="June 2024")


def test_list_people_orders_by_appearances_then_id(store):
    store.add_records([(talks_record(), TALKS)])
    store.add_records([appearance("2024-07-01", "foreign minister")])
    people = store.list_people(limit=3, offset=0)

    assert [(p["entity_id"], p["appearances"]) for p in people] == [
        ("choe-son-hui", 2), ("andrei-belousov", 1), ("denis-manturov", 1)]
    assert people[0]["last_seen"] == "2024-07-01"
    assert people[2]["name"] == "Denis Manturov"
    assert [p["entity_id"] for p in store.list_people(limit=2, offset=5)] == ["vladimir-putin"]


def test_list_documents_latest_first_undated_last(store):
    ids = {}
    for published in ["2023-05-01", None, "2024-06-20", "2019-02-01"]:
        [result] = store.add_records([appearance(published, "minister")])
        ids[published] = result.document_id
    listed = store.list_documents(limit=10)

    assert [d["published"] for d in listed] == ["2024-06-20", "2023-05-01", "2019-02-01", None]
    assert listed[0] == {"id": ids["2024-06-20"], "file": "2024-06-20.txt", "source": "Rodong Sinmun",
                         "published": "2024-06-20", "title": "Choe Son Hui at a meeting", "url": None}
    assert [d["id"] for d in store.list_documents(limit=1, offset=3)] == [ids[None]]


# --- an invariant ------------------------------------------------------------------------------

words = st.text(string.ascii_letters + " -'", min_size=1, max_size=20)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(words, min_size=1, max_size=5), titles=st.lists(words, max_size=3),
       filler=words)
def test_stored_spans_slice_back_to_their_mentions(store, names, titles, filler):
    text = filler + " " + " and ".join(names) + " " + filler
    people, start = [], len(filler) + 1
    for i, name in enumerate(names):
        people.append({"name": name.strip() or None, "mention": name, "country": None, "titles": titles,
                       "entity_id": f"e{i}-{name}", "role": "participant", "side": "PRK", "order": i + 1,
                       "start": start, "end": start + len(name)})
        start += len(name) + len(" and ")
    record = {"file": "generated", "source": None, "published": None, "title": None, "byline": None,
              "people": people, "events": []}
    [result] = store.add_records([(record, text)])
    stored = store.get_document(result.document_id)

    assert stored["text"] == text
    if result.created:  # a text generated twice keeps its first record
        assert stored["people"] == people
    assert [text[p["start"]:p["end"]] for p in stored["people"]] == [p["mention"] for p in stored["people"]]
