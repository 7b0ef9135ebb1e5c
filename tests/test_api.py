"""The REST API over a store built from the gold fixtures: every endpoint answers what the
library (and so the CLI) answers for the same question; every error has one JSON shape; writes
need the token; bodies are size-limited; files outside the permitted folders are refused;
every response carries the Content-Security-Policy. Filter queries run on PostgreSQL too.
"""
from __future__ import annotations

import functools
import gc
import json
import os
import sys

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from readout.analyze.compare import compare
from readout.analyze.network import network
from readout.analyze.person import person_profile, profile_of
from readout.analyze.rank import rank
from readout.analyze.timeline import timeline
from readout.analyze.titles import title_changes, title_history
from readout.api import Settings, answers, create_app
from readout.ingest import iter_raw_documents
from readout.pipeline import records
from readout.store import open_store

from conftest import GOLD
from store_fixtures import postgres_url  # noqa: F401  (a fixture)

TOKEN = "s3cret-token-for-tests"
ERROR_KEYS = {"error"}


@functools.lru_cache(maxsize=1)
def gold_records() -> tuple:
    """(record, text) of every gold article, extracted once per test run (test_web uses it too)."""
    raws = list(iter_raw_documents([str(GOLD)]))
    return tuple(zip(records(raws), [raw.text for raw in raws]))


def fill(url: str) -> None:
    with open_store(url) as store:
        store.add_records(gold_records())


@pytest.fixture(scope="module")
def gold_db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("api") / "gold.db")
    fill(path)
    return path


@pytest.fixture(scope="module")
def gold(gold_db):
    with open_store(gold_db) as store:
        yield store


@pytest.fixture(scope="module")
def client(gold):
    with TestClient(create_app(Settings(db=None), store=gold)) as test_client:
        yield test_client


def test_a_warm_server_hides_its_heap_from_the_collector_until_it_stops(gold):
    """Full collections must not walk the whole-store answers computed at start-up."""
    gc.unfreeze()
    with TestClient(create_app(Settings(), store=gold)) as own:
        assert gc.get_freeze_count() > 10_000
        assert own.get("/changes").status_code == 200
    assert gc.get_freeze_count() == 0


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_client(request, gold, client):
    """The read API on SQLite, and on PostgreSQL filled with the same records."""
    if request.param == "sqlite":
        yield client, gold
        return
    url = request.getfixturevalue("postgres_url")
    with open_store(url) as store:
        with store.engine.begin() as conn:
            conn.execute(text("TRUNCATE documents, entities RESTART IDENTITY CASCADE"))
        store.add_records(gold_records())
        with TestClient(create_app(Settings(), store=store)) as pg_client:
            yield pg_client, store


def get(client, url: str, **params):
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response, status: int, code: str) -> dict:
    """The one error shape: {"error": {"code", "message"}}, nothing else, with the CSP."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "default-src 'self'" in response.headers["content-security-policy"]
    return body["error"]


def all_documents(store) -> list[dict]:
    return [store.get_document(d["id"]) for d in store.list_documents(1000)]


# --- documents, events, people: the store's answers, filtered and paged --------------------------

def test_document_pages_split_the_store_s_list(any_client):
    client, store = any_client
    first = get(client, "/api/documents", limit=7)
    second = get(client, "/api/documents", limit=7, offset=7)
    assert first["items"] + second["items"] == store.list_documents(14)
    assert len(first["items"]) == 7 and (first["limit"], second["offset"]) == (7, 7)


@pytest.mark.parametrize("filters", [
    {"outlet": "KCNA"}, {"since": "2024-01-01"}, {"until": "2019-12-31"},
    {"since": "2018-01-01", "until": "2018-12-31"}, {"event_type": "talks"}, {"country": "RUS"},
    {"country": "CHN", "event_type": "meeting"}, {"outlet": "Rodong Sinmun", "event_type": "talks"},
])
def test_document_filters_match_a_reading_of_every_document(any_client, filters):
    client, store = any_client
    expected = [d["id"] for d in all_documents(store) if document_matches(d, filters)]
    found = [d["id"] for d in get(client, "/api/documents", limit=500, **filters)["items"]]
    assert found == expected and found  # same documents, same order (latest first)


def document_matches(document: dict, f: dict) -> bool:
    day = document["published"]
    return ((f.get("outlet") is None or document["source"] == f["outlet"])
            and (f.get("since") is None or (day is not None and day >= f["since"]))
            and (f.get("until") is None or (day is not None and day <= f["until"]))
            and (f.get("event_type") is None
                 or any(e["type"] == f["event_type"] for e in document["events"]))
            and (f.get("country") is None or any(involves(e, f["country"]) for e in document["events"])))


def involves(event: dict, country: str) -> bool:
    return (country in (event["source_actor"], event["target_actor"])
            or any(p["country"] == country for p in event["principals"])
            or any(p["side"] == country for p in event["participants"]))


def test_one_document_is_the_stored_document(any_client):
    client, store = any_client
    some = store.list_documents(1)[0]["id"]
    assert get(client, f"/api/documents/{some}") == store.get_document(some)


@pytest.mark.parametrize("filters", [{}, {"type": "talks"}, {"country": "PRK", "since": "2024-01-01"},
                                     {"until": "2019-01-01"}])
def test_events_are_the_store_s_events(any_client, filters):
    client, store = any_client
    expected = store.list_events(filters.get("type"), filters.get("since"), filters.get("until"),
                                 filters.get("country"), 500, 0)
    assert get(client, "/api/events", limit=500, **filters)["items"] == expected and expected


def test_events_of_one_outlet(any_client):
    client, store = any_client
    every = store.list_events(limit=1000)
    for outlet in ("KCNA", "Rodong Sinmun"):
        found = get(client, "/api/events", outlet=outlet, type="talks", limit=500)["items"]
        assert found == [e for e in every if e["source"] == outlet and e["type"] == "talks"] and found


def test_people_and_outlets(client, gold):
    assert get(client, "/api/people", limit=20, offset=5)["items"] == gold.list_people(20, 5)
    outlets = get(client, "/api/outlets")
    assert outlets == sorted({d["source"] for d in gold.list_documents(1000) if d["source"]})


# --- the analyses: the same functions as the CLI ----------------------------------------------

def test_person_is_the_person_profile(client, gold):
    found = get(client, "/api/people/choe-son-hui")
    assert found == json.loads(json.dumps(profile_of(gold, "choe-son-hui", answers.LATEST)))
    whole = person_profile(gold, "choe-son-hui")  # the CLI's: every appearance
    assert {k: v for k, v in found.items() if k not in ("query", "resolved_by")} == \
        {k: v for k, v in json.loads(json.dumps(whole)).items() if k not in ("query", "resolved_by")}
    assert "최선희" in found["aliases"]["hangul"]
    by_name = get(client, "/api/person", name="Ch'oe Sŏn-hŭi")
    assert by_name["entity_id"] == "choe-son-hui" and by_name["titles"] == found["titles"]


def test_a_person_seen_only_undated_has_a_page(gold_db, tmp_path):
    """Found by the page benchmark: /people/x-o-chun-ryong answered 500 when none of the
    person's appearances had a date (the template asked for the first of no dates)."""
    import shutil

    from readout.store.tables import documents, events, mentions

    copy = str(shutil.copy(gold_db, tmp_path / "undated.db"))
    with open_store(copy) as store:
        with store.engine.begin() as conn:
            for table, column in ((documents, "published"), (mentions, "published"), (events, "date")):
                conn.execute(table.update().values({column: None}))
        with TestClient(create_app(Settings(), store=store)) as own:
            assert get(own, "/api/people/choe-son-hui/timeline")["appearances"]
            page = own.get("/people/choe-son-hui")
            assert page.status_code == 200 and 'id="first-seen"></dd>' in page.text


def test_a_person_s_answers_cover_the_latest_appearances_asked_for(client, gold):
    whole = get(client, "/api/people/kim-jong-un/timeline")
    latest = get(client, "/api/people/kim-jong-un/timeline", last=2)
    assert whole["appearance_count"] == latest["appearance_count"] == len(whole["appearances"]) > 2
    newest = sorted(whole["appearances"], key=lambda a: (a["published"] or "", a["document_id"]))[-2:]
    assert {a["document_id"] for a in latest["appearances"]} == {a["document_id"] for a in newest}
    person = get(client, "/api/people/kim-jong-un", last=2)
    assert len(person["appearances"]) == 2 and person["appearance_count"] == whole["appearance_count"]
    shown = {a["document_id"] for a in person["appearances"]}
    assert all(set(t["documents"]) <= shown for t in person["titles"])


def test_timeline_titles_and_changes(client, gold):
    found = get(client, "/api/people/choe-son-hui/timeline")
    assert found == json.loads(json.dumps(timeline(gold, "choe-son-hui")))
    assert {a["date"][:4] for a in found["appearances"]} >= {"2019", "2024"}
    titles = get(client, "/api/people/choe-son-hui/titles")
    assert titles == title_history(gold, "choe-son-hui")
    assert [t["title"] for t in titles][:2] == ["First Vice-Minister of Foreign Affairs",
                                                "Minister of Foreign Affairs"]
    changes = get(client, "/api/titles/changes", since="2020-01-01")
    assert changes == title_changes(gold, "2020-01-01")
    assert any(c["entity_id"] == "choe-son-hui" for c in changes)


def test_rank_network_compare(client, gold):
    assert get(client, "/api/rank", country="PRK") == json.loads(json.dumps(rank(gold, None, "PRK")))
    graph = network(gold)
    found = get(client, "/api/network", limit=2000)
    assert (found["people"], found["links"]) == (graph.number_of_nodes(), graph.number_of_edges())
    edges = {frozenset((e["source"], e["target"])): e["weight"] for e in found["edges"]}
    assert edges == {frozenset((a, b)): d["weight"] for a, b, d in graph.edges(data=True)}
    assert frozenset(("kim-tok-hun", "sergei-lavrov")) in edges
    top = get(client, "/api/network", limit=5)["nodes"]
    assert [n["weight"] for n in top] == sorted(dict(graph.degree(weight="weight")).values(),
                                                reverse=True)[:5]
    talks = next(d["id"] for d in gold.list_documents(100) if d["file"].startswith(str(GOLD / "000_")))
    assert get(client, f"/api/documents/{talks}/compare") == json.loads(json.dumps(compare(gold, talks)))


def test_network_answer_is_the_same_bytes_in_every_process(gold_db):
    """The processes of `serve --workers N` hash strings each with its own seed; the network's
    answer (and so its ETag) must not depend on it."""
    import subprocess

    script = ("import sys, json; from readout.store import open_store; from readout.api import answers\n"
              "with open_store(sys.argv[1]) as store: print(json.dumps(answers.network(store, None, 8)))")
    bodies = {subprocess.run([sys.executable, "-c", script, gold_db], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(bodies) == 1 and json.loads(bodies.pop())["edges"]


def test_search_binds_what_it_is_given(client, gold):
    found = get(client, "/api/search", q="Kumsusan guesthouse")
    assert found["items"] == gold.search_text("Kumsusan guesthouse") and found["items"]
    hostile = "'; DROP TABLE documents; --"
    assert get(client, "/api/search", q=hostile)["items"] == gold.search_text(hostile)
    assert get(client, "/api/documents", outlet="KCNA' OR '1'='1")["items"] == []
    assert gold.count_documents() == 30


def test_changes_gathers_three_answers(client, gold):
    found = get(client, "/api/changes", since="2019-01-01")
    assert found["title_changes"] == title_changes(gold, "2019-01-01")
    assert found["edited"] == [] and isinstance(found["absent"], list)


def test_the_schema_declares_the_error_shape(client):
    """Found by schemathesis: a 404 the schema did not declare, and FastAPI's own 422 body
    ({"detail": [...]}) declared where the server answers {"error": {...}}."""
    paths = client.get("/openapi.json").json()["paths"]
    for path, methods in paths.items():
        for method, operation in methods.items():
            for status in ("404", "422", "500"):
                declared = operation["responses"][status]["content"]["application/json"]["schema"]
                assert declared == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)


def test_openapi_schema_and_offline_docs(client):
    schema = get(client, "/openapi.json")
    paths = set(schema["paths"])
    assert {"/api/documents", "/api/documents/{document_id}", "/api/events", "/api/people",
            "/api/people/{entity_id}/timeline", "/api/rank", "/api/network", "/api/search",
            "/api/documents/{document_id}/compare", "/api/people/{entity_id}/titles",
            "/api/ingest", "/api/kb/import"} <= paths
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower() and "<script>" not in docs.text  # no inline script
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000


# --- every error path, one shape ----------------------------------------------------------------

READ_ERRORS = [
    ("GET", "/api/documents/999999", 404, "not_found"),
    ("GET", "/api/documents/0", 422, "invalid_request"),
    ("GET", "/api/documents/abc", 422, "invalid_request"),
    ("GET", "/api/documents/999999/compare", 404, "not_found"),
    ("GET", "/api/people/nobody-at-all", 404, "not_found"),
    ("GET", "/api/people/nobody-at-all/timeline", 404, "not_found"),
    ("GET", "/api/people/nobody-at-all/titles", 404, "not_found"),
    ("GET", "/api/absent?entity_id=nobody-at-all", 404, "not_found"),
    ("GET", "/api/person?name=Zzyzx%20Qwerty", 404, "not_found"),
    ("GET", "/api/no/such/endpoint", 404, "not_found"),
    ("DELETE", "/api/documents/1", 405, "method_not_allowed"),
    ("GET", "/api/documents?limit=0", 422, "invalid_request"),
    ("GET", "/api/documents?limit=100000", 422, "invalid_request"),
    ("GET", "/api/documents?offset=-1", 422, "invalid_request"),
    ("GET", "/api/documents?since=yesterday", 422, "invalid_request"),
    # Found by schemathesis: pydantic read a number as seconds since 1970 (until=0: 1970-01-01).
    ("GET", "/api/events?until=0", 422, "invalid_request"),
    ("GET", "/api/documents?since=1700000000", 422, "invalid_request"),
    ("GET", "/changes?since=0", 422, "invalid_request"),
    ("GET", "/api/events?country=Russia", 422, "invalid_request"),
    ("GET", "/api/events?type=DROP%20TABLE", 422, "invalid_request"),
    ("GET", "/api/search", 422, "invalid_request"),
    ("GET", "/api/search?q=a%00b", 422, "invalid_request"),
    ("GET", "/api/network?limit=0", 422, "invalid_request"),
    ("POST", "/api/ingest", 403, "writes_disabled"),
    ("POST", "/api/kb/import", 403, "writes_disabled"),
]


@pytest.mark.parametrize("method, url, status, code", READ_ERRORS)
def test_every_error_has_the_one_shape(client, method, url, status, code):
    assert_error(client.request(method, url, json={"text": "x"}), status, code)


def test_an_unexpected_failure_is_a_500_in_the_same_shape(gold, monkeypatch):
    from readout.api import answers

    def broken(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(answers, "outlets", broken)
    with TestClient(create_app(Settings(), store=gold), raise_server_exceptions=False) as local:
        error = assert_error(local.get("/api/outlets"), 500, "internal_error")
    assert "secret" not in error["message"]


def test_a_browser_gets_the_same_error_as_a_page(client):
    response = client.get("/documents/999999", headers={"accept": "text/html"})
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "no document 999999 in the store" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_security_headers_on_every_kind_of_response(client):
    for url in ("/api/documents", "/", "/static/readout.css", "/openapi.json", "/nope"):
        headers = client.get(url).headers
        assert headers["content-security-policy"].startswith("default-src 'self'"), url
        assert headers["x-content-type-options"] == "nosniff"


# --- writes: token, size limit, permitted folders -------------------------------------------------

@pytest.fixture
def writable(tmp_path, monkeypatch):
    """A server with a token over an empty store, one permitted folder, a user KB of its own."""
    monkeypatch.setenv("READOUT_HOME", str(tmp_path / "home"))
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    settings = Settings(token=TOKEN, max_body=64 * 1024, folders=(allowed.resolve(),))
    with open_store(str(tmp_path / "w.db")) as store, \
            TestClient(create_app(settings, store=store)) as test_client:
        test_client.headers["authorization"] = f"Bearer {TOKEN}"
        yield test_client, store, allowed


def test_post_an_article_stores_it_once(writable):
    client, store, _ = writable
    article = {"text": (GOLD / "000_rodong-kju-putin-talks-2024-06.txt").read_text(),
               "url": "http://example.org/talks", "source": "Rodong Sinmun"}
    first = client.post("/api/ingest", json=article).json()
    assert (first["stored"], first["duplicates"], first["errors"]) == (1, 0, [])
    again = client.post("/api/ingest", json=article).json()
    assert (again["stored"], again["duplicates"]) == (0, 1)
    stored = get(client, f"/api/documents/{first['documents'][0]['id']}")
    assert stored["url"] == article["url"] and any(e["type"] == "talks" for e in stored["events"])
    assert store.count_documents() == 1


@pytest.mark.parametrize("headers, status, code", [
    ({}, 401, "unauthorized"),
    ({"authorization": "Bearer wrong"}, 403, "forbidden"),
    ({"authorization": "Basic czNjcmV0"}, 401, "unauthorized"),
])
def test_writes_need_the_token(writable, headers, status, code):
    client, store, _ = writable
    client.headers.pop("authorization")
    assert_error(client.post("/api/ingest", json={"text": "Kim Jong Un met Putin."}, headers=headers),
                 status, code)
    assert store.count_documents() == 0


def test_bodies_over_the_limit_are_refused(writable):
    client, store, _ = writable
    big = {"text": "x" * (65 * 1024)}
    assert_error(client.post("/api/ingest", json=big), 413, "payload_too_large")

    def chunks():  # no Content-Length: the limit is counted as the body arrives
        for _ in range(70):
            yield b"x" * 1024

    assert_error(client.post("/api/ingest", content=chunks(),
                             headers={"content-type": "application/json"}), 413, "payload_too_large")
    assert store.count_documents() == 0


@pytest.mark.parametrize("body, code", [
    ({"text": ""}, "invalid_request"), ({"txt": "no text field"}, "invalid_request"),
    ("not json at all", "invalid_request"), ({"text": "   "}, "invalid_input"),
])
def test_bad_articles_are_refused_whole(writable, body, code):
    client, store, _ = writable
    sent = client.post("/api/ingest", content=body if isinstance(body, str) else json.dumps(body),
                       headers={"content-type": "application/json"})
    assert_error(sent, 422, code)
    assert store.count_documents() == 0


def test_files_only_from_the_permitted_folders(writable, tmp_path):
    client, store, allowed = writable
    (allowed / "talks.txt").write_text((GOLD / "000_rodong-kju-putin-talks-2024-06.txt").read_text())
    outside = tmp_path / "outside.txt"
    outside.write_text("Kim Jong Un met Vladimir Putin in Pyongyang on June 19.")
    (allowed / "link.txt").symlink_to(outside)
    for name in (str(outside), "../outside.txt", "link.txt", "/etc/passwd", str(allowed / ".." / "outside.txt")):
        assert_error(client.post("/api/ingest/files", json={"path": name}), 403, "path_not_permitted")
        assert_error(client.post("/api/kb/import", json={"path": name}), 403, "path_not_permitted")
    assert_error(client.post("/api/ingest/files", json={"path": "missing.txt"}), 404, "not_found")
    assert store.count_documents() == 0
    done = client.post("/api/ingest/files", json={"path": "talks.txt"}).json()
    assert done["stored"] == 1 and store.count_documents() == 1


def test_knowledge_base_import(writable):
    client, _, _ = writable
    rows = "entity_id,name,country,alias,system,title\nzzyzx-qwerty,Zzyzx Qwerty,PRK,Qwerty Zzyzx,other,\n"
    done = client.post("/api/kb/import", json={"content": rows})
    assert done.status_code == 200 and done.json()["people"] == 1
    assert get(client, "/api/person", name="Qwerty Zzyzx")["entity_id"] == "zzyzx-qwerty"  # known now
    broken = "entity_id,name,country\nBad Id,,XX\n"
    error = assert_error(client.post("/api/kb/import", json={"content": broken}), 422, "invalid_input")
    assert error["message"].startswith("request content:2:")


# --- readout serve ------------------------------------------------------------------------------

def test_readout_serve_refuses_a_store_it_cannot_open(tmp_path, monkeypatch, capsys):
    """The CLI's own entry point, in this process (tests/test_web.py runs `readout serve` for real)."""
    from readout.cli import main

    monkeypatch.setattr(sys, "argv", ["readout", "serve", "--db", str(tmp_path / "no" / "such.db")])
    with pytest.raises(SystemExit) as stopped:
        main()
    error = capsys.readouterr().err
    assert stopped.value.code == 1
    assert error.startswith("error: cannot create SQLite database") and error.count("\n") == 1
