"""Schema migrations (Alembic) driven from code: ``sangkien db upgrade``, the CLI and the tests.

Alembic takes half a second to import on these machines, so ``ensure_schema`` first reads the
stored revision and only brings Alembic in when the database is behind ``HEAD``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision; a test checks it against the scripts so it cannot go stale.
HEAD = "0011"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` with the bundled migration scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database at ``engine`` to ``revision`` (default: the latest)."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the database, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> None:
    """Upgrade to the latest revision unless the database is already there."""
    if current_revision(engine) != HEAD:
        upgrade(engine)


def revision(url: str, message: str, rev_id: str) -> None:
    """Autogenerate a new revision against ``url`` (a developer command)."""
    from alembic import command

    command.revision(alembic_config(url), message=message, autogenerate=True, rev_id=rev_id)
