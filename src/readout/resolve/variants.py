"""Spelling variants of a person's name, generated from the data tables.

A KB entry lists a few aliases (its Hangul, its Cyrillic, odd spellings seen in print); the
romanizations that follow from them by rule are generated here rather than typed in:

1. Hangul -> KCNA/DPRK style ("Choe Son Hui"), McCune-Reischauer with and without
   diacritics ("Ch'oe Sŏn-hŭi", "Choe Son-hui") and Revised Romanization
   ("Choe Seon-hui"), with the surname spellings people actually use (Lee, Park, Choi).
2. Cyrillic -> BGN/PCGN, passport (ICAO), scientific and newspaper forms.
3. Latin -> the other spellings of a Russian given name (Aleksandr/Alexander),
   Arabic names without their article ("Bashar Assad"), Spanish names without the
   maternal surname ("Bruno Rodríguez"), reversed name order for Japanese.
"""
from __future__ import annotations

from functools import lru_cache

from anyascii import anyascii
from korean_romanizer.romanizer import Romanizer

from readout.resolve.normalize import fold
from readout.resolve.rules import CyrillicTables, HangulTables, NameRules

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


def is_hangul(text: str) -> bool:
    return any(_HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST for ch in text)


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


# --- Hangul -------------------------------------------------------------------------------

def _jamo(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - _HANGUL_FIRST
    return code // 588, (code % 588) // 28, code % 28


def split_korean_name(hangul: str, tables: HangulTables) -> tuple[str, str]:
    """Surname and given name of a Hangul name (a space, if any, marks the split)."""
    text = hangul.strip()
    if " " in text:
        surname, given = text.split(" ", 1)
        return surname, given.replace(" ", "")
    cut = 2 if text[:2] in tables.surnames and len(text) > 3 else 1
    return text[:cut], text[cut:]


def _voiced(previous_final: str, initial_jamo: str, system: str, tables: HangulTables) -> bool:
    rule = tables.voicing[system]
    if previous_final not in rule["after"]:
        return False
    return not (previous_final == "l" and initial_jamo in rule["not_after_l"])


def romanize_syllables(given: str, system: str, tables: HangulTables,
                       voicing: bool = True) -> list[str]:
    """Each syllable of a given name in `system` (kcna or mr), lower case."""
    out, previous_final = [], None
    for syllable in given:
        if not _HANGUL_FIRST <= ord(syllable) <= _HANGUL_LAST:
            continue
        i, m, f = _jamo(syllable)
        initial, medial, final = tables.initials[i], tables.medials[m], tables.finals[f]
        onset = initial[system]
        if voicing and previous_final is not None and initial[f"{system}_voiced"] \
                and _voiced(previous_final, initial["jamo"], system, tables):
            onset = initial[f"{system}_voiced"]
        if system == "mr" and initial["jamo"] == "ㅅ" and medial["jamo"] in tables.mr_sh_before:
            onset = "sh"
        out.append(onset + medial[system] + final[system])
        previous_final = final[system]
    return out


@lru_cache(maxsize=4096)
def _rr_syllable(syllable: str) -> str:
    return Romanizer(syllable).romanize()


def _surname_forms(surname: str, tables: HangulTables) -> dict:
    known = tables.surnames.get(surname)
    if known:
        return known
    kcna = "".join(romanize_syllables(surname, "kcna", tables, voicing=False)).capitalize()
    mr = "".join(romanize_syllables(surname, "mr", tables, voicing=False)).capitalize()
    rr = "".join(_rr_syllable(s) for s in surname).capitalize()
    return {"kcna": kcna, "mr": mr, "rr": rr, "common": []}


def _hyphenated(syllables: list[str]) -> str:
    return "-".join(syllables).capitalize() if syllables else ""


def hangul_variants(hangul: str, tables: HangulTables) -> list[tuple[str, str]]:
    """(system, spelling) pairs for a Korean name written in Hangul."""
    surname, given = split_korean_name(hangul, tables)
    forms = _surname_forms(surname, tables)
    kcna = romanize_syllables(given, "kcna", tables)
    kcna_plain = romanize_syllables(given, "kcna", tables, voicing=False)
    mr = romanize_syllables(given, "mr", tables)
    rr = [_rr_syllable(s) for s in given]
    out = [
        ("kcna", f"{forms['kcna']} {' '.join(s.capitalize() for s in kcna)}"),
        ("kcna", f"{forms['kcna']} {_hyphenated(kcna)}"),
        ("kcna", f"{forms['kcna']} {' '.join(s.capitalize() for s in kcna_plain)}"),
        ("mr", f"{forms['mr']} {_hyphenated(mr)}"),
        ("mr_ascii", f"{fold(forms['mr']).capitalize()} {fold(_hyphenated(mr)).replace(' ', '-').capitalize()}"),
        ("rr", f"{forms['rr']} {_hyphenated(rr)}"),
    ]
    for common in forms.get("common", []):
        out += [("other", f"{common} {_hyphenated(rr)}"),
                ("other", f"{common} {' '.join(s.capitalize() for s in kcna)}")]
    return [(system, text.strip()) for system, text in out]


# --- Cyrillic -----------------------------------------------------------------------------

def transliterate(text: str, system: str, tables: CyrillicTables) -> str:
    """Cyrillic text in Latin letters by one of the systems of kb_cyrillic.yaml."""
    table = tables.systems[system]
    return " ".join(_transliterate_word(word, table, tables.vowels) for word in text.split())


def _transliterate_word(word: str, table: dict, vowels: frozenset[str]) -> str:
    lower = word.lower()
    ending = ""
    for cyr, latin in table["endings"].items():
        if lower.endswith(cyr) and len(lower) > len(cyr):
            lower, ending = lower[: -len(cyr)], latin
            break
    out, previous = [], None
    for ch in lower:
        at_ye_position = previous is None or previous in vowels
        form = table["ye_form"].get(ch) if at_ye_position else None
        out.append(form if form is not None else table["letters"].get(ch, anyascii(ch)))
        previous = ch
    latin = "".join(out) + ending
    return latin[:1].upper() + latin[1:] if word[:1].isupper() else latin


def cyrillic_variants(text: str, tables: CyrillicTables) -> list[tuple[str, str]]:
    """(system, spelling) pairs for a name written in Cyrillic."""
    out = [(system, transliterate(text, system, tables)) for system in tables.systems]
    out.append(("other", anyascii(text)))
    # KB entries give the full form with patronymic; the press mostly drops it.
    return out + [(system, _first_and_last(latin)) for system, latin in out
                  if latin.count(" ") == 2]


def _first_and_last(text: str) -> str:
    words = text.split(" ")
    return f"{words[0]} {words[-1]}"


# --- Latin --------------------------------------------------------------------------------

def given_name_variants(text: str, tables: CyrillicTables) -> list[str]:
    """The same name with the other press spellings of its (Russian) first name."""
    words = text.split(" ")
    group = tables.given_names.get(fold(words[0]))
    if not group or len(words) < 2:
        return []
    return [" ".join([spelling] + words[1:]) for spelling in group if spelling != words[0]]


def without_particles(text: str, particles: frozenset[str]) -> str | None:
    """"Bashar al-Assad" -> "Bashar Assad"; None when the name has no article."""
    words = fold(text).split(" ")
    kept = [w for w in words if w not in particles]
    if len(kept) == len(words) or len(kept) < 2:
        return None
    return " ".join(kept)


def reversed_order(text: str) -> str | None:
    """"Shinzo Abe" -> "Abe Shinzo" (two-word names only: longer ones are ambiguous)."""
    words = text.split(" ")
    return f"{words[1]} {words[0]}" if len(words) == 2 else None


def expand(name: str, country: str | None, aliases: list[tuple[str, str]],
           rules: NameRules) -> list[tuple[str, str]]:
    """All spellings of one person: the canonical name, the listed aliases and what the
    rules derive from them, tagged by system, without two spellings sharing a key."""
    base = [("canonical", name)] + list(aliases)
    derived: list[tuple[str, str]] = []
    for system, text in base:
        if system == "hangul" or is_hangul(text):
            derived += hangul_variants(text, rules.hangul)
        elif system == "cyrillic" or is_cyrillic(text):
            derived += cyrillic_variants(text, rules.cyrillic)
    slavic = country in rules.patronymic_countries or any(s == "cyrillic" for s, _ in aliases)
    latin = [(s, t) for s, t in base + derived if s not in ("hangul", "cyrillic", "hanzi")]
    for system, text in latin:
        derived += _latin_derived(text, country, slavic, rules)
    return _unique(base + derived)


def _latin_derived(text: str, country: str | None, slavic: bool,
                   rules: NameRules) -> list[tuple[str, str]]:
    out = []
    if slavic:
        out += [("other", t) for t in given_name_variants(text, rules.cyrillic)]
    short = without_particles(text, rules.particles)
    if short:
        out.append(("other", short))
    if country in rules.two_surnames and text.count(" ") >= 2:
        out.append(("other", text.rsplit(" ", 1)[0]))
    if country in rules.order_reversible:
        flipped = reversed_order(text)
        if flipped:
            out.append(("other", flipped))
    return out


def _unique(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, out = set(), []
    for system, text in pairs:
        key = fold(text)
        if key and key not in seen:
            seen.add(key)
            out.append((system, text))
    return out


def korean_loose(key: str, folds: tuple[tuple[str, str], ...]) -> str:
    """A folded key with the differences between Korean romanizations flattened
    ("jang sung taek" and "jang song thaek" both become "jank sonk taek")."""
    for old, new in folds:
        key = key.replace(old, new)
    return key
