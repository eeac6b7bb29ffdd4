"""document_series: the per-issuer, per-year counter that number-takers lock

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:45:00.000000

No rows are copied: a series without its row starts from the highest number already in
``document_numbers`` the first time a number is taken.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_series",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_document_series_authority_id_authorities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authority_id", "issuer", "year", name=op.f("pk_document_series")),
    )


def downgrade() -> None:
    op.drop_table("document_series")
