"""Title normalisation, title histories and changes, and the person view (library and CLI).

The store-backed tests ingest real gold articles through the pipeline, once per backend:
SQLite always, PostgreSQL when READOUT_TEST_POSTGRES_URL names a server (marker `postgres`).
"""
from __future__ import annotations

import json
import os
import re
import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from readout.analyze.person import PersonNotFound, co_attendees, person_profile
from readout.analyze.titles import normalize_title, rules, title_changes, title_history
from readout.domain import load_yaml
from readout.errors import ReadoutError, StoreError
from readout.ingest import iter_raw_documents
from readout.pipeline import IngestReport, ingest
from readout.store import open_store

from conftest import GOLD
from store_fixtures import appearance, postgres_url, store_url  # noqa: F401  (fixtures)

# Choe Son Hui as first vice-minister (2019) and as minister (2024, two outlets of one talks);
# Pak Jong Chon's "secretary of the C.C., WPK" (2024-05) beside "... WPK Central Committee".
ARTICLES = ["032_choe-son-hui-morgulov-moscow-2019-11.txt", "116_kju-production-major-weapons-2024-05.txt",
            "005_kju-putin-talks-pyongyang-2024-06.txt", "000_rodong-kju-putin-talks-2024-06.txt"]
# A person no knowledge base knows, ingested like any other article.
UNKNOWN = ("Rodong Sinmun\n2025-05-03\nPyongyang, May 3 (KCNA) -- Choe Son Hui, minister of Foreign Affairs of the DPRK, "
           "met Zorbo Quaxley, minister of Trade of the Republic of Atlantis, at the Mansudae "
           "Assembly Hall on May 2.\n")
CHOE_SPELLINGS = ["Choe Son Hui", "Ch'oe Sŏn-hŭi", "최선희", "Choe Sun Hee"]


# --- normalisation ---------------------------------------------------------------------------

@pytest.mark.parametrize("title, country, expected", [
    # the examples of the issue
    ("minister of Foreign Affairs (of the DPRK)", "PRK", ["Minister of Foreign Affairs"]),
    ("minister of Foreign Affairs of the DPRK", "PRK", ["Minister of Foreign Affairs"]),
    ("foreign minister of the DPRK", "PRK", ["Minister of Foreign Affairs"]),
    ("Foreign Minister", "PRK", ["Minister of Foreign Affairs"]),
    ("FM", "PRK", ["Minister of Foreign Affairs"]),
    ("premier of the DPRK Cabinet", "PRK", ["Premier"]),
    ("Premier", "PRK", ["Premier"]),
    ("secretary of the C.C., WPK", "PRK", ["Secretary of the WPK Central Committee"]),
    ("secretary of the WPK Central Committee", "PRK", ["Secretary of the WPK Central Committee"]),
    ("vice-chairman of the Central Military Commission of the WPK and secretary of the WPK Central "
     "Committee", "PRK", ["Vice-Chairman of the Central Military Commission of the WPK",
                          "Secretary of the WPK Central Committee"]),
    # real forms from the gold articles
    ("first vice minister of Foreign Affairs of the Democratic People's Republic of Korea (DPRK)",
     "PRK", ["First Vice-Minister of Foreign Affairs"]),
    ("international department director of the C.C., WPK", "PRK",
     ["Director of the International Department of the WPK Central Committee"]),
    ("first vice department director of the C.C., WPK", "PRK",
     ["First Vice Department Director of the WPK Central Committee"]),
    ("Russian Foreign Minister", "RUS", ["Minister of Foreign Affairs"]),
    ("vice foreign minister of the Russian Federation", "RUS", ["Vice-Minister of Foreign Affairs"]),
    ("Minister of Defense", "RUS", ["Minister of Defence"]),
    ("state councillor and foreign minister of the People's Republic of China", "CHN",
     ["State Councillor", "Minister of Foreign Affairs"]),
    ("chairman of the Workers’ Party of Korea, chairman of the State Affairs Commission of the "
     "Democratic People’s Republic of Korea and supreme commander of the armed forces of the DPRK",
     "PRK", ["Chairman of the WPK", "Chairman of the State Affairs Commission",
             "Supreme Commander of the Armed Forces"]),
    ("Premier, member of the Presidium of the Political Bureau of the WPK Central Committee and "
     "vice-chairman of the SAC, and the chairperson of a friendly party", "PRK",
     ["Premier", "Member of the Presidium of the Political Bureau of the WPK Central Committee",
      "Vice-Chairman of the State Affairs Commission", "Chairperson of a Friendly Party"]),
])
def test_titles_normalise_to_canonical_roles(title, country, expected):
    assert normalize_title(title, country) == expected


@pytest.mark.parametrize("title, country, expected", [
    # a qualifier is dropped only for the person's own country
    ("minister of Foreign Affairs of the DPRK", None, ["Minister of Foreign Affairs of the DPRK"]),
    ("minister of Foreign Affairs of the DPRK", "RUS", ["Minister of Foreign Affairs of the DPRK"]),
    ("Russian ambassador to the DPRK", "RUS", ["Ambassador to the DPRK"]),
    ("chairman of the DPRK side to the DPRK-Russia Inter-governmental Committee", "PRK",
     ["Chairman of the DPRK Side to the DPRK-Russia Inter-Governmental Committee"]),
    # "and" and commas split only where a role starts
    ("Minister of Natural Resources and Ecology", "RUS", ["Minister of Natural Resources and Ecology"]),
    ("Supreme Leader of the party, state and army of the DPRK", "PRK",
     ["Supreme Leader of the Party, State and Army"]),
    # a "who is" clause counts when it is a post, not when it is an errand
    ("minister of External Economic Relations who is chairman of the DPRK side", "PRK",
     ["Minister of External Economic Relations", "Chairman of the DPRK Side"]),
    ("chairman of the Supreme People's Assembly (SPA) of the DPRK who is leading the SPA "
     "delegation on a visit to Russia", "PRK", ["Chairman of the Supreme People's Assembly"]),
    # case, repeats, empty input
    ("MINISTER OF FOREIGN AFFAIRS", None, ["Minister of Foreign Affairs"]),
    ("Foreign Minister and foreign minister", "RUS", ["Minister of Foreign Affairs"]),
    ("ambassador of the U.S.", None, ["Ambassador of the U.S."]),
    ("", "PRK", []),
    (None, None, []),
])
def test_normalisation_edges(title, country, expected):
    assert normalize_title(title, country) == expected


def test_every_canonical_form_in_the_data_is_its_own_normal_form():
    data = load_yaml("titles_normal.yaml")
    canonical = [*data["synonyms"], *data["epithets"]]
    for country in (None, "PRK", "RUS"):
        for form in canonical:
            assert normalize_title(form, country) == [form], (form, country)


def test_rules_have_unique_ids_and_compile():
    data = load_yaml("titles_normal.yaml")
    ids = [rule["id"] for rule in data["clean"] + data["rewrite"]]
    assert len(ids) == len(set(ids))
    assert len(rules().rewrites) == len(data["rewrite"])
    vocabulary = load_yaml("titles.yaml")
    assert "premier" in rules().start_words and vocabulary["title_comma_phrases"]


# Fragments of real titles, joined the ways state media join them, and some noise.
FRAGMENTS = ["minister", "Foreign Minister", "vice", "first", "of", "the", "Foreign Affairs", "DPRK",
             "Democratic People's Republic of Korea", "(DPRK)", "WPK", "C.C., WPK", "Central Committee",
             "secretary", "premier", "Cabinet", "SAC", "State Affairs Commission", "chairman",
             "Russian", "Russian Federation", "FM", "who is", "and", ",", "department director",
             "international", "member", "Presidium", "Supreme Leader", "of the DPRK", "ambassador",
             "to", "Trade, Economy, Science and Technology", "defence minister", "U.S.", "."]
title_texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
countries = st.sampled_from([None, "PRK", "RUS", "CHN", "KOR", "USA"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title_texts, countries)
def test_normalising_twice_changes_nothing(title, country):
    once = normalize_title(title, country)
    assert all(role and role == role.strip() for role in once)
    assert len(once) == len(set(once))
    for role in once:
        assert normalize_title(role, country) == [role]


# --- a store of real articles, per backend -----------------------------------------------------

def _fill(url: str, folder) -> None:
    unknown = folder / "unknown.txt"
    unknown.write_text(UNKNOWN, encoding="utf-8")
    paths = [str(GOLD / name) for name in ARTICLES] + [str(unknown)]
    report = IngestReport()
    with open_store(url) as store:
        ingest(iter_raw_documents(paths, on_error=lambda e: report.errors.append(str(e))), store, report)
    assert report.stored == len(paths) and not report.errors, report.errors


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def filled_url(request, tmp_path_factory):
    """The URL of a store holding ARTICLES and UNKNOWN: a SQLite file, or a database of its own
    on the test PostgreSQL server, dropped afterwards."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = str(folder / "readout.db")
        _fill(url, folder)
        yield url
        return
    server = os.environ.get("READOUT_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("READOUT_TEST_POSTGRES_URL is not set (scripts/postgres.sh start; export it)")
    name = f"readout_person_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        _fill(url, folder)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(filled_url):
    with open_store(filled_url) as opened:
        yield opened


def test_title_history_of_choe_son_hui(store):
    history = {h["title"]: h for h in title_history(store, "choe-son-hui")}
    assert list(history) == ["First Vice-Minister of Foreign Affairs", "Minister of Foreign Affairs"]
    vice, minister = history.values()
    assert (vice["first_seen"], vice["last_seen"]) == ("2019-11-23", "2019-11-23")
    assert vice["raw"] == ["first vice minister of Foreign Affairs of the Democratic People's "
                           "Republic of Korea (DPRK)"]
    assert minister["first_seen"] == "2024-06-20" and minister["last_seen"] == "2025-05-03"
    assert len(minister["documents"]) == 3          # two outlets of the talks, and UNKNOWN's
    assert set(minister["raw"]) == {"foreign minister of the DPRK", "minister of Foreign Affairs of the DPRK"}
    # every document listed names her with one of the raw forms
    for document_id in vice["documents"] + minister["documents"]:
        named = [p for p in store.get_document(document_id)["people"] if p["entity_id"] == "choe-son-hui"]
        assert set(named[0]["titles"]) & set(vice["raw"] + minister["raw"])


def test_one_person_two_spellings_of_one_title(store):
    history = {h["title"]: h for h in title_history(store, "pak-jong-chon")}
    secretary = history["Secretary of the WPK Central Committee"]
    assert len(secretary["documents"]) == 3
    assert any("C.C., WPK" in raw for raw in secretary["raw"])
    assert any("WPK Central Committee" in raw for raw in secretary["raw"])
    assert secretary["first_seen"] == "2024-05-15"


def test_title_change_of_choe_son_hui_is_listed(store):
    changes = [c for c in title_changes(store) if c["entity_id"] == "choe-son-hui"]
    assert len(changes) == 1                         # 2024 and 2025 give the same post
    [change] = changes
    assert change["before"] == ["First Vice-Minister of Foreign Affairs"]
    assert change["after"] == ["Minister of Foreign Affairs"]
    assert (change["date"], change["previous_date"]) == ("2024-06-20", "2019-11-23")
    assert change["name"] == "Choe Son Hui" and change["country"] == "PRK"
    assert store.get_document(change["document_id"])["published"] == "2024-06-20"
    assert change["lost"] == change["before"] and change["gained"] == change["after"]


def test_title_changes_since(store):
    everyone = title_changes(store)
    dates = [c["date"] for c in everyone]
    assert dates == sorted(dates)
    assert "choe-son-hui" in {c["entity_id"] for c in title_changes(store, since="2024-06-20")}
    later = title_changes(store, since=date(2024, 6, 21))
    assert "choe-son-hui" not in {c["entity_id"] for c in later}
    assert all(c["date"] >= "2024-06-21" for c in later)
    with pytest.raises(StoreError, match="since"):
        title_changes(store, since="June 2024")


def test_a_change_is_counted_per_day_and_ignores_epithets(store_url):
    with open_store(store_url) as empty:
        empty.add_records([
            appearance("2020-01-10", "first vice minister of Foreign Affairs"),
            appearance("2020-03-01", "minister of Foreign Affairs"),   # two outlets, one day
            appearance("2020-03-01", "foreign minister and member of the State Affairs Commission"),
            appearance("2020-04-01", "Foreign Minister, member of the SAC"),  # as that day
            appearance("2020-05-01", "Supreme Leader"),                  # an epithet, no post
            appearance(None, "premier of the Cabinet"),                  # undated: not in order
        ])
        [change] = title_changes(empty)
        documents = {d["published"]: d["id"] for d in empty.list_documents()[::-1]}
    assert change["date"] == "2020-03-01" and change["previous_date"] == "2020-01-10"
    assert change["after"] == ["Member of the State Affairs Commission", "Minister of Foreign Affairs"]
    assert change["before"] == change["lost"] == ["First Vice-Minister of Foreign Affairs"]
    assert len(change["documents"]) == 2 and change["document_id"] == change["documents"][0]
    assert change["previous_document_id"] == documents["2020-01-10"]


@pytest.mark.parametrize("spelling", CHOE_SPELLINGS)
def test_profile_found_by_any_spelling(store, spelling):
    profile = person_profile(store, spelling)
    assert (profile["entity_id"], profile["name"], profile["country"]) == ("choe-son-hui", "Choe Son Hui", "PRK")
    assert profile["in_kb"] and profile["query"] == spelling
    assert "최선희" in profile["aliases"]["hangul"]
    assert profile["aliases"]["as written"] == ["Choe Son Hui"]
    assert [h["title"] for h in profile["titles"]][0] == "First Vice-Minister of Foreign Affairs"
    assert [a["published"] for a in profile["appearances"]] == ["2019-11-23", "2024-06-20", "2024-11-28", "2025-05-03"]


def test_co_attendees_count_an_event_told_twice_once(store):
    found = {p["entity_id"]: p for p in co_attendees(store, "choe-son-hui")}
    # the 2024 talks, told by KCNA and by Rodong Sinmun: one event, two documents
    assert (found["kim-tok-hun"]["events"], found["kim-tok-hun"]["documents"]) == (1, 2)
    assert found["kim-tok-hun"]["last_together"] == "2024-06-19"
    assert found["igor-morgulov"]["country"] == "RUS" and found["igor-morgulov"]["documents"] == 1
    assert "choe-son-hui" not in found
    events = [p["events"] for p in found.values()]
    assert events == sorted(events, reverse=True)
    assert len(co_attendees(store, "choe-son-hui", limit=3)) == 3


def test_profile_of_a_person_only_the_store_knows(store):
    profile = person_profile(store, "Zorbo Quaxley")
    assert profile["entity_id"] == "x-zorbo-quaxley" and not profile["in_kb"]
    assert profile["titles"][0]["title"] == "Minister of Trade of the Republic of Atlantis"
    assert profile["titles"][0]["first_seen"] == "2025-05-03"
    assert person_profile(store, "x-zorbo-quaxley")["entity_id"] == "x-zorbo-quaxley"
    assert [p["entity_id"] for p in profile["co_attendees"]] == ["choe-son-hui"]


def test_unknown_name_is_an_error(store):
    with pytest.raises(PersonNotFound, match="^no person matches Nobody Atall") as error:
        person_profile(store, "Nobody Atall")
    assert isinstance(error.value, ReadoutError)


# --- the command line ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    _fill(str(folder / "readout.db"), folder)
    return folder / "readout.db"


def test_cli_person_table(run_readout, sqlite_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")   # rich wraps at the terminal width; keep titles whole
    result = run_readout("person", "최선희", "--db", sqlite_db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ("Choe Son Hui", "choe-son-hui", "hangul", "최선희", "Titles over time",
                     "First Vice-Minister of Foreign Affairs", "2019-11-23", "Last appearances",
                     "Co-attendees", "Igor Morgulov", "Kim Tok Hun"):
        assert expected in out, expected
    # titles over time, the first table with dates, are listed oldest first
    assert out.index("2019-11-23") < out.index("2024-06-20")


def test_cli_person_json(run_readout, sqlite_db):
    result = run_readout("person", "Choe Sun Hee", "--country", "PRK", "--db", sqlite_db, "--format", "json")
    assert result.returncode == 0, result.stderr
    profile = json.loads(result.stdout)
    assert profile["entity_id"] == "choe-son-hui" and profile["resolved_by"] == "loose:korean"
    assert [h["title"] for h in profile["titles"]] == ["First Vice-Minister of Foreign Affairs",
                                                       "Minister of Foreign Affairs"]


def test_cli_titles_changes(run_readout, sqlite_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = run_readout("titles", "--changes", "--since", "2024-01-01", "--db", sqlite_db)
    assert result.returncode == 0, result.stderr
    [choe] = [line for line in result.stdout.splitlines() if "Choe Son Hui" in line]
    assert re.search(r"2024-06-20 +Choe Son Hui +PRK +First Vice-Minister of Foreign Affairs +"
                     r"Minister of Foreign Affairs +2019-11-23", choe), choe
    assert "2018-" not in result.stdout               # changes before --since are left out


def test_cli_titles_normalise(run_readout):
    result = run_readout("titles", "secretary of the C.C., WPK", "FM", "--country", "PRK")
    assert result.returncode == 0, result.stderr
    assert "-> Secretary of the WPK Central Committee" in result.stdout
    assert "-> Minister of Foreign Affairs" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["person", "Nobody Atall"], r"error: no person matches Nobody Atall"),
    (["titles", "--changes", "--since", "last week"], r"error: since 'last week' is not an ISO date"),
    (["titles"], r"error: give --changes"),
])
def test_cli_errors_are_one_line(run_readout, sqlite_db, args, message):
    result = run_readout(*args, "--db", sqlite_db) if args[0] != "titles" or "--changes" in args \
        else run_readout(*args)
    assert result.returncode == 1
    assert re.match(message, result.stderr) and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_co_attendees_of_a_window_holding_every_document_are_the_whole_history(store):
    # two statements (by the person's index, and by the window's documents): one answer
    everything = sorted({a["document_id"] for a in store.person_timeline("choe-son-hui", limit=None)})
    assert co_attendees(store, "choe-son-hui", within=everything) == co_attendees(store, "choe-son-hui")
    assert co_attendees(store, "choe-son-hui", within=everything[:1]) != co_attendees(store, "choe-son-hui")
