"""replication answers: "chưa áp dụng" with a reason, and the unit kinds of each catalogue item

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:40:00.000000

Existing reports are "applied"; existing catalogue items apply to the Office and the communes,
as every item did before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("replication_reports") as batch:
        batch.add_column(sa.Column("applied", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("not_applied_reason", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("replicated_initiatives") as batch:
        batch.add_column(
            sa.Column("unit_kinds", sa.String(length=200), nullable=False, server_default=" office commune ")
        )


def downgrade() -> None:
    with op.batch_alter_table("replicated_initiatives") as batch:
        batch.drop_column("unit_kinds")
    with op.batch_alter_table("replication_reports") as batch:
        batch.drop_column("not_applied_reason")
        batch.drop_column("applied")
