"""What the window before a name says of it, read once from the window, is what the reads of
the whole text backwards from the name found."""
from hypothesis import given, settings, strategies as st

from readout.extract.attendance import is_spouse
from readout.extract.people import _before_name, _contexts

PHRASES = ["statues of ", "portrait of", "led by ", "headed by", "leading ", "his wife ", "wife",
           "and ", "the ", "x", " ", " " * 15, "Kim Jong Un ", "of ", "by"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PHRASES), max_size=12), st.data())
def test_before_name_reads_what_the_backward_reads_found(pieces, data):
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text)))
    rules, backwards, size = _contexts(), text[::-1], len(text)

    def ends_with(pattern, window):   # the window characters before start end with the pattern
        return pattern.match(backwards, size - start, size - start + window if start > window else size) is not None

    expected = (ends_with(rules.mention_before, 40), ends_with(rules.head_before, 20), is_spouse(text, start))
    assert _before_name(text[start - 40 if start > 40 else 0:start]) == expected
