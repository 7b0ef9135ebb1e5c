"""ingest: every input shape becomes RawDocuments; every problem a clear UnreadableInput."""
from __future__ import annotations

import gzip
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from readout.errors import UnreadableInput
from readout.ingest import iter_raw_documents, read_feed

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
ARTICLE = "Pyongyang, June 19 (KCNA) -- Kim Jong Un had talks with Vladimir Putin.\n"


def read_all(*paths, **kwargs):
    return list(iter_raw_documents([str(p) for p in paths], **kwargs))


def read_one(path, **kwargs):
    docs = read_all(path, **kwargs)
    assert len(docs) == 1
    return docs[0]


def refusal(path) -> UnreadableInput:
    with pytest.raises(UnreadableInput) as caught:
        read_all(path)
    return caught.value


# Plain text


def test_txt_with_sidecar_meta_keeps_text_exactly():
    doc = read_one(FIXTURES / "article.txt")
    assert doc.text == (FIXTURES / "article.txt").read_text(encoding="utf-8")
    assert doc.meta == {
        "format": "text",
        "url": "http://www.rodong.rep.kp/en/index.php?newsID=2024-11-28-0001",
        "source": "Rodong Sinmun",
        "published": "2024-11-28",
        "title": "Kim Jong Un Receives Credentials from Ambassador",
    }
    assert doc.warnings == []


def test_sidecar_unknown_date_dropped_and_outlet_read_as_source(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "a.meta.json").write_text(json.dumps(
        {"url": None, "outlet": "KCNA", "published": "unknown", "title": "Talks"}))
    doc = read_one(tmp_path / "a.txt")
    assert doc.meta == {"format": "text", "source": "KCNA", "title": "Talks"}


def test_broken_sidecar_costs_only_the_meta(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "a.meta.json").write_text("{not json")
    doc = read_one(tmp_path / "a.txt")
    assert doc.text == ARTICLE
    assert "a.meta.json: sidecar ignored" in doc.warnings[0]


def test_utf8_bom_is_removed(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    doc = read_one(path)
    assert doc.text == ARTICLE
    assert doc.warnings == []


def test_cp1252_text_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes("Kim Jong Un\u2019s talks \u2013 in Pyongyang.\n".encode("cp1252"))
    doc = read_one(path)
    assert doc.text == "Kim Jong Un\u2019s talks \u2013 in Pyongyang.\n"
    assert doc.warnings == [f"{path}: not valid UTF-8; decoded as cp1252 with 0 replaced characters"]


def test_utf8_cut_inside_a_character_stays_utf8(tmp_path):
    # The corpus truncates articles at a byte count, sometimes inside a curly quote.
    path = tmp_path / "cut.txt"
    path.write_bytes("Kim\u2019s talks with Putin\u2019".encode()[:-1])
    doc = read_one(path)
    assert doc.text == "Kim\u2019s talks with Putin\ufffd"
    assert doc.warnings == [f"{path}: not valid UTF-8; decoded as utf-8 with 1 replaced characters"]


def test_newlines_normalised_and_nothing_else(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Title  \r\n\r\nBody\tline.\rNext   line.\r\n")
    assert read_one(path).text == "Title  \n\nBody\tline.\nNext   line.\n"


def test_nul_characters_removed_with_warning(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Kim Jong Un\x00 met\x00 Putin.\n")
    doc = read_one(path)
    assert doc.text == "Kim Jong Un met Putin.\n"
    assert doc.warnings == [f"{path}: removed 2 NUL characters"]


def test_utf16_with_bom_is_text(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    assert read_one(path).text == ARTICLE


# Refusals


def test_empty_file_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    error = refusal(path)
    assert (error.path, error.reason) == (str(path), "empty file")


def test_whitespace_only_file_refused_as_empty(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\xef\xbb\xbf \r\n\t\n")
    assert refusal(path).reason == "empty file"


def test_binary_file_refused(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(PNG + bytes(range(256)) * 4)
    error = refusal(path)
    assert (error.path, error.reason) == (str(path), "binary file, not an article")
    assert str(error) == f"{path}: binary file, not an article"


def test_missing_path_refused(tmp_path):
    error = refusal(tmp_path / "nowhere.txt")
    assert error.reason == "no such file or folder"
    assert error.path == str(tmp_path / "nowhere.txt")


def test_folder_without_articles_refused(tmp_path):
    (tmp_path / "notes.md").write_text("not an article format")
    (tmp_path / "a.gold.json").write_text("{}")
    error = refusal(tmp_path)
    assert error.reason == "no articles (.txt, .html, .jsonl, feeds) in this folder"
    assert error.path == str(tmp_path)


def test_a_single_path_string_is_one_path():
    assert [d.path for d in iter_raw_documents(str(FIXTURES / "article.txt"))] == [
        str(FIXTURES / "article.txt")]


def test_errors_are_raised_lazily_in_input_order(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    documents = iter_raw_documents([str(good), str(tmp_path / "missing.txt")])
    assert next(documents).text == ARTICLE
    with pytest.raises(UnreadableInput, match="no such file or folder"):
        next(documents)


def test_bad_gzip_refused(tmp_path):
    path = tmp_path / "broken.txt.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert refusal(path).reason.startswith("not a valid gzip file")


# Folders


def make_folder(root: Path) -> Path:
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text("ref: refs/heads/main")
    (root / "a.txt").write_text("First.\n")
    (root / "a.meta.json").write_text('{"title": "First"}')
    (root / "a.gold.json").write_text("{}")
    (root / "b" / "c.txt").write_text("Third.\n")
    (root / "b" / "empty.txt").write_bytes(b"")
    (root / "b" / "image.png").write_bytes(PNG)       # not an article ending: not even looked at
    (root / "b" / "photo.html").write_bytes(PNG)      # an article ending with binary content
    (root / "b0.txt").write_text("Fourth.\n")
    return root


def test_folder_walked_in_sorted_order_with_bad_files_reported(tmp_path):
    folder = make_folder(tmp_path / "corpus")
    problems: list[UnreadableInput] = []
    docs = read_all(folder, on_error=problems.append)
    assert [Path(d.path).relative_to(folder).as_posix() for d in docs] == ["a.txt", "b/c.txt", "b0.txt"]
    assert docs[0].meta["title"] == "First"
    assert [(Path(p.path).name, p.reason) for p in problems] == [
        ("empty.txt", "empty file"),
        ("photo.html", "binary file, not an article"),
    ]


def test_folder_bad_file_raises_without_on_error(tmp_path):
    folder = make_folder(tmp_path / "corpus")
    with pytest.raises(UnreadableInput, match="empty file"):
        read_all(folder)


def test_sidecars_named_explicitly_are_skipped(tmp_path):
    # A shell glob like corpus/dev/* names the sidecars too; they are not articles.
    folder = make_folder(tmp_path / "corpus")
    docs = read_all(folder / "a.txt", folder / "a.meta.json", folder / "a.gold.json")
    assert [d.text for d in docs] == ["First.\n"]


# JSONL


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_good_lines(tmp_path):
    path = write_jsonl(tmp_path / "dump.jsonl", [
        json.dumps({"text": "Kim met Putin.\r\nSecond line.", "url": "https://a.example/1",
                    "title": "Talks", "source": "KCNA", "published": "2024-06-20T07:00:00+09:00"}),
        "",
        json.dumps({"content": "Choe Son Hui met Lavrov."}),
        json.dumps({"body": "Third article.", "published": "sometime"}),
    ])
    docs = read_all(path)
    assert [d.path for d in docs] == [f"{path}#1", f"{path}#3", f"{path}#4"]
    assert docs[0].text == "Kim met Putin.\nSecond line."
    assert docs[0].meta == {"format": "jsonl", "url": "https://a.example/1", "title": "Talks",
                            "source": "KCNA", "published": "2024-06-20"}
    assert docs[1].text == "Choe Son Hui met Lavrov."
    assert docs[2].meta == {"format": "jsonl"}
    assert docs[2].warnings == [f"{path}#4: published date 'sometime' not understood; ignored"]


def test_jsonl_bad_lines_named_and_skipped(tmp_path):
    path = write_jsonl(tmp_path / "dump.jsonl", [
        json.dumps({"text": "Good one."}),
        "{broken",
        json.dumps({"title": "no text here"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": 42}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Good two."}),
    ])
    problems: list[UnreadableInput] = []
    docs = read_all(path, on_error=problems.append)
    assert [d.text for d in docs] == ["Good one.", "Good two."]
    assert all(p.path == str(path) for p in problems)
    reasons = [p.reason for p in problems]
    assert reasons[0].startswith("line 2: not JSON")
    assert reasons[1:] == ["line 3: no 'text' field", "line 4: not a JSON object",
                           "line 5: 'text' is a int, not a string", "line 6: empty 'text' field"]


def test_jsonl_bad_line_raises_without_on_error(tmp_path):
    path = write_jsonl(tmp_path / "dump.jsonl", [json.dumps({"text": "Good."}), "nope"])
    documents = iter_raw_documents([str(path)])
    assert next(documents).text == "Good."
    with pytest.raises(UnreadableInput, match=r"dump.jsonl: line 2: not JSON"):
        next(documents)


def test_jsonl_json_lines_ending_and_blank_file(tmp_path):
    path = tmp_path / "dump.json-lines"
    path.write_text("\n\n")
    assert refusal(path).reason == "empty file"


# gzip


def test_gzipped_txt_with_sidecar(tmp_path):
    path = tmp_path / "a.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(ARTICLE)
    (tmp_path / "a.meta.json").write_text('{"source": "KCNA"}')
    doc = read_one(path)
    assert doc.text == ARTICLE
    assert doc.meta["source"] == "KCNA"


def test_gzipped_jsonl_in_a_folder(tmp_path):
    with gzip.open(tmp_path / "dump.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "One."}) + "\n" + json.dumps({"text": "Two."}) + "\n")
    docs = read_all(tmp_path)
    assert [(Path(d.path).name, d.text) for d in docs] == [
        ("dump.jsonl.gz#1", "One."), ("dump.jsonl.gz#2", "Two.")]


# HTML


def test_html_page_gives_article_text_and_meta_without_furniture():
    doc = read_one(FIXTURES / "page.html")
    title = "Kim Jong Un Meets Xi Jinping Again"
    assert doc.text.startswith(title + "\n\nKim Jong Un, chairman of the Workers' Party of Korea")
    assert "Present there were Choe Ryong Hae" in doc.text
    assert doc.text.count(title) == 1
    for furniture in ("Home", "Politics", "Copyright", "Contact us", "evil", "Jan 07, 2026"):
        assert furniture not in doc.text
    assert doc.meta == {
        "format": "html",
        "url": "http://www.rodong.rep.kp/en/index.php?newsID=2018-06-21-0005",
        "title": title,
        "published": "2018-06-21",
        "source": "Rodong Sinmun",
    }


def test_html_fallback_and_legacy_charset(tmp_path):
    # Too short for trafilatura's main-text search: the visible text is used instead.
    path = tmp_path / "short.htm"
    path.write_bytes('<html><head><meta charset="windows-1252"><title>Brief</title></head>'
                     '<body><p>Kim\u2019s note.</p><script>alert(1)</script></body></html>'
                     .encode("cp1252"))
    doc = read_one(path)
    assert doc.text == "Brief\n\nKim\u2019s note."
    assert doc.warnings == []


def test_html_without_text_refused(tmp_path):
    path = tmp_path / "shell.html"
    path.write_text("<html><head><title>App</title><script>load()</script></head><body></body></html>")
    assert refusal(path).reason == "no article text found in this HTML page"


# Feeds


def test_rss_entries():
    feed = str(FIXTURES / "feed.rss")
    docs = list(read_feed(feed))
    assert [d.path for d in docs] == [f"{feed}#1", f"{feed}#2"]
    assert docs[0].text == (
        "Kim Jong Un Has Talks with Vladimir Putin\n\n"
        "Kim Jong Un had talks with Vladimir Putin at the Kumsusan State Guesthouse on June 19.\n\n"
        "Present were Choe Son Hui and Sergei Lavrov.")
    # The day as published in Pyongyang (+0900), not the UTC day before.
    assert docs[0].meta == {"format": "feed", "url": "https://kcnawatch.example/newstream/1/talks",
                            "title": "Kim Jong Un Has Talks with Vladimir Putin",
                            "source": "KCNA Watch", "published": "2024-06-20"}
    assert docs[1].text.endswith("Choe Son Hui met Alexandr Matsegora, Russian ambassador, on June 20.")


def test_atom_entries():
    docs = list(read_feed(str(FIXTURES / "feed.atom")))
    assert [d.meta["title"] for d in docs] == [
        "Russian-Korean talks", "Telephone conversation with President of Belarus"]
    assert docs[0].text == "Russian-Korean talks\n\nVladimir Putin and Kim Jong Un held talks in Pyongyang."
    assert docs[0].meta["published"] == "2024-06-19"
    assert docs[0].meta["url"] == "http://en.kremlin.example/events/president/news/74316"
    assert docs[1].meta["published"] == "2024-06-21"      # only <updated> given
    assert docs[1].meta["source"] == "The Kremlin: Events"


def test_feeds_in_a_folder_are_read(tmp_path):
    shutil.copy(FIXTURES / "feed.atom", tmp_path / "kremlin.atom")
    shutil.copy(FIXTURES / "feed.rss", tmp_path / "kcna.xml")
    docs = read_all(tmp_path)
    assert [Path(d.path).name for d in docs] == ["kcna.xml#1", "kcna.xml#2", "kremlin.atom#1", "kremlin.atom#2"]


def test_malformed_feed_in_a_folder_is_reported_and_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.rss").write_text("<rss><channel><title>cut off")
    problems: list[UnreadableInput] = []
    docs = read_all(tmp_path, on_error=problems.append)
    assert [d.text for d in docs] == [ARTICLE]
    assert [(Path(p.path).name, p.reason.split(":")[0]) for p in problems] == [("b.rss", "malformed feed")]


def test_malformed_feed_refused(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("this is <not a feed")
    with pytest.raises(UnreadableInput) as caught:
        list(read_feed(str(path)))
    assert caught.value.path == str(path)
    assert caught.value.reason.startswith("malformed feed")


def test_xml_that_is_not_a_feed_refused(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    with pytest.raises(UnreadableInput, match="not an RSS or Atom feed"):
        list(read_feed(str(path)))


def test_missing_feed_refused(tmp_path):
    with pytest.raises(UnreadableInput, match="no such file or folder"):
        list(read_feed(str(tmp_path / "none.rss")))


def test_feed_external_entities_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.rss"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                    '<rss version="2.0"><channel><title>T</title><item><title>Entry &xxe;</title>'
                    '<description>Body &xxe; here</description></item></channel></rss>')
    docs = list(read_feed(str(path)))
    assert docs
    assert all("TOP-SECRET" not in d.text and "TOP-SECRET" not in str(d.meta) for d in docs)


# Streaming


def test_huge_jsonl_is_read_lazily(tmp_path):
    path = tmp_path / "huge.jsonl"
    paragraph = "Kim Jong Un met a delegation and they had a talk in a friendly atmosphere. " * 6
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(20_000):
            handle.write(json.dumps({"text": f"{number}: {paragraph}", "title": f"T{number}"}) + "\n")
    assert path.stat().st_size > 9_000_000

    tracemalloc.start()
    try:
        documents = iter_raw_documents([str(path)])
        first = next(documents)
        _, peak_first = tracemalloc.get_traced_memory()
        count = 1 + sum(1 for _ in documents)
        _, peak_all = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.path == f"{path}#1" and first.text.startswith("0: Kim Jong Un")
    assert count == 20_000
    # The file is 9+ MB: neither the first article nor the whole pass may hold it in memory.
    assert peak_first < 1_000_000
    assert peak_all < 2_000_000


INVISIBLE_OR_NOT = "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2060\u2064\u2065\u2066\u2069\u061c\ufeffaK ’ŏ한\u0628"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(INVISIBLE_OR_NOT) | st.characters(), max_size=30).map("".join))
def test_invisible_prefilter_keeps_what_the_pattern_removes(text):
    # the character-class search that skips most texts must never skip one the pattern changes
    from readout.ingest.decoding import _INVISIBLE, _remove_invisible

    warnings: list[str] = []
    assert _remove_invisible(text, "t", warnings) == _INVISIBLE.sub("", text)
    assert bool(warnings) == bool(_INVISIBLE.search(text))
