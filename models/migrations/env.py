"""Alembic environment: runs migrations on the connection or URL ``models.schema_migrations`` gives."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import models.tables
import models.tables_extensions
import models.tables_outcome
from models.db import Base, make_engine

config = context.config
target_metadata = Base.metadata
assert models.tables  # noqa: S101 - keeps the import used for the linters


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()
