"""The API's inputs: query strings and path parameters of every GET route, sent straight into
the ASGI application over a small store of the sample articles.

Holds: no request ends in a 5xx or an unhandled exception; every answer is JSON (an error is
the one JSON error shape, with a message); the store is read-only to these requests.

Requests go to the application as an ASGI server would hand them over, on one event loop that
lives as long as the harness: FastAPI's TestClient starts a thread and a portal for every
request, which held this harness to about 40 inputs a second. The server keeps no answers
(READOUT_CACHE_MB=0), so that every input reaches the route that answers it.
"""
import asyncio
import json
import re
import os
import tempfile
from urllib.parse import quote, unquote

import atheris

from common import INSTRUMENTED, fuzz

with atheris.instrument_imports(include=INSTRUMENTED):
    from readout.api.app import create_app
    from readout.api.settings import Settings
    from readout.cli.store import sample_folder
    from readout.ingest import iter_raw_documents
    from readout.pipeline import IngestReport, ingest
    from readout.store import open_store


def get_routes() -> list[tuple[str, list[str]]]:
    """Every GET route of the API and the pages, with the query parameters it reads: taken from
    the routers themselves, so that a new route is fuzzed as soon as it exists."""
    from readout.api import routes
    from readout.web import pages

    return [(route.path, [p.alias for p in route.dependant.query_params])
            for route in (*routes.router.routes, *pages.router.routes) if "GET" in route.methods]


ROUTES = get_routes()
PARAMS = sorted({name for _, names in ROUTES for name in names})
PATH_PARAM = re.compile(r"\{(\w+)\}")


def make_app():
    db = os.path.join(tempfile.mkdtemp(prefix="readout-fuzz-api-"), "api.db")
    with open_store(db) as store:
        ingest(iter_raw_documents([sample_folder()]), store, IngestReport())
    return create_app(Settings.from_env(db=db, environ={"READOUT_CACHE_MB": "0"}))


APP = make_app()
LOOP = asyncio.new_event_loop()


def request_of(data: bytes) -> str:
    """A route, its path parameters (a real id of the store or any text) and up to four query
    parameters (mostly the route's own, sometimes any route's), all from the input's bytes."""
    provider = atheris.FuzzedDataProvider(data)
    path, own = ROUTES[provider.ConsumeIntInRange(0, len(ROUTES) - 1)]
    path = PATH_PARAM.sub(lambda m: quote(path_value(provider, m.group(1)), safe=""), path)
    pairs = []
    for _ in range(provider.ConsumeIntInRange(0, 4)):
        names = own if own and provider.ConsumeIntInRange(0, 3) else PARAMS
        pairs.append((names[provider.ConsumeIntInRange(0, len(names) - 1)], provider.ConsumeUnicodeNoSurrogates(30)))
    return path + ("?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs) if pairs else "")


def path_value(provider: atheris.FuzzedDataProvider, name: str) -> str:
    known = KNOWN_IDS.get(name, [])
    if known and provider.ConsumeBool():
        return known[provider.ConsumeIntInRange(0, len(known) - 1)]
    return provider.ConsumeUnicodeNoSurrogates(24)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of GET `url`, as the application answers it."""
    path, _, query = url.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": unquote(path), "raw_path": path.encode(), "root_path": "",
             "query_string": query.encode(), "headers": [(b"host", b"fuzz")],
             "client": ("127.0.0.1", 50000), "server": ("fuzz", 80)}
    answer = {"status": 0, "headers": {}, "body": b""}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    LOOP.run_until_complete(APP(scope, receive, send))
    return answer["status"], answer["headers"], answer["body"]


def test_one(data: bytes) -> None:
    url = request_of(data)
    status, headers, body = get(url)
    if status >= 500 or status == 0:
        raise AssertionError(f"GET {url} -> {status}: {body[:300]!r}")
    if "json" in headers.get("content-type", ""):
        json.loads(body)


def known_ids() -> dict[str, list[str]]:
    """Ids of people and documents in the store, asked of the API itself, so that path
    parameters reach the answers of real records and not only "not found"."""
    people = json.loads(get("/api/people?limit=200")[2])
    documents = json.loads(get("/api/documents?limit=200")[2])
    return {"entity_id": [p["entity_id"] for p in people["items"]],
            "document_id": [str(d["id"]) for d in documents["items"]]}


KNOWN_IDS = known_ids()


if __name__ == "__main__":
    fuzz(test_one, b"\x03\x00kim-jong-un\x02\x00\x05Putin")
