"""notice recipients and attachments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:01:07.161446
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recipient_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "attachments",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )
        batch_op.drop_index(batch_op.f("ix_notices_state"))
        batch_op.create_index("ix_notices_state_lease", ["state", "lease_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_state_lease")
        batch_op.create_index(batch_op.f("ix_notices_state"), ["state"], unique=False)
        batch_op.drop_column("attachments")
        batch_op.drop_column("recipient_name")
