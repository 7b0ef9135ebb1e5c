"""Web pages and HTML fragments -> article text.

Nothing here runs scripts or fetches anything: trafilatura and selectolax only parse markup.
"""
from __future__ import annotations

import re

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from readout.errors import UnreadableInput
from readout.ingest.decoding import clean_text, decode_bytes
from readout.ingest.meta import iso_date

NO_TEXT = "no article text found in this HTML page"
# Elements whose end is a line break in the text a reader sees.
BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "pre", "section", "article", "header", "footer", "dd", "dt", "figcaption",
)
# Never text: code, styling, and things a browser would not show.
INVISIBLE_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object"]
# Dates from markup only: htmldate's extensive search reads dates out of page furniture, such
# as the crawl date at the top of a mirror ("January 07, 2026Jan 07, 2026"), which is wrong here.
DATE_PARAMS = {"extensive_search": False, "original_date": True}

# Deeper than any real page (they nest tens of levels), and still parsed in well under a second.
MAX_DEPTH = 5000
FLAT_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "rp", "rt", "colgroup", "caption",
})
# [^<>] rather than [^>]: a page of "<a<a<a..." without any ">" would make the search quadratic.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_PARAGRAPH_BREAKS = re.compile(r"\s*\n\s*")


def read_html_bytes(data: bytes, path: str) -> tuple[str, dict, list[str]]:
    """(text, meta, warnings) of one saved web page; raise UnreadableInput if it has no text."""
    markup, warnings = decode_bytes(data, path, declared=declared_charset(data))
    depth = nesting_depth(markup)
    if depth > MAX_DEPTH:
        raise UnreadableInput(path, f"HTML nested {depth} elements deep (over {MAX_DEPTH}): "
                                    "not an article page")
    text, meta = page_text(markup)
    if not text.strip():
        raise UnreadableInput(path, NO_TEXT)
    return clean_text(text, path, warnings), meta, warnings


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its top, if any."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def page_text(markup: str) -> tuple[str, dict]:
    """Main text of a page with its headline as the first line, and its meta.

    1. trafilatura finds the article body and the page's title, date and site name.
    2. When it finds no body (very short or unusual pages), the visible body text is used.
    3. The headline goes first, then a blank line, then the body: the layout of the .txt
       articles, so that parse reads both the same way.
    """
    tree = LexborHTMLParser(markup)
    found = _trafilatura(markup)
    body = (found.get("text") or "").strip() or visible_text(tree)
    title = found.get("title") or _headline(tree)
    meta = _page_meta(tree, found, title)
    # A headline alone is not an article (it is usually a page whose text a script would load).
    return (with_headline(title, paragraphs(body)) if body.strip() else ""), meta


def with_headline(title: str | None, body: str) -> str:
    """Title, blank line, body; the title is not repeated if the body already opens with it."""
    if not title:
        return body
    first_line = body.split("\n", 1)[0].strip()
    if first_line.casefold() == title.strip().casefold():
        body = body.split("\n", 1)[1].lstrip("\n") if "\n" in body else ""
    return f"{title.strip()}\n\n{body}" if body else title.strip()


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs separated by blank lines."""
    if nesting_depth(html) > MAX_DEPTH:
        return paragraphs(_TAG.sub("\n", html))  # too deep to parse in bounded time: tags dropped
    return paragraphs(visible_text(LexborHTMLParser(html)))


def nesting_depth(markup: str) -> int:
    """How deep elements nest, counted from the tags alone (linear time).

    Lexbor's tree building slows down with depth faster than linearly (32,000 nested divs take
    5 s, 100,000 minutes), so a page nested deeper than any real one is refused before parsing.
    Elements that never hold others or close themselves (void elements, <p>, <li>) do not count.
    """
    depth = deepest = 0
    for closing, name, self_closed in _TAG.findall(markup):
        if self_closed or name.lower() in FLAT_TAGS:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def visible_text(tree: LexborHTMLParser) -> str:
    """What a browser would show in the body, with a line break after every block element."""
    root = tree.body or tree.root
    if root is None:
        return ""
    tree.strip_tags(INVISIBLE_TAGS)
    for node in root.css(",".join(BLOCK_TAGS)):
        node.insert_after("\n")
    return root.text(separator="")


def paragraphs(text: str) -> str:
    """One paragraph a line block, blank lines between, spaces inside lines collapsed."""
    lines = (_SPACES.sub(" ", line).strip() for line in _PARAGRAPH_BREAKS.split(text))
    return "\n\n".join(line for line in lines if line)


def _trafilatura(markup: str) -> dict:
    found = trafilatura.bare_extraction(
        markup, with_metadata=True, include_comments=False, include_tables=True,
        date_extraction_params=DATE_PARAMS,
    )
    return found.as_dict() if found else {}


def _headline(tree: LexborHTMLParser) -> str | None:
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        words = node.text().split() if node else []
        if words:
            return " ".join(words)
    return None


def _page_meta(tree: LexborHTMLParser, found: dict, title: str | None) -> dict:
    canonical = tree.css_first('link[rel="canonical"]')
    candidates = {
        "url": (canonical.attributes.get("href") if canonical else None) or found.get("url"),
        "title": title,
        "published": iso_date(found.get("date")),
        "source": found.get("sitename"),
    }
    return {key: value.strip() for key, value in candidates.items() if value and value.strip()}
