"""The analyses over a store built from the gold fixtures (and a small synthetic store where the
gold articles cannot show a case): timelines, protocol rank, network, comparison, absences,
and the commands that print them."""
from __future__ import annotations

import json
from datetime import date

import networkx as nx
import pytest

from readout.analyze import AnalysisError, settings
from readout.analyze.absent import absent
from readout.analyze.compare import compare
from readout.analyze.network import network, write_graph
from readout.analyze.rank import rank
from readout.analyze.timeline import timeline
from readout.ingest import iter_raw_documents
from readout.pipeline import IngestReport, ingest
from readout.store import open_store

from conftest import GOLD


@pytest.fixture(scope="module")
def gold_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "gold.db"
    with open_store(str(path)) as store:
        report = ingest(iter_raw_documents([str(GOLD)]), store, IngestReport())
    assert report.stored == 30 and not report.errors
    return str(path)


@pytest.fixture(scope="module")
def gold(gold_db):
    with open_store(gold_db) as store:
        yield store


def document_id(store, name_part: str) -> int:
    """The stored document whose file name holds `name_part` (ids depend on ingestion order)."""
    found = [d["id"] for d in store.list_documents(limit=1000) if name_part in (d["file"] or "")]
    assert len(found) == 1, name_part
    return found[0]


# --- a small world of attendance lists, for what the gold articles do not show ---------------

PEOPLE = {"A": ("ri-son-gwon", "Ri Son Gwon"), "B": ("kim-yo-jong", "Kim Yo Jong"),
          "C": ("pak-jong-chon", "Pak Jong Chon"), "D": ("jo-yong-won", "Jo Yong Won"),
          "E": ("kim-tok-hun", "Kim Tok Hun"), "F": ("choe-son-hui", "Choe Son Hui"),
          "G": ("ri-il-hwan", "Ri Il Hwan")}
# C goes from 3rd to 7th (a fall of 4) while D goes from 7th to 3rd; A attends monthly until
# June and then no more, B all year.
LISTS = {"2024-01-01": "ABCEFGD", "2024-02-01": "ABDEFGC",
         **{f"2024-{m:02d}-01": "AB" for m in range(3, 7)},
         **{f"2024-{m:02d}-01": "B" for m in range(7, 13)}}


def listing(day: str, letters: str) -> tuple[dict, str]:
    """A record of talks on `day` with the DPRK side listed in the order of `letters`."""
    names = [PEOPLE[letter][1] for letter in letters]
    text = (f"Pyongyang, {day} -- Kim Jong Un held talks with Vladimir Putin. Present on the "
            f"DPRK side were {', '.join(names)}.")

    def span(words: str) -> dict:
        return {"start": text.index(words), "end": text.index(words) + len(words)}

    principals = [("kim-jong-un", "Kim Jong Un", "PRK"), ("vladimir-putin", "Vladimir Putin", "RUS")]
    people = [{"name": n, "mention": n, "country": c, "titles": [], "entity_id": e, "role": "principal",
               **span(n)} for e, n, c in principals]
    attendees = [{"name": PEOPLE[x][1], "mention": PEOPLE[x][1], "title": None, "side": "PRK",
                  "order": i + 1, "entity_id": PEOPLE[x][0], **span(PEOPLE[x][1])}
                 for i, x in enumerate(letters)]
    people += [{**a, "country": "PRK", "titles": [], "role": "participant"} for a in attendees]
    talks = {"type": "talks", "date": day, "place": None, "participants": attendees,
             "principals": [{"name": n, "country": c, "entity_id": e} for e, n, c in principals],
             "evidence": [span("Kim Jong Un held talks with Vladimir Putin")]}
    return {"file": f"{day}.txt", "source": "KCNA", "published": day, "title": "Talks",
            "people": people, "events": [talks]}, text


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    path = tmp_path_factory.mktemp("lists") / "lists.db"
    with open_store(str(path)) as store:
        store.add_records([listing(day, letters) for day, letters in LISTS.items()])
        yield store


# --- timeline ---------------------------------------------------------------------------------

def test_timeline_of_choe_son_hui_in_another_spelling(gold):
    found = timeline(gold, "Choe Son-hui")
    assert found["person"]["entity_id"] == "choe-son-hui"
    dates = [a["date"] for a in found["appearances"]]
    assert dates == sorted(dates)
    assert {d[:4] for d in dates} >= {"2019", "2024"}
    talks = [a for a in found["appearances"] if a["date"] == "2024-06-19"]
    assert talks and all(a["event_types"] == ["talks"] and a["side"] == "PRK" and a["order"] == 2
                         for a in talks)
    assert all([c["name"] for c in a["counterparts"]] == ["Vladimir Putin"] for a in talks)
    assert {a["title"] for a in talks} >= {"foreign minister of the DPRK"}
    moscow = next(a for a in found["appearances"] if a["date"].startswith("2019"))
    assert "Igor Morgulov" in [c["name"] for c in moscow["counterparts"]]


def test_timeline_counterparts_exclude_own_leader(gold):
    found = timeline(gold, "Kim Tok Hun")
    names = {c["name"] for a in found["appearances"] for c in a["counterparts"]}
    assert "Vladimir Putin" in names and "Kim Jong Un" not in names


def test_timeline_of_unknown_person_is_an_error(gold):
    with pytest.raises(AnalysisError, match="no one called 'Nobody Atall'"):
        timeline(gold, "Nobody Atall")


# --- rank -------------------------------------------------------------------------------------

def person(found: dict, entity_id: str) -> dict:
    return next(p for p in found["people"] if p["entity_id"] == entity_id)


def test_rank_kim_song_nam_fourth_in_2024_counted_once_across_outlets(gold):
    found = rank(gold)
    places = person(found, "kim-song-nam")["appearances"]
    assert [(a["date"], a["order"], a["of"], a["side"]) for a in places] == [("2024-06-19", 4, 6, "PRK")]
    lavrov = person(found, "sergei-lavrov")["appearances"]
    assert [(a["order"], a["side"]) for a in lavrov] == [(1, "RUS")]


def test_rank_pak_jong_chon_falls_from_first_to_third(gold):
    fall = next(m for m in rank(gold)["falls"] if m["entity_id"] == "pak-jong-chon")
    assert (fall["from"]["order"], fall["to"]["order"], fall["change"]) == (1, 3, 2)
    assert (fall["from"]["event_type"], fall["to"]["event_type"]) == ("inspection", "talks")


def test_rank_filters(gold):
    assert {p["appearances"][0]["side"] for p in rank(gold, country="RUS")["people"]} == {"RUS"}
    talks_only = rank(gold, event_type="talks")
    assert all(a["event_type"] == "talks" for p in talks_only["people"] for a in p["appearances"])
    assert rank(gold, since="2024-06-01")["falls"] == []  # the May inspection is left out
    assert all(a["date"] >= "2024-06-01" for p in rank(gold, since="2024-06-01")["people"]
               for a in p["appearances"])


def test_rank_third_to_seventh_is_a_fall_of_four(lists):
    found = rank(lists)
    assert found["falls"][0]["entity_id"] == "pak-jong-chon" and found["falls"][0]["change"] == 4
    assert found["rises"][0]["entity_id"] == "jo-yong-won" and found["rises"][0]["change"] == -4
    assert found["rises"][1]["entity_id"] == "kim-yo-jong" and found["rises"][1]["change"] == -1
    assert len(rank(lists, top=1)["rises"]) == 1


# --- network ----------------------------------------------------------------------------------

def test_network_links_kim_tok_hun_and_lavrov_once_for_three_reports(gold):
    graph = network(gold)
    assert graph.nodes["sergei-lavrov"] == {"name": "Sergei Lavrov", "country": "RUS",
                                             "events": graph.nodes["sergei-lavrov"]["events"]}
    edge = graph.edges["kim-tok-hun", "sergei-lavrov"]
    assert edge == {"weight": 1, "documents": 3}
    assert graph.edges["kim-jong-un", "vladimir-putin"]["weight"] > 1


def test_network_since_leaves_out_older_events(gold):
    graph = network(gold, since=date(2024, 1, 1))
    assert "song-tao" in network(gold) and "song-tao" not in graph
    assert graph.has_edge("kim-tok-hun", "sergei-lavrov")


def test_write_graph_graphml_and_gexf_read_back(gold, tmp_path):
    graph = network(gold)
    assert write_graph(graph, tmp_path / "g.graphml") == "graphml"
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.edges["kim-tok-hun", "sergei-lavrov"]["weight"] == 1
    write_graph(graph, tmp_path / "g.gexf")
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == graph.number_of_nodes()
    with pytest.raises(AnalysisError, match="graphml or .gexf"):
        write_graph(graph, tmp_path / "g.txt")


# --- compare ----------------------------------------------------------------------------------

def test_compare_kcna_and_rodong_reports_of_the_2024_talks(gold):
    kcna = document_id(gold, "005_kju-putin-talks-pyongyang")
    rodong = document_id(gold, "000_rodong-kju-putin-talks")
    found = compare(gold, kcna)
    ids = [r["id"] for r in found["reports"]]
    assert {kcna, rodong} <= set(ids)
    k, r = ids.index(kcna), ids.index(rodong)
    song_nam = next(p for p in found["people"] if p["entity_id"] == "kim-song-nam")
    assert song_nam["listed"][k] == song_nam["listed"][r] == "PRK 4"
    choe = next(p for p in found["title_differences"] if p["entity_id"] == "choe-son-hui")
    assert choe["titles"][k] == "foreign minister of the DPRK"
    assert choe["titles"][r] == "minister of Foreign Affairs of the DPRK"
    support = next(e for e in found["events"] if e["event"] == "support on Ukraine")
    assert support["in"][r] and not support["in"][k]
    lacks = {row["document_id"]: row for row in found["only_in"]}
    assert "support on Ukraine" in lacks[rodong]["events"] and lacks[kcna]["events"] == []


def test_compare_without_story_links_uses_the_window(gold, monkeypatch):
    from readout.analyze import compare as module

    monkeypatch.setattr(module, "story_size", lambda conn, story_id: 1)  # as if never linked
    kcna = document_id(gold, "005_kju-putin-talks-pyongyang")
    found = compare(gold, kcna)
    assert found["linked_by"] == "window"
    assert {document_id(gold, "000_rodong-kju-putin-talks"), kcna} <= {r["id"] for r in found["reports"]}
    shoigu = document_id(gold, "021_kju-shoigu")  # Kim Jong Un and Shoigu, 2025: no other report
    assert [r["id"] for r in compare(gold, shoigu)["reports"]] == [shoigu]


def test_compare_lays_out_at_most_max_reports_nearest_first(gold, monkeypatch):
    from readout.analyze import compare as module

    kcna = document_id(gold, "005_kju-putin-talks-pyongyang")
    whole = compare(gold, kcna)
    assert whole["story_size"] == len(whole["reports"]) >= 2
    monkeypatch.setattr(module, "MAX_REPORTS", 1)
    cut = compare(gold, kcna)
    assert [r["id"] for r in cut["reports"]] == [kcna] and cut["story_size"] == whole["story_size"]
    assert module.nearest([1, 5, 9, 10, 30], 9, 3) == [5, 9, 10]


def test_compare_of_an_undated_report_alone_and_of_a_missing_one(gold):
    alone = compare(gold, document_id(gold, "045_choe-ryong-hae"))
    assert len(alone["reports"]) == 1 and alone["only_in"] == []
    with pytest.raises(AnalysisError, match="no document 99999"):
        compare(gold, 99999)


# --- absent -----------------------------------------------------------------------------------

def test_absent_flags_who_stopped_appearing(lists):
    found = absent(lists)
    assert [s["entity_id"] for s in found] == ["ri-son-gwon"]
    gone = found[0]
    assert (gone["last_seen"], gone["as_of"], gone["usual_gap_days"]) == ("2024-06-01", "2024-12-01", 31)
    assert gone["days_since"] == 183 and gone["overdue"] > settings("absent")["factor"]


def test_absent_of_one_person_answers_even_when_present(lists):
    [kim] = absent(lists, person="Kim Yo-jong")
    assert kim["entity_id"] == "kim-yo-jong" and not kim["absent"] and kim["days_since"] == 0
    [pak] = absent(lists, person="Pak Jong Chon")
    assert pak["usual_gap_days"] is None and not pak["absent"]  # two appearances: no usual rate


@pytest.mark.parametrize("since", ["2019-06-01", "2024-01-01", "2024-06-20", "2030-01-01"])
def test_title_changes_since_equal_the_whole_store_answer_cut_at_since(gold, since):
    # With `since`, only the people seen since then are read, and a person's earlier days
    # only back to their last titled one: the answers must be those of reading everything.
    from readout.analyze.titles import title_changes

    assert title_changes(gold, since) == [c for c in title_changes(gold) if c["date"] >= since]


@pytest.mark.parametrize("since", ["2024-01-01", "2024-03-01", "2024-05-01", "2030-01-01"])
def test_absent_since_equals_the_whole_store_answer_cut_at_since(lists, since):
    everyone = absent(lists, as_of="2030-01-01")
    assert len(everyone) > 1
    assert absent(lists, since=since, as_of="2030-01-01") == [a for a in everyone if a["last_seen"] >= since]


def test_absent_since_and_as_of(lists):
    assert absent(lists, since="2024-07-01") == []
    assert absent(lists, as_of="2024-06-15") == []


# --- the commands -----------------------------------------------------------------------------
# One run of the real command line (a process, several seconds on a loaded machine) checks the
# one-line error at the edge; the rest runs in-process with Typer's runner.

@pytest.fixture(scope="module")
def cli():
    from typer.testing import CliRunner

    from readout.cli import _register_commands, app

    _register_commands()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_cli_timeline_json_matches_library(cli, gold_db, gold):
    done = cli("timeline", "Choe Son Hui", "--db", gold_db, "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == json.loads(json.dumps(timeline(gold, "Choe Son Hui")))


def test_cli_error_is_one_line(run_readout, gold_db):
    done = run_readout("timeline", "Nobody Atall", "--db", gold_db)
    assert done.returncode == 1
    assert done.stderr.startswith("error: no one called 'Nobody Atall'")
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_tables(cli, gold_db, tmp_path):
    ranked = cli("rank", "--db", gold_db, "--country", "PRK")
    assert ranked.exit_code == 0 and "Kim Song Nam" in ranked.stdout and "2024-06-19: 4/6" in ranked.stdout
    assert "Pak Jong Chon (PRK): 1 on 2024-05-14 -> 3 on 2024-06-19 (+2)" in ranked.stdout
    shown = cli("timeline", "Choe Son-hui", "--db", gold_db)
    assert shown.exit_code == 0 and "Choe Son Hui (PRK, choe-son-hui): " in shown.stdout
    compared = cli("compare", "2", "--db", gold_db)
    assert compared.exit_code == 0 and "reports (linked by" in compared.stdout
    away = cli("absent", "Kim Jong Un", "--db", gold_db)
    assert away.exit_code == 0 and "Kim Jong Un" in away.stdout and "absent = away more than" in away.stdout


def test_cli_network_writes_graph(cli, gold_db, tmp_path):
    out = tmp_path / "net.graphml"
    net = cli("network", "--db", gold_db, "--output", out, "--format", "json")
    assert net.exit_code == 0 and nx.read_graphml(out).has_edge("kim-tok-hun", "sergei-lavrov")
    assert json.loads(net.stdout)["top_nodes"][0]["entity_id"] == "kim-jong-un"
    table = cli("network", "--db", gold_db, "--top", "3")
    assert table.exit_code == 0 and "pairs who attended together" in table.stdout


@pytest.mark.parametrize("args, message", [
    (["network", "--output", "net.txt"], "name the file .graphml or .gexf"),
    (["compare", "99999"], "no document 99999"),
    (["rank", "--since", "2024-13-01"], "is not an ISO date"),
])
def test_cli_errors(cli, gold_db, args, message):
    done = cli(*args, "--db", gold_db)
    assert done.exit_code != 0 and message in str(done.exception)


def test_person_and_timeline_read_once_give_what_person_and_timeline_give(gold):
    # the page's shared reading (event types taken from the person's events, not read again)
    from readout.api import answers
    for entity_id in ("choe-son-hui", "kim-jong-un", "vladimir-putin"):
        person, found = answers.person_and_timeline(gold, entity_id, last=3)
        assert person == answers.person(gold, entity_id, last=3)
        assert found == answers.timeline(gold, entity_id, last=3)
        assert all(a["event_types"] is not None for a in person["appearances"])
