"""A headline is told by its last character, as the pattern for a stop at the end tells it."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from readout.parse.header import LINE, STOPS_AT_END, _line

STOP_AT_END = re.compile(r"[.!?:\"”]$")   # the pattern the header used before


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet='ab .!?:"”“<>/\n\t ', max_size=30))
def test_last_character_tells_what_the_pattern_tells(text):
    for match in LINE.finditer(text):
        stripped = _line(match).text
        assert stripped.endswith(STOPS_AT_END) == bool(STOP_AT_END.search(stripped))
