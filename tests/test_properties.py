"""Invariants that must hold for any input, checked with Hypothesis (issue 6).

- header and date parsing never raise, and every span they return lies inside the text;
- sentences never overlap, stay inside the body and slice back to trimmed text;
- extraction of any text, and of gold articles with random insertions, never raises; each
  person span slices to its mention and each evidence span lies inside the text;
- fold() is idempotent;
- a record stored in a SQLite file comes back as it went in;
- a random people file is imported whole, or refused with a line and nothing written.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readout.errors import KnowledgeBaseError
from readout.extract import extract
from readout.model import RawDocument
from readout.normalize import fold
from readout.parse import parse, parse_date
from readout.parse.header import parse_header
from readout.parse.sentences import TRIM, split_sentences
from readout.resolve import normalize as resolve_normalize
from readout.resolve.kb import load_user_people, user_kb_path
from readout.resolve.kb_import import COLUMNS, import_file
from readout.store import open_store

GOLD = Path(__file__).parent / "fixtures" / "gold"
GOLD_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(GOLD.glob("*.txt"))]
QUICK = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces of real articles, so that generated texts reach the rules and not only their misses.
PIECES = [
    "Pyongyang, June 19 (KCNA) -- ", "Rodong Sinmun", "KCNA", "June 20, 2024", "2024-06-20",
    "Date: 20/06/2024 | Source: KCNA.kp (En)", "Kim Jong Un", "Vladimir Putin", "Choe Son Hui",
    "held talks with", "received", "Present on the Russian side were", "Present there were",
    "first deputy prime minister", ", premier of the Cabinet", " and ", ", ", ". ", ".\n", "\n",
    "\n\n", "U.S.", "Nov.", "O.R.", "\u200b", "\u202e", "\ufeff", "\r\n", "\t", "|", "\"", "”",
    "on Friday", "Juche", "at the Kumsusan State Guesthouse", "Korean Central News Agency",
]
article_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=400), article_like)


def raw(text: str) -> RawDocument:
    return RawDocument("prop.txt", text, {"format": "text"})


def inside(text: str, span) -> bool:
    return span is None or 0 <= span.start <= span.end <= len(text)


# --- parse ------------------------------------------------------------------------------------

@QUICK
@given(any_text)
def test_header_spans_lie_inside_the_text(text):
    header = parse_header(text)
    assert 0 <= header.body_start <= len(text) and header.body_end <= len(text)
    for span in [header.title_span, header.dateline_span, *header.headline_spans]:
        assert inside(text, span)
    if header.title_span is not None:
        assert text[header.title_span.start:header.title_span.end].strip()


@QUICK
@given(any_text)
def test_parse_never_raises_and_its_spans_lie_inside(text):
    doc = parse(raw(text))
    assert doc.text == text
    assert all(inside(text, span) for span in doc.sentences)
    assert doc.published is None or isinstance(doc.published, dt.date)


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.text(max_size=30), st.sampled_from(["June 19", "19 June 2024", "2024-06-19",
                                                         "Nov. 3", "31/02/2024", "Friday"])),
       st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))))
def test_parse_date_returns_a_date_or_none(span, base):
    found = parse_date(span, base)
    assert found is None or isinstance(found, dt.date)


@QUICK
@given(any_text)
def test_sentences_never_overlap_and_slice_back(text):
    spans = split_sentences(text, 0, len(text))
    for before, after in itertools.pairwise(spans):
        assert before.end <= after.start
    for span in spans:
        piece = text[span.start:span.end]
        assert 0 <= span.start < span.end <= len(text)
        assert "\n" not in piece                    # a sentence never crosses a paragraph
        assert piece[0] not in TRIM and piece[-1] not in TRIM


# --- extract ----------------------------------------------------------------------------------

def check_extraction(text: str) -> None:
    extraction = extract(parse(raw(text)))
    for person in extraction.people:
        assert text[person.span.start:person.span.end] == person.mention
        assert inside(text, person.title_span)
    for event in extraction.events:
        assert event.evidence and all(inside(text, span) for span in event.evidence)
        for participant in event.participants:
            assert text[participant.span.start:participant.span.end] == participant.mention


@QUICK
@given(any_text)
def test_extraction_of_any_text_keeps_its_spans(text):
    check_extraction(text)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(range(len(GOLD_TEXTS))), st.data())
def test_extraction_of_gold_articles_with_insertions_keeps_its_spans(index, data):
    text = GOLD_TEXTS[index]
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=8))) + text[at:]
    check_extraction(text)


# --- folding ----------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=40), st.sampled_from(["Ch'oe Sŏn-hŭi", "Kim Jong-un", "Шойгу", "김정은"])))
def test_fold_is_idempotent(name):
    assert fold(fold(name)) == fold(name)
    assert resolve_normalize.fold(resolve_normalize.fold(name)) == resolve_normalize.fold(name)


# --- store round trip -------------------------------------------------------------------------

words = st.lists(st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=10),
                 min_size=3, max_size=25).map(" ".join)
countries = st.one_of(st.none(), st.sampled_from(["PRK", "RUS", "CHN", "USA"]))
plain = st.one_of(st.none(), st.text(max_size=20))


@st.composite
def record_and_text(draw):
    """A record as `readout extract` prints it, over a random text, with spans inside it."""
    text = draw(words)

    def span():
        start = draw(st.integers(0, len(text)))
        return {"start": start, "end": draw(st.integers(start, len(text)))}

    people = []
    for i in range(draw(st.integers(0, 4))):
        where = span()
        people.append({
            "name": draw(st.text(min_size=1, max_size=15)), "mention": text[where["start"]:where["end"]],
            "country": draw(countries), "titles": draw(st.lists(st.text(max_size=15), max_size=2)),
            "entity_id": f"person-{i}-{draw(st.integers(0, 3))}",
            "role": draw(st.sampled_from(["principal", "participant", "mentioned"])),
            "side": draw(countries), "order": draw(st.one_of(st.none(), st.integers(1, 9))),
            "span": where})
    events = [{
        "type": draw(st.sampled_from(["talks", "meeting", "visit", "support"])),
        "date": draw(st.one_of(st.none(), st.dates(dt.date(1990, 1, 1)).map(dt.date.isoformat))),
        "place": draw(plain),
        "principals": [{"name": p["name"], "country": p["country"], "entity_id": p["entity_id"]}
                       for p in people if p["role"] == "principal"],
        "participants": [{"name": p["name"], "mention": p["mention"], "title": draw(plain),
                          "side": p["side"], "order": p["order"], "entity_id": p["entity_id"]}
                         for p in people if p["role"] == "participant"],
        "source_actor": draw(countries), "target_actor": draw(countries), "topic": draw(plain),
        "attributes": draw(st.dictionaries(st.text(max_size=5), st.text(max_size=10), max_size=2)),
        "plover": draw(plain), "cameo": draw(plain), "evidence": [span()],
    } for _ in range(draw(st.integers(0, 3)))]
    return {"file": draw(st.text(max_size=20)), "source": draw(plain),
            "published": draw(st.one_of(st.none(), st.dates(dt.date(1990, 1, 1)).map(dt.date.isoformat))),
            "title": draw(plain), "byline": draw(plain), "url": draw(plain),
            "people": people, "events": events}, text


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory):
    with open_store(str(tmp_path_factory.mktemp("props") / "props.db")) as store:
        yield store


STORED = itertools.count()
STORED_PERSON_KEYS = ("name", "mention", "country", "titles", "entity_id", "role", "side", "order")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(record_and_text())
def test_store_then_load_returns_what_went_in(sqlite_store, item):
    record, text = item
    text += f" #{next(STORED)}"   # one store for all examples: a text drawn twice would be stored once
    [result] = sqlite_store.add_records([(record, text)])
    assert result.created
    stored = sqlite_store.get_document(result.document_id)
    assert stored["text"] == text
    assert {k: stored[k] for k in ("file", "source", "published", "title", "byline", "url")} == \
        {k: record[k] for k in ("file", "source", "published", "title", "byline", "url")}
    assert [{k: p[k] for k in STORED_PERSON_KEYS} | {"span": {"start": p["start"], "end": p["end"]}}
            for p in stored["people"]] == [{k: p[k] for k in (*STORED_PERSON_KEYS, "span")}
                                           for p in record["people"]]
    for got, sent in zip(stored["events"], record["events"], strict=True):
        assert {k: got[k] for k in sent if k != "participants"} == \
            {k: v for k, v in sent.items() if k != "participants"}
        assert [{k: p[k] for k in sent_p} for p, sent_p in
                zip(got["participants"], sent["participants"], strict=True)] == sent["participants"]


# --- knowledge-base import --------------------------------------------------------------------

cells = st.one_of(st.text(max_size=12), st.sampled_from(["kim-jong-un", "Kim Jong Un", "PRK", "prk",
                                                          "hangul", "other", "", "new-x", "a b"]))


@st.composite
def people_csv(draw):
    header = draw(st.one_of(st.just(list(COLUMNS)), st.permutations(COLUMNS),
                            st.lists(st.sampled_from([*COLUMNS, "nickname"]), max_size=7)))
    rows = draw(st.lists(st.lists(cells, min_size=max(0, len(header) - 1), max_size=len(header) + 1), max_size=8))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(people_csv())
def test_kb_import_is_whole_or_nothing(tmp_path, content):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    target = user_kb_path(home)
    before = target.read_bytes() if target.exists() else None
    source = tmp_path / "people.csv"
    source.write_text(content, encoding="utf-8")
    try:
        summary = import_file(source, home)
    except KnowledgeBaseError as error:
        assert error.problems and str(error).startswith(f"{source}:")
        assert isinstance(error.problems[0][0], int)
        assert (target.read_bytes() if target.exists() else None) == before   # nothing written
        return
    loaded = {p.entity_id: p for p in load_user_people(target)}
    header, *rows = list(csv.reader(io.StringIO(content)))
    ids = {dict(zip(header, values))["entity_id"].strip() for values in rows if any(v.strip() for v in values)}
    assert ids <= set(loaded)
    assert summary.total == len(loaded)
