"""Two officers import the same file at the same moment: both are told the truth, with exit 0 and
no traceback, and every row is stored once (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from deployments.synthetic import SyntheticShape, generate
from models.db import make_engine, session_scope
from models.intake import Initiative
from tests.conftest import empty_postgres

SANGKIEN = Path(sys.executable).parent / "sangkien"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The console script's environment on a database of each kind."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    if request.param == "postgresql":
        engine: Engine = request.getfixturevalue("postgres_engine")
        env["SANGKIEN_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
        yield env
        empty_postgres(engine)
        return
    env["SANGKIEN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    yield env


def test_the_loser_of_a_concurrent_import_is_told_the_rows_exist(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    """Both processes exit 0; the rows are stored once; nobody sees a traceback."""
    config = generate(tmp_path / "year", SyntheticShape(units=600, year=2025))
    opened = subprocess.run(
        [str(SANGKIEN), "cycle", "open", "--config", str(config)],
        env=database_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert opened.returncode == 0, opened.stderr
    command = [
        str(SANGKIEN),
        "import",
        "initiatives",
        str(config.parent / "initiatives.csv"),
        "--cycle",
        "2025",
        "--today",
        "2025-12-31",
    ]
    racers = [
        subprocess.Popen(command, env=database_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(*racer.communicate(timeout=300), racer.returncode) for racer in racers]
    for out, err, code in results:
        assert code == 0, err
        assert "Traceback" not in out + err
    told = [out for out, _err, _code in results]
    assert any("dòng mới" in out and not out.startswith("Đã nhập initiatives: 0 dòng mới") for out in told)
    engine = make_engine(database_env["SANGKIEN_DATABASE_URL"])
    with session_scope(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Initiative))
    engine.dispose()
    with (config.parent / "initiatives.csv").open(encoding="utf-8") as handle:
        assert stored == sum(1 for _ in handle) - 1
