"""The hostile corpus (``tests/hostile``), one file per class the security review found: each
comes to what ``expected.json`` says, with no traceback, and a refused file changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import VINH_LINH
from tests.deployments.conftest import invoke

CORPUS = Path(__file__).parent.parent / "hostile"
EXPECTED: dict[str, dict[str, object]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir with the bundled cycle open, shared by the corpus (refusals change nothing)."""
    data = tmp_path_factory.mktemp("hostile")
    code, _out, err = invoke(data, "cycle", "open", "--config", str(VINH_LINH))
    assert code == 0, err
    return data


def digest(data: Path) -> dict[str, int]:
    """Rows per table of the data dir's database."""
    with sqlite3.connect(data / "var" / "sangkien.sqlite3") as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def test_every_file_of_the_corpus_has_an_expected_outcome() -> None:
    """No file without an expectation, no expectation without a file."""
    files = {
        p.name
        for p in CORPUS.iterdir()
        if p.suffix in (".csv", ".json", ".xlsx") and p.name != "expected.json"
    }
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_file_comes_to_what_is_expected(opened: Path, name: str) -> None:
    """The exit code and the located message; a refusal leaves the database as it was."""
    expected = EXPECTED[name]
    before = digest(opened)
    code, out, err = invoke(opened, "import", str(expected["kind"]), str(CORPUS / name), "--cycle", "2024")
    assert code == expected["exit"], err
    for words in expected["says"]:  # type: ignore[attr-defined]
        assert words in out + err
    assert "Traceback" not in out + err
    if code != 0:
        assert digest(opened) == before
