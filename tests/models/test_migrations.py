"""Migrations: empty to head on SQLite and PostgreSQL, and no drift between models and scripts."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from models.db.base import Base
from models.db.engine import make_engine
from models.db.schema import HEAD, alembic_config, current_revision, ensure_schema, upgrade


def _drift(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_head_constant_matches_the_scripts() -> None:
    """The shortcut that skips Alembic must name the newest script."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_current_head() == HEAD


def test_empty_sqlite_file_upgrades_to_head(tmp_path: Path) -> None:
    """A new SQLite file gets every table, and a second run changes nothing."""
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert current_revision(engine) is None
    ensure_schema(engine)
    ensure_schema(engine)
    assert current_revision(engine) == HEAD
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert _drift(engine) == []
    engine.dispose()


def test_base_to_head_on_each_database_without_drift(engine: Engine) -> None:
    """Downgrade to nothing and upgrade again; the models then match the migrated schema."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == HEAD
    assert _drift(engine) == []
