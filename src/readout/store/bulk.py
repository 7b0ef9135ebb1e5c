"""Many rows into one table, straight through the driver.

SQLAlchemy's executemany builds and converts each row's parameters in Python (about 30 µs a
row here), which for the thirty-odd rows of mentions, attendees and LSH buckets of every
stored article cost more than SQLite takes to insert them. The statement is compiled once per
table, columns and database; the column types' own converters still turn values (dates on
SQLite) into what the driver takes.
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


def compiled(conn: Connection, table: Table, keys: tuple) -> tuple:
    key = (table.name, keys, conn.dialect.name)
    if key not in COMPILED:
        statement = insert(table).compile(dialect=conn.dialect, column_keys=list(keys))
        convert = {k: f for k in keys if (f := table.c[k].type.bind_processor(conn.dialect))}
        COMPILED[key] = (str(statement), statement.positiontup, convert)
    return COMPILED[key]
