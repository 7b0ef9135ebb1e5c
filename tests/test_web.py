"""The web pages in a real browser: Debian's chromium driven by Playwright, against the server
of `readout serve` on a free loopback port over a store of the gold fixtures plus one hostile
article. Clicks through the document, person, search, network and changes pages, checks that
each number shown is the API's for the same question, and that article text is never run.

Needs /usr/bin/chromium (scripts/chromium.sh installs it; `make test` runs that first).
"""
from __future__ import annotations

import re
import socket
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from readout.cli.serve import build_server
from readout.model import RawDocument
from readout.pipeline import records
from readout.store import open_store

from test_api import gold_records  # extracted once for both modules

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCRIPT = "<script>window.pwned=1</script>"
HOSTILE = (f"Pyongyang, June 20 (KCNA) -- {SCRIPT} Kim Jong Un met Sergei Lavrov, foreign minister "
           f"of Russia, at the Kumsusan State Guesthouse. <img src=x onerror=\"window.pwned=2\"> "
           f"Present were Choe Son Hui, foreign minister, and Kim Tok Hun, premier.")
SCREENSHOTS = Path("/tmp")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="no /usr/bin/chromium: run scripts/chromium.sh")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The server of `readout serve` (uvicorn, real sockets) in a thread, on a store of the gold
    articles and a hostile one; its base URL. (A thread rather than a process: a new Python
    loading readout costs most of this module's time budget on a busy machine.)"""
    path = str(tmp_path_factory.mktemp("web") / "web.db")
    with open_store(path) as store:
        store.add_records(list(gold_records()) + [hostile_record()])
    served = build_server(path, "127.0.0.1", free_port(), "warning")
    thread = threading.Thread(target=served.run, daemon=True, name="readout-serve")
    thread.start()
    base = f"http://127.0.0.1:{served.config.port}"
    try:
        wait_for(f"{base}/api/outlets", thread)
        yield base
    finally:
        served.should_exit = True
        thread.join(timeout=20)
        served.config.app.state.store.close()


def hostile_record() -> tuple[dict, str]:
    raw = RawDocument("hostile.jsonl#1", HOSTILE, {"format": "jsonl", "title": f"{SCRIPT} Talks",
                                                   "source": "KCNA", "published": "2024-06-20"})
    return next(records([raw])), HOSTILE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, thread: threading.Thread, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and thread.is_alive():
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"readout serve did not answer {url}")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and failed requests: a CSP violation, a
    missing script or a 404 for a vendored file fails the test that caused it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    yield opened
    context.close()
    assert problems == []


def api(server: str, path: str, **params):
    answer = httpx.get(server + path, params=params, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def number(page, selector: str) -> int:
    return int(page.locator(selector).inner_text().strip())


def document_id(server: str, file_start: str) -> int:
    found = api(server, "/api/documents", limit=500)["items"]
    return next(d["id"] for d in found if Path(d["file"]).name.startswith(file_start))


# --- the pages -----------------------------------------------------------------------------------

def test_home_lists_the_api_s_documents_and_filters(server, page):
    page.goto(server + "/")
    shown = page.locator("#documents tbody a").all_inner_texts()
    expected = api(server, "/api/documents", limit=50)["items"]
    assert shown == [d["title"] or d["file"] for d in expected]
    page.select_option("select[name=outlet]", "Rodong Sinmun")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"outlet=Rodong"))
    rodong = api(server, "/api/documents", outlet="Rodong Sinmun", limit=50)["items"]
    assert page.locator("#documents tbody tr").count() == len(rodong) > 0


def test_document_page_highlights_facts_and_links_people(server, page):
    talks = document_id(server, "000_")
    document = api(server, f"/api/documents/{talks}")
    page.goto(f"{server}/documents/{talks}")
    links = page.locator("#article-text a.person")
    assert links.count() >= len([p for p in document["people"] if p["start"] is not None]) > 5
    assert page.locator("#article-text mark.evidence").count() >= len(document["events"])
    # the highlighted text is exactly the stored span
    first = next(p for p in document["people"] if p["start"] is not None)
    assert links.first.inner_text() == document["text"][first["start"]:first["end"]]
    # attendance lists per side, in the stored order, as many as the API lists
    talks_event = next(e for e in document["events"] if e["participants"])
    listed = page.locator(".event").nth(document["events"].index(talks_event)).locator(".side li")
    assert listed.all_inner_texts()[0].startswith(talks_event["participants"][0]["name"])
    assert listed.count() == len(talks_event["participants"])
    # the other outlets' reports: one column per report, as the API's comparison
    reports = api(server, f"/api/documents/{talks}/compare")["reports"]
    assert page.locator("#reports thead th").count() == len(reports) + 1 and len(reports) >= 2
    page.screenshot(path=str(SCREENSHOTS / "readout-document.png"), full_page=False)
    # a link to a person works
    name = links.first.inner_text()
    links.first.click()
    page.wait_for_url(re.compile(r"/people/"))
    assert page.locator("h1").inner_text().startswith(first["name"]) or name in page.content()


def test_person_page_shows_the_api_s_numbers_and_draws_charts(server, page):
    profile = api(server, "/api/people/choe-son-hui")
    timeline = api(server, "/api/people/choe-son-hui/timeline")["appearances"]
    page.goto(server + "/people/choe-son-hui")
    assert page.locator("h1").inner_text().startswith("Choe Son Hui")
    assert number(page, "#appearance-count") == len(timeline)
    assert page.locator("#appearances tbody tr").count() == len(timeline)
    assert number(page, "#ranked-count") == len([a for a in timeline if a["order"] and a["date"]])
    assert page.locator("#first-seen").inner_text() == min(a["date"] for a in timeline if a["date"])
    assert page.locator("#titles tbody tr td:first-child").all_inner_texts() == \
        [t["title"] for t in profile["titles"]]
    assert "최선희" in page.locator("#aliases").inner_text()
    first = profile["co_attendees"][0]
    row = page.locator("#coattendees tbody tr").first.locator("td").all_inner_texts()
    assert (row[0], int(row[2])) == (first["name"], first["events"])
    # uPlot drew both charts (a canvas each), from the page's own JSON
    page.wait_for_selector("#appearance-chart canvas")
    page.wait_for_selector("#rank-chart canvas")
    page.screenshot(path=str(SCREENSHOTS / "readout-person.png"), full_page=True)


def test_person_page_covers_the_latest_last_appearances_as_the_api(server, page):
    shown = api(server, "/api/people/choe-son-hui/timeline", last=2)
    assert shown["appearance_count"] > 2
    page.goto(server + "/people/choe-son-hui?last=2")
    assert number(page, "#appearance-count") == shown["appearance_count"]
    assert page.locator("#appearances tbody tr").count() == len(shown["appearances"]) == 2
    assert "latest 2 appearances" in page.locator("#window").inner_text()
    titles = api(server, "/api/people/choe-son-hui", last=2)["titles"]
    assert page.locator("#titles tbody tr td:first-child").all_inner_texts() == [t["title"] for t in titles]


def test_search_from_the_header(server, page):
    page.goto(server + "/")
    page.fill("header input[name=q]", "Kumsusan")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Kumsusan"))
    found = api(server, "/api/search", q="Kumsusan")["items"]
    assert page.locator("ol.results > li").count() == len(found) > 0
    assert page.locator("ol.results mark").count() > 0  # the hits in the snippets
    page.locator("ol.results > li a").first.click()
    page.wait_for_url(re.compile(r"/documents/\d+"))
    assert page.locator("#article-text").count() == 1


def test_network_view_draws_the_api_s_graph(server, page):
    page.goto(server + "/network?limit=40")
    graph = api(server, "/api/network", limit=40)
    assert number(page, "#people-total") == graph["people"]
    assert number(page, "#links-total") == graph["links"]
    assert page.locator("#network circle").count() == len(graph["nodes"])
    assert page.locator("#network line").count() == len(graph["edges"])
    strongest = graph["edges"][0]
    cells = page.locator("#links tbody tr").first.locator("td").all_inner_texts()
    assert int(cells[2]) == strongest["weight"]
    page.locator(f'#network a[data-entity="{graph["nodes"][0]["id"]}"]').click()
    page.wait_for_url(re.compile(r"/people/" + re.escape(graph["nodes"][0]["id"])))


def test_changes_page_shows_the_store_s_last_90_days_unless_widened(server, page):
    page.goto(server + "/changes")
    since = page.locator("input[name=since]").input_value()
    latest = max(d["published"] for d in api(server, "/api/documents", limit=1)["items"])
    assert (date.fromisoformat(latest) - date.fromisoformat(since)).days == 89
    assert f"Changes since {since}: the store's last 90 days" in page.locator("#window").inner_text()
    recent = api(server, "/api/changes", since=since)
    assert page.locator("#title-changes tbody tr:not(:has(.empty))").count() == len(recent["title_changes"])
    assert page.locator("#absent tbody tr:not(:has(.empty))").count() == len(recent["absent"])
    page.goto(server + "/changes?since=1990-01-01")
    changes = api(server, "/api/changes", since="1990-01-01")
    assert changes["title_changes"] == api(server, "/api/changes")["title_changes"]
    assert page.locator("#title-changes tbody tr:not(:has(.empty))").count() == len(changes["title_changes"])
    assert page.locator("#absent tbody tr:not(:has(.empty))").count() == len(changes["absent"])
    assert page.locator("#edited .event").count() == len(changes["edited"])
    assert len(changes["title_changes"]) > 0


def test_hostile_article_is_shown_as_text_and_runs_nothing(server, page):
    found = api(server, "/api/search", q="pwned")["items"]
    assert len(found) == 1
    page.goto(f"{server}/documents/{found[0]['id']}")
    assert SCRIPT in page.locator("#article-text").inner_text()
    assert SCRIPT in page.locator("h1").inner_text()
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("img").count() == 0
    page.goto(f"{server}/search?q={quote(SCRIPT)}")
    assert SCRIPT in page.locator("input[name=q]").last.input_value()
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_a_missing_page_is_an_error_page(server, browser):
    context = browser.new_context()
    missing = context.new_page()
    answer = missing.goto(server + "/documents/987654")
    assert answer.status == 404 and "no document 987654" in missing.locator(".error-message").inner_text()
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    context.close()
