"""The server keeps whole answers until the store changes (readout.api.responses): a kept
answer is the same bytes as a fresh one, a browser holding it gets a 304, errors are never
kept, a write through the server makes the next answer fresh, and the bytes kept are bounded."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from readout.api import Settings, create_app
from readout.api.responses import KeptBodies
from readout.api.settings import SettingsError
from readout.store import open_store
from test_api import GOLD, TOKEN, fill


@pytest.fixture(scope="module")
def gold_path(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("kept") / "gold.db")
    fill(path)
    return path


@pytest.fixture
def client(gold_path):
    with open_store(gold_path) as store, TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client


def a_person(client) -> str:
    return client.get("/api/people", params={"limit": 1}).json()["items"][0]["entity_id"]


@pytest.mark.parametrize("path", ["/api/people/{p}/timeline", "/people/{p}", "/api/search?q=talks"])
def test_the_second_answer_is_kept_and_the_same(client, path):
    url = path.format(p=a_person(client))
    first, second = client.get(url), client.get(url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.headers["x-readout-cache"], second.headers["x-readout-cache"]) == ("miss", "hit")
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    assert first.headers["content-type"] == second.headers["content-type"]
    assert "default-src 'self'" in second.headers["content-security-policy"]


def test_a_browser_holding_the_answer_gets_304(client):
    url = f"/api/people/{a_person(client)}"
    etag = client.get(url).headers["etag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert "default-src 'self'" in again.headers["content-security-policy"]
    other = client.get(url, headers={"if-none-match": '"not-this-one"'})
    assert other.status_code == 200 and other.headers["etag"] == etag


def test_errors_are_not_kept(client):
    for _ in range(2):
        missing = client.get("/api/documents/999999")
        assert missing.status_code == 404 and "x-readout-cache" not in missing.headers
        assert missing.json()["error"]["code"] == "not_found"


def test_a_write_makes_the_next_answer_fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("READOUT_HOME", str(tmp_path / "home"))
    with open_store(str(tmp_path / "w.db")) as store, \
            TestClient(create_app(Settings(token=TOKEN), store=store)) as client:
        client.headers["authorization"] = f"Bearer {TOKEN}"
        before = client.get("/api/documents")
        assert before.json()["items"] == [] and client.get("/api/documents").headers["x-readout-cache"] == "hit"
        article = {"text": (GOLD / "000_rodong-kju-putin-talks-2024-06.txt").read_text(),
                   "source": "Rodong Sinmun"}
        assert client.post("/api/ingest", json=article).json()["stored"] == 1
        after = client.get("/api/documents")
        assert after.headers["x-readout-cache"] == "miss" and len(after.json()["items"]) == 1


def test_kept_bytes_stay_within_the_budget():
    kept = KeptBodies(budget=100, largest=60)
    for n in range(5):
        kept.put(("/p", str(n).encode()), ("state",), ([], b'"e"', b"x" * 40))
    assert kept.used <= 100 and len(kept.entries) == 2
    assert kept.get(("/p", b"4"), ("state",)) is not None and kept.get(("/p", b"0"), ("state",)) is None
    assert kept.get(("/p", b"4"), ("newer",)) is None  # made for another state of the store
    kept.put(("/big", b""), ("state",), ([], b'"e"', b"x" * 61))  # over `largest`: not kept
    assert kept.get(("/big", b""), ("state",)) is None


def test_the_budget_is_a_setting():
    assert Settings.from_env(environ={"READOUT_CACHE_MB": "0"}).cache_mb == 0
    assert Settings.from_env(environ={}).cache_mb == 64
    with pytest.raises(SettingsError, match="READOUT_CACHE_MB='lots'"):
        Settings.from_env(environ={"READOUT_CACHE_MB": "lots"})


def test_no_budget_keeps_nothing(gold_path):
    with open_store(gold_path) as store, \
            TestClient(create_app(Settings(cache_mb=0), store=store)) as client:
        for _ in range(2):
            answer = client.get("/api/outlets")
            assert answer.status_code == 200 and "x-readout-cache" not in answer.headers


def test_processes_of_one_server_share_what_they_keep(gold_path, tmp_path):
    """Two apps sharing a folder, as `readout serve --workers 2` runs them: what one computed
    the other answers from the folder, the same bytes."""
    shared = Settings(shared_answers=tmp_path / "answers")
    with open_store(gold_path) as one, open_store(gold_path) as two, \
            TestClient(create_app(shared, store=one)) as first, TestClient(create_app(shared, store=two)) as second:
        url = f"/people/{a_person(first)}"
        computed = first.get(url)
        found = second.get(url)
        assert (computed.headers["x-readout-cache"], found.headers["x-readout-cache"]) == ("miss", "hit")
        assert computed.content == found.content and computed.headers["etag"] == found.headers["etag"]


def ask_at_once(app, url: str, times: int) -> list:
    """`times` requests for `url` sent into the app together, as a loaded server gets them."""
    import asyncio

    import httpx

    async def ask_all():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://readout") as client:
            return await asyncio.gather(*(client.get(url) for _ in range(times)))

    return asyncio.run(ask_all())


def test_an_answer_asked_for_by_many_at_once_is_computed_once(gold_path, monkeypatch):
    """A server behind its load must not compute the same leader's page once per waiting request."""
    import time

    from readout.analyze import timeline as timeline_analysis

    computed = []
    original = timeline_analysis.timeline

    def slow_timeline(*args, **kwargs):
        computed.append(args[1])
        time.sleep(0.2)  # long enough for every request to arrive while it is computed
        return original(*args, **kwargs)

    monkeypatch.setattr(timeline_analysis, "timeline", slow_timeline)
    with open_store(gold_path) as store:
        app = create_app(Settings(), store=store)
        url = f"/api/people/{TestClient(app).get('/api/people?limit=1').json()['items'][0]['entity_id']}/timeline"
        answers = ask_at_once(app, url, 6)
    assert len(computed) == 1
    assert sorted(a.headers["x-readout-cache"] for a in answers) == ["joined"] * 5 + ["miss"]
    assert len({(a.status_code, a.content) for a in answers}) == 1 and answers[0].status_code == 200


def test_requests_waiting_on_an_error_get_the_error_too(client):
    answers = ask_at_once(client.app, "/api/documents/999999", 4)
    assert [a.status_code for a in answers] == [404] * 4
    assert all("x-readout-cache" not in a.headers for a in answers)


def test_whole_store_answers_keep_no_lock_per_key_asked(gold_path):
    """AnswerCache computes each key once for callers that miss together, and forgets how it
    did so: a server open for months is asked for millions of different keys."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from readout.api.cache import AnswerCache

    cache, computed = AnswerCache(size=4), []

    def slow(key):
        computed.append(key)
        time.sleep(0.1)
        return key * 2

    with open_store(gold_path) as store, ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda _: cache.get(store, ("k",), lambda: slow(21)), range(4)))
        for n in range(50):
            cache.get(store, ("other", n), lambda: n)
    assert together == [42] * 4 and computed == [21]
    assert cache.computing == {} and len(cache.entries) == 4
