"""Shared fixtures: a migrated database on SQLite (a real file) and on PostgreSQL, and a cycle.

PostgreSQL comes from ``SANGKIEN_TEST_POSTGRES_URL``; without it the PostgreSQL cases are skipped
with that reason, unless ``SANGKIEN_TEST_REQUIRE_POSTGRES=1`` (as in CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

import models.inbox  # noqa: F401 - the mailbox tables belong to the metadata tests empty and compare
from models.cycle import Cycle, CycleConfig, load_cycle_config, open_cycle
from models.db import Base, make_engine, upgrade
from models.imports import import_file

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "deployments" / "cycles"
VINH_LINH = BUNDLED / "vinh-linh-2024.toml"
VINH_LINH_DATA = BUNDLED / "vinh-linh-2024"
POSTGRES_URL = os.environ.get("SANGKIEN_TEST_POSTGRES_URL")
pytest_plugins = ["tests.mail_replies"]  # the Dovecot server and a fresh mailbox per test
TODAY = date(2024, 12, 31)


def _skip_or_fail_postgres() -> None:
    reason = "SANGKIEN_TEST_POSTGRES_URL is not set: PostgreSQL cases skipped"
    if os.environ.get("SANGKIEN_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason + " (but SANGKIEN_TEST_REQUIRE_POSTGRES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test copies it (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """The PostgreSQL test database, emptied and migrated from scratch once per run."""
    if not POSTGRES_URL:
        _skip_or_fail_postgres()
    engine = make_engine(str(POSTGRES_URL))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "sangkien.sqlite3"
        shutil.copy(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    engine = request.getfixturevalue("postgres_engine")
    yield engine
    empty_postgres(engine)


def empty_postgres(engine: Engine) -> None:
    """Empty every table of the shared PostgreSQL test database (its schema stays)."""
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database; tests flush, nothing needs committing."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


@pytest.fixture
def config() -> CycleConfig:
    """The bundled Vĩnh Linh 2024 configuration."""
    return load_cycle_config(VINH_LINH)


@pytest.fixture
def cycle(session: Session, config: CycleConfig) -> Cycle:
    """The bundled 2024 cycle, opened with its roster of 34 units."""
    opened, _created = open_cycle(session, config, "test")
    import_file(session, opened, config.roster, "units", today=config.opens_on, actor="test")
    return opened


def write_csv(path: Path, header: str, *rows: str) -> Path:
    """A UTF-8 CSV file from a header line and row lines."""
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per database, so a CI log shows the data-layer tests ran on both."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            for database in ("sqlite", "postgresql"):
                params = getattr(report, "nodeid", "").rpartition("[")[2].rstrip("]").split("-")
                if database in params and report.when in ("call", "setup"):
                    if outcome == "passed" and report.when == "setup":
                        continue
                    bucket = counts.setdefault(database, {})
                    bucket[outcome] = bucket.get(outcome, 0) + 1
    for database, bucket in sorted(counts.items()):
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(bucket.items()))
        terminalreporter.write_line(f"data-layer tests on {database}: {summary}")
