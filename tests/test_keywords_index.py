"""The two views of the keyword index agree: the keywords each sentence holds (what rules and
date kinds are looked up by) are those for which by_keyword lists it, also after from_offset."""
from readout.bench.corpus import Corpus, load_templates
from readout.extract.keywords import SentenceIndex
from readout.model import RawDocument
from readout.parse import parse


def _held_by_sentence(index: SentenceIndex) -> dict:
    held: dict = {}
    for keyword, sentences in index.by_keyword.items():
        for sentence in sentences.values():
            held.setdefault(sentence, set()).add(keyword)
    return held


def test_keywords_in_each_sentence_agree_with_by_keyword():
    checked = 0
    for raw in Corpus(load_templates(), seed=5).documents(40):
        doc = parse(RawDocument("x.txt", raw.text))
        index = SentenceIndex(doc.text, doc.sentences)
        narrowed = index.from_offset(doc.body_start)
        assert index.keywords_in == _held_by_sentence(index)
        assert narrowed.keywords_in == _held_by_sentence(narrowed)
        assert all(s.start >= doc.body_start for s in narrowed.keywords_in)
        checked += sum(map(len, index.keywords_in.values()))
    assert checked > 200
