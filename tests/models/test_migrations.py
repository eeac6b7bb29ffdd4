"""Migrations: empty to head on SQLite and PostgreSQL, and no drift between models and scripts."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

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


def test_0005_moves_the_deadline_columns_into_rows_and_back(engine: Engine) -> None:
    """A 0004 database keeps its cycle's deadlines through the upgrade (as rows) and the downgrade
    (as columns again)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
        connection.execute(
            text(
                "INSERT INTO authorities (id, code, name, place_name, created_at) "
                "VALUES (1, '464', 'A', 'B', :t)"
            ),
            {"t": "2024-01-01 00:00:00+00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO cycles (id, authority_id, year, name, opens_on, propose_deadline, "
                "report_deadline, replication_deadline, deadline_inclusive, timezone, legal_bases, config, "
                "opened_at) VALUES "
                "(1, 1, 2024, 'C', '2024-01-15', '2024-08-31', '2024-10-22', '2024-10-23', true, "
                "'Asia/Ho_Chi_Minh', '[]', '{}', :t)"
            ),
            {"t": "2024-01-01 00:00:00+00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO units (id, code, name, kind, valid_from, created_at) "
                "VALUES (1, '19402', 'UBND xã Vĩnh Thủy', 'commune', '2024-01-01', :t)"
            ),
            {"t": "2024-01-01 00:00:00+00:00"},
        )
        connection.execute(text("INSERT INTO cycle_units (id, cycle_id, unit_id) VALUES (1, 1, 1)"))
    upgrade(engine)
    with engine.connect() as connection:
        # Rows that refer to the cycle survive (a table copy on SQLite would have cascaded them away).
        assert connection.execute(text("SELECT count(*) FROM cycle_units")).scalar() == 1
        rows = connection.execute(text("SELECT obligation, due_on FROM cycle_deadlines ORDER BY id")).all()
        assert [(name, str(day)) for name, day in rows] == [
            ("propose", "2024-08-31"),
            ("report", "2024-10-22"),
            ("replication", "2024-10-23"),
        ]
        assert "propose_deadline" not in {c["name"] for c in inspect(connection).get_columns("cycles")}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
        back = connection.execute(
            text("SELECT propose_deadline, report_deadline, replication_deadline FROM cycles")
        ).one()
        assert [str(day) for day in back] == ["2024-08-31", "2024-10-22", "2024-10-23"]
    upgrade(engine)
    assert _drift(engine) == []


def test_0006_adds_and_drops_columns_in_place_keeping_rows_that_refer_to_them(engine: Engine) -> None:
    """Units and notices keep every row through the upgrade and the downgrade (a table copy on
    SQLite would have cascaded the enrolments away), and the new columns come and go."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    stamp = {"t": "2024-01-01 00:00:00+00:00"}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
        connection.execute(
            text(
                "INSERT INTO authorities (id, code, name, place_name, created_at) "
                "VALUES (1, '464', 'A', 'B', :t)"
            ),
            stamp,
        )
        connection.execute(
            text(
                "INSERT INTO cycles (id, authority_id, year, name, opens_on, deadline_inclusive, timezone, "
                "legal_bases, config, opened_at) VALUES (1, 1, 2024, 'C', '2024-01-15', true, "
                "'Asia/Ho_Chi_Minh', '[]', '{}', :t)"
            ),
            stamp,
        )
        connection.execute(
            text(
                "INSERT INTO units (id, code, name, kind, email, valid_from, created_at) "
                "VALUES (1, '19402', 'UBND xã Vĩnh Thủy', 'commune', 'x@y.example', '2024-01-01', :t)"
            ),
            stamp,
        )
        connection.execute(text("INSERT INTO cycle_units (id, cycle_id, unit_id) VALUES (1, 1, 1)"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cycle_units")).scalar() == 1
        assert "alternate_emails" in {c["name"] for c in inspect(connection).get_columns("units")}
        assert {"inbox_messages", "inbox_files"} <= set(inspect(connection).get_table_names())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
        assert connection.execute(text("SELECT count(*) FROM cycle_units")).scalar() == 1
        assert "in_reply_to" not in {c["name"] for c in inspect(connection).get_columns("notices")}
        assert "inbox_messages" not in set(inspect(connection).get_table_names())
    upgrade(engine)
    assert _drift(engine) == []
