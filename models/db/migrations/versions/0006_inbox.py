"""inbox_messages and inbox_files (the mailbox ledger), units.alternate_emails, notice threading

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:00:00.000000

Columns are added and dropped in place: on SQLite never through batch mode, which copies the
table and drops the old one; with foreign keys on, dropping ``units`` or ``notices`` that way
would delete every row that refers to them (see 0005).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
ADDED = {
    "units": [sa.Column("alternate_emails", sa.Text(), nullable=True)],
    "notices": [
        sa.Column("in_reply_to", sa.String(length=250), nullable=True),
        sa.Column("thread_references", sa.Text(), nullable=True),
    ],
}


def _drop_column(table: str, column: str) -> None:
    """In place; SQLite has dropped columns in place since 3.35 (see the module's docstring)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    else:
        op.drop_column(table, column)


def upgrade() -> None:
    for table, columns in ADDED.items():
        for column in columns:
            op.add_column(table, column)
    op.create_table(
        "inbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=300), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.String(length=250), nullable=False),
        sa.Column("sender", sa.String(length=254), nullable=True),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("notices", sa.Integer(), nullable=False),
        sa.Column("folder", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_inbox_messages_cycle_id_cycles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_inbox_messages_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_messages")),
        sa.UniqueConstraint(
            "mailbox", "uidvalidity", "uid", name=op.f("uq_inbox_messages_mailbox_uidvalidity_uid")
        ),
    )
    op.create_index(op.f("ix_inbox_messages_cycle_id"), "inbox_messages", ["cycle_id"], unique=False)
    op.create_index(op.f("ix_inbox_messages_message_id"), "inbox_messages", ["message_id"], unique=False)
    op.create_table(
        "inbox_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbox_message_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("unit_code", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("errors", JSON, nullable=False),
        sa.Column("stored_ids", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["inbox_message_id"],
            ["inbox_messages.id"],
            name=op.f("fk_inbox_files_inbox_message_id_inbox_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_files")),
        sa.UniqueConstraint(
            "inbox_message_id", "position", name=op.f("uq_inbox_files_inbox_message_id_position")
        ),
    )


def downgrade() -> None:
    op.drop_table("inbox_files")
    op.drop_index(op.f("ix_inbox_messages_message_id"), table_name="inbox_messages")
    op.drop_index(op.f("ix_inbox_messages_cycle_id"), table_name="inbox_messages")
    op.drop_table("inbox_messages")
    for table, columns in ADDED.items():
        for column in columns:
            _drop_column(table, column.name)
