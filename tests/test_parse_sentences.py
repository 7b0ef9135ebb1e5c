"""Sentence splitting tries its boundary pattern only where a stop stands: the same
boundaries as a search of the whole paragraph, on any text."""
from __future__ import annotations

import re

from hypothesis import example, given, settings, strategies as st

from readout.parse.sentences import CANDIDATE, PARAGRAPH, _candidates


def _window(text: str, start: int, length: int) -> tuple[int, int]:
    """A start and end within the text, from the drawn start and length."""
    start = min(start, len(text))
    return start, min(start + length, len(text))


# the characters the boundary pattern looks at, and a few it does not
TEXT = st.text(alphabet=".!?\"”’'“‘ \t\nAZaz09(|-", max_size=60)


@settings(max_examples=500, deadline=None)
@given(text=TEXT, start=st.integers(0, 60), length=st.integers(0, 60))
@example(text='He said. "Yes!" Then? (No.) U.S. 3', start=0, length=60)
def test_stops_find_what_the_search_finds(text, start, length):
    start, end = _window(text, start, length)
    assert [m.span() for m in _candidates(text, start, end)] == \
        [m.span() for m in CANDIDATE.finditer(text, start, end)]


# The boundary pattern as it was when it was searched paragraph by paragraph: its spaces
# could be any, newlines included, but the search stopped at the paragraph's end.
PER_PARAGRAPH = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘']?[A-Z0-9(])")
SPACES = st.text(alphabet=".!?\"”’'“‘ \t\n\r\x0b\x0c\x1c\x85\u2028AZaz09(", max_size=60)


@settings(max_examples=500, deadline=None)
@given(text=SPACES, start=st.integers(0, 60), length=st.integers(0, 60))
@example(text='End.\n\nThe next. \nA', start=0, length=60)
def test_one_search_of_the_body_finds_what_each_paragraph_finds(text, start, length):
    start, end = _window(text, start, length)
    per_paragraph = [m.span() for p in PARAGRAPH.finditer(text, start, end)
                     for m in PER_PARAGRAPH.finditer(text, *p.span())]
    assert [m.span() for m in _candidates(text, start, end)] == per_paragraph
