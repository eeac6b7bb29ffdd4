"""documents: rendered documents and uploaded import files, kept in the database

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:10:00.000000

Workers on other machines write documents to their own disks; the documents service and every
worker reach the database, so the bytes live there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_documents_cycle_id_cycles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "cycle_id", "kind", "file_name", name=op.f("uq_documents_cycle_id_kind_file_name")
        ),
    )
    op.create_index(op.f("ix_documents_cycle_id"), "documents", ["cycle_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_cycle_id"), table_name="documents")
    op.drop_table("documents")
