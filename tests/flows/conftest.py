"""Fixtures for flow tests: Prefect's test harness once per session, and per test a fresh data
dir, SQLite database and recording SMTP server wired in through the settings' environment.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import Engine

from tasks.resources import engine as task_engine
from tests.notifications.smtp_servers import Recorder, smtp_server


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API for the whole session (it takes ~20 s to start here)."""
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    with prefect_test_harness(server_startup_timeout=120):
        yield


@dataclass
class World:
    """What a flow test sees: the database the tasks use and the mail server's recorder."""

    engine: Engine
    recorder: Recorder
    data_dir: Path

    def intake(self, source: Path) -> str:
        """``source`` copied into the intake folder, the only one import flows read from."""
        folder = self.data_dir / "intake"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name
        shutil.copyfile(source, target)
        return str(target)


@pytest.fixture
def world(prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """Fresh data dir and SQLite file; a recording SMTP server; settings pointing at both."""
    recorder = Recorder()
    with smtp_server(recorder) as port:
        monkeypatch.setenv("SANGKIEN_DATA_DIR", str(tmp_path / "var"))
        monkeypatch.setenv("SANGKIEN_DATABASE_URL", f"sqlite:///{tmp_path / 'flows.sqlite3'}")
        monkeypatch.setenv("SANGKIEN_SMTP__HOST", "127.0.0.1")
        monkeypatch.setenv("SANGKIEN_SMTP__PORT", str(port))
        yield World(task_engine(), recorder, tmp_path / "var")
