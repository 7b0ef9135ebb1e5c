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
    # The document's publication date, copied here so that one index serves a timeline page.
    Column("published", Date),
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
    # The date events are listed by: the event's own, else its document's publication date.
    # Stored, because no index serves ORDER BY coalesce(date, published) across two tables.
    Column("sort_date", Date),
    Index(None, "document_id", "seq", unique=True),
    Index(None, "date"),
    Index(None, "type", "sort_date", "document_id", "seq"),  # an event search: type and window
    Index(None, "sort_date", "document_id", "seq"),  # events of any type, in listing order
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
    # Whether a person is in an event, and who else is, without reading the rows (0004).
    Index(None, "event_id", "entity_id"),
)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's autogenerate: skip the full-text objects, which are not in `metadata`."""
    if type_ == "table" and name.startswith("documents_fts"):
        return False
    return not (type_ in ("column", "index") and name in ("search", "ix_documents_search"))


# --- Near-duplicate stories and edited versions (written by store/versions.py) ---------------

from sqlalchemy import BigInteger  # noqa: E402  (kept with the tables of this section)

# A person's timeline page, newest first, undated last (store/read.py), and any look-up by
# person. Migration 0003 creates it per database: SQLite keeps NULL last in a DESC index and
# refuses the words NULLS LAST there; PostgreSQL needs them.
Index("ix_mentions_timeline", mentions.c.entity_id, mentions.c.published.desc().nulls_last(),
      mentions.c.document_id.desc(), mentions.c.seq)

# A document's versions are found by URL; hashed on PostgreSQL, whose B-tree refuses long values.
Index("ix_documents_url", documents.c.url, postgresql_using="hash")

story_buckets = Table(
    "story_buckets",
    metadata,
    # Hash of one LSH band of the MinHash of the document's names: documents sharing a bucket
    # are the candidates for being reports of the same story.
    Column("bucket", BigInteger, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "document_id"),  # for deleting a document's rows
    sqlite_with_rowid=False,  # the primary key is the whole row: store it once
)

document_changes = Table(
    "document_changes",
    metadata,
    # A text stored under the URL of an earlier one: what changed from that previous version.
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("previous_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("lines_added", Integer, nullable=False),
    Column("lines_removed", Integer, nullable=False),
    Column("diff", Text, nullable=False),  # unified diff, previous -> this
    Index(None, "previous_id"),
)

change_people = Table(
    "change_people",
    metadata,
    Column("document_id", Integer, ForeignKey("document_changes.document_id", ondelete="CASCADE"),
           primary_key=True),
    Column("entity_id", Text, ForeignKey("entities.entity_id"), primary_key=True),
    Column("change", String(8), nullable=False),  # added | removed
)
