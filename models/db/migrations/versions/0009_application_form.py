"""application form: authors' details, the investor, first-application participants, the
exclusion declaration (issue 13, points 3 and 4)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:10:00.000000

Existing initiatives get no declaration (NULL): they were never asked, so they are not taken to
have declared anything.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("initiatives") as batch:
        batch.add_column(sa.Column("not_excluded", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("investor", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "participants",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default="[]",
            )
        )
    with op.batch_alter_table("initiative_authors") as batch:
        batch.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("workplace", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("qualification", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("initiative_authors") as batch:
        for column in ("email", "qualification", "workplace", "birth_date"):
            batch.drop_column(column)
    with op.batch_alter_table("initiatives") as batch:
        for column in ("participants", "investor", "not_excluded"):
            batch.drop_column(column)
