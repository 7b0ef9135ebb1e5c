"""Stories and versions: near-duplicate reports linked, edits of one URL kept with their diff.

The same tests on SQLite and PostgreSQL (marker `postgres`), as in tests/test_store.py.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from importlib.resources import as_file, files
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, select, text

from readout.errors import StoreError
from readout.ingest import iter_raw_documents
from readout.model import RawDocument
from readout.pipeline import records
from readout.store import open_store, versions, write
from readout.store.dialects import SqliteDialect
from readout.store.rows import record_rows
from readout.store.tables import document_changes, story_buckets
from readout.store.versions import RULE, Report, dates_agree, jaccard, same_story, story_documents
from store_fixtures import postgres_url, store, store_url  # noqa: F401  (fixtures)

GOLD = Path(__file__).parent / "fixtures" / "gold"
# Reports of one story from different outlets (KCNA, Rodong Sinmun, redstartv, Uriminzokkiri...).
STORIES = [{"000", "005", "088"}, {"014", "016"}, {"050", "051"}, {"060", "061"}, {"072", "073"}]
DROPPED = "Choe Son Hui, foreign minister of the DPRK, "


@pytest.fixture(scope="module")
def gold():
    """(record, text) of every gold article, by the three digits that name it."""
    raws = list(iter_raw_documents([str(GOLD)]))
    return {Path(raw.path).name[:3]: (record, raw.text) for raw, record in zip(raws, records(raws))}


def groups(store, gold_ids: dict[int, str]) -> set[frozenset[str]]:
    """The stories of the store as sets of gold names, lone documents left out."""
    found = set()
    for document_id, name in gold_ids.items():
        story = story_documents(store, document_id)
        if len(story) > 1:
            found.add(frozenset(gold_ids[i] for i in story))
    return found


# --- stories -----------------------------------------------------------------------------------

def test_reports_of_one_story_are_linked_and_unrelated_articles_are_not(store, gold):
    names = sorted(gold)
    results = store.add_records([gold[name] for name in names])
    gold_ids = {r.document_id: name for r, name in zip(results, names)}

    assert groups(store, gold_ids) == {frozenset(s) for s in STORIES}
    for result, name in zip(results, names):
        document = store.get_document(result.document_id)
        story = story_documents(store, result.document_id)
        assert document["story_id"] == (story[0] if len(story) > 1 else None), name


def test_linking_does_not_depend_on_order_or_batches(store, gold):
    """Newest first, one transaction each: the same stories, each named by its first document."""
    gold_ids = {}
    for name in sorted(gold, reverse=True):
        [result] = store.add_records([gold[name]])
        gold_ids[result.document_id] = name
    assert groups(store, gold_ids) == {frozenset(s) for s in STORIES}
    by_name = {name: i for i, name in gold_ids.items()}
    assert story_documents(store, by_name["005"]) == sorted(by_name[n] for n in ("000", "005", "088"))
    assert store.get_document(by_name["000"])["story_id"] == by_name["088"]  # stored first


def test_thresholds_separate_the_gold_pairs_from_unrelated_articles(gold):
    """The margins the rule's thresholds sit in, measured here rather than trusted."""
    reports = {name: Report(0, text, record["title"]) for name, (record, text) in gold.items()}
    linked = {frozenset(p) for s in STORIES for p in itertools.combinations(sorted(s), 2)}
    scores = {frozenset(p): jaccard(reports[p[0]].names, reports[p[1]].names)
              for p in itertools.combinations(sorted(reports), 2)}
    assert min(scores[p] for p in linked) > RULE.names > max(s for p, s in scores.items() if p not in linked)
    for a, b in map(sorted, linked):
        assert same_story(reports[a], reports[b]), (a, b)


def test_the_same_names_a_year_apart_are_another_story(gold):
    record, text = gold["060"]
    first = Report(1, text, record["title"], dates=frozenset({date(2023, 7, 28)}))
    assert same_story(first, replace(first, id=2, dates=frozenset({date(2023, 7, 29)})))
    assert not same_story(first, replace(first, id=2, dates=frozenset({date(2024, 7, 28)})))
    assert same_story(first, replace(first, id=2, dates=frozenset()))  # no date: the text decides


def shifted(record_text: tuple[dict, str], days: int) -> tuple[dict, str]:
    """The article as if reported `days` later: every date moved, one line added (another text)."""
    record, text_ = record_text
    def later(value):
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat() if value else value
    events = [{**event, "date": later(event.get("date"))} for event in record["events"]]
    return {**record, "published": later(record["published"]), "events": events}, f"{text_}\nDay {days}.\n"


@pytest.mark.parametrize("batch", [True, False], ids=["one batch", "one by one"])
def test_a_chain_of_similar_daily_reports_is_more_than_one_story(store, gold, batch):
    """Reports on successive days, each like the day before's, a week in all: a story is one
    occasion, so each report's dates agree with its story's first document's, not only with
    the report it resembles most."""
    chain = [shifted(gold["060"], day) for day in range(8)]
    results = store.add_records(chain) if batch else [r for item in chain for r in store.add_records([item])]
    day_of = {r.document_id: day for r, day in zip(results, range(8))}
    stories = sorted({tuple(day_of[i] for i in story_documents(store, r.document_id)) for r in results})
    assert len(stories) > 1 and not any({0, 7} <= set(story) for story in stories)
    dates = [dates_of_record(record) for record, _ in chain]
    for story in stories:
        assert all(dates_agree(dates[day], dates[story[0]], RULE.story_days) for day in story), stories
    assert [day for story in stories for day in story] == list(range(8))  # successive days together


def dates_of_record(record: dict) -> frozenset[date]:
    found = {record["published"], *(event.get("date") for event in record["events"])}
    return frozenset(date.fromisoformat(d) for d in found if d)


def test_candidates_come_from_an_index_not_a_scan(tmp_path, gold):
    with open_store(str(tmp_path / "r.db")) as store:
        [result] = store.add_records([gold["005"]])
        with store.engine.connect() as conn:
            [report] = versions.load_reports(conn, [result.document_id])
            compiled = versions.nearest().compile(dialect=conn.dialect)
            values = compiled.construct_params({"doc": report.id, **dict(zip(versions.BAND_NAMES, report.buckets))})
            plan = " ".join(row[-1] for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}", tuple(values[name] for name in compiled.positiontup)))
    assert "SCAN story_buckets" not in plan
    assert plan.count("SEARCH story_buckets USING PRIMARY KEY (bucket=? AND document_id<?)") == versions.BANDS


def test_a_batch_reads_its_buckets_once_and_ranks_as_the_query_of_one_report(tmp_path, gold):
    """SQLite reads the buckets of a whole batch in one pass (by index), and ranks the
    candidates of each report as `nearest` does for one report at a time."""
    chain = [shifted(gold[name], day) for name in ("000", "005", "088", "014", "016") for day in (0, 9)]
    with open_store(str(tmp_path / "r.db")) as store:
        store.add_records(chain[:4])
        results = store.add_records(chain[4:])
        with store.engine.connect() as conn:
            reports = versions.load_reports(conn, [r.document_id for r in results])
            batch = versions.nearest_of_batch(conn, reports)
            one_by_one = {r.id: versions.nearest_ids(conn, r) for r in reports}
            plan = " ".join(row[-1] for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {versions.NEWEST_IN_BUCKETS}", ("[]", 32)))
    assert batch == one_by_one and any(batch.values())
    assert "SCAN story_buckets" not in plan
    assert plan.count("SEARCH story_buckets USING PRIMARY KEY (bucket=? AND document_id<?)") == 1


def test_a_deep_batch_of_the_bench_corpus_ranks_as_the_query_of_one_report(tmp_path):
    """The same on 300 bench articles, stored 100 a batch: the leaders' buckets hold more than
    BUCKET_DEPTH documents, so the depth is cut for the batch's reports as for one report."""
    from readout.bench.corpus import Corpus, load_templates

    raws = list(Corpus(load_templates(), seed=11).documents(300))
    items = list(zip(records(raws), (raw.text for raw in raws)))
    with open_store(str(tmp_path / "r.db")) as store:
        for start in range(0, len(items), 100):
            results = store.add_records(items[start:start + 100])
        with store.engine.connect() as conn:
            reports = versions.load_reports(conn, [r.document_id for r in results])
            batch = versions.nearest_of_batch(conn, reports)
            one_by_one = {r.id: versions.nearest_ids(conn, r) for r in reports}
            deepest = conn.scalar(text("SELECT max(n) FROM (SELECT count(*) AS n FROM story_buckets"
                                       " WHERE document_id < :first GROUP BY bucket)"), {"first": reports[0].id})
    assert deepest > versions.BUCKET_DEPTH
    assert batch == one_by_one and sum(map(len, batch.values())) > len(reports)


# --- duplicates and versions -------------------------------------------------------------------

def edited(record_text: tuple[dict, str]) -> tuple[dict, str]:
    """The article as republished under its URL without one of the attendees, one word changed."""
    record, original = record_text
    assert DROPPED in original
    changed = original.replace(DROPPED, "").replace("Prior to the talks", "Before the talks")
    raw = RawDocument(record["file"], changed, meta={"url": record["url"], "source": record["source"]})
    return next(records([raw])), changed


def test_same_text_twice_is_one_document_and_no_version(store, gold):
    first = store.add_records([gold["005"]])
    again = store.add_records([({**gold["005"][0], "file": "copy.txt"}, gold["005"][1])])
    assert [r.created for r in first + again] == [True, False]
    assert first[0].document_id == again[0].document_id and store.count_documents() == 1
    assert versions.list_changes(store) == []


def test_changed_text_under_the_same_url_is_a_version_with_its_diff(store, gold):
    [old] = store.add_records([gold["005"]])
    [new] = store.add_records([edited(gold["005"])])
    assert new.created and new.document_id != old.document_id
    assert store.get_document(new.document_id)["version_of"] == old.document_id

    [article] = versions.list_changes(store)
    [edit] = article["edits"]
    assert article["url"] == gold["005"][0]["url"]
    assert [v["id"] for v in article["versions"]] == [old.document_id, new.document_id]
    assert (edit["from"], edit["to"], edit["lines_added"], edit["lines_removed"]) == (
        old.document_id, new.document_id, 2, 2)
    assert [p["name"] for p in edit["people_removed"]] == ["Choe Son Hui"] and edit["people_added"] == []
    removed = [line for line in edit["diff"].splitlines() if line.startswith("-") and DROPPED in line]
    assert len(removed) == 1
    assert versions.list_changes(store, since="2999-01-01") == []


def test_deleting_a_version_deletes_its_change(store, gold):
    store.add_records([gold["005"]])
    [new] = store.add_records([edited(gold["005"])])
    assert store.delete_document(new.document_id)
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(document_changes)) == 0
        assert conn.scalar(select(func.count()).select_from(story_buckets)
                           .where(story_buckets.c.document_id == new.document_id)) == 0


# --- command line ------------------------------------------------------------------------------

def article_folder(folder: Path, name: str, text_: str, meta: dict) -> Path:
    folder.mkdir()
    (folder / f"{name}.txt").write_text(text_, encoding="utf-8")
    (folder / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_readout_changes_lists_the_edited_article(tmp_path, gold, run_readout):
    original = next(GOLD.glob("005_*.txt"))
    meta = json.loads(original.with_suffix("").with_suffix(".meta.json").read_text())
    before = article_folder(tmp_path / "before", original.stem, original.read_text(encoding="utf-8"), meta)
    after = article_folder(tmp_path / "after", original.stem, edited(gold["005"])[1], meta)
    db = tmp_path / "r.db"
    assert run_readout("ingest", before, after, "--db", db).returncode == 0  # one batch: in order

    listed = run_readout("changes", "--db", db, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [article] = json.loads(listed.stdout)
    assert article["url"] == meta["url"] and article["edits"][0]["people_removed"][0]["name"] == "Choe Son Hui"
    table = run_readout("changes", "--db", db, "--since", datetime.now(timezone.utc).date().isoformat())
    assert f"doc 1 (stored {datetime.now(timezone.utc).date()}) -> doc 2" in table.stdout
    assert "+2 -2 lines; people added: none; removed: Choe Son Hui" in table.stdout
    with open_store(str(db)) as store, pytest.raises(StoreError, match="since 'last week' is not an ISO date"):
        versions.list_changes(store, "last week")


def test_readout_story_lists_the_reports_of_a_story(tmp_path, gold, run_readout):
    db = tmp_path / "r.db"
    with open_store(str(db)) as store:
        ids = {name: r.document_id for name, r in
               zip(("000", "005", "088", "072"), store.add_records([gold[n] for n in ("000", "005", "088", "072")]))}
        assert [r["id"] for r in versions.story_reports(store, ids["005"])] == [ids["000"], ids["005"], ids["088"]]
        [alone] = versions.story_reports(store, ids["072"])
        assert alone["title"] == "Kim Jong Un Meets Song Tao Again" and alone["source"] == "KCNA"
    shown = run_readout("story", ids["005"], "--db", db)
    assert shown.returncode == 0, shown.stderr
    rows = [line.split()[:2] for line in shown.stdout.splitlines() if line.split()[:1] in ([str(i)] for i in ids.values())]
    assert rows == [[str(ids["000"]), "Rodong"], [str(ids["005"]), "KCNA"], [str(ids["088"]), "Rodong"]]
    missing = run_readout("story", 999, "--db", db)
    assert missing.returncode == 1 and missing.stderr.strip() == "error: no document 999 in the store"


# --- migration ---------------------------------------------------------------------------------

def test_upgrade_from_0001_links_what_was_stored_before(tmp_path, gold, monkeypatch):
    """A SQLite file written at revision 0001 (no linking) gains its stories and versions."""
    path = tmp_path / "old.db"
    migrate_to(path, "0001")
    monkeypatch.setattr(versions, "link", lambda conn, inserted: None)  # the write path of 0001
    items = [gold[name] for name in ("000", "005", "014", "016", "040")] + [edited(gold["005"])]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        # Today's write path fills the columns of revision 0003 too: there only for the write.
        for table, column in LATER_COLUMNS:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} DATE")
        now = datetime.now(timezone.utc)
        results = write.insert_batch(conn, SqliteDialect(), [record_rows(*item, now) for item in items])
        for table, column in LATER_COLUMNS:
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    engine.dispose()
    monkeypatch.undo()

    with open_store(str(path)) as store:
        ids = [r.document_id for r in results]
        assert store.count_documents() == len(items)
        assert story_documents(store, ids[1]) == [ids[0], ids[1], ids[5]]
        assert story_documents(store, ids[3]) == [ids[2], ids[3]]
        assert story_documents(store, ids[4]) == [ids[4]]
        [article] = versions.list_changes(store)
        assert article["edits"][0]["from"] == ids[1] and article["edits"][0]["to"] == ids[5]
        with store.engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0004"
            # 0003 copied the dates the timeline and the event list are ordered by
            assert conn.execute(text(UNFILLED)).all() == []
        timeline = store.person_timeline("choe-son-hui", limit=None)
        assert timeline and [t["published"] for t in timeline] == sorted((t["published"] for t in timeline),
                                                                        reverse=True)


LATER_COLUMNS = [("mentions", "published"), ("events", "sort_date")]
UNFILLED = ("SELECT m.document_id FROM mentions m JOIN documents d ON d.id = m.document_id"
            " WHERE m.published IS NOT d.published UNION ALL"
            " SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id"
            " WHERE e.sort_date IS NOT coalesce(e.date, d.published)")


def migrate_to(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    SqliteDialect().prepare(engine)
    with engine.begin() as conn, as_file(files("readout.store")) as folder:
        config = Config(str(folder / "alembic.ini"))
        config.set_main_option("script_location", str(folder / "migrations"))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def test_a_story_rule_file_missing_a_threshold_is_one_error_naming_it(monkeypatch):
    monkeypatch.setattr(versions, "load_yaml", lambda name: {"names": 0.55, "days": 3})
    with pytest.raises(StoreError, match=r"^readout/data/stories.yaml: expected the keys names, wording"):
        versions.load_rule()
