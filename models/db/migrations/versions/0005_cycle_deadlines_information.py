"""cycle_deadlines (a row per obligation, moved out of the cycles table) and information_requests

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 10:00:00.000000

Obligations are a registry now, so a cycle's deadlines are rows keyed by obligation code instead
of one column per obligation. The upgrade copies the three columns into rows and drops them; the
downgrade puts them back from the rows (and drops rows of obligations the old schema never had).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_COLUMNS = {
    "propose": "propose_deadline",
    "report": "report_deadline",
    "replication": "replication_deadline",
}


def _drop_column(table: str, column: str) -> None:
    """Drop a column in place. On SQLite not through batch mode: it copies the table and drops the
    old one, and with foreign keys on, dropping ``cycles`` deletes every row that refers to it
    (units enrolled, initiatives, notices...). SQLite has dropped columns in place since 3.35."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    else:
        op.drop_column(table, column)


def upgrade() -> None:
    op.create_table(
        "cycle_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("obligation", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_cycle_deadlines_cycle_id_cycles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_deadlines")),
        sa.UniqueConstraint("cycle_id", "obligation", name=op.f("uq_cycle_deadlines_cycle_id_obligation")),
    )
    for obligation, column in OLD_COLUMNS.items():
        op.execute(
            sa.text(
                f"INSERT INTO cycle_deadlines (cycle_id, obligation, due_on) "  # noqa: S608 - constants
                f"SELECT id, '{obligation}', {column} FROM cycles ORDER BY id"
            )
        )
    for column in OLD_COLUMNS.values():
        _drop_column("cycles", column)
    op.create_table(
        "information_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycles.id"],
            name=op.f("fk_information_requests_cycle_id_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_information_requests_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["council_members.id"],
            name=op.f("fk_information_requests_member_id_council_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_information_requests")),
    )
    op.create_index(
        op.f("ix_information_requests_initiative_id"), "information_requests", ["initiative_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_information_requests_initiative_id"), table_name="information_requests")
    op.drop_table("information_requests")
    for column in OLD_COLUMNS.values():
        op.add_column("cycles", sa.Column(column, sa.Date(), nullable=True))
    for obligation, column in OLD_COLUMNS.items():
        op.execute(
            sa.text(
                f"UPDATE cycles SET {column} = (SELECT due_on FROM cycle_deadlines "  # noqa: S608 - constants
                f"WHERE cycle_deadlines.cycle_id = cycles.id AND obligation = '{obligation}')"
            )
        )
    if op.get_bind().dialect.name != "sqlite":  # SQLite keeps them nullable (see _drop_column)
        for column in OLD_COLUMNS.values():
            op.alter_column("cycles", column, existing_type=sa.Date(), nullable=False)
    op.drop_table("cycle_deadlines")
