"""Near-duplicate stories and edited versions: LSH buckets, changes, people added or removed.

Documents stored before this revision are fingerprinted and linked here, oldest first, exactly
as if they were stored now, so an existing archive gains its stories and versions on upgrade.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Hash on PostgreSQL: its B-tree refuses values over about 2.7 kB, and URLs can be longer.
    op.create_index("ix_documents_url", "documents", ["url"], postgresql_using="hash")
    op.create_table(
        "story_buckets",
        sa.Column("bucket", sa.BigInteger, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("bucket", "document_id", name="pk_story_buckets"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_story_buckets_document_id_documents"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_story_buckets_document_id", "story_buckets", ["document_id"])
    create_changes()
    # Imported here, not at the top: Alembic loads every revision to build its history.
    from readout.store.versions import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    for table in ("change_people", "document_changes", "story_buckets"):
        op.drop_table(table)
    op.drop_index("ix_documents_url", table_name="documents")
    op.execute("UPDATE documents SET story_id = NULL, version_of = NULL")


def create_changes() -> None:
    op.create_table(
        "document_changes",
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("previous_id", sa.Integer, nullable=False),
        sa.Column("lines_added", sa.Integer, nullable=False),
        sa.Column("lines_removed", sa.Integer, nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_changes"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_document_changes_document_id_documents"),
        sa.ForeignKeyConstraint(["previous_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_document_changes_previous_id_documents"),
    )
    op.create_index("ix_document_changes_previous_id", "document_changes", ["previous_id"])
    op.create_table(
        "change_people",
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("change", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("document_id", "entity_id", name="pk_change_people"),
        sa.ForeignKeyConstraint(["document_id"], ["document_changes.document_id"], ondelete="CASCADE",
                                name="fk_change_people_document_id_document_changes"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.entity_id"],
                                name="fk_change_people_entity_id_entities"),
    )
