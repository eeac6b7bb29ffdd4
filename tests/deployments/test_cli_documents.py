"""``sangkien documents render`` and ``sangkien export scores`` as an officer runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.conftest import VINH_LINH, VINH_LINH_DATA
from tests.deployments.conftest import invoke

SANGKIEN = Path(sys.executable).parent / "sangkien"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SANGKIEN), *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_escalation_renders_under_var_out_and_scores_export_with_reasons(tmp_path: Path) -> None:
    """The done-when command on the bundled cycle; a second render keeps 01; scores carry reasons."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    assert _run(env, "cycle", "open", "--config", str(VINH_LINH)).returncode == 0
    for kind in ("initiatives", "reports", "replication"):
        done = _run(
            env,
            "import",
            kind,
            str(VINH_LINH_DATA / f"{kind}.csv"),
            "--cycle",
            "2024",
            "--today",
            "2024-12-31",
        )
        assert done.returncode == 0, done.stderr
    for _ in range(2):
        done = _run(env, "documents", "render", "escalation", "--cycle", "2024", "--as-of", "2024-10-08")
        assert done.returncode == 0, done.stderr
    letter = tmp_path / "var" / "out" / "2024" / "cong-van-don-doc-2024-10-08.docx"
    assert str(letter) in done.stdout
    assert "Số:      /UBND-NV" in [
        p.text for p in Document(str(letter)).tables[0].rows[0].cells[0].paragraphs
    ]
    assert letter.with_suffix(".html").exists()

    refused = _run(env, "documents", "render", "decision", "--cycle", "2024")
    assert refused.returncode == 2
    assert "chưa có quyết định công nhận" in refused.stderr
    assert "Traceback" not in refused.stderr
    no_unit = _run(env, "documents", "render", "unit-report", "--cycle", "2024")
    assert no_unit.returncode == 2
    assert "--unit" in no_unit.stderr

    (tmp_path / "docs").mkdir()  # --out names a folder that exists: nothing makes one
    report = _run(
        env,
        "documents",
        "render",
        "annual-report",
        "--cycle",
        "2024",
        "--as-of",
        "2024-12-31",
        "--out",
        str(tmp_path / "docs"),
    )
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "docs" / "bao-cao-sang-kien-2024.docx").exists()


def test_scores_export_has_one_line_per_criterion_with_its_reason(tmp_path: Path) -> None:
    """After fold-scores work (done here through the plain functions), JSON and xlsx carry reasons."""
    from datetime import date

    from models.cycle import find_cycle, load_cycle_config
    from models.db import make_engine, session_scope, upgrade
    from models.reporting import compute_lines, store_lines

    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    assert _run(env, "cycle", "open", "--config", str(VINH_LINH)).returncode == 0
    assert (
        _run(
            env, "import", "initiatives", str(VINH_LINH_DATA / "initiatives.csv"), "--cycle", "2024"
        ).returncode
        == 0
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'sangkien.sqlite3'}")
    upgrade(engine)
    with session_scope(engine) as session:
        cycle = find_cycle(session, load_cycle_config(VINH_LINH).year)
        store_lines(session, cycle, compute_lines(session, cycle, date(2024, 12, 31)), "test")
    engine.dispose()
    out = tmp_path / "scores.json"
    assert (
        _run(env, "export", "scores", "--cycle", "2024", "--format", "json", "--out", str(out)).returncode
        == 0
    )
    records = json.loads(out.read_text(encoding="utf-8"))
    assert records
    assert all(r["reason"] for r in records)
    xlsx = tmp_path / "scores.xlsx"
    assert _run(env, "export", "scores", "--cycle", "2024", "--out", str(xlsx)).returncode == 0
    sheet = load_workbook(xlsx).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Mã đơn vị", "Tên đơn vị", "Nội dung", "Điểm", "Tối đa", "Lý do"]
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == len(records) + 1


def test_an_unknown_document_kind_is_refused_with_the_choices(opened: Path) -> None:
    """A kind nobody registered: exit 2, the known kinds listed."""
    code, _out, err = invoke(opened, "documents", "render", "bao-cao-la", "--cycle", "2024")
    assert code == 2
    assert "loại văn bản 'bao-cao-la' không có" in err
    assert "escalation, unit-report, minutes, proposal, decision, annual-report" in err
    assert "Traceback" not in err
