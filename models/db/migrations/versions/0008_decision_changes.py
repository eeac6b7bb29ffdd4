"""decisions.changes: the chair's departures from the council's recommendation, with reasons

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:30:00.000000

Each entry is one initiative the chair left out of the council's recommendation or added to it,
with the chair's reason (and, for an addition, the warning the record keeps). Decisions made
before keep an empty list: they recognized exactly what the council recommended.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(
            sa.Column(
                "changes",
                sa.JSON().with_variant(JSONB(), "postgresql"),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("changes")
