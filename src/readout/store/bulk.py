"""Statements straight through the driver: many rows into one table, and statements built once.

SQLAlchemy's executemany builds and converts each row's parameters in Python (about 30 µs a
row here), which for the thirty-odd rows of mentions, attendees and LSH buckets of every
stored article cost more than SQLite takes to insert them. The statement is compiled once per
table, columns and database; the column types' own converters still turn values (dates on
SQLite) into what the driver takes. A statement built once (at module level, or by a cached
builder) is likewise compiled once per database by run_prepared.
"""
from __future__ import annotations

from operator import itemgetter

from sqlalchemy import Connection, Table, insert

COMPILED: dict[tuple, tuple] = {}


def insert_many(conn: Connection, table: Table, rows: list[dict]) -> None:
    """INSERT `rows` (dicts with the same keys) into `table`."""
    if not rows:
        return
    keys = tuple(rows[0])
    sql, order, convert = compiled(conn, table, keys)
    if convert:
        rows = [{**row, **{k: f(row[k]) for k, f in convert.items()}} for row in rows]
    if order is None:  # named parameters (psycopg)
        conn.exec_driver_sql(sql, rows)
    else:
        values = itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
        conn.exec_driver_sql(sql, [values(row) for row in rows])


def insert_values(conn: Connection, table: Table, keys: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT `rows` given as tuples of the columns `keys`, in that order: for the hundreds of
    thousands of small rows (LSH buckets) whose dicts cost more to build and take apart again
    than SQLite takes to insert them."""
    if not rows:
        return
    sql, order, convert = compiled(conn, table, keys)
    if convert or order is None:  # values to convert, or named parameters (psycopg)
        insert_many(conn, table, [dict(zip(keys, row)) for row in rows])
    elif list(order) == list(keys):
        conn.exec_driver_sql(sql, rows)
    else:
        values = itemgetter(*(keys.index(k) for k in order))
        conn.exec_driver_sql(sql, [values(row) for row in rows])


def compiled(conn: Connection, table: Table, keys: tuple) -> tuple:
    key = (table.name, keys, conn.dialect.name)
    if key not in COMPILED:
        statement = insert(table).compile(dialect=conn.dialect, column_keys=list(keys))
        convert = {k: f for k in keys if (f := table.c[k].type.bind_processor(conn.dialect))}
        COMPILED[key] = (str(statement), statement.positiontup, convert)
    return COMPILED[key]


PREPARED: dict[tuple, tuple] = {}


def run_prepared(conn: Connection, statement, params: dict):
    """Run a statement built once straight through the driver, compiled once per database
    (it is known by its id: it must live as long as the process). For a query run for every
    stored document, SQLAlchemy's work per execution (binding and converting fifty parameters)
    costs as much as SQLite's; for the millions of rows of the whole-store analyses, a Row
    per row costs more than the query."""
    key = (id(statement), conn.dialect.name)
    if key not in PREPARED:
        compiled = statement.compile(dialect=conn.dialect)
        defaults = {name: bind.value for name, bind in compiled.binds.items()}
        PREPARED[key] = (str(compiled), compiled.positiontup, defaults)
    sql, order, defaults = PREPARED[key]
    values = {**defaults, **params}
    return conn.exec_driver_sql(sql, tuple(values[name] for name in order) if order else values)
