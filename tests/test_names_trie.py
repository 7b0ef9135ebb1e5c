"""A trie of words matches what the longest-first alternation of them matches, at every place,
with what follows it in the pattern too."""
import re

from hypothesis import given, settings, strategies as st

from readout.domain import alternation
from readout.extract.names import trie

LETTERS = st.text(alphabet="abAB-. é", min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(LETTERS, min_size=1, max_size=12), st.text(alphabet="abAB-. é,", max_size=40),
       st.sampled_from(["", r"(?![\w-])", r" [A-Z]", r"b"]))
def test_trie_matches_what_the_alternation_matches(words, text, after):
    expected = re.compile(rf"({alternation(words)}){after}")
    actual = re.compile(rf"({trie(words)}){after}")
    for at in range(len(text) + 1):
        old, new = expected.match(text, at), actual.match(text, at)
        assert (new and (new.span(), new.span(1))) == (old and (old.span(), old.span(1)))
    assert [m.span() for m in actual.finditer(text)] == [m.span() for m in expected.finditer(text)]
