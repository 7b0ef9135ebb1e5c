"""Tests of the resolve stage: name variants, the shipped KB, fuzzy matching, the user KB.

Matching behaviour is tested on a small fixture world of its own (`_world`), so that growing
the shipped KB cannot change what these expectations mean; the shipped KB is tested for its
schema, duplicates and conflicts, and against tests/fixtures/name_variants.csv.
"""
from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from readout.errors import KnowledgeBaseError
from readout.resolve import Person, Resolver, fold, new_entity_id
from readout.resolve.kb import SYSTEMS, shipped_people
from readout.resolve.kb_import import export_rows, import_file, read_people_file, write_rows
from readout.resolve.rules import name_rules
from readout.resolve.variants import expand, hangul_variants, transliterate

FIXTURES = Path(__file__).parent / "fixtures"
VARIANTS = FIXTURES / "name_variants.csv"
HEADER = "entity_id,name,country,alias,system,title\n"


@pytest.fixture(scope="module")
def shipped() -> Resolver:
    return Resolver(shipped_people())


def _world(*people: Person) -> Resolver:
    return Resolver(people)


WORLD = (
    Person("denis-manturov", "Denis Manturov", "RUS"),
    Person("alexander-novak", "Alexander Novak", "RUS"),
    Person("andrei-belousov", "Andrei Belousov", "RUS"),
    Person("vyacheslav-volodin", "Vyacheslav Volodin", "RUS"),
    Person("vladimir-putin", "Vladimir Putin", "RUS"),
    Person("kim-jong-un", "Kim Jong Un", "PRK", (("hangul", "김정은"),)),
    Person("kim-yo-jong", "Kim Yo Jong", "PRK", (("hangul", "김여정"),)),
    Person("kim-jong-il", "Kim Jong Il", "PRK", (("hangul", "김정일"),)),
    Person("li-qiang", "Li Qiang", "CHN"),
    Person("li-keqiang", "Li Keqiang", "CHN"),
    Person("mahmoud-al-aloul", "Mahmoud al-Aloul", "PSE"),
    Person("miguel-diaz-canel", "Miguel Díaz-Canel", "CUB"),
)


# --- normalisation and variants -----------------------------------------------------------

def test_fold_ignores_case_diacritics_apostrophes_hyphens_and_spaces():
    assert fold("Ch'oe Sŏn-hŭi") == "choe son hui"
    assert fold("  CHOE   Son-Hui ") == "choe son hui"
    assert fold("Miguel Díaz-Canel") == fold("miguel diaz canel")
    assert fold("김정은") == fold("김 정은")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_folding_twice_changes_nothing(text):
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize("hangul, system, expected", [
    ("김정은", "kcna", "Kim Jong Un"),
    ("최선희", "kcna", "Choe Son Hui"),
    ("리선권", "kcna", "Ri Son Gwon"),
    ("박태성", "kcna", "Pak Thae Song"),
    ("김덕훈", "kcna", "Kim Tok Hun"),
    ("리설주", "kcna", "Ri Sol Ju"),
    ("최선희", "mr", "Ch'oe Sŏn-hŭi"),
    ("김정은", "mr", "Kim Chŏng-ŭn"),
    ("최선희", "mr_ascii", "Choe Son-hui"),
    ("최선희", "rr", "Choe Seon-hui"),
    ("김정은", "rr", "Gim Jeong-eun"),
])
def test_hangul_variants(hangul, system, expected):
    assert (system, expected) in hangul_variants(hangul, name_rules().hangul)


def test_surname_conventions_come_from_data():
    spellings = {text for _, text in hangul_variants("문재인", name_rules().hangul)}
    assert {"Mun Jae In", "Moon Jae-in"} <= spellings
    spellings = {text for _, text in hangul_variants("박근혜", name_rules().hangul)}
    assert "Park Geun-hye" in spellings


@pytest.mark.parametrize("system, expected", [
    ("bgn", "Sergey Viktorovich Lavrov"),
    ("passport", "Sergei Viktorovich Lavrov"),
    ("scientific", "Sergej Viktorovič Lavrov"),
])
def test_cyrillic_transliteration(system, expected):
    assert transliterate("Сергей Викторович Лавров", system, name_rules().cyrillic) == expected


def test_russian_given_name_spellings_and_patronymic_free_forms_are_generated():
    spellings = {fold(t) for _, t in expand(
        "Alexander Novak", "RUS", [("cyrillic", "Александр Валентинович Новак")], name_rules())}
    assert {"aleksandr novak", "alexandr novak", "aleksandr valentinovich novak"} <= spellings


# --- the resolver on its fixture world ----------------------------------------------------

@pytest.mark.parametrize("mention, expected", [
    ("Denis Mantrov", "denis-manturov"),
    ("Alexandr Nobak", "alexander-novak"),
    ("Andrei Beloussov", "andrei-belousov"),
    ("Byacheslav Wolodin", "vyacheslav-volodin"),
])
def test_kcna_misspellings_of_russian_names_resolve_by_fuzzy_matching(mention, expected):
    found = _world(*WORLD).resolve(mention, country="RUS")
    assert (found.entity_id, found.is_known) == (expected, True)
    assert found.reason.startswith("fuzzy"), found.reason
    assert 0.86 <= found.score < 1.0


def test_patronymic_is_optional():
    found = _world(*WORLD).resolve("Vladimir Vladimirovich Putin")
    assert (found.name, found.reason, found.score) == ("Vladimir Putin", "patronymic dropped", 0.98)


def test_initials_and_middle_names():
    world = _world(*WORLD)
    assert world.resolve("Mahmoud O.R. Al Aloul").entity_id == "mahmoud-al-aloul"
    assert world.resolve("Miguel Mario Diaz-Canel Bermudez").entity_id == "miguel-diaz-canel"


def test_exact_hits_report_the_system_of_the_spelling():
    world = _world(*WORLD)
    assert world.resolve("Kim Jong Un").reason == "exact"
    assert world.resolve("Kim Chŏng-ŭn").reason == "variant:mr"
    assert world.resolve("김정은").reason == "alias:hangul"


@pytest.mark.parametrize("missing, mention", [
    ("kim-yo-jong", "Kim Yo Jong"),
    ("kim-jong-il", "Kim Jong Il"),
    ("kim-jong-un", "Kim Jong Un"),
    ("li-qiang", "Li Qiang"),
    ("li-keqiang", "Li Keqiang"),
])
def test_a_shared_surname_is_not_enough(missing, mention):
    world = _world(*[p for p in WORLD if p.entity_id != missing])
    found = world.resolve(mention)
    assert not found.is_known, f"{mention} resolved to {found.entity_id} ({found.reason})"


def test_unknown_names_get_a_deterministic_id():
    first = _world(*WORLD).resolve("Kim Tok Chol", country="PRK")
    again = _world(*WORLD[:3]).resolve("KIM TOK-CHOL")
    assert first.entity_id == again.entity_id == "x-kim-tok-chol" == new_entity_id("Kim Tok Chol")
    assert (first.is_known, first.reason, first.score) == (False, "new entity", 0.0)
    assert again.name == "Kim Tok-Chol"
    assert first.as_dict()["name"] is None
    assert _world(*WORLD).resolve("Comrade Kim Tok Chol").entity_id == "x-kim-tok-chol"


@pytest.mark.parametrize("mention, country", [("Kim Tok Chol", "PRK"), ("Kim Tok Chol", None),
                                               ("Ivan Petrovich Sidorov", "RUS"),
                                               ("Ri Yong Ho", None), ("Sergei Lavrov", "PRK")])
def test_a_person_met_again_with_another_title_resolves_as_if_met_first(shipped, mention, country):
    """The resolver remembers an unknown (mention, country) without its title: the title
    only ranks candidates, so a fresh resolver must find the same with every title."""
    titles = [None, "foreign minister", "chief of the General Staff of the KPA", "ambassador"]
    warm = [shipped.resolve(mention, country, title) for title in titles]
    for title, found in zip(titles, warm):
        fresh = Resolver(shipped.people)
        assert fresh.resolve(mention, country, title) == found


def test_country_and_title_break_ties_between_namesakes(shipped):
    assert shipped.resolve("Ri Yong Ho", title="foreign minister").entity_id == "ri-yong-ho"
    general = shipped.resolve("Ri Yong Ho", title="chief of the General Staff of the KPA")
    assert general.entity_id == "ri-yong-ho-kpa"


def test_another_country_lowers_the_score(shipped):
    found = shipped.resolve("Sergei Lavrov", country="PRK")
    assert found.entity_id == "sergei-lavrov" and found.score < 1.0


# --- the shipped KB -----------------------------------------------------------------------

def test_variant_table_accuracy(shipped):
    rows = list(csv.DictReader(VARIANTS.open(encoding="utf-8")))
    assert len(rows) >= 200
    failures = []
    for row in rows:
        found = shipped.resolve(row["variant"], country=row["country"] or None)
        got = found.entity_id if found.is_known else "NEW"
        if got != row["expected"]:
            failures.append(f"{row['variant']!r} ({row['kind']}): {got} by {found.reason}, "
                            f"expected {row['expected']}")
    accuracy = 1 - len(failures) / len(rows)
    print(f"\nname variant table: {len(rows)} pairs, accuracy {accuracy:.3f}")
    assert accuracy >= 0.98, "\n".join(failures)


def test_every_expected_entity_of_the_table_exists(shipped):
    rows = csv.DictReader(VARIANTS.open(encoding="utf-8"))
    missing = {r["expected"] for r in rows if r["expected"] != "NEW"} - \
        {p.entity_id for p in shipped.people}
    assert not missing


def test_people_sharing_a_surname_stay_distinct(shipped):
    """Each person resolves to themself, and with them left out of the KB, to no one else
    who shares their surname (leave-one-out over every shared surname)."""
    rules, groups = name_rules(), defaultdict(list)
    for person in shipped.people:
        words = fold(person.name).split()
        groups[(words[0] if person.country in rules.surname_first else words[-1])].append(person)
    shared = [group for group in groups.values() if len(group) > 1]
    merged = []
    for group in shared:
        for person in group:
            # Declared namesakes share a spelling: their title tells them apart.
            title = person.titles[0].title if person.namesakes and person.titles else None
            found = shipped.resolve(person.name, person.country, title)
            if found.entity_id != person.entity_id:
                merged.append(f"{person.name} -> {found.entity_id} ({found.reason})")
            others = Resolver([p for p in shipped.people if p is not person])
            found = others.resolve(person.name, person.country)
            rivals = {p.entity_id for p in group} - set(person.namesakes)
            if found.is_known and found.entity_id in rivals:
                merged.append(f"{person.name} (left out) -> {found.entity_id} ({found.reason})")
    print(f"\nsurnames shared: {len(shared)} groups, {sum(map(len, shared))} people")
    assert not merged, "\n".join(merged)


def test_shipped_kb_has_unique_ids_and_known_systems():
    people = shipped_people()
    ids = [p.entity_id for p in people]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    for person in people:
        assert person.name and person.country and len(person.country) == 3, person
        assert {system for system, _ in person.aliases} <= SYSTEMS, person
        assert set(person.namesakes) <= set(ids), person


def test_gold_people_are_in_the_shipped_kb(shipped):
    gold_files = sorted((Path(__file__).parent / "fixtures" / "gold").glob("*.gold.json"))
    assert gold_files
    missing = []
    for path in gold_files:
        for person in json.loads(path.read_text(encoding="utf-8")).get("people", []):
            found = shipped.resolve(person["mention"], person.get("country"))
            if not found.is_known or fold(found.name) not in {fold(c) for c in person["canonical"]}:
                missing.append(f"{path.name}: {person['mention']} -> {found.name}")
    assert not missing, "\n".join(missing)


def test_no_alias_names_two_people_of_one_country():
    people, rules = shipped_people(), name_rules()
    owners: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for person in people:
        for _, text in expand(person.name, person.country, list(person.aliases), rules):
            owners[(fold(text), person.country)].add(person.entity_id)
    declared = {p.entity_id: set(p.namesakes) for p in people}
    conflicts = [f"{key!r} ({country}): {sorted(ids)}" for (key, country), ids in owners.items()
                 if len(ids) > 1 and not all(ids - {i} <= declared[i] for i in ids)]
    assert not conflicts, "alias conflicts:\n" + "\n".join(conflicts)


def test_resolution_speed(shipped):
    """Prints the time per mention (not asserted: machines differ)."""
    hits = ["Kim Jong Un", "Choe Son Hui", "Sergei Lavrov", "Moon Jae In", "Xi Jinping",
            "Vladimir Vladimirovich Putin", "Denis Mantrov", "Kim Tok Hun"]
    misses = ["Kim Tok Chol", "Pak Yong Il", "Ri Chang Ho", "Ivan Petrov", "Jon Hyon Chol",
              "Sergej Lavrof", "Choe Sun Hui", "Mike Pence"]

    def per_mention(names, rounds, cold=True):
        start = time.perf_counter()
        for _ in range(rounds):
            if cold:
                shipped.clear_cache()   # each round a first sighting
            for name in names:
                shipped.resolve(name)
        return (time.perf_counter() - start) / (rounds * len(names)) * 1e6

    hit, miss = per_mention(hits, 200), per_mention(misses, 30)
    cached = per_mention(hits + misses, 200, cold=False)
    start = time.perf_counter()
    Resolver(shipped_people())
    build = time.perf_counter() - start
    print(f"\nresolve: exact hit {hit:.1f} µs, miss (fuzzy search) {miss:.0f} µs, "
          f"cached {cached:.2f} µs per mention; index built in {build * 1000:.0f} ms")


# --- the user KB: import, export ----------------------------------------------------------

def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _refused(path: Path, home: Path) -> list[tuple[int, str]]:
    with pytest.raises(KnowledgeBaseError) as caught:
        import_file(path, home)
    assert not (home / "kb_user.yaml").exists(), "nothing may be written on error"
    return caught.value.problems


def test_import_refuses_wrong_columns(tmp_path):
    path = _write(tmp_path, "people.csv", "id,name,nation\nkim,Kim,PRK\n")
    [(line, reason)] = _refused(path, tmp_path / "home")
    assert line == 1 and "unknown column" in reason and "entity_id" in reason


def test_import_refuses_conflicting_names_for_one_id(tmp_path):
    path = _write(tmp_path, "people.csv", HEADER + "kim-tok-chol,Kim Tok Chol,PRK,,,\n"
                  "kim-tok-chol,Kim Tok Chol,PRK,Kim Tok-chol,kcna,\n"
                  "kim-tok-chol,Kim Tok Cho,PRK,,,\n")
    [(line, reason)] = _refused(path, tmp_path / "home")
    assert line == 4 and "named 'Kim Tok Chol' on line 2" in reason


def test_import_refuses_bad_encoding(tmp_path):
    path = _write(tmp_path, "people.csv", HEADER.encode() + b"a-b,A B,PRK,,,\nc-d,\xc7a,PRK,,,\n")
    [(line, reason)] = _refused(path, tmp_path / "home")
    assert line == 3 and "UTF-8" in reason


def test_import_reports_every_bad_line_and_loads_nothing(tmp_path):
    home = tmp_path / "home"
    import_file(_write(tmp_path, "first.csv", HEADER + "a-b,A B,PRK,,,\n"), home)
    before = (home / "kb_user.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, "people.csv", HEADER + "good-one,Good One,RUS,,,\n"
                  "empty-name,,PRK,,,\n"
                  "Bad Id,Someone,PRK,,,\n"
                  "x-reserved,Someone,PRK,,,\n"
                  "c-d,C D,Korea,C.D.,klingon,\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        import_file(path, home)
    lines = [line for line, _ in caught.value.problems]
    assert lines == [3, 4, 5, 6, 6]
    assert "empty name" in caught.value.problems[0][1]
    assert str(caught.value).startswith(f"{path}:3: empty name")
    assert (home / "kb_user.yaml").read_text(encoding="utf-8") == before


def test_import_json_names_the_line(tmp_path):
    path = _write(tmp_path, "people.json", '[\n {"entity_id": "a-b", "name": "A B"},\n'
                  ' {"entity_id": "a-b", "name": ""}\n]\n')
    [(line, reason)] = _refused(path, tmp_path / "home")
    assert (line, reason) == (3, "empty name")


def test_user_kb_survives_and_wins_over_shipped_spellings(tmp_path, monkeypatch):
    monkeypatch.setenv("READOUT_HOME", str(tmp_path / "home"))
    assert Resolver.default().resolve("Kim Tok Chol").is_known is False
    path = _write(tmp_path, "people.csv", HEADER +
                  "kim-tok-chol,Kim Tok Chol,PRK,,,vice-minister of Foreign Affairs\n"
                  "lavrov-impostor,Sergei Lavrov Jr,RUS,Sergei Lavrov,other,\n")
    summary = import_file(path)
    assert summary.people == 2 and summary.path == tmp_path / "home" / "kb_user.yaml"
    resolver = Resolver.default()
    assert resolver.resolve("Kim Tok Chol").entity_id == "kim-tok-chol"
    assert resolver.resolve("Sergei Lavrov").entity_id == "lavrov-impostor"
    assert resolver.resolve("Kim Jong Un").entity_id == "kim-jong-un"


def test_export_imports_again(tmp_path):
    rows = export_rows(list(shipped_people()))
    path = tmp_path / "kb.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_rows(rows, out, "csv")
    again = read_people_file(path)
    assert [p.entity_id for p in again] == [p.entity_id for p in shipped_people()]
    path = tmp_path / "kb.json"
    with path.open("w", encoding="utf-8") as out:
        write_rows(rows, out, "json")
    assert len(read_people_file(path)) == len(again)


# --- command line -------------------------------------------------------------------------

@pytest.fixture
def cli(tmp_path, monkeypatch):
    from readout.cli import _register_commands, app

    monkeypatch.setenv("READOUT_HOME", str(tmp_path / "home"))
    _register_commands()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_resolve_prints_one_json_object_per_name(cli):
    result = cli("resolve", "Denis Mantrov", "Kim Tok Chol", "--country", "RUS")
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["name"] == "Denis Manturov" and first["entity_id"] == "denis-manturov"
    assert second["name"] is None and second["entity_id"] == "x-kim-tok-chol"
    assert {"query", "name", "entity_id", "score", "reason"} <= set(first)


def test_cli_kb_import_names_the_line_and_fails(cli, tmp_path):
    path = _write(tmp_path, "people.csv", HEADER + "a-b,,PRK,,,\n")
    result = cli("kb", "import", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: empty name" in result.output
    assert not (tmp_path / "home" / "kb_user.yaml").exists()


def test_cli_kb_export(cli, tmp_path):
    import_result = cli("kb", "import", str(_write(tmp_path, "p.csv", HEADER + "a-b,A B,PRK,,,\n")))
    assert import_result.exit_code == 0, import_result.output
    result = cli("kb", "export", "--format", "json")
    rows = json.loads(result.stdout)
    assert rows[0]["entity_id"] == "a-b"
    assert any(r["entity_id"] == "kim-jong-un" for r in rows)


def test_a_broken_user_kb_is_reported_not_half_read(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "kb_user.yaml").write_text("- id: a-b\n  name: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("READOUT_HOME", str(home))
    with pytest.raises(KnowledgeBaseError) as caught:
        Resolver.default()
    assert caught.value.path.endswith("kb_user.yaml") and caught.value.problems[0][0] >= 1


def test_korean_given_names_differing_by_a_syllable_are_different_people():
    from readout.resolve import Resolver
    resolved = Resolver.default().resolve("Kim Yong Sun", "PRK")
    assert resolved.entity_id != "kim-yong-su" and not resolved.is_known
