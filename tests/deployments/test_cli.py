"""The ``sangkien`` command as an officer uses it: real console script, exit codes, messages.

The done-when path (open, import, status) runs the installed console script in a subprocess on
SQLite and on PostgreSQL; the many error paths run in-process through Typer's runner.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from typer.testing import CliRunner

from deployments.cli import app
from models.text import parse_date
from tests.conftest import VINH_LINH, VINH_LINH_DATA, empty_postgres, write_csv
from tests.deployments.conftest import invoke

SANGKIEN = Path(sys.executable).parent / "sangkien"
runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def cli_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for the console script: a data dir, and a database of each kind."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    if request.param == "postgresql":
        engine: Engine = request.getfixturevalue("postgres_engine")
        env["SANGKIEN_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
        yield env
        empty_postgres(engine)
        return
    yield env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SANGKIEN), *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def _expected_propose_states(as_of: date) -> dict[str, tuple[str, int]]:
    """From the bundled files alone: each unit's earliest proposal against 31/08/2024, which fell
    in the National Day break (31/08–03/09/2024) and so ran to Wednesday 04/09/2024."""
    deadline = date(2024, 9, 4)
    with (VINH_LINH_DATA / "units.csv").open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    first: dict[str, date] = {}
    with (VINH_LINH_DATA / "initiatives.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sent = parse_date(row["submitted_on"])
            if sent <= as_of:
                first[row["unit_code"]] = min(sent, first.get(row["unit_code"], sent))
    expected = {}
    for code in codes:
        if code in first:
            late = max(0, (first[code] - deadline).days)
            expected[code] = ("late" if late else "on_time", late)
        else:
            late = max(0, (as_of - deadline).days)
            expected[code] = ("overdue" if late else "pending", late)
    return expected


def test_open_import_and_status_match_the_imported_data(cli_env: dict[str, str]) -> None:
    """The done-when path: each unit's state on 04/09/2024 follows from the imported file; 19402,
    which proposed that day, is on time, and the table shows the moved deadline with its reason."""
    opened = _run(cli_env, "cycle", "open", "--config", str(VINH_LINH))
    assert opened.returncode == 0, opened.stderr
    assert "34 dòng mới" in opened.stdout
    imported = _run(
        cli_env, "import", "initiatives", str(VINH_LINH_DATA / "initiatives.csv"), "--cycle", "2024"
    )
    assert imported.returncode == 0, imported.stderr
    assert "40 dòng mới" in imported.stdout
    status = _run(cli_env, "status", "--cycle", "2024", "--as-of", "2024-09-04", "--format", "json")
    assert status.returncode == 0, status.stderr
    records = json.loads(status.stdout)
    got = {r["unit_code"]: (r["propose"]["state"], r["propose"]["days_late"]) for r in records}
    assert got == _expected_propose_states(date(2024, 9, 4))
    assert got["19402"] == ("on_time", 0)
    table = _run(cli_env, "status", "--cycle", "2024", "--as-of", "2024-09-09")
    assert table.returncode == 0, table.stderr
    flat = " ".join(table.stdout.split())
    assert "31/08/2024 (do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)" in flat
    assert "Hạn báo cáo kết quả: 22/10/2024" in flat
    later = json.loads(
        _run(cli_env, "status", "--cycle", "2024", "--as-of", "2024-09-09", "--format", "json").stdout
    )
    late = next(r["propose"] for r in later if r["unit_code"] == "19426")
    assert (late["state"], late["days_late"], late["working_days_late"]) == ("late", 5, 3)
    assert late["deadline"] == "2024-09-04"
    assert {r["replication"]["state"] for r in records if r["kind"] == "agency"} == {"not_required"}
    assert set(records[0]) >= {"unit_code", "unit_name", "kind", "propose", "report", "replication"}
    again = _run(cli_env, "import", "initiatives", str(VINH_LINH_DATA / "initiatives.csv"), "--cycle", "2024")
    assert again.returncode == 0
    assert "0 dòng mới, 40 dòng đã có" in again.stdout


def test_a_file_with_one_bad_row_among_100_stores_nothing(opened: Path) -> None:
    """All or nothing: exit 2, the bad row and column named, no initiative stored."""
    header = "unit_code,title,solution_type,field,authors,solution,effects,replicable,submitted_on"
    rows = [
        f"VL-NV,Sáng kiến số {n},operational,procedures,A | CV | 100,Giải pháp,Hiệu quả,có,2024-05-02"
        for n in range(1, 102)
    ]
    rows[56] = rows[56].replace("VL-NV", "KHONG-CO")
    path = write_csv(opened / "sang-kien.csv", header, *rows)
    code, _out, err = invoke(opened, "import", "initiatives", str(path), "--cycle", "2024")
    assert code == 2
    assert err.strip() == (
        "sang-kien.csv:58:unit_code: không có đơn vị mã KHONG-CO; "
        "hãy kiểm tra mã hoặc nhập danh sách đơn vị trước"
    )
    assert "Traceback" not in err
    code, out, _err = invoke(
        opened,
        "export",
        "initiatives",
        "--cycle",
        "2024",
        "--format",
        "json",
        "--out",
        str(opened / "out.json"),
    )
    assert code == 0
    assert json.loads((opened / "out.json").read_text(encoding="utf-8")) == []
    assert "Đã xuất 0 dòng" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--cycle", "2030"], "chưa mở chu kỳ năm 2030"),
        (["status", "--cycle", "2024", "--as-of", "31/02/2024"], "--as-of: ngày không tồn tại"),
        (["status", "--cycle", "2024", "--as-of", "hôm qua"], "không đúng định dạng"),
        (["import", "initiatives", "khong-co.csv", "--cycle", "2024"], "khong-co.csv:1:-: không có tệp này"),
        (
            ["import", "initiatives", "ghi-chu.txt", "--cycle", "2024"],
            "hãy dùng .xlsx, .csv (UTF-8) hoặc .json",
        ),
        (["cycle", "open", "--config", "khong-co.toml"], "khong-co.toml: không có tệp này"),
    ],
)
def test_user_mistakes_get_one_clear_message_and_exit_2(opened: Path, args: list[str], message: str) -> None:
    """Wrong year, date, file or config: a Vietnamese message, exit 2, no traceback."""
    code, _out, err = invoke(opened, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_unreachable_database_is_reported_not_crashed(tmp_path: Path) -> None:
    """A database URL nobody answers: exit 1 with a message naming the setting."""
    env = {
        "SANGKIEN_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/none",
        "SANGKIEN_DATA_DIR": str(tmp_path),
    }
    result = runner.invoke(app, ["status", "--cycle", "2024"], env=env)
    assert result.exit_code == 1
    assert "không kết nối được cơ sở dữ liệu" in result.stderr
    assert "SANGKIEN_DATABASE_URL" in result.stderr


def test_exports_open_in_a_spreadsheet_with_vietnamese_headers(opened: Path) -> None:
    """Compliance as xlsx: a frozen Vietnamese header and one row per unit; JSON matches status."""
    invoke(opened, "import", "initiatives", str(VINH_LINH_DATA / "initiatives.csv"), "--cycle", "2024")
    out = opened / "tinh-trang.xlsx"
    code, _o, err = invoke(
        opened, "export", "compliance", "--cycle", "2024", "--as-of", "2024-09-09", "--out", str(out)
    )
    assert code == 0, err
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đề xuất sáng kiến"]
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 35
    by_code = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_code["19426"][3] == "chậm 05 ngày, 03 ngày làm việc (09/09/2024)"
    assert by_code["VL-TTR"][3] == "quá hạn 05 ngày, 03 ngày làm việc"
    code, _o, _e = invoke(
        opened,
        "export",
        "initiatives",
        "--cycle",
        "2024",
        "--format",
        "xlsx",
        "--out",
        str(opened / "sk.xlsx"),
    )
    assert code == 0
    assert load_workbook(opened / "sk.xlsx").worksheets[0].max_row == 41


def test_status_table_names_the_deadlines_and_counts(opened: Path) -> None:
    """The table an officer reads: effective deadlines in the headings, the moved one with its
    reason under the table, a count per state (19402, on 04/09, is on time)."""
    invoke(opened, "import", "initiatives", str(VINH_LINH_DATA / "initiatives.csv"), "--cycle", "2024")
    code, out, _err = invoke(opened, "status", "--cycle", "2024", "--as-of", "2024-09-09")
    assert code == 0
    assert "hạn 04/09/2024" in out
    assert (
        "Hạn đề xuất sáng kiến: 31/08/2024 "
        "(do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)" in out
    )
    assert "Đề xuất sáng kiến: trễ hạn: 1, đúng hạn: 25, quá hạn: 8" in out
