"""A small world of articles and their `readout extract` records for the store tests.

Spans are found in the texts rather than written by hand, so that `text[start:end]` is always
the evidence and a test failure means the store, not the fixture, is wrong.
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from readout.store import open_store

TALKS = (
    "Pyongyang, June 19 (KCNA) -- Kim Jong Un held talks with Vladimir Putin at the Kumsusan "
    "State Guesthouse. Present on the Russian side were Denis Mantrov, first deputy prime "
    "minister, and Andrei Belousov, defence minister. Present on the DPRK side were Kim Tok Hun, "
    "premier of the Cabinet, and Choe Son Hui, foreign minister."
)


def span(text: str, words: str) -> dict:
    start = text.index(words)
    return {"start": start, "end": start + len(words)}


def person(text: str, mention: str, entity_id: str, country: str, titles: list[str],
           role: str = "mentioned", side: str | None = None, order: int | None = None,
           name: str | None = None) -> dict:
    return {"name": name or mention, "mention": mention, "country": country, "titles": titles,
            "entity_id": entity_id, "role": role, "side": side, "order": order,
            **span(text, mention)}


def attendee(text: str, mention: str, entity_id: str, title: str, side: str, order: int,
             name: str | None = None) -> dict:
    return {"name": name or mention, "mention": mention, "title": title, "side": side,
            "order": order, "entity_id": entity_id, **span(text, mention)}


def talks_record(text: str = TALKS, published: str | None = "2024-06-20") -> dict:
    """The seed article's record: two principals, two listed attendees per side, two events."""
    people = [
        person(text, "Kim Jong Un", "kim-jong-un", "PRK", ["General Secretary", "President"], "principal"),
        person(text, "Vladimir Putin", "vladimir-putin", "RUS", ["President"], "principal"),
        person(text, "Denis Mantrov", "denis-manturov", "RUS", ["First Deputy Prime Minister"],
               "participant", "RUS", 1, name="Denis Manturov"),
        person(text, "Andrei Belousov", "andrei-belousov", "RUS", ["Defence Minister"], "participant", "RUS", 2),
        person(text, "Kim Tok Hun", "kim-tok-hun", "PRK", ["Premier"], "participant", "PRK", 1),
        person(text, "Choe Son Hui", "choe-son-hui", "PRK", ["Foreign Minister"], "participant", "PRK", 2),
    ]
    talks = {
        "type": "talks", "date": "2024-06-19", "place": "Kumsusan State Guesthouse",
        "principals": [{"name": "Kim Jong Un", "country": "PRK"},  # no entity_id: linked by name
                       {"name": "Vladimir Putin", "country": "RUS", "entity_id": "vladimir-putin"}],
        "participants": [
            attendee(text, "Denis Mantrov", "denis-manturov", "first deputy prime minister", "RUS", 1,
                     name="Denis Manturov"),
            attendee(text, "Andrei Belousov", "andrei-belousov", "defence minister", "RUS", 2),
            attendee(text, "Kim Tok Hun", "kim-tok-hun", "premier of the Cabinet", "PRK", 1),
            attendee(text, "Choe Son Hui", "choe-son-hui", "foreign minister", "PRK", 2),
        ],
        "source_actor": None, "target_actor": None, "topic": None,
        "attributes": {"duration": "at least two hours"}, "plover": "CONSULT", "cameo": "040",
        "evidence": [span(text, "Kim Jong Un held talks with Vladimir Putin")],
    }
    support = {
        "type": "support", "date": None, "place": None, "principals": [], "participants": [],
        "source_actor": "PRK", "target_actor": "RUS", "topic": "Ukraine", "attributes": {},
        "plover": "SUPPORT", "cameo": "051", "evidence": [span(text, "Present on the DPRK side")],
    }
    return {"file": "talks.txt", "source": "KCNA", "published": published,
            "title": "Kim Jong Un Holds Talks with Putin", "byline": None,
            "url": "http://kcna.example/talks", "people": people, "events": [talks, support]}


def appearance(published: str | None, title: str, event_type: str = "meeting",
               role: str = "participant", order: int = 1) -> tuple[dict, str]:
    """A short article naming Choe Son Hui with `title` on `published`, for timelines."""
    text = f"{published or 'Undated'}: Choe Son Hui, {title}, attended a {event_type} in Pyongyang."
    choe = person(text, "Choe Son Hui", "choe-son-hui", "PRK", [title], role, "PRK", order)
    event = {"type": event_type, "date": published, "place": "Pyongyang", "principals": [],
             "participants": [attendee(text, "Choe Son Hui", "choe-son-hui", title, "PRK", order)],
             "source_actor": None, "target_actor": None, "topic": None, "attributes": {},
             "plover": None, "cameo": None, "evidence": [span(text, f"attended a {event_type}")]}
    record = {"file": f"{published}.txt", "source": "Rodong Sinmun", "published": published,
              "title": f"Choe Son Hui at a {event_type}", "byline": None,
              "people": [choe], "events": [event]}
    return record, text


# --- databases -----------------------------------------------------------------------------

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_url():
    """A database of its own on the server of READOUT_TEST_POSTGRES_URL, dropped at the end."""
    server = os.environ.get("READOUT_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("READOUT_TEST_POSTGRES_URL is not set (scripts/postgres.sh start; export it)")
    name = f"readout_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    """A URL to an empty store: a new SQLite file, or the test run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return str(tmp_path / "readout.db")
    url = request.getfixturevalue("postgres_url")
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("TRUNCATE documents, entities RESTART IDENTITY CASCADE"))
    return url


@pytest.fixture
def store(store_url):
    with open_store(store_url) as opened:
        yield opened
