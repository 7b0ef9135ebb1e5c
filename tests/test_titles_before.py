"""The title before a name read from the last words of a long stretch is the one read from
the whole stretch."""
from hypothesis import given, settings, strategies as st

from readout.extract.titles import SHORT_STRETCH, Titles

WORDS = ["Minister", "Foreign", "of", "the", "and", "Comrade", "C.C.", "WPK", "Vice-Premier",
         "(DPRK)", "led", "by", "ambassador", "premier", "x", "Kim", "Russia’s", "First", "Deputy"]
SEPARATORS = [" ", " ", " ", "  ", ", ", " \"", ": ", ",", " " * 40]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=8, max_size=40),
       st.data())
def test_title_before_a_long_stretch_is_read_from_its_end(pieces, data):
    text = "".join(word + separator for word, separator in pieces)
    if len(text) <= SHORT_STRETCH + 1:
        return
    name_start = data.draw(st.integers(SHORT_STRETCH + 1, len(text)))
    bound = data.draw(st.integers(0, name_start - SHORT_STRETCH - 1))
    titles = Titles(text, ())
    assert titles.before(name_start, bound) == titles._read_before(name_start, bound)[0]


def test_a_title_that_runs_back_to_the_short_stretch_is_read_whole():
    """The last words read no token, or a comma opens them: what lies before them decides."""
    spaced = "the Foreign Minister" + " " * 70
    comma = "the Minister " + "Vice-Premier-" * 4 + " , Minister Minister Minister Minister Minister "
    for text in (spaced, comma):
        titles = Titles(text, ())
        expected = titles._read_before(len(text), 0)[0]
        assert expected is not None and titles.before(len(text), 0) == expected
