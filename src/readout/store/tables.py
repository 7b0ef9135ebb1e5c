"""The tables of the store, one set for SQLite and PostgreSQL (SQLAlchemy Core).

Full-text search is not here: it differs per database (an FTS5 table on SQLite, a generated
tsvector column on PostgreSQL) and lives in the migration and in `dialects.py`.
JSON values (titles, attributes, evidence) are stored as text so both databases read them alike.
Migrations must create exactly these tables; `tests/test_store.py` compares the two.
"""
from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# Named constraints so that migrations can refer to (and later alter) them on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),  # of the text: one row per text
    Column("url", Text),
    Column("path", Text),
    Column("source", Text),
    Column("published", Date),
    Column("title", Text),
    Column("byline", Text),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # Filled later by near-duplicate linking: the same story from other outlets / re-editions.
    Column("story_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("version_of", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Index(None, "published", "id"),
    Index(None, "source", "published"),
    Index(None, "story_id"),
    Index(None, "version_of"),
)

entities = Table(
    "entities",
    metadata,
    Column("entity_id", Text, primary_key=True),
    Column("name", Text),
    Column("country", String(3)),
)

mentions = Table(
    "mentions",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # position in the record's people list
    Column("entity_id", Text, ForeignKey("entities.entity_id")),
    Column("mention", Text),
    Column("name", Text),
    Column("country", String(3)),
    Column("title", Text),   # first title, for queries; `titles` keeps them all
    Column("titles", Text),  # JSON list
    Column("role", String(16)),
    Column("side", Text),
    Column("order_in_side", Integer),
    Column("start", Integer),
    Column("end", Integer),
    Index(None, "entity_id", "document_id"),  # a person's timeline
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),  # order in the document
    Column("type", Text, nullable=False),
    Column("date", Date),
    Column("place", Text),
    Column("source_actor", Text),
    Column("target_actor", Text),
    Column("topic", Text),
    Column("attributes", Text),  # JSON object
    Column("plover", Text),
    Column("cameo", Text),
    Column("evidence", Text),  # JSON list of {"start", "end"}
    Index(None, "document_id", "seq", unique=True),
    Index(None, "type", "date"),
    Index(None, "date"),
)

event_participants = Table(
    "event_participants",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # principals first, then participants, as written
    Column("role", String(16), nullable=False),  # principal | participant
    Column("entity_id", Text, ForeignKey("entities.entity_id")),
    Column("mention", Text),
    Column("name", Text),
    Column("country", String(3)),  # principals carry a country, participants a side
    Column("title", Text),
    Column("side", Text),
    Column("order_in_side", Integer),
    Column("start", Integer),
    Column("end", Integer),
    Index(None, "entity_id"),
)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's autogenerate: skip the full-text objects, which are not in `metadata`."""
    if type_ == "table" and name.startswith("documents_fts"):
        return False
    return not (type_ in ("column", "index") and name in ("search", "ix_documents_search"))
