"""What an operator sees in the UI at scale: bounded tables, and progress per phase."""

from __future__ import annotations

import json

import pytest
from prefect import flow
from prefect.client.orchestration import get_client

from tasks.artifacts import ARTIFACT_ROWS, table_artifact
from tasks.progress import PhasedProgress, terminal_progress
from tests.flows.conftest import World

built: list[int] = []  # the items made rows, by the last table


@flow(name="big-table")
def _big_table(rows: int) -> None:
    built.clear()

    def row(i: int) -> dict[str, str]:
        built.append(i)
        return {"Mã": f"U{i:05d}", "Tên": f"Đơn vị {i}"}

    table_artifact("big-table", range(rows), row, "Bảng lớn", "lệnh xuất")


def _latest(key: str) -> tuple[list[dict[str, str]], str]:
    with get_client(sync_client=True) as client:
        artifact = client.read_latest_artifacts()
        found = next(a for a in artifact if a.key == key)
    data = found.data
    assert isinstance(data, str)
    return json.loads(data), str(found.description)


def test_a_table_of_thousands_shows_its_first_rows_and_names_the_export(world: World) -> None:
    """500 rows shown, and only those built; the description names the export."""
    _big_table(1234)
    assert built == list(range(ARTIFACT_ROWS))
    rows, description = _latest("big-table")
    assert len(rows) == ARTIFACT_ROWS
    assert rows[0] == {"Mã": "U00000", "Tên": "Đơn vị 0"}
    assert "Hiển thị 500 trên 1.234 dòng" in description
    assert "`lệnh xuất`" in description


def test_a_small_table_is_shown_whole_without_a_note(world: World) -> None:
    _big_table(34)
    rows, description = _latest("big-table")
    assert len(rows) == 34
    assert description == "Bảng lớn"


def test_a_terminal_shows_a_bar_per_phase(capsys: pytest.CaptureFixture[str]) -> None:
    with terminal_progress(enabled=True):
        progress = PhasedProgress({"Mở chu kỳ": 1, "Tiếp nhận và quét hạn": 3}, "Chạy thử")
        progress.phase("Mở chu kỳ")
        progress.advance()
        progress.phase("Tiếp nhận và quét hạn")
        progress.advance(3)
    shown = capsys.readouterr().err
    assert "Mở chu kỳ" in shown
    assert "1/1" in shown
    assert "Tiếp nhận và quét hạn" in shown
    assert "3/3" in shown
    assert progress.done == progress.total == 4


def test_without_a_terminal_nothing_is_drawn(capsys: pytest.CaptureFixture[str]) -> None:
    with terminal_progress(enabled=False):
        progress = PhasedProgress({"Mở chu kỳ": 1}, "Chạy thử")
        progress.phase("Mở chu kỳ")
        progress.advance()
    assert capsys.readouterr().err == ""
