"""Seed inputs for each harness, made from the gold fixtures and the shipped knowledge base.

    python fuzz/make_seeds.py OUT_FOLDER

Seeds are cut to at most MAX_SEED bytes: libFuzzer mutates short inputs much faster, and every
rule of the parsers already shows within one or two paragraphs. Nothing here is committed: it is
made again from the fixtures at each run, so it follows them.
"""
from __future__ import annotations

import csv
import html
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"
REGRESSIONS = ROOT / "tests" / "regressions"
MAX_SEED = 2048

HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>
<link rel="canonical" href="http://example.org/a"><meta property="article:published_time"
content="2024-06-20"></head><body><nav>Home | News</nav><article><h1>{title}</h1>{body}
</article><script>var x = 1;</script></body></html>"""
RSS = """<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel><title>KCNA Watch</title>
<item><title>{title}</title><link>http://example.org/1</link><pubDate>Thu, 20 Jun 2024 07:00:00 +0900</pubDate>
<description>{body}</description></item></channel></rss>"""
ATOM = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Rodong</title>
<entry><title>{title}</title><updated>2024-06-20T07:00:00+09:00</updated>
<content type="html">{body}</content></entry></feed>"""
# Hostile DOCTYPEs the feed reader must defuse: expansion and an external file (the harness
# replaces @SECRET@ by the path of a file it planted).
DOCTYPES = ["", """<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>""", """<!DOCTYPE r [<!ENTITY x SYSTEM "file://@SECRET@">]>"""]
KEYWORDS = ["Present", "were", "side", "KCNA", "Pyongyang", "talks", "received", "(KCNA) --",
            "Juche", "Rodong Sinmun", "January", "June", "2024", "Kim Jong Un", "premier",
            "minister", "held talks with", "on the Russian side", "and", ", ", ". ", "\n"]


def chunks(text: str) -> list[str]:
    """The article's opening (its header lines) and each run of paragraphs up to MAX_SEED."""
    out, current = [], ""
    for paragraph in text.split("\n"):
        if current and len((current + "\n" + paragraph).encode()) > MAX_SEED:
            out.append(current)
            current = ""
        current = (current + "\n" + paragraph) if current else paragraph
    out.append(current)
    return [c.encode()[:MAX_SEED].decode("utf-8", "ignore") for c in out if c.strip()]


def articles() -> list[tuple[str, list[str]]]:
    return [(path.stem, chunks(path.read_text(encoding="utf-8"))) for path in sorted(GOLD.glob("*.txt"))]


def text_seeds() -> dict[str, bytes]:
    return {f"{name}-{i}": chunk.encode() for name, parts in articles() for i, chunk in enumerate(parts)}


def html_seeds() -> dict[str, bytes]:
    seeds = {}
    for name, parts in articles():
        title, body = parts[0].split("\n", 1)[0], parts[min(1, len(parts) - 1)]
        markup = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
        charset = "utf-8" if len(seeds) % 3 else "iso-8859-1"
        seeds[name] = HTML_PAGE.format(charset=charset, title=html.escape(title), body=markup).encode()
    return seeds


def feed_seeds() -> dict[str, bytes]:
    seeds = {}
    for i, (name, parts) in enumerate(articles()):
        title, body = html.escape(parts[0].split("\n", 1)[0]), html.escape(parts[-1][:1200])
        doctype = DOCTYPES[i % len(DOCTYPES)]
        if doctype:
            body = ("&c; " if "ENTITY c" in doctype else "&x; ") + body
        template = RSS if i % 2 else ATOM
        seeds[name] = template.format(doctype=doctype, title=title, body=body).encode()
    return seeds


def kb_seeds() -> dict[str, bytes]:
    """Slices of the shipped KB exported as import rows, in CSV (first byte 0) and JSON (1)."""
    from readout.resolve.kb import shipped_people
    from readout.resolve.kb_import import COLUMNS, export_rows

    rows = export_rows(list(shipped_people()))
    seeds = {}
    for i in range(0, min(len(rows), 400), 20):
        part = rows[i:i + 20]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(part)
        seeds[f"csv-{i}"] = b"\x00" + out.getvalue().encode()
        seeds[f"json-{i}"] = b"\x01" + json.dumps(part, ensure_ascii=False, indent=0).encode()
    return seeds


def decode_seeds() -> dict[str, bytes]:
    seeds = {}
    for name, chunk in list(text_seeds().items())[::3]:
        seeds[f"{name}-utf8"] = chunk
        seeds[f"{name}-cp1252"] = chunk.decode().encode("cp1252", "replace")
        seeds[f"{name}-utf16"] = chunk.decode().encode("utf-16")
        seeds[f"{name}-jsonl"] = json.dumps({"text": chunk.decode(), "published": "2024-06-20",
                                             "source": "KCNA"}).encode()
    return seeds


def api_seeds() -> dict[str, bytes]:
    """Route index, then path or query text, as fuzz_api.request_of reads them (a route index
    past the last route wraps round, so every route gets seeds whatever their number)."""
    values = [b"kim-jong-un", b"2024-06-19", b"PRK", b"talks", b"Putin", b"-1", b"99999999999999999999",
              b"1' OR '1'='1", b"%00", b"../../etc/passwd"]
    return {f"api-{route}-{i}": bytes([route, 0]) + value + b"\x02\x00" + value
            for route in range(32) for i, value in enumerate(values)}


SEEDS = {"api": api_seeds, "parse": text_seeds, "extract": text_seeds, "html": html_seeds, "feed": feed_seeds,
         "kb": kb_seeds, "decode": decode_seeds}
DICTIONARY = {"api": ["kim-jong-un", "2024-06-19", "PRK", "limit", "offset", "'", "%", "\u0000", "-1"],
              "parse": KEYWORDS, "extract": KEYWORDS,
              "html": ["<p>", "</p>", "<div>", "<br>", "<article>", "<h1>", "<title>", "<meta charset=",
                       "<script>", "<!--", "-->", "&amp;", "&#0;", "<![CDATA["],
              "feed": ["<item>", "</item>", "<entry>", "<content type=\"html\">", "<!ENTITY",
                       "SYSTEM", "&a;", "<pubDate>", "<![CDATA[", "encoding=\"utf-16\""],
              "kb": ["entity_id", "name", "country", "alias", "system", "title", "PRK", "hangul",
                     "\"", ",", "\n", "[", "{", "}", "null"],
              "decode": ["\xef\xbb\xbf", "\xff\xfe", "\x00", "\r\n", "\"text\":", "\"published\":"]}


def dict_escape(word: str) -> str:
    """A libFuzzer dictionary entry: printable ASCII as is, every other byte as \\xNN.

    Words are written as str; code points up to U+00FF stand for single bytes (the BOMs).
    """
    data = word.encode("latin-1") if all(ord(c) < 256 for c in word) else word.encode()
    return "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\x{b:02x}" for b in data)


def write_all(out: Path) -> None:
    for harness, make in SEEDS.items():
        folder = out / "seeds" / harness
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in make().items():
            (folder / name).write_bytes(data)
        for found in sorted(REGRESSIONS.glob(f"{harness}-*")):
            (folder / found.name).write_bytes(found.read_bytes())  # old crashes stay in the corpus
        words = DICTIONARY[harness]
        (out / f"{harness}.dict").write_text("".join(f'"{dict_escape(w)}"\n' for w in words))


if __name__ == "__main__":
    write_all(Path(sys.argv[1]))
