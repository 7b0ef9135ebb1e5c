"""Initial schema: documents, entities, mentions, events, event participants, full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Search over title and text: an external-content FTS5 table kept in step by triggers (SQLite),
# a generated, GIN-indexed tsvector column (PostgreSQL). Porter stemming on SQLite so that both
# find "talks" when asked for "talk".
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents',"
    " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]
POSTGRES_SEARCH = [
    "ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS"
    " (setweight(to_tsvector('english', coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', text), 'B')) STORED",
    "CREATE INDEX ix_documents_search ON documents USING gin (search)",
]


def upgrade() -> None:
    create_documents()
    op.create_table(
        "entities",
        sa.Column("entity_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("country", sa.String(3)),
        sa.PrimaryKeyConstraint("entity_id", name="pk_entities"),
    )
    create_mentions()
    create_events()
    create_event_participants()
    search = SQLITE_SEARCH if op.get_bind().dialect.name == "sqlite" else POSTGRES_SEARCH
    for statement in search:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE documents_fts")  # its triggers go with the documents table
    for table in ("event_participants", "events", "mentions", "entities", "documents"):
        op.drop_table(table)


def create_documents() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("path", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("title", sa.Text),
        sa.Column("byline", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("story_id", sa.Integer),
        sa.Column("version_of", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
        sa.ForeignKeyConstraint(["story_id"], ["documents.id"], ondelete="SET NULL",
                                name="fk_documents_story_id_documents"),
        sa.ForeignKeyConstraint(["version_of"], ["documents.id"], ondelete="SET NULL",
                                name="fk_documents_version_of_documents"),
    )
    op.create_index("ix_documents_published_id", "documents", ["published", "id"])
    op.create_index("ix_documents_source_published", "documents", ["source", "published"])
    op.create_index("ix_documents_story_id", "documents", ["story_id"])
    op.create_index("ix_documents_version_of", "documents", ["version_of"])


def create_mentions() -> None:
    op.create_table(
        "mentions",
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.Text),
        sa.Column("mention", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("country", sa.String(3)),
        sa.Column("title", sa.Text),
        sa.Column("titles", sa.Text),
        sa.Column("role", sa.String(16)),
        sa.Column("side", sa.Text),
        sa.Column("order_in_side", sa.Integer),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.PrimaryKeyConstraint("document_id", "seq", name="pk_mentions"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_mentions_document_id_documents"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.entity_id"],
                                name="fk_mentions_entity_id_entities"),
    )
    op.create_index("ix_mentions_entity_id_document_id", "mentions", ["entity_id", "document_id"])


def create_events() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("place", sa.Text),
        sa.Column("source_actor", sa.Text),
        sa.Column("target_actor", sa.Text),
        sa.Column("topic", sa.Text),
        sa.Column("attributes", sa.Text),
        sa.Column("plover", sa.Text),
        sa.Column("cameo", sa.Text),
        sa.Column("evidence", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_events_document_id_documents"),
    )
    op.create_index("ix_events_document_id_seq", "events", ["document_id", "seq"], unique=True)
    op.create_index("ix_events_type_date", "events", ["type", "date"])
    op.create_index("ix_events_date", "events", ["date"])


def create_event_participants() -> None:
    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.Text),
        sa.Column("mention", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("country", sa.String(3)),
        sa.Column("title", sa.Text),
        sa.Column("side", sa.Text),
        sa.Column("order_in_side", sa.Integer),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.PrimaryKeyConstraint("event_id", "seq", name="pk_event_participants"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE",
                                name="fk_event_participants_event_id_events"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.entity_id"],
                                name="fk_event_participants_entity_id_entities"),
    )
    op.create_index("ix_event_participants_entity_id", "event_participants", ["entity_id"])
