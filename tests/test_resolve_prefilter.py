"""The letter-count bound before the resolver's fuzzy search never drops a spelling that a
search of all the spellings would keep: the shortlists are the same, ties included."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings, strategies as st
from rapidfuzz import fuzz, process

from readout.resolve import Resolver
from readout.resolve.resolver import _SHORTLIST_CUTOFF, _LetterCounts


@pytest.fixture(scope="module")
def spellings() -> list[str]:
    return Resolver.default()._combined


@pytest.fixture(scope="module")
def letters(spellings) -> _LetterCounts:
    return _LetterCounts(spellings)


def _searched_all(query: str, strings: list[str], cutoff: int) -> list[tuple[int, float]]:
    return [(position, score) for _, score, position in
            process.extract(query, strings, scorer=fuzz.ratio, limit=10, score_cutoff=cutoff)]


def _searched_possible(query: str, strings: list[str], letters: _LetterCounts,
                       cutoff: int) -> list[tuple[int, float]]:
    possible = letters.possible(query, cutoff)
    near = process.extract(query, [strings[i] for i in possible], scorer=fuzz.ratio,
                           limit=10, score_cutoff=cutoff)
    return [(possible[found], score) for _, score, found in near]


# queries near the KB's own "spelling|phonetic" strings: a spelling edited a little
edits = st.lists(st.tuples(st.integers(0, 40), st.sampled_from("aeioukngsh |XNK"),
                           st.sampled_from(["insert", "delete", "replace"])), max_size=4)


def _edited(text: str, changes) -> str:
    for at, char, how in changes:
        at = at % (len(text) + 1)
        text = (text[:at] + char + text[at:] if how == "insert" else
                text[:at] + char + text[at + 1:] if how == "replace" else text[:at] + text[at + 1:])
    return text


@settings(max_examples=300, deadline=None)
@given(which=st.integers(0, 10**6), changes=edits, cutoff=st.sampled_from([_SHORTLIST_CUTOFF, 50, 90]))
@example(which=0, changes=[], cutoff=_SHORTLIST_CUTOFF)
def test_bound_keeps_every_spelling_the_search_of_all_keeps(spellings, letters, which, changes, cutoff):
    query = _edited(spellings[which % len(spellings)], changes)
    assert _searched_possible(query, spellings, letters, cutoff) == \
        _searched_all(query, spellings, cutoff)


@settings(max_examples=200, deadline=None)
@given(query=st.text(alphabet="abcdeghijklmnorstuwyz |KNXSLMPTF0", max_size=40),
       strings=st.lists(st.text(alphabet="abgikmnosu |KNX", max_size=30), min_size=1, max_size=40))
def test_bound_holds_for_any_strings(query, strings):
    letters = _LetterCounts(strings)
    assert _searched_possible(query, strings, letters, _SHORTLIST_CUTOFF) == \
        _searched_all(query, strings, _SHORTLIST_CUTOFF)


def test_bound_drops_most_spellings(spellings, letters):
    """The point of it: an unknown name is scored against a few dozen spellings, not all."""
    kept = letters.possible("kim pyong chol|KM PNK XL", _SHORTLIST_CUTOFF)
    assert 0 < len(kept) < len(spellings) / 5



def _shared_count_oracle(query: str, strings: list[str], cutoff: int) -> list[int]:
    """The bound as first written: per character the lesser of the two counts, summed, against
    the least count that could reach the cutoff (with its point of slack)."""
    from collections import Counter

    mine = Counter(query)
    kept = []
    for position, text in enumerate(strings):
        shared = sum(min(count, mine[char]) for char, count in Counter(text).items())
        if shared >= min(((cutoff - 1) * (len(text) + len(query)) + 199) // 200, 255):
            kept.append(position)
    return kept


@settings(max_examples=300, deadline=None)
@given(query=st.text(alphabet="abgikmnosu |KNXZ", max_size=60),
       strings=st.lists(st.text(alphabet="abgikmnosu |KNX", max_size=40), min_size=1, max_size=30),
       cutoff=st.sampled_from([_SHORTLIST_CUTOFF, 30, 90]))
def test_bound_is_the_shared_letter_count(query, strings, cutoff):
    """The rows of capped counts sum to the shared count exactly, repeats of a character in
    the query beyond any string's included."""
    assert _LetterCounts(strings).possible(query, cutoff) == \
        _shared_count_oracle(query, strings, cutoff)
