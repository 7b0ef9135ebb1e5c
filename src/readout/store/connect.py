"""Opening a store: from what the user typed to a migrated database, or one StoreError line.

1. Read the target: nothing -> ./readout.db; a plain path -> a SQLite file; else a SQLAlchemy URL
   (plain postgresql:// uses the psycopg 3 driver, the one readout depends on).
2. Refuse early what cannot work (another database, a SQLite file in a missing folder), so the
   user reads the reason and not a driver's traceback.
3. Connect once and migrate to the newest schema, translating any failure into one line that
   names the database (password masked) and says what to do.
"""
from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from readout.errors import StoreError
from readout.store.dialects import WRITE, dialect_for

DEFAULT_PATH = "readout.db"
DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg", "sqlite": "sqlite"}


def parse_target(target: str | None) -> tuple[URL, str]:
    """The SQLAlchemy URL for what the user gave, and how to name it in messages."""
    if target is None:
        return URL.create("sqlite", database=DEFAULT_PATH), DEFAULT_PATH
    if "://" not in target:
        return URL.create("sqlite", database=target), target
    try:
        url = make_url(target)
    except ArgumentError:
        raise StoreError(f"cannot read database URL {target!r}: expected sqlite:///FILE or "
                         "postgresql://USER@HOST:PORT/DB") from None
    shown = url.render_as_string(hide_password=True)
    backend = url.get_backend_name()
    if backend not in DRIVERS:
        raise StoreError(f"cannot use {shown}: readout stores in SQLite or PostgreSQL only")
    if url.drivername in DRIVERS:  # no driver named: pick the one readout ships with
        url = url.set(drivername=DRIVERS[url.drivername])
    return url, shown


def check_sqlite_folder(url: URL, shown: str) -> None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database).expanduser()
    if not path.parent.is_dir():
        raise StoreError(f"cannot create SQLite database {shown}: folder {path.parent} does not "
                         "exist; create it or give another path with --db")
    if path.is_dir():
        raise StoreError(f"cannot use {shown} as a SQLite database: it is a folder; give a file path")


def connect_engine(target: str | None) -> tuple[Engine, object, str]:
    """A migrated engine, its dialect class and the name to show; StoreError if unusable."""
    url, shown = parse_target(target)
    check_sqlite_folder(url, shown)
    dialect = dialect_for(url)
    engine = create_engine(url, **dialect.engine_options(url))
    dialect.prepare(engine)
    try:
        migrate(engine, dialect)
    except DBAPIError as error:
        engine.dispose()
        reason = driver_reason(error)
        raise StoreError(f"{dialect.failure} {shown}: {reason}; {dialect.connection_hint(reason)}") from None
    return engine, dialect, shown


def migrate(engine: Engine, dialect) -> None:
    """Bring the schema to the newest revision, in one transaction."""
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        dialect.lock_for_migration(conn)
        with as_file(files("readout.store")) as folder:  # a real folder even from a zip install
            config = Config(str(folder / "alembic.ini"))
            config.set_main_option("script_location", str(folder / "migrations"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def driver_reason(error: DBAPIError) -> str:
    """The driver's reason in a few words: 'Connection refused', 'database "x" does not exist'."""
    message = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
    reason = message.rsplit(" failed: ", 1)[-1]  # psycopg: "connection to server at ... failed: WHY"
    return reason.removeprefix("FATAL:").strip()
