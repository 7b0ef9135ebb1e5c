"""`readout bench`: the corpus it generates varies what a cache would key on, and a small run
measures every key of issue 4 with numbers it found itself."""
from __future__ import annotations

import json
import os
import random
import re
from datetime import date

import pytest

from readout.bench import REQUIRED_KEYS, make_plan
from readout.bench.corpus import Corpus, load_templates
from readout.domain import load_yaml
from readout.errors import ReadoutError
from conftest import GOLD, SEED

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@pytest.fixture(scope="module")
def templates():
    return load_templates([GOLD])


@pytest.fixture(scope="module")
def seed_only(templates):
    """A corpus of the seed article alone, so that every document varies the same text."""
    return Corpus([t for t in templates if t.name == SEED.name], seed=5)


def test_generated_documents_differ_and_repeat_exactly(seed_only):
    documents = list(seed_only.documents(20))
    assert len({d.text for d in documents}) == 20
    assert len({d.meta["published"] for d in documents}) > 1
    assert seed_only.document(7).text == documents[7].text  # (seed, i) decides everything
    assert Corpus(seed_only.templates, seed=6).document(7).text != documents[7].text


def test_generated_documents_swap_people(seed_only):
    people = seed_only.templates[0].people
    documents = [d.text for d in seed_only.documents(20)]
    assert sum(p.mention not in text for p in people for text in documents) > len(documents)
    assert any("Kim Jong Un" not in text for text in documents)  # leaders are swapped too


def test_lists_are_shuffled_within_each_side(seed_only):
    rules = {**load_yaml("bench.yaml"), "keep_name_share": 1.0}  # nobody renamed: order only
    corpus = Corpus(seed_only.templates, rules=rules)
    people = corpus.templates[0].people
    mappings = [corpus.new_names(corpus.templates[0], random.Random(i)) for i in range(10)]
    for side in ("PRK", "RUS"):
        listed = [p.mention for p in people if p.side == side]
        assert len(listed) >= 4
        for mapping in mappings:
            assert sorted(mapping[m] for m in listed) == sorted(listed)  # a permutation
        assert len({tuple(mapping[m] for m in listed) for mapping in mappings}) > 1


def test_generated_dates_move_together_with_their_weekdays(seed_only):
    header = re.compile(r"^(\w+)\. (\d+), (\d{4}) (\w+)")  # "Nov. 28, 2024 Thursday"
    months = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                          "Sept", "Oct", "Nov", "Dec"], 1)}
    for document in seed_only.documents(10):
        month, day, year, weekday = header.match(document.text).groups()
        written = date(int(year), months[month], int(day))
        assert written.isoformat() == document.meta["published"]
        assert WEEKDAYS[written.weekday()] == weekday
        assert 1997 <= written.year <= 2025


def test_every_template_has_people_to_swap(templates):
    assert len(templates) == len(list(GOLD.glob("*.txt")))
    assert all(t.people for t in templates) and sum(len(t.people) for t in templates) >= 3 * len(templates)


def test_bad_size_is_refused_in_one_line():
    with pytest.raises(ReadoutError, match="--size 'huge'"):
        make_plan(quick=True, size="huge")


def test_bench_quick_small_measures_every_key(run_readout):
    postgres = os.environ.get("READOUT_TEST_POSTGRES_URL")
    args = ["bench", "--quick", "--size", "small", "--json"] + (["--db-postgres", postgres] if postgres else [])
    result = run_readout(*args)
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    assert set(REQUIRED_KEYS) <= set(measured)
    numbers = [k for k in REQUIRED_KEYS if k != "ingest_postgres_docs_per_s" or postgres]
    for key in numbers:
        assert isinstance(measured[key], (int, float)) and measured[key] > 0, key
    if not postgres:
        assert measured["ingest_postgres_docs_per_s"] is None
        assert any("ingest_postgres_docs_per_s" in note for note in measured["notes"])
    assert measured["dask_same_records"] is True
    assert measured["dask_resolver_loads"] == [1, 1]  # once per worker, not once per task
    assert sum(measured["dask_batches"]) > 2 and measured["reingest_added"] == 0
    assert 0.9 * measured["sizes"]["rss_100k"] <= measured["store_docs"] <= measured["sizes"]["rss_100k"]
    assert measured["timeline_queries"] >= 200 and measured["fulltext_queries"] >= 200
    assert measured["page_errors"] == 0 and measured["page_p95_ms"] > 0  # pages over that store
    assert measured["load_requests"] == 2 * 200 and measured["load_errors"] == 0


def test_child_reports_its_own_peak_memory_not_its_parents(templates, tmp_path):
    """exec() carries the parent's peak RSS into the child's ru_maxrss on Linux: a benchmark
    holding 600 MB must not make a small ingest look like a 600 MB one."""
    from readout.bench.measure import ingest_in_child

    held = bytearray(600 * 2**20)
    held[::4096] = b"\1" * len(held[::4096])  # touch every page, so it is resident
    dump = Corpus(templates, seed=3).write_jsonl(tmp_path / "d.jsonl", 3)
    run = ingest_in_child(dump, str(tmp_path / "d.db"))
    assert run.exit_code == 0 and 30 < run.peak_rss_mb < 500
    del held


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory) -> str:
    from test_api import fill

    path = str(tmp_path_factory.mktemp("bench-serve") / "gold.db")
    fill(path)
    return path


def test_page_latencies_ask_the_real_server_for_every_kind(gold_store):
    """The mechanics of issue 5's measurement on a small store (no timing is asserted)."""
    from readout.bench.pages import API_KINDS, PAGE_KINDS, page_latencies

    measured = page_latencies(gold_store, count=3, seed=1)
    assert measured["page_errors"] == 0, measured["page_error_first"]
    assert measured["page_requests"] == 3 * len(PAGE_KINDS + API_KINDS)
    for kind in PAGE_KINDS + API_KINDS:
        assert 0 < measured[f"{kind}_p50_ms"] <= measured[f"{kind}_p95_ms"], kind
    assert measured["page_p95_ms"] == measured[f"{measured['page_slowest_kind']}_p95_ms"]


def test_sampled_requests_name_what_the_store_holds(gold_store):
    from readout.bench.pages import sample_requests
    from readout.store import open_store

    with open_store(gold_store) as store:
        asked = sample_requests(store, 5, seed=2)
        ids = {e["entity_id"] for e in store.list_people(1000)}
        documents = {d["id"] for d in store.list_documents(1000)}
    assert all(len(requests) == 5 for requests in asked.values())
    assert {r.path.split("/")[2] for r in asked["page_person"]} <= ids
    assert {int(r.path.split("/")[-1]) for r in asked["page_event"]} <= documents


def test_load_run_sends_at_the_rate_and_counts_every_answer(gold_store):
    from readout.bench.load import load_run

    measured = load_run(gold_store, seconds=1.5, rate=20, seed=3)
    assert measured["load_requests"] == 30
    assert measured["load_served"] + measured["load_errors"] == 30
    assert measured["load_errors"] == 0, measured["load_error_kinds"]
    assert measured["load_p50_ms"] <= measured["load_p95_ms"] <= measured["load_p99_ms"]


def test_load_run_counts_a_broken_server_as_errors(gold_store, monkeypatch):
    """Answers that are not 2xx are errors, not latencies."""
    import asyncio

    from readout.bench import load
    from readout.bench.pages import Request, running_server

    with running_server(gold_store) as base:
        outcome = asyncio.run(load.drive(base, [Request("x", "/api/documents/999999")] * 4
                                         + [Request("y", "/api/outlets")] * 2, rate=50))
    figures = load.summary(outcome, 50)
    assert figures["load_errors"] == 4 and figures["load_served"] == 2
    assert figures["load_error_kinds"] == {"x: HTTP 404": 4}


def test_load_run_on_two_server_processes_counts_kept_answers(gold_store):
    """`readout serve --workers 2` answers, and an answer asked again comes from those kept
    (by either process: they share them). Not /api/outlets: the start-up check asks for it."""
    import asyncio

    from readout.bench import load
    from readout.bench.pages import Request, running_server

    asked = Request("a", "/api/documents?limit=3")
    with running_server(gold_store, workers=2) as base:
        first = load.summary(asyncio.run(load.drive(base, [asked], rate=20)), 20)
        again = load.summary(asyncio.run(load.drive(base, [asked] * 6, rate=20)), 20)
    assert (first["load_served"], first["load_kept_share"]) == (1, 0)
    assert again["load_errors"] == 0 and again["load_served"] == 6
    assert again["load_kept_share"] == 1  # computed once for both processes


def test_bench_load_alone(run_readout):
    result = run_readout("bench", "--load", "--size", "small", "--load-seconds", "1", "--json")
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    assert measured["load_requests"] == 200 and measured["load_errors"] == 0
    assert measured["store_docs"] > 0 and measured["load_seconds"] == 1


def test_bad_load_seconds_is_refused_in_one_line():
    with pytest.raises(ReadoutError, match="--load-seconds"):
        make_plan(quick=True, size="small", load_seconds=-1)
