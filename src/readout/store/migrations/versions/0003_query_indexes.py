"""Indexes that answer the analyst's queries on an archive of 500,000 articles at once.

- mentions.published: the document's publication date beside each naming, so that one index
  (person, date newest first, document, order) gives a page of a timeline without reading
  and sorting every naming of a person (Kim Jong Un is named in most articles);
- events.sort_date: the date events are listed by (their own, else their document's), stored
  because no index serves ORDER BY coalesce(events.date, documents.published);
- indexes for an event search by type and date window, and for all events in date order.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# PostgreSQL puts NULL first in a DESC index unless told; SQLite puts it last and refuses the words.
TIMELINE = {
    "sqlite": "CREATE INDEX ix_mentions_timeline ON mentions (entity_id, published DESC, document_id DESC, seq)",
    "postgresql": "CREATE INDEX ix_mentions_timeline ON mentions"
                  " (entity_id, published DESC NULLS LAST, document_id DESC, seq)",
}
FILL = {
    "sqlite": [
        "UPDATE mentions SET published = (SELECT published FROM documents WHERE id = mentions.document_id)",
        "UPDATE events SET sort_date = coalesce(date, (SELECT published FROM documents"
        " WHERE id = events.document_id))",
    ],
    "postgresql": [
        "UPDATE mentions m SET published = d.published FROM documents d WHERE d.id = m.document_id",
        "UPDATE events e SET sort_date = coalesce(e.date, d.published) FROM documents d"
        " WHERE d.id = e.document_id",
    ],
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("mentions", sa.Column("published", sa.Date))
    op.add_column("events", sa.Column("sort_date", sa.Date))
    for statement in FILL[dialect]:
        op.execute(statement)
    op.drop_index("ix_mentions_entity_id_document_id", table_name="mentions")
    op.execute(TIMELINE[dialect])
    # (type, date) is served by the index below, which also orders the search.
    op.drop_index("ix_events_type_date", table_name="events")
    op.create_index("ix_events_type_sort_date_document_id_seq", "events",
                    ["type", "sort_date", "document_id", "seq"])
    op.create_index("ix_events_sort_date_document_id_seq", "events", ["sort_date", "document_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_events_sort_date_document_id_seq", table_name="events")
    op.drop_index("ix_events_type_sort_date_document_id_seq", table_name="events")
    op.create_index("ix_events_type_date", "events", ["type", "date"])
    op.drop_index("ix_mentions_timeline", table_name="mentions")
    op.create_index("ix_mentions_entity_id_document_id", "mentions", ["entity_id", "document_id"])
    op.drop_column("events", "sort_date")
    op.drop_column("mentions", "published")
