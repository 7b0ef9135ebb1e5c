"""Alembic environment: migrate the connection readout hands over, or one named with -x url=."""
from alembic import context
from sqlalchemy import create_engine

from readout.store.tables import include_object, metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite can only ALTER a table by copying it; batch mode does that
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database to compare against: -x url=sqlite:///dev.db")
    with create_engine(url).begin() as conn:
        run(conn)
