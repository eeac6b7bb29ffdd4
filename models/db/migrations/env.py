"""Alembic environment: runs migrations on the connection or URL ``models.db.schema`` gives."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import models.cycle.tables
import models.db.audit
import models.db.documents
import models.db.outbox
import models.inbox.tables
import models.intake.tables
import models.reporting.tables
import models.review.tables
from models.db.base import Base
from models.db.engine import make_engine

config = context.config
target_metadata = Base.metadata
assert models.cycle.tables  # noqa: S101 - keeps the import used for the linters


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
