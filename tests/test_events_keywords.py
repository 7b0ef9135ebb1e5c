"""The keyword filter of the trigger rules hides no match: find_triggers finds what every rule
run over every sentence finds."""
from pathlib import Path

from hypothesis import given, settings, strategies as st

import readout
from readout.bench.corpus import Corpus, load_templates
from readout.extract.events import _in_past, _group, find_triggers, rules
from readout.extract.keywords import SentenceIndex
from readout.model import RawDocument, Span
from readout.parse import parse

# Words of the rules that have the most specific keywords and `and_keywords`, and words near them.
_WORDS = ["had", "held", "hold", "has", "talks", "talk", "a", "with", "chat", "meeting",
          "visit", "visits", "the", "DPRK", "Russia", "Russian", "People's", "Viet", "support", "full",
          "to", "expressed", "Chinese", "message", "sent", "received", "reached", "agreement",
          "came", "delegation", "of", "welcomed", "reception", "was", "given", "in", "2019", "."]


def _every_rule_everywhere(text: str, sentences: list[Span]) -> list[tuple]:
    """What find_triggers must find: every rule over every sentence, no keyword asked."""
    r = rules()
    past = r.past_after, r.past_before, r.past_before_backwards
    found = []
    for rule_id, _type, matcher, _keywords in r.rules:
        for sentence in sentences:
            for match in matcher.exact.finditer(text, sentence.start, sentence.end):
                if not _in_past(text, match, sentence, past):
                    found.append((match.start(), rule_id, match.end(), sentence,
                                  _group(text, match, matcher.target), _group(text, match, matcher.source)))
    return sorted(found)


def _found(text: str, sentences: list[Span]) -> list[tuple]:
    return [(t.match.start, t.rule, t.match.end, t.sentence, t.target, t.source)
            for t in find_triggers(text, SentenceIndex(text, sentences))]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.booleans()), min_size=2, max_size=14))
def test_keywords_hide_no_match_of_a_rule(words):
    text = "Headline\n\n" + " ".join(word.upper() if upper else word for word, upper in words) + "."
    doc = parse(RawDocument("x.txt", text))
    assert _found(doc.text, doc.sentences) == _every_rule_everywhere(doc.text, doc.sentences)


def test_keywords_hide_no_match_in_bench_articles_and_samples():
    texts = [raw.text for raw in Corpus(load_templates(), seed=13).documents(60)]
    shipped = Path(readout.__file__).parent / "data" / "samples"
    texts += [path.read_text(encoding="utf-8") for path in shipped.glob("*.txt")]
    matched = 0
    for text in texts:
        doc = parse(RawDocument("x.txt", text))
        expected = _every_rule_everywhere(doc.text, doc.sentences)
        assert _found(doc.text, doc.sentences) == expected
        matched += len(expected)
    assert matched > 150


def test_a_rule_with_and_keywords_runs_only_where_both_are():
    """"talks" without a verb of talks.had leaves the rule unrun; a sentence with both runs it."""
    assert rules().and_keywords["talks.had"]
    doc = parse(RawDocument("x.txt", "Headline\n\nThe talks ended. Kim held talks with Putin."))
    assert [t.rule for t in find_triggers(doc.text, SentenceIndex(doc.text, doc.sentences))] == ["talks.had"]


_PAST_WORDS = ["in", "the", "past", "last", "year", "years", "ago", "2019", "1998", "2", "20", "19",
               "January", "since", "after", "have", "had", "been", "recently", "talks", "x", ",", ""]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PAST_WORDS), max_size=12), st.sampled_from(["", " ", "."]))
def test_every_past_phrase_holds_one_of_its_keywords(words, end):
    """_in_past searches a window only when it holds one of the keywords of events.yaml: a
    phrase the pattern finds without one would be missed."""
    r = rules()
    window = " ".join(words) + end
    after_keywords, before_keywords = r.past_keywords
    if r.past_after.search(window):
        assert any(keyword in window for keyword in after_keywords), window
    if r.past_before.search(window):
        assert any(keyword in window for keyword in before_keywords), window
