"""The keywords of attendance.yaml hide no match: a trigger found in every sentence is found in
those holding its keywords, and a spouse phrase always holds one of spouse_keywords."""
from pathlib import Path

from hypothesis import given, settings, strategies as st

import readout
from readout.bench.corpus import Corpus, load_templates
from readout.extract.attendance import _rules, is_spouse
from readout.extract.keywords import SentenceIndex
from readout.model import RawDocument
from readout.parse import parse


def _texts() -> list[str]:
    texts = [raw.text for raw in Corpus(load_templates(), seed=17).documents(50)]
    shipped = Path(readout.__file__).parent / "data" / "samples"
    return texts + [path.read_text(encoding="utf-8") for path in shipped.glob("*.txt")]


def test_trigger_keywords_hide_no_match_in_bench_articles_and_samples():
    triggers, _, _ = _rules()
    matched = 0
    for text in _texts():
        doc = parse(RawDocument("x.txt", text))
        index = SentenceIndex(doc.text, doc.sentences)
        for _rule, pattern, keywords, _side in triggers:
            everywhere = [m.span() for s in doc.sentences for m in pattern.finditer(doc.text, s.start, s.end)]
            kept = [m.span() for s in index.with_keywords(keywords)
                    for m in pattern.finditer(doc.text, s.start, s.end)]
            assert sorted(kept) == sorted(everywhere), pattern.pattern
            matched += len(everywhere)
    assert matched > 30


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["his", "her", "wife", "husband", "wifely", ",", " ", "Ri", "x"]), max_size=8))
def test_every_spouse_phrase_holds_one_of_its_keywords(words):
    _, _, (spouse, keywords) = _rules()
    window = " ".join(words) + " "
    if spouse.search(window):
        assert any(keyword in window for keyword in keywords), window
    text = window + "Ri Sol Ju"
    assert is_spouse(text, len(window)) == bool(spouse.search(text[max(0, len(window) - 20):len(window)]))
