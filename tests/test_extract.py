"""extract: names, titles, attendance lists with sides and order, events with evidence."""
import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from readout.extract import extract
from readout.extract.names import find_names
from readout.model import RawDocument
from readout.parse import parse


def run(text: str, published: str | None = "2024-06-20"):
    header = f"Date: {published[8:10]}/{published[5:7]}/{published[:4]} | Source: KCNA.kp (En)\n\n" if published else ""
    return extract(parse(RawDocument("x.txt", "Headline Of The Report\n\n" + header + text)))


@pytest.mark.parametrize("text, names", [
    ("Kim Tok Hun and Choe Hwi came.", ["Kim Tok Hun", "Choe Hwi"]),
    ("Moon Jae In met O Ryong Chol.", ["Moon Jae In", "O Ryong Chol"]),
    ("Wang Yi and Li Hongzhong and Song Tao.", ["Wang Yi", "Li Hongzhong", "Song Tao"]),
    ("Vladimir Vladimirovich Putin, Byacheslav Wolodin and Mahmoud O.R. Al Aloul.",
     ["Vladimir Vladimirovich Putin", "Byacheslav Wolodin", "Mahmoud O.R. Al Aloul"]),
    ("Elizabeth II and Miguel Mario Diaz-Canel Bermudez.", ["Elizabeth II", "Miguel Mario Diaz-Canel Bermudez"]),
    ("the Kim Il Sung-Kim Jong Il Foundation", ["Kim Il Sung", "Kim Jong Il"]),
    ("Gholamreza Sedighi, ambassador of Iran, came.", ["Gholamreza Sedighi"]),
])
def test_names_by_shape(text, names):
    assert [m.text for m in find_names(text)] == names


def test_words_are_not_names():
    text = "Kim Jong Un Has Talks at the Kumsusan State Guesthouse in Pyongyang on Sunday."
    assert [m.text for m in find_names(text)] == ["Kim Jong Un"]


def people(extraction):
    return {p.mention: p for p in extraction.people}


def test_name_first_list_with_long_titles():
    found = people(run(
        "Kim Jong Un had talks with Vladimir Putin on June 19. Present at the talks from the DPRK side were "
        "Pak Jong Chon, vice-chairman of the Central Military Commission of the WPK and secretary of the C.C., WPK, "
        "Yun Jong Ho, minister of External Economic Relations who is chairman of the DPRK side to the "
        "DPRK-Russia Inter-governmental Committee for Cooperation in Trade, Economy, Science and Technology, "
        "and Im Chon Il, vice-minister of Foreign Affairs."))
    assert [(p.order, p.side) for p in (found["Pak Jong Chon"], found["Yun Jong Ho"], found["Im Chon Il"])] == \
        [(1, "PRK"), (2, "PRK"), (3, "PRK")]
    assert found["Pak Jong Chon"].title == "vice-chairman of the Central Military Commission of the WPK and secretary of the C.C., WPK"
    assert found["Yun Jong Ho"].title.endswith("in Trade, Economy, Science and Technology")
    assert found["Im Chon Il"].title == "vice-minister of Foreign Affairs"


def test_title_first_list_with_commas_inside_a_title():
    found = people(run(
        "Kim Jong Un had talks with Vladimir Putin. Present from the Russian side were Foreign Minister "
        "Sergei Lavrov, Minister of Natural Resources and Ecology and Chairman of the Russian side to the "
        "Russia-DPRK Inter-governmental Committee for Cooperation in Trade, Economy, Science and Technology "
        "Alexandr Kozlov, other entourage members and Russian Ambassador to the DPRK Alexandr Matsegora."))
    assert found["Sergei Lavrov"].title == "Foreign Minister"
    assert found["Alexandr Kozlov"].title.startswith("Minister of Natural Resources and Ecology and Chairman")
    assert found["Alexandr Matsegora"].title == "Russian Ambassador to the DPRK"
    assert [found[n].order for n in ("Sergei Lavrov", "Alexandr Kozlov", "Alexandr Matsegora")] == [1, 2, 3]
    assert {found[n].side for n in ("Sergei Lavrov", "Alexandr Kozlov")} == {"RUS"}


def test_side_changes_inside_one_list():
    found = people(run(
        "Talks were held on September 2 between Ri Yong Ho, foreign minister of the DPRK, and Wang Yi, "
        "foreign minister of China. Present at it from the DPRK side were Ri Kil Song, vice-minister of "
        "Foreign Affairs, and officials concerned, and from the Chinese side Luo Zhaohui, vice-minister of "
        "Foreign Affairs, and Li Jinjun, Chinese ambassador to the DPRK."))
    assert (found["Ri Kil Song"].side, found["Ri Kil Song"].order) == ("PRK", 1)
    assert (found["Luo Zhaohui"].side, found["Luo Zhaohui"].order) == ("CHN", 1)
    assert (found["Li Jinjun"].side, found["Li Jinjun"].order) == ("CHN", 2)
    assert found["Ri Yong Ho"].role == found["Wang Yi"].role == "principal"


def test_delegation_head_keeps_place_in_list_but_is_principal():
    found = people(run(
        "The government hosted a reception on Monday. Present there on invitation were the Russian government "
        "delegation led by Alexandr Kozlov, minister of Natural Resources and Ecology, Alexandr Matsegora, "
        "Russian ambassador to the DPRK, and staff members of his embassy."))
    assert found["Alexandr Kozlov"].role == "principal"
    assert (found["Alexandr Matsegora"].role, found["Alexandr Matsegora"].order) == ("participant", 2)
    assert found["Alexandr Kozlov"].title == "minister of Natural Resources and Ecology"


def test_spouse_is_participant_and_eponym_is_mentioned():
    found = people(run(
        "Kim Jong Un and his wife Ri Sol Ju met Xi Jinping on Wednesday. Lavrov laid a floral basket before the "
        "statues of President Kim Il Sung and leader Kim Jong Il."))
    assert (found["Ri Sol Ju"].role, found["Ri Sol Ju"].side) == ("participant", "PRK")
    assert found["Kim Il Sung"].role == found["Kim Jong Il"].role == "mentioned"
    assert found["Kim Il Sung"].title == "President" and found["Kim Jong Il"].title == "leader"


def test_events_dates_and_evidence_spans():
    extraction = run(
        "Kim Jong Un had talks with Vladimir Putin on June 19. Prior to the talks, Kim Jong Un had a photo "
        "taken with Putin at the Kumsusan State Guesthouse. And reconfirmed were the full support and "
        "solidarity of the DPRK to Russia as regards the special military operations in Ukraine.")
    text = extraction.document.text
    by_type = {e.type: e for e in extraction.events}
    assert {"talks", "photo_session", "support"} <= set(by_type)
    assert by_type["talks"].date == dt.date(2024, 6, 19)
    assert by_type["photo_session"].place == "Kumsusan State Guesthouse"
    assert by_type["support"].topic == "Ukraine"
    for event in extraction.events:
        for span in event.evidence:
            assert 0 <= span.start < span.end <= len(text)
    assert "had talks with" in text[by_type["talks"].evidence[0].start:by_type["talks"].evidence[0].end]


def test_event_date_needs_a_year_from_somewhere():
    assert all(e.date is None for e in run("Kim Jong Un had talks with Xi Jinping on June 19.", None).events)
    dated = run("The talks took place at the Thongil House on May 26, Juche 107 (2018).", None)
    assert dated.events[0].date == dt.date(2018, 5, 26)


def test_past_events_are_not_reported_as_present():
    extraction = run("He recalled that they reached a consensus in September 2023.")
    assert "agreement" not in {e.type for e in extraction.events}


def test_message_received_is_not_a_meeting():
    types = {e.type for e in run("Kim Jong Un received a message of greeting from Elizabeth II on September 7.").events}
    assert types == {"message"}


def test_known_people_are_found_whatever_their_shape():
    assert [m.text for m in find_names("He met Sergey Lavrov and Kim Yo Jong.")] == ["Sergey Lavrov", "Kim Yo Jong"]


def test_places_named_after_people_are_not_people():
    text = "A rally at Kim Il Sung Square and Kim Chaek University of Technology, with Kim Jong Un."
    assert [m.text for m in find_names(text)] == ["Kim Jong Un"]


def test_title_before_a_name_stops_at_the_organisation_it_follows():
    found = people(run("He conveyed thanks upon the authorization of the C.C., the CPC and General "
                       "Secretary Xi Jinping. Head of the delegation Tomiichi Murayama, former prime minister "
                       "of Japan, handed the gift."))
    assert found["Xi Jinping"].title == "General Secretary"
    assert found["Tomiichi Murayama"].title == "former prime minister of Japan"


def test_wire_copy_from_other_outlets():
    found = people(run(
        "A South Korean delegation led by Unification Minister Jeong Se-hyon arrived in Pyongyang on Sunday. "
        "It came since South Korean President Roh Moo-Hyun took office. Kim Ryong Song, DPRK's cabinet chief "
        "councilor, had a brief talk with Jeong at Pyongyang's Sun An International Airport. Foreign Minister "
        "Pak Ui Chun held talks with visiting US chief nuclear negotiator Christopher Hill."))
    assert found["Jeong Se-hyon"].country == "KOR" and found["Roh Moo-Hyun"].country == "KOR"
    assert found["Kim Ryong Song"].title == "DPRK's cabinet chief councilor"
    assert "Sun An" not in found and "Christopher Hill" in found


def test_a_phrase_after_a_comma_is_not_a_title():
    found = people(run("He was moved by the welcome by Kim Jong Un, the Korean Party and government and "
                       "Pyongyang citizens, the Cuban president said."))
    assert found["Kim Jong Un"].title is None



# Sentences for the case-insensitive trigger rules: words of their patterns in any case, with
# the characters whose case rules are odd ("ſ" matches "s" under IGNORECASE, "İ" lowers to two
# characters, the Kelvin sign lowers to "k").
_TRIGGER_WORDS = ["had", "held", "talks", "visit", "to", "the", "DPRK", "Russia", "support",
                  "will", "delegation", "of", "received", "message", "a", "phone", "call",
                  "reached", "agreement", "condemned", "Pyongyang", "visiting", "Chinese",
                  "ſupport", "İ", "\u212aorea", "é", "-", "'s"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TRIGGER_WORDS), st.booleans()), min_size=1, max_size=10))
def test_lowered_trigger_patterns_match_where_ignorecase_does(words):
    """Where find_triggers runs a case-insensitive rule on the lower-cased text, the rule finds
    the spans and named groups it finds under IGNORECASE on the text as written."""
    from readout.extract.events import _lowering_keeps_matches, rules

    text = " ".join(word.upper() if upper else word for word, upper in words)
    lowered = text.lower()
    if not _lowering_keeps_matches(text, lowered):
        assert "ſ" in text or "İ" in text
        return
    for _, _, matcher, _ in rules().rules:
        if matcher.lowered is None:
            continue
        as_written = [m.regs for m in matcher.exact.finditer(text)]
        assert [m.regs for m in matcher.lowered.finditer(lowered)] == as_written, matcher.exact.pattern


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["since", "after", "the", "have", "had", "been", "recently",
                                 "talks", "ly", "x", "", ",", "_", "é", "o\u0306"]), max_size=12),
       st.sampled_from(["", " ", "  "]))
def test_past_phrase_before_a_trigger_is_found_backwards_where_forwards(words, end):
    """The window before a trigger holds a past-time phrase for the backwards search where
    it does for the forward search of the pattern as written (on ASCII; other windows keep it)."""
    import regex

    from readout.extract.events import _in_past, rules
    from readout.model import Span

    r = rules()
    window = " ".join(words) + end
    if window.isascii():
        assert bool(r.past_before_backwards.search(window)) == bool(r.past_before.search(window))
    trigger = regex.compile("met$").search(window + "met")
    past = r.past_after, r.past_before, r.past_before_backwards
    assert _in_past(window + "met", trigger, Span(0, len(window) + 3), past) == \
        bool(r.past_before.search(window[-60:]))   # _in_past reads 60 characters back


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["Kim", "Tok", "Hun", "the", "of", "Gholamreza", "Sedighi", "O'Neil",
                                 "x", "Al-Aloul", " ", ",", "É"]), max_size=25))
def test_apposition_search_starts_after_the_fifth_space_back(words):
    """Starting the apposition search after the fifth space back from the comma finds what a
    search of the whole 80-character window finds."""
    from readout.extract.names import _after_spaces, patterns

    text = " ".join(words)
    low = max(0, len(text) - 80)
    everywhere = patterns().apposition.search(text, low, len(text))
    narrowed = patterns().apposition.search(text, _after_spaces(text, low, len(text), 5), len(text))
    assert (narrowed and narrowed.span(1)) == (everywhere and everywhere.span(1))


def test_lists_of_the_body_are_those_of_the_index_narrowed_to_the_body():
    """find_lists asked for the sentences from the body's start finds what it finds on an
    index narrowed to them."""
    from importlib import resources

    from readout.extract.attendance import find_lists
    from readout.extract.keywords import SentenceIndex

    samples = resources.files("readout.data").joinpath("samples")
    checked = 0
    for entry in sorted(samples.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            doc = parse(RawDocument(entry.name, entry.read_text(encoding="utf-8")))
            index = SentenceIndex(doc.text, doc.sentences)
            found = find_lists(doc.text, index, doc.body_start)
            assert found == find_lists(doc.text, index.from_offset(doc.body_start)), entry.name
            checked += bool(found)
    assert checked >= 3


_DAY_WORDS = ["January", "Jan.", "Jan", "Sept.", "Sep.", "Sept", "May", "may", "Dec.", "Dec",
              "december", "Sunday", "SUNDAY", "Mon", "on", "the", "19", ",", ".", "İ", "x"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_DAY_WORDS), max_size=12), st.sampled_from([" ", "", "\n"]))
def test_every_month_or_weekday_name_holds_a_literal_the_keyword_index_finds(words, glue):
    """A sentence skipped for want of a day-word literal holds no month or weekday name."""
    from readout.extract.dates import _any_day_word, day_word_literals

    text = glue.join(words)
    if _any_day_word().search(text):
        assert any(literal in text.lower() for literal in day_word_literals())


def test_sentences_without_day_words_are_those_the_day_word_search_skips():
    from readout.extract.dates import _any_day_word, day_word_kinds
    from readout.extract.keywords import SentenceIndex

    text = "Talks were held on Sunday. Kim met him. They decided it in Dec. last year. Oct 5 came."
    doc = parse(RawDocument("a.txt", text))
    index = SentenceIndex(doc.text, doc.sentences)
    dated = set(day_word_kinds(index))
    named = {s.start for s in doc.sentences if _any_day_word().search(text, s.start, s.end)}
    assert named <= dated and len(dated) < len(doc.sentences)
    assert day_word_kinds(SentenceIndex("İ" + text, doc.sentences)) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["talks", "Met", "present", "visit to", "May", "x", ". ", ".\n",
                                 "\n\n", "delegation", " ", "’s", "金"]), max_size=30))
def test_keyword_index_places_each_hit_in_the_sentence_holding_its_start(words):
    from readout.extract.keywords import SentenceIndex, _automaton

    text = "Head line\n\n" + " ".join(words)
    doc = parse(RawDocument("a.txt", text))
    index = SentenceIndex(doc.text, doc.sentences)
    expected: dict = {}
    for keyword, start in _every_occurrence(_automaton()[1], doc.text.lower()):
        sentence = index.containing(start)
        if sentence is not None:
            expected.setdefault(keyword, {})[sentence.start] = sentence
    assert index.by_keyword == expected


def _every_occurrence(keywords, text):
    """Where each keyword occurs in text, overlapping occurrences included, by str.find: what
    the keyword automaton must find."""
    for keyword in keywords:
        at = text.find(keyword)
        while at >= 0:
            yield keyword, at
            at = text.find(keyword, at + 1)


def test_every_trigger_match_holds_a_keyword_of_its_rule():
    """A rule runs only on the sentences holding one of its keywords, so every match of its
    pattern must hold one: run without the filter over every sentence of 120 bench articles
    and the shipped samples, each rule finds nothing the keywords would have hidden."""
    from pathlib import Path

    import readout
    from readout.bench.corpus import Corpus, load_templates
    from readout.extract.events import rules

    texts = [raw.text for raw in Corpus(load_templates(), seed=11).documents(120)]
    shipped = Path(readout.__file__).parent / "data" / "samples"
    texts += [path.read_text(encoding="utf-8") for path in shipped.glob("*.txt")]
    checked = 0
    for text in texts:
        for sentence in parse(RawDocument("x.txt", text)).sentences:
            for rule_id, _type, matcher, keywords in rules().rules:
                for match in matcher.exact.finditer(text, sentence.start, sentence.end):
                    assert any(k in match.group().lower() for k in keywords), (rule_id, match.group())
                    checked += 1
    assert checked > 300


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Kim ", "Kim Jong Un", "Jong ", "Wang Yi", "Ambassador ", "negotiator ",
                                 "Vladimir ", "Putin", "Choe", "’s ", "金", "x", ", ", ". "]), max_size=20),
       st.integers(0, 12), st.integers(0, 12))
def test_name_openings_are_every_occurrence_of_every_key_in_the_range(words, cut_start, cut_end):
    """The automaton scans the slice text[start:end]: its hits, moved back to text offsets,
    are the occurrences str.find gives of every key that lie wholly in the range."""
    from readout.extract.names import _opening_hits, _openings

    text = "".join(words)
    start, end = min(cut_start, len(text)), max(min(len(text) - cut_end, len(text)), 0)
    spelled = {key[0] + ("" if key[1] is None else " ") for key in _openings()[1]}
    expected = sorted((at, at + len(spelling), spelling) for spelling in spelled
                      for _, at in _every_occurrence([spelling], text)
                      if start <= at and at + len(spelling) <= end)
    found = [(first, stop, key[0] + ("" if key[1] is None else " ")) for first, stop, key in
             _opening_hits(text, start, end)]
    assert sorted(found) == expected
