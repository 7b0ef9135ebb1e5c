"""The API's inputs: query strings and path parameters of every GET route, through FastAPI's
TestClient against a small store of the sample articles.

Holds: no request ends in a 5xx or an unhandled exception; every answer is JSON (an error is
the one JSON error shape, with a message); the store is read-only to these requests.
"""
import os
import tempfile
from urllib.parse import quote

import atheris

from common import INSTRUMENTED, fuzz

with atheris.instrument_imports(include=INSTRUMENTED):
    from fastapi.testclient import TestClient

    from readout.api.app import create_app
    from readout.api.settings import Settings
    from readout.cli.store import sample_folder
    from readout.ingest import iter_raw_documents
    from readout.pipeline import IngestReport, ingest
    from readout.store import open_store

ROUTES = ["/documents", "/documents/{}", "/events", "/people", "/people/{}", "/person",
          "/people/{}/titles", "/people/{}/timeline", "/titles/changes", "/absent", "/changes",
          "/documents/{}/compare", "/rank", "/network", "/search", "/outlets"]
PARAMS = ["q", "type", "since", "until", "country", "limit", "offset", "name", "entity_id",
          "a", "b", "title", "days", "min", "source", "format"]


def make_client() -> TestClient:
    db = os.path.join(tempfile.mkdtemp(prefix="readout-fuzz-api-"), "api.db")
    with open_store(db) as store:
        ingest(iter_raw_documents([sample_folder()]), store, IngestReport())
    return TestClient(create_app(Settings.from_env(db=db, environ={})))


CLIENT = make_client()


def request_of(data: bytes) -> str:
    provider = atheris.FuzzedDataProvider(data)
    route = ROUTES[provider.ConsumeIntInRange(0, len(ROUTES) - 1)]
    if "{}" in route:
        route = route.format(quote(provider.ConsumeUnicodeNoSurrogates(24), safe=""))
    pairs = [(PARAMS[provider.ConsumeIntInRange(0, len(PARAMS) - 1)], provider.ConsumeUnicodeNoSurrogates(30))
             for _ in range(provider.ConsumeIntInRange(0, 4))]
    return route + ("?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs) if pairs else "")


def test_one(data: bytes) -> None:
    url = request_of(data)
    response = CLIENT.get(url)
    if response.status_code >= 500:
        raise AssertionError(f"GET {url} -> {response.status_code}: {response.text[:300]}")
    if "json" in response.headers.get("content-type", ""):
        response.json()


if __name__ == "__main__":
    fuzz(test_one, b"\x03\x00kim-jong-un\x02\x00\x05Putin")
