"""parse: header furniture, publication dates, datelines, bylines and sentences."""
import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from readout.model import RawDocument
from readout.parse import parse
from readout.parse.dates import parse_date, weekday_before
from readout.parse.sentences import split_sentences


def doc(text: str, **meta):
    return parse(RawDocument("x.txt", text, meta))


@pytest.mark.parametrize("top, published, source", [
    ("Nov. 28, 2024 Thursday  \nRodong Sinmun\nHeadline Here\n\nBody text.", "2024-11-28", "Rodong Sinmun"),
    ("March 17, 2026Mar 17, 2026\nKCNA KCNA.kp (En)\n\nHeadline\n\nDate: 20/06/2024 | Source: KCNA.kp (En) | Read original version at source\n\nPyongyang, June 20 (KCNA) -- Body.",
     "2024-06-20", "KCNA"),
    ("calendar>>May 31. 2018 Juche 107\nHeadline\nPyongyang, May 31 (KCNA) -- Body.", "2018-05-31", "KCNA"),
    ("Thursday, September 05, 2019\n\nHeadline\nBody text here.", "2019-09-05", None),
    ("May 17, 2024\nKCNA KCNA.kp (En)\n\nHeadline\n\nBody text.", None, "KCNA"),
])
def test_publication_date_and_outlet(top, published, source):
    document = doc(top)
    assert (document.published.isoformat() if document.published else None) == published
    assert document.source == source


def test_crawl_date_is_not_publication_date():
    assert doc("March 21, 2026Mar 21, 2026\nHeadline\n\nBody.").published is None


def test_dateline_without_year_gives_no_publication_date_but_names_agency():
    document = doc("Headline\n\nPyongyang, July 1 (KCNA) — Kim Jong Un met him.")
    assert document.published is None and document.source == "KCNA"


def test_headline_byline_and_body_start():
    text = "Nov. 28, 2024 Thursday\nRodong Sinmun\nKim Jong Un Meets Someone\n\nFirst sentence. Second one.\n\nPolitical News Team"
    document = doc(text)
    assert document.title == "Kim Jong Un Meets Someone"
    assert document.byline == "Political News Team"
    assert text[document.body_start:].startswith("First sentence.")


def test_sidecar_date_of_a_text_file_is_not_used_but_a_feed_date_is():
    assert doc("Headline\n\nBody.", published="2020-01-02", format="text").published is None
    assert doc("Headline\n\nBody.", published="2020-01-02", format="feed").published == dt.date(2020, 1, 2)


def test_sentences_keep_initials_and_abbreviations_together():
    text = "He met Mahmoud O.R. Al Aloul on Nov. 3 in the U.S. Capitol. Then he left."
    spans = split_sentences(text, 0, len(text))
    assert [s.of(text) for s in spans] == ["He met Mahmoud O.R. Al Aloul on Nov. 3 in the U.S. Capitol.",
                                          "Then he left."]


def test_sentence_offsets_slice_the_text():
    text = "One here. |\nTwo there! Three?"
    for span in split_sentences(text, 0, len(text)):
        assert text[span.start:span.end].strip() == text[span.start:span.end]
        assert "|" not in span.of(text)


@pytest.mark.parametrize("weekday, base, expected", [
    ("Friday", dt.date(2019, 5, 24), dt.date(2019, 5, 24)),      # same day in a Friday report
    ("Friday", dt.date(2019, 11, 23), dt.date(2019, 11, 22)),
    ("Sunday", dt.date(2018, 11, 5), dt.date(2018, 11, 4)),
])
def test_weekday_resolves_to_latest_on_or_before_publication(weekday, base, expected):
    assert weekday_before(weekday, base) == expected


def test_date_without_year_needs_a_base_and_looks_back():
    assert parse_date("June 19", dt.date(2024, 11, 28)) == dt.date(2024, 6, 19)
    assert parse_date("December 30", dt.date(2019, 1, 2)) == dt.date(2018, 12, 30)
    assert parse_date("June 19", None) is None


@pytest.mark.parametrize("line", ["2019.10.23", "2019-10-23", "23 October 2019", "Wednesday, 23 October 2019"])
def test_other_date_lines(line):
    assert doc(f"{line}\nHeadline\n\nBody text.").published == dt.date(2019, 10, 23)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\x0b\x1c\x85\u00a0\u2028\u3000ab.’", max_size=45))
def test_word_before_a_stop_is_what_the_regex_finds(window):
    """The last word before a full stop, read with str methods, is what r"(\\S+)$" finds,
    a newline ending the window included."""
    import re

    from readout.parse.sentences import _word_before

    found = re.search(r"(\S+)$", window)
    assert _word_before(window) == (found.group(1) if found else "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789/ ٣", max_size=12))
def test_numeric_day_month_year_is_what_strptime_reads(cleaned):
    """The shortcut for "18/06/2024" finds a date only where strptime's "%d/%m/%Y" finds the
    same one (elsewhere strptime is asked as before)."""
    from readout.parse.dates import _numeric_dmy

    try:
        expected = dt.datetime.strptime(cleaned, "%d/%m/%Y").date()
    except ValueError:
        expected = None
    found = _numeric_dmy(cleaned)
    assert found is None or found == expected


@pytest.mark.parametrize("span, expected", [("18/06/2024", dt.date(2024, 6, 18)),
                                             ("5/6/2024", dt.date(2024, 6, 5)),
                                             ("31/02/2024", None), ("00/06/2024", None)])
def test_numeric_day_month_year(span, expected):
    assert parse_date(span, None, "DMY") == expected


def _every_line(text):
    """Every line of the text at once, as the header reader cut them before reading them
    lazily: the reference the lazy readers must agree with."""
    from readout.parse.header import LINE, TAG, Line

    return [Line(m.start(), m.end(), TAG.sub("", m.group()).strip() if "<" in m.group() else m.group())
            for m in LINE.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0b\x85\u00a0\u2028ab.’<>", max_size=60), st.integers(0, 8))
def test_lines_read_lazily_from_either_end_are_every_line(text, first):
    """The top walk reads lines from the first, the bottom walk from the last back to the
    body's first: each sees the lines an eager split gives, and nothing past the ends."""
    from readout.parse.header import LinesAhead, LinesBack

    lines = _every_line(text)
    ahead = LinesAhead(text)
    assert [ahead.get(i) for i in range(len(lines) + 2)] == lines + [None, None]
    if first < len(lines):
        assert list(LinesBack(text, lines[first].start)) == lines[first:][::-1]
        assert LinesBack(text, lines[first].start).get(len(lines) - first) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["May 17, 2024", "Mar 17, 2026", "Date: 20/06/2024 ", "| Source: ",
                                 "KCNA.kp", " (En)", "KCNA ", "calendar>>", "May 31. 2018", " Thursday",
                                 "Thursday, ", "2019-10-23", "23 October 2019", "Rodong Sinmun", "|",
                                 "Related Articles", "Copyright (C) x", "No comments:", "Voice of Korea",
                                 "Headline", " ", "."]), max_size=6))
def test_one_pattern_for_any_top_line_rule_matches_where_one_of_them_does(pieces):
    """The top walk tries its rules one by one only on a line the alternation of them all
    matches: it must match exactly the lines some rule matches."""
    from readout.parse.header import rules

    line = "".join(pieces)
    r = rules()
    one_by_one = [pattern for _id, pattern, _next in r.crawl] + [pattern for _id, pattern, _ in r.published] + \
        [pattern for _id, pattern, _ in r.outlets] + [r.furniture]
    assert bool(r.any_line.match(line)) == any(p.match(line) for p in one_by_one)
