"""The Store: one object per database, the only way the rest of readout reads or writes it."""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date, datetime, timezone

from sqlalchemy import Engine, delete
from sqlalchemy.exc import DBAPIError

from readout.errors import StoreError
from readout.store import read
from readout.store.connect import connect_engine, driver_reason
from readout.store.dialects import WRITE
from readout.store.rows import record_rows
from readout.store.tables import documents
from readout.store.write import AddResult, insert_batch

WRITE_ATTEMPTS = 3  # a batch waits up to this many busy timeouts for other writers
TIMELINE_PAGE = 100  # namings a timeline gives at once unless asked for more


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) the store at `url`: None for ./readout.db, a file path for
    SQLite, or a SQLAlchemy URL such as postgresql://user@host:5432/db. Raises StoreError."""
    return Store(*connect_engine(url))


class Store:
    def __init__(self, engine: Engine, dialect, name: str):
        self.engine, self.dialect, self.name = engine, dialect, name

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.name}>"

    def close(self) -> None:
        self.engine.dispose()

    def add_records(self, items: Iterable[tuple[dict, str]]) -> list[AddResult]:
        """Store (record, text) pairs as one transaction: all of them or, on any error, none.

        A text stored before (same sha256) is not stored again: its result says created=False.
        """
        now = datetime.now(timezone.utc)
        batch = [record_rows(record, text, now) for record, text in items]  # check all first
        with store_errors(f"store documents in {self.name}"):
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
                        return insert_batch(conn, self.dialect, batch)
                except DBAPIError as error:
                    # Rolled back whole: waiting for the other writers again is safe.
                    if attempt == WRITE_ATTEMPTS or not self.dialect.is_busy(error):
                        raise

    def delete_document(self, document_id: int) -> bool:
        """Remove a document with its people and events; False if there was none."""
        with self.engine.connect().execution_options(**WRITE) as conn, conn.begin():
            return conn.execute(delete(documents).where(documents.c.id == document_id)).rowcount > 0

    def get_document(self, document_id: int) -> dict | None:
        with self.engine.connect() as conn:
            return read.get_document(conn, document_id)

    def get_documents(self, ids: list[int]) -> list[dict]:
        """Several documents as get_document gives each, in id order."""
        with self.engine.connect() as conn:
            return read.get_documents(conn, ids)

    def list_events(self, type: str | None = None, since: date | str | None = None,
                    until: date | str | None = None, country: str | None = None,
                    limit: int = 100, offset: int = 0) -> list[dict]:
        since, until = as_date(since, "since"), as_date(until, "until")
        with self.engine.connect() as conn:
            return read.list_events(conn, type, since, until, country, limit, offset)

    def list_people(self, limit: int = 100, offset: int = 0) -> list[dict]:
        with self.engine.connect() as conn:
            return read.list_people(conn, limit, offset)

    def list_documents(self, limit: int = 100, offset: int = 0) -> list[dict]:
        with self.engine.connect() as conn:
            return read.list_documents(conn, limit, offset)

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return read.count_documents(conn)

    def search_text(self, query: str, limit: int = 20) -> list[dict]:
        """Documents whose title or text has every word of `query`, best match first."""
        with self.engine.connect() as conn:
            found = self.dialect.search(conn, query, limit)
        return [{**row, "published": read.iso(row["published"])} for row in found]

    def person_timeline(self, entity_id: str, limit: int | None = TIMELINE_PAGE, offset: int = 0,
                        oldest_first: bool = False, event_types: bool = True) -> list[dict]:
        """The namings of a person, a page at a time: newest first (undated last), or oldest
        first (undated last). limit=None reads them all, which for a person named in most of
        an archive's articles is hundreds of thousands of rows: count_appearances says how many.
        Without `event_types` each naming's event_types is None, not read."""
        with self.engine.connect() as conn:
            return read.person_timeline(conn, entity_id, limit, offset, oldest_first, event_types)

    def count_appearances(self, entity_id: str) -> int:
        """How many rows person_timeline(entity_id, limit=None) would return."""
        with self.engine.connect() as conn:
            return read.count_appearances(conn, entity_id)


@contextmanager
def store_errors(doing: str):
    """A database error as one StoreError line; the transaction has been rolled back by then."""
    try:
        yield
    except DBAPIError as error:
        raise StoreError(f"cannot {doing}: {driver_reason(error)}") from error


def as_date(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise StoreError(f"{name} {value!r} is not an ISO date (YYYY-MM-DD)") from None
