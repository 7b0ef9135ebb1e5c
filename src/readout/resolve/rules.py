"""The name rules shipped as data (kb_*.yaml), loaded once into plain tables."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from readout.resolve.normalize import fold

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_data(name: str):
    """Parse one YAML file shipped in readout/data."""
    text = resources.files("readout.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)


@dataclass(frozen=True)
class HangulTables:
    initials: tuple[dict, ...]     # per initial jamo: {kcna, kcna_voiced, mr, mr_voiced, jamo}
    medials: tuple[dict, ...]      # {kcna, mr, jamo}
    finals: tuple[dict, ...]       # {kcna, mr, jamo}
    voicing: dict                  # system -> {after: [...], not_after_l: [...]}
    mr_sh_before: frozenset[str]
    surnames: dict                 # hangul surname -> {kcna, mr, rr, common}


@dataclass(frozen=True)
class CyrillicTables:
    vowels: frozenset[str]
    systems: dict                  # system -> {letters, ye_form, endings}
    given_names: dict              # folded given name -> tuple of equivalent spellings


@dataclass(frozen=True)
class NameRules:
    hangul: HangulTables
    cyrillic: CyrillicTables
    surname_first: frozenset[str]
    strict_given_name: frozenset[str]
    order_reversible: frozenset[str]
    patronymic_countries: frozenset[str]
    patronymic_suffixes: tuple[str, ...]
    particles: frozenset[str]
    honorifics: tuple[str, ...]     # folded, longest first
    phonetic_folds: dict
    fuzzy: dict
    title_stopwords: frozenset[str]
    two_surnames: frozenset[str]
    korean_loose_countries: frozenset[str]
    korean_loose_folds: tuple[tuple[str, str], ...]


@cache
def name_rules() -> NameRules:
    """All shipped name rules; read once per process."""
    general = read_data("kb_names.yaml")
    return NameRules(
        hangul=_hangul_tables(),
        cyrillic=_cyrillic_tables(),
        surname_first=frozenset(general["surname_first"]),
        strict_given_name=frozenset(general["strict_given_name"]),
        order_reversible=frozenset(general["order_reversible"]),
        patronymic_countries=frozenset(general["patronymic_countries"]),
        patronymic_suffixes=tuple(general["patronymic_suffixes"]),
        particles=frozenset(general["particles"]),
        honorifics=tuple(sorted({fold(h) for h in general["honorifics"]}, key=len, reverse=True)),
        phonetic_folds=dict(general["phonetic_folds"]),
        fuzzy=dict(general["fuzzy"]),
        title_stopwords=frozenset(general["title_stopwords"]),
        two_surnames=frozenset(general["two_surnames"]),
        korean_loose_countries=frozenset(general["korean_loose_countries"]),
        korean_loose_folds=tuple(tuple(pair) for pair in general["korean_loose_folds"]),
    )


def _hangul_tables() -> HangulTables:
    data = read_data("kb_hangul.yaml")
    initials = tuple(dict(zip(("jamo", "kcna", "kcna_voiced", "mr", "mr_voiced"), row))
                     for row in data["initials"])
    medials = tuple(dict(zip(("jamo", "kcna", "mr"), row)) for row in data["medials"])
    finals = tuple(dict(zip(("jamo", "kcna", "mr"), row)) for row in data["finals"])
    if (len(initials), len(medials), len(finals)) != (19, 21, 28):
        raise ValueError("kb_hangul.yaml: jamo tables must have 19, 21 and 28 rows")
    return HangulTables(initials, medials, finals, data["voicing"],
                        frozenset(data["mr_sh_before"]), read_data("kb_korean_surnames.yaml"))


def _cyrillic_tables() -> CyrillicTables:
    data = read_data("kb_cyrillic.yaml")
    groups = {}
    for group in data["given_names"]:
        for name in group:
            groups[fold(name)] = tuple(group)
    return CyrillicTables(frozenset(data["vowels"]), data["systems"], groups)
