"""What differs between SQLite and PostgreSQL, and nothing else: one small class per database.

Everything else in the store is written once against SQLAlchemy Core.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

# A connection opened with this execution option takes the write lock when it begins (SQLite),
# so two writers queue on busy_timeout instead of failing half way with "database is locked".
WRITE = {"readout_write": True}

SNIPPET_OPEN, SNIPPET_CLOSE = "[", "]"
# How long a SQLite writer waits for another's transaction: four `readout ingest` runs into one
# file wait for each other's batches, which can take seconds each on a large store.
BUSY_TIMEOUT_MS = 30_000
# A writer's page cache, in KiB: a batch of 200 articles changes thousands of pages (the
# story_buckets and timeline index pages at random keys, most), and with SQLite's default of
# 2 MB it spilled them to the WAL mid-transaction and read them back: 1.0 GB read for 10k
# articles, 0.3 GB with this. A connection that only reads keeps the default (`readout serve`).
WRITER_CACHE_KIB = 32_768


def _hits(marked: str) -> str:
    return f"length({marked}) - length(replace({marked}, char(1), ''))"


FTS5_SEARCH = text(
    "SELECT id, title, published, source, snippet FROM ("
    " SELECT d.id, d.title, d.published, d.source, length(d.text) AS size,"
    " snippet(documents_fts, 1, :open, :close, '…', 12) AS snippet,"
    " highlight(documents_fts, 0, char(1), '') AS in_title,"
    " highlight(documents_fts, 1, char(1), '') AS in_text"
    " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
    " WHERE documents_fts MATCH :match AND documents_fts.rowid >= (SELECT min(rowid) FROM"
    " (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match ORDER BY rowid DESC LIMIT :limit)))"
    f" ORDER BY {_hits('in_title')} DESC, ({_hits('in_text')}) * 1.0 / max(size, 1) DESC, id"
)


class SqliteDialect:
    name = "sqlite"
    failure = "cannot open"  # how a message about a database that failed to open begins

    def engine_options(self, url: URL) -> dict[str, Any]:
        if url.database in (None, "", ":memory:"):
            # One shared connection, or every new connection would see its own empty database;
            # shared between threads too (a web server's workers), which sqlite3 refuses by default.
            return {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        # sqlite3's own wait (5 s by default) applies while connecting, before the PRAGMA below.
        return {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}

    def prepare(self, engine: Engine) -> None:
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)

    def insert_ignore(self, table: Table, keys: list[str]):
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)

    def lock_for_migration(self, conn: Connection) -> None:
        """Nothing to do: the migration runs in a write (IMMEDIATE) transaction already."""

    def is_busy(self, error: DBAPIError) -> bool:
        """Whether a write failed only because another writer held the database too long."""
        return "database is locked" in str(error.orig) or "database is busy" in str(error.orig)

    def search(self, conn: Connection, query: str, limit: int) -> list[dict]:
        """The `limit` last stored documents having every word, best match first.

        FTS5's bm25 cannot rank a few rows cheaply: it first counts every document having each
        phrase (seconds for "Kim Jong Un" in a 500,000-article archive). So the limit goes into
        the MATCH query (newest first, read straight off the index) and only those rows are
        ranked, by matches in the title, then matches per character of text; the snippet is
        made for them alone. highlight() marks each match with char(1), counted here. The
        rows are those from the lowest of those ids up: a range FTS5 seeks to in its lists,
        where `rowid IN (...)` had it read every match of the words (3x the time for a leader's
        name on 100,000 articles).
        """
        match = fts5_query(query)
        if not match:
            return []
        params = {"match": match, "limit": limit, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE}
        return [dict(row._mapping) for row in conn.execute(FTS5_SEARCH, params)]

    def connection_hint(self, reason: str) -> str:
        return "is it a readout database file? readout uses readout.db when --db is not given"


class PostgresDialect:
    name = "postgresql"
    failure = "cannot reach"

    def engine_options(self, url: URL) -> dict[str, Any]:
        # A short connect timeout: an unreachable server should fail fast with a clear message.
        return {"connect_args": {"connect_timeout": 3}, "pool_pre_ping": True}

    def prepare(self, engine: Engine) -> None:
        """Nothing to do: PostgreSQL enforces foreign keys and runs DDL in transactions."""

    def insert_ignore(self, table: Table, keys: list[str]):
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)

    def is_busy(self, error: DBAPIError) -> bool:
        """PostgreSQL writers wait on row locks themselves: nothing to retry."""
        return False

    def lock_for_migration(self, conn: Connection) -> None:
        # Two processes opening a fresh database at once must not both create the tables.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('readout.store.migrate'))"))

    def search(self, conn: Connection, query: str, limit: int) -> list[dict]:
        """As on SQLite: the `limit` last stored documents matching (GIN index), then ranked
        and given a headline, which reads each row's text, for those rows alone."""
        # The tsquery written out each time, not taken from a CTE: the planner then knows it
        # and can use the GIN index.
        query_of = "websearch_to_tsquery('english', :query)"
        sql = text(
            f"SELECT d.id, d.title, d.published, d.source, ts_headline('english', d.text, {query_of}, :options)"
            " AS snippet FROM documents d WHERE d.id IN"
            f" (SELECT id FROM documents WHERE search @@ {query_of} ORDER BY id DESC LIMIT :limit)"
            f" ORDER BY ts_rank_cd(d.search, {query_of}) DESC, d.id"
        )
        options = f"StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords=12, MinWords=4"
        return [dict(row._mapping) for row in conn.execute(sql, {"query": query, "limit": limit, "options": options})]

    def connection_hint(self, reason: str) -> str:
        if "does not exist" in reason:
            return "create it first (createdb) or name an existing database in the URL"
        if "authentication failed" in reason:
            return "check the user name and password in the URL"
        return "is the server running? readout uses SQLite when --db is not given"


def dialect_for(url: URL) -> SqliteDialect | PostgresDialect:
    """The dialect class for a URL already checked to be SQLite or PostgreSQL."""
    return SqliteDialect() if url.get_backend_name() == "sqlite" else PostgresDialect()


def fts5_query(query: str) -> str:
    """A user's words as an FTS5 query: every word must occur, "quoted text" as a phrase.

    Raw FTS5 syntax would make ordinary input such as "Jong-Un" or "U.S." a syntax error,
    so each word is reduced to its letters and digits and quoted. This roughly matches what
    PostgreSQL's websearch_to_tsquery does with the same input (without its OR and -word).
    """
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        tokens = re.findall(r"\w+", phrase or word)
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " ".join(parts)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself: the sqlite3 module's own implicit
    # transactions would leave DDL (migrations) outside any transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer, nor it them
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, and much faster than FULL
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("readout_write", False)
    if write:
        conn.exec_driver_sql(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
