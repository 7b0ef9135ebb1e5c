"""Resolution of a person mention to an entity of the knowledge base.

`Resolver.resolve` tries, in order, stopping at the first that matches:

1. exact: the folded mention is a spelling of a KB person (canonical name, listed alias or
   a variant generated from its Hangul/Cyrillic) - a dict lookup, the common case;
2. reduced: the mention less a patronymic, an honorific, initials or middle names
   ("Vladimir Vladimirovich Putin", "Mahmoud O.R. Al Aloul") is such a spelling;
3. loose Korean: South Korean press spellings of Korean names ("Jang Sung-taek" for
   Jang Song Thaek) compared with romanization differences flattened;
4. fuzzy: the nearest spellings by edit distance and by a phonetic key, accepted only
   when surname and given name each agree, so that KCNA's "Nobak" finds Novak while
   Kim Yo Jong never becomes Kim Jong Un;
5. surname only: a lone word that is the surname of exactly one KB person;
6. otherwise a new entity, with an id derived from the folded name so that the same
   unknown person gets the same id in every article.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

import jellyfish
from rapidfuzz import fuzz, process

from readout.resolve.kb import (Person, load_user_people, merge_people, shipped_people,
                                user_kb_path)
from readout.resolve.normalize import NEW_ENTITY_PREFIX, display_form, fold, new_entity_id
from readout.resolve.rules import NameRules, name_rules
from readout.resolve.variants import expand, korean_loose

_REDUCED_SCORES = {"patronymic dropped": 0.98, "honorific dropped": 0.97,
                   "initials dropped": 0.95, "middle names dropped": 0.92}
_LOOSE_KOREAN_SCORE = 0.92
# Floor (0-100) of the rough similarity that puts a spelling on the fuzzy shortlist; well
# below the acceptance threshold, since the rough figure weighs the two keys differently.
_SHORTLIST_CUTOFF = 72


@dataclass(frozen=True)
class Resolution:
    """What a mention resolved to. `name` is the KB's canonical name, or the mention in
    display form for a person the KB does not know (then `is_known` is false)."""

    query: str
    name: str
    entity_id: str
    country: str | None
    score: float
    reason: str

    @property
    def is_known(self) -> bool:
        return not self.entity_id.startswith(NEW_ENTITY_PREFIX)

    def as_dict(self) -> dict:
        return {**asdict(self), "name": self.name if self.is_known else None}


class _Candidate(NamedTuple):
    """A person a rule proposes; a named tuple, as a frozen dataclass costs a call of
    object.__setattr__ per field, and a mention is resolved anew for each country and title."""

    person: int
    system: str
    score: float
    reason: str


class Resolver:
    """Resolves mentions against a fixed list of people (first listed wins a tie)."""

    def __init__(self, people: Iterable[Person], rules: NameRules | None = None,
                 cache_size: int = 100_000):
        self.people: list[Person] = list(people)
        self.rules = rules or name_rules()
        self._fuzzy = self.rules.fuzzy
        self._phonetic_table = str.maketrans(self.rules.phonetic_folds)
        self._phonetic_words: dict[str, str] = {}
        self._title_words: dict[str, frozenset[str]] = {}
        self._shortlists: dict[str, tuple[tuple[int, float], ...]] = {}
        self._unknown: dict[tuple[str, str | None], Resolution] = {}
        self._similarities: dict[tuple[str, str], float] = {}
        self._honorific = re.compile(
            "^(?:" + "|".join(map(re.escape, self.rules.honorifics)) + ") (?=.)")
        self._build_index()
        self._resolve_cached = lru_cache(maxsize=cache_size)(self._resolve)

    @classmethod
    def default(cls) -> "Resolver":
        """The shipped KB merged with the user's, built once per state of the user KB."""
        path = user_kb_path()
        stamp = path.stat().st_mtime_ns if path.exists() else None
        return _default_resolver(str(path), stamp)

    def resolve(self, mention: str, country: str | None = None,
                title: str | None = None) -> Resolution:
        """The entity `mention` names; `country` (ISO alpha-3) and `title` break ties."""
        return self._resolve_cached(mention, country, title)

    def clear_cache(self) -> None:
        """Forget earlier resolutions (they are otherwise kept for the resolver's life)."""
        self._resolve_cached.cache_clear()
        self._shortlists.clear()
        self._unknown.clear()
        self._similarities.clear()
        self._phonetic_words.clear()
        self._title_words.clear()

    def person(self, entity_id: str) -> Person | None:
        return self._by_id.get(entity_id)

    # --- index ----------------------------------------------------------------------------

    def _build_index(self) -> None:
        self._exact: dict[str, list[tuple[int, str]]] = {}
        self._by_id = {}
        keys, phones, owners = [], [], []
        for index, person in enumerate(self.people):
            self._by_id.setdefault(person.entity_id, person)
            listed = {fold(text) for _, text in person.aliases}
            for system, text in self._spellings(person):
                key = fold(text)
                # The reason says whether a spelling was listed in the KB or derived by rule.
                label = system if system == "canonical" else \
                    f"{'alias' if key in listed else 'variant'}:{system}"
                self._exact.setdefault(key, []).append((index, label))
                keys.append(key)
                phones.append(self._phonetic(key))
                owners.append((index, label))
        self._keys, self._phones, self._owners = keys, phones, owners
        self._combined = [f"{k}|{p}" for k, p in zip(keys, phones)]
        self._letters = _LetterCounts(self._combined)
        self._surnames = self._surname_index()
        self._loose = self._loose_index()
        self._titles = [self._title_tokens(" ".join(t.title for t in p.titles))
                        for p in self.people]

    def _spellings(self, person: Person) -> list[tuple[str, str]]:
        if self.rules is name_rules():
            return _default_spellings(person)
        return expand(person.name, person.country, list(person.aliases), self.rules)

    def _surname_index(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for number, person in enumerate(self.people):
            words = fold(person.name).split()
            if len(words) > 1:
                surname = words[0] if person.country in self.rules.surname_first else words[-1]
                index.setdefault(surname, []).append(number)
        return index

    def _loose_index(self) -> dict[str, set[int]]:
        index: dict[str, set[int]] = {}
        countries, folds = self.rules.korean_loose_countries, self.rules.korean_loose_folds
        for key, (person, _) in zip(self._keys, self._owners):
            if self.people[person].country in countries:
                index.setdefault(korean_loose(key, folds), set()).add(person)
        return index

    def _phonetic(self, key: str) -> str:
        return " ".join(self._phonetic_word(w) for w in key.split())

    def _phonetic_word(self, word: str) -> str:
        code = self._phonetic_words.get(word)
        if code is None:
            code = jellyfish.metaphone(word.translate(self._phonetic_table)) or word
            if len(self._phonetic_words) < 200_000:
                self._phonetic_words[word] = code
        return code

    def _title_tokens(self, title: str | None) -> frozenset[str]:
        if not title:
            return frozenset()
        tokens = self._title_words.get(title)
        if tokens is None:  # an archive repeats the same few thousand titles
            tokens = frozenset(fold(title).split()) - self.rules.title_stopwords
            if len(self._title_words) < 100_000:
                self._title_words[title] = tokens
        return tokens

    # --- resolution -----------------------------------------------------------------------

    def _resolve(self, mention: str, country: str | None, title: str | None) -> Resolution:
        # Whether any rule matches depends on the spelling and the country, never on the title
        # (it only ranks candidates): a person the KB does not know, met again with another
        # title, is known to be new without trying every rule again.
        unknown = self._unknown.get((mention, country))
        if unknown is not None:
            return unknown
        key = fold(mention)
        if not key:
            return self._new(mention, key, country)
        titles = self._title_tokens(title)
        found = (self._exact_match(key, country, titles)
                 or self._reduced_match(key, country, titles)
                 or self._loose_match(key, country, titles)
                 or self._fuzzy_match(key, country, titles)
                 or self._surname_match(self._without_honorific(key) or key, country))
        if found is None:
            resolution = self._new(mention, key, country)
            if len(self._unknown) < 100_000:
                self._unknown[(mention, country)] = resolution
            return resolution
        person = self.people[found.person]
        return Resolution(mention, person.name, person.entity_id, person.country,
                          round(found.score, 3), found.reason)

    def _new(self, mention: str, key: str, country: str | None) -> Resolution:
        bare = self._without_honorific(key) or key
        reduced = self._without_patronymic(bare) or bare
        name = display_form(mention)
        return Resolution(mention, name, new_entity_id(reduced), country, 0.0, "new entity")

    def _exact_match(self, key: str, country, titles, reason: str | None = None,
                     score: float = 1.0, allow=None) -> _Candidate | None:
        hits = self._exact.get(key)
        if allow and hits:
            hits = [h for h in hits if allow(self.people[h[0]])]
        if not hits:
            return None
        # nearly every spelling is one person's: no preference to weigh
        index, system = hits[0] if len(hits) == 1 else \
            min(hits, key=lambda h: self._preference(h[0], country, titles))
        if reason is None:
            reason = "exact" if system == "canonical" else system
        if country and self.people[index].country not in (None, country):
            score = min(score, self._fuzzy["exact_other_country_score"])
            reason += f" (country {self.people[index].country}, not {country})"
        return _Candidate(index, system, score, reason)

    def _preference(self, index: int, country, titles) -> tuple:
        other_country = bool(country) and self.people[index].country != country
        return (other_country, -len(titles & self._titles[index]), index)

    def _reduced_match(self, key: str, country, titles) -> _Candidate | None:
        for reason, reduced, allow in self._reductions(key):
            found = self._exact_match(reduced, country, titles, reason,
                                      _REDUCED_SCORES[reason], allow)
            if found:
                return found
        return None

    def _reductions(self, key: str):
        """(reason, shorter key, which people it may match) in order of confidence."""
        bare = self._without_honorific(key)
        if bare:
            yield "honorific dropped", bare, None
            key = bare
        short = self._without_patronymic(key)
        if short:
            yield "patronymic dropped", short, None
        words = key.split()
        if len(words) < 3:
            return
        initials_gone = [w for w in words if len(w) > 1]
        if 2 <= len(initials_gone) < len(words):
            yield "initials dropped", " ".join(initials_gone), None
        # Korean and Chinese names have no middle names: "Kim Jong Un" less "Jong" is no one.
        # Otherwise keep the first name and any run of the rest, longest first, which covers
        # "Miguel Mario Diaz-Canel Bermudez" -> "Miguel Diaz-Canel".
        rest = words[1:]
        for size in range(len(rest) - 1, 0, -1):
            for start in range(len(rest) - size + 1):
                shorter = " ".join([words[0]] + rest[start:start + size])
                yield "middle names dropped", shorter, self._not_strict

    def _not_strict(self, person: Person) -> bool:
        return person.country not in self.rules.strict_given_name

    def _without_honorific(self, key: str) -> str | None:
        match = self._honorific.match(key)
        return key[match.end():] if match else None

    def _without_patronymic(self, key: str) -> str | None:
        words = key.split()
        if len(words) < 3:
            return None
        suffixes = self.rules.patronymic_suffixes
        kept = [w for i, w in enumerate(words)
                if i in (0, len(words) - 1) or not w.endswith(suffixes)]
        return " ".join(kept) if len(kept) < len(words) else None

    def _loose_match(self, key: str, country, titles) -> _Candidate | None:
        bare = self._without_honorific(key) or key
        owners = self._loose.get(korean_loose(bare, self.rules.korean_loose_folds), ())
        if len(owners) != 1:
            return None   # two people flatten alike: only an exact spelling may choose
        person = next(iter(owners))
        score = _LOOSE_KOREAN_SCORE
        if country and self.people[person].country != country:
            score -= self._fuzzy["other_country_penalty"]
        return _Candidate(person, "loose", score, "loose:korean") \
            if score >= self._fuzzy["accept"] else None

    def _surname_match(self, key: str, country) -> _Candidate | None:
        owners = self._surnames.get(key, []) if " " not in key else []
        if len(owners) != 1:
            return None
        score = self._fuzzy["surname_only_score"]
        if country and self.people[owners[0]].country != country:
            score -= self._fuzzy["other_country_penalty"]
        if score < self._fuzzy["accept"]:
            return None
        return _Candidate(owners[0], "canonical", score, "surname only")

    # --- fuzzy ----------------------------------------------------------------------------

    def _fuzzy_match(self, key: str, country, titles) -> _Candidate | None:
        best = None
        for query in dict.fromkeys([key, self._without_honorific(key) or key,
                                    self._without_patronymic(key) or key]):
            for position, similarity in self._shortlist(query):
                found = self._judge(position, similarity, country)
                if found is None:
                    continue
                rank = (found.score + 0.005 * len(titles & self._titles[found.person]),
                        -found.person)
                if best is None or rank > best[0]:
                    best = (rank, found)
        return best[1] if best else None

    def _shortlist(self, key: str) -> tuple[tuple[int, float], ...]:
        """Spellings near `key` whose surname and given name both agree, with the mean of
        edit and phonetic similarity. Cached apart from country and title, so an unknown
        name met again with another title costs no second search."""
        found = self._shortlists.get(key)
        if found is None:
            found = self._search(key)
            if len(self._shortlists) < 100_000:
                self._shortlists[key] = found
        return found

    def _search(self, key: str) -> tuple[tuple[int, float], ...]:
        phonetic = self._phonetic(key)
        # One search over "spelling|phonetic key" strings approximates the mean of the two
        # similarities at half the cost of two searches; the shortlist is then scored exactly.
        query = f"{key}|{phonetic}"
        # Only the few spellings whose letter counts let them reach the cutoff are scored;
        # they keep their order, so ties fall as in a search of all.
        possible = self._letters.possible(query, _SHORTLIST_CUTOFF)
        near = process.extract(query, [self._combined[i] for i in possible], scorer=fuzz.ratio,
                               limit=10, score_cutoff=_SHORTLIST_CUTOFF)
        out = []
        for _, _, found in near:
            position = possible[found]
            person = self.people[self._owners[position][0]]
            if self._parts_agree(key, self._keys[position], person):
                text = fuzz.ratio(key, self._keys[position]) / 100
                sound = fuzz.ratio(phonetic, self._phones[position]) / 100
                out.append((position, (text + sound) / 2))
        return tuple(out)

    def _judge(self, position: int, similarity: float, country) -> _Candidate | None:
        index, system = self._owners[position]
        score = similarity
        if country:
            score += (self._fuzzy["country_bonus"] if self.people[index].country == country
                      else -self._fuzzy["other_country_penalty"])
        score = min(score, 0.99)
        if score < self._fuzzy["accept"]:
            return None
        return _Candidate(index, system, score, f"fuzzy {score:.2f} (edit+phonetic)")

    def _parts_agree(self, key: str, other: str, person: Person) -> bool:
        """Surname and given name must each be close: a shared surname is not enough."""
        mine, theirs = key.split(), other.split()
        if len(mine) < 2 or len(theirs) < 2:
            return False
        first = person.country in self.rules.surname_first
        surname_a, given_a = _split(mine, first)
        surname_b, given_b = _split(theirs, first)
        if self._similar(surname_a, surname_b) < self._fuzzy["surname_floor"]:
            return False
        if person.country in self.rules.strict_given_name:
            return self._strict_given_agree(mine, theirs, first)
        return self._similar(given_a, given_b) >= self._fuzzy["given_floor"]

    def _strict_given_agree(self, mine: list[str], theirs: list[str], first: bool) -> bool:
        """Korean and Chinese given names are syllables: "Kim Yong Sun" is not "Kim Yong Su",
        so when both are written syllable by syllable each syllable must be close."""
        given_a = mine[1:] if first else mine[:-1]
        given_b = theirs[1:] if first else theirs[:-1]
        floor = self._fuzzy["strict_given_floor"]
        if len(given_a) == len(given_b) > 1:
            return all(fuzz.ratio(a, b) / 100 >= floor for a, b in zip(given_a, given_b))
        return fuzz.ratio("".join(given_a), "".join(given_b)) / 100 >= floor

    def _similar(self, a: str, b: str) -> float:
        # Surnames and given names recur across the shortlists of different spellings
        # ("kim" against "kim"): each pair is compared once.
        found = self._similarities.get((a, b))
        if found is None:
            text = fuzz.ratio(a, b) / 100
            found = max(text, fuzz.ratio(self._phonetic(a), self._phonetic(b)) / 100)
            if len(self._similarities) < 200_000:
                self._similarities[(a, b)] = found
        return found


class _LetterCounts:
    """How many of each character every string holds, to tell cheaply which strings could
    reach a fuzz.ratio cutoff beside a query. fuzz.ratio is 200 * LCS / (length sum), and
    the LCS cannot exceed the characters the two share (per character, the lesser count):
    a string whose shared count keeps it below the cutoff is never among the matches."""

    def __init__(self, strings: list[str]):
        import numpy as np   # imported on first use, as the story linker does

        self._np = np
        counts = [Counter(text) for text in strings]
        # One row per character and count q in the query: each string's count of the
        # character capped at q, so that a query's shared counts are a sum of rows alone
        # (the lesser count taken by np.minimum per query, and a Counter of the query, were
        # half the time of a search's filter). Some 170 KB for the shipped KB.
        self._depth: dict[str, int] = {}
        self._row_before: dict[str, int] = {}
        rows = []
        for char in sorted(set("".join(strings))):
            column = np.array([min(count.get(char, 0), 255) for count in counts], dtype=np.uint8)
            self._depth[char] = int(column.max())
            self._row_before[char] = len(rows) - 1   # the row of count q is this plus q
            rows.extend(np.minimum(column, q) for q in range(1, self._depth[char] + 1))
        self._table = np.array(rows, dtype=np.uint8).reshape(len(rows), len(strings))
        self._lengths = np.array([len(text) for text in strings], dtype=np.int64)
        self._floors: dict[tuple[int, int], object] = {}

    def possible(self, query: str, cutoff: int) -> list[int]:
        """Positions, in order, of the strings that might score `cutoff` or more."""
        if len(query) > 255:
            return list(range(len(self._lengths)))
        depth, before = self._depth, self._row_before
        # a count beyond every string's shares no more: the row of the greatest count serves
        rows = [before[char] + min(query.count(char), depth[char])
                for char in set(query) if char in depth]
        # the bound is at most len(query), below 256: summed in bytes (in int64 it took 20
        # times as long as all the rest)
        bound = self._table[rows].sum(axis=0, dtype=self._np.uint8)
        return (bound >= self._floor(len(query), cutoff)).nonzero()[0].tolist()

    def _floor(self, size: int, cutoff: int):
        """The least shared count with which each string could reach `cutoff` beside a query
        of `size` characters, in integers with a point of slack (fuzz.ratio is a float),
        capped to a byte (a cap lets more strings through, never fewer)."""
        floor = self._floors.get((size, cutoff))
        if floor is None:
            least = ((cutoff - 1) * (self._lengths + size) + 199) // 200
            floor = self._floors[size, cutoff] = self._np.minimum(least, 255).astype(self._np.uint8)
        return floor


def _split(words: list[str], surname_first: bool) -> tuple[str, str]:
    if surname_first:
        return words[0], "".join(words[1:])
    return words[-1], "".join(words[:-1])


@lru_cache(maxsize=4096)
def _default_spellings(person: Person) -> list[tuple[str, str]]:
    # Rebuilding an index after a user import need not romanize the shipped KB again.
    return expand(person.name, person.country, list(person.aliases), name_rules())


@lru_cache(maxsize=2)
def _default_resolver(path: str, stamp: int | None) -> Resolver:
    # `stamp` is the user KB's mtime: an import made since gives a fresh resolver.
    return Resolver(merge_people(shipped_people(), load_user_people(Path(path))))
