"""Shared by the CLI tests: the CLI called in-process on a fresh data dir, and the 2024 cycle open."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from deployments.cli import app
from tests.conftest import VINH_LINH

runner = CliRunner()


def invoke(data: Path, *args: str) -> tuple[int, str, str]:
    """Run ``sangkien ARGS`` with its data (SQLite included) under ``data``: exit code, out, err."""
    env = {"SANGKIEN_DATA_DIR": str(data / "var"), "SANGKIEN_DATABASE_URL": ""}
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def opened(tmp_path: Path) -> Path:
    """A data dir with the bundled 2024 cycle open."""
    code, _out, err = invoke(tmp_path, "cycle", "open", "--config", str(VINH_LINH))
    assert code == 0, err
    return tmp_path
