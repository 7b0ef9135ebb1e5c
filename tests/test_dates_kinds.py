"""date_in told by the keyword index which kinds of day name a sentence may hold finds the date
it finds by searching the sentence for any name first."""
import datetime as dt

from hypothesis import given, settings, strategies as st

from readout.extract.dates import date_in, day_word_kinds
from readout.extract.keywords import SentenceIndex
from readout.model import RawDocument
from readout.parse import parse

_WORDS = ["on", "On", "the", "morning", "afternoon", "of", "in", "June", "Sept.", "Sep.", "Dec.",
          "May", "may", "Monday", "Sunday", "SUNDAY", "Mon", "Mongolia", "19", "2024", "Juche",
          "113", "(2024)", ",", "received", "held", "Kim", "evening", "separately", ".", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=16))
def test_dates_found_with_the_kinds_of_day_name_are_those_found_without(words):
    doc = parse(RawDocument("x.txt", "Headline\n\n" + " ".join(words) + "."))
    kinds = day_word_kinds(SentenceIndex(doc.text, doc.sentences))
    published = dt.date(2024, 6, 20)
    for sentence in doc.sentences:
        unaided = date_in(doc.text, sentence, published)
        if kinds is None:
            continue
        if sentence.start not in kinds:
            assert unaided is None
        else:
            assert date_in(doc.text, sentence, published, None, kinds[sentence.start]) == unaided


def test_a_sentence_naming_only_a_weekday_is_tried_only_by_weekday_patterns():
    doc = parse(RawDocument("x.txt", "Headline\n\nKim held talks on Sunday."))
    kinds = day_word_kinds(SentenceIndex(doc.text, doc.sentences))
    assert kinds[doc.sentences[-1].start] == {"weekdays"}
    assert date_in(doc.text, doc.sentences[-1], dt.date(2024, 6, 20), None, frozenset({"weekdays"})) == dt.date(2024, 6, 16)
