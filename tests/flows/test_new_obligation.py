"""A new obligation, defined here with no production file changed: a six-month progress report.

Its registry entry, its submission kind and table, its deadline in the cycle file and its item of
the call for proposals (a template in a temporary folder) are all in this test. The cycle opens
with it, the call asks for it, a file of it imports, the sweep reminds and reports it overdue, and
``status``/``export compliance`` and the compliance artifact show it beside the directive's three.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Date, Integer, Select, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from typer.testing import CliRunner

from deployments.cli import app
from flows.deadline_sweep import deadline_sweep
from flows.import_submissions import import_submissions
from flows.open_cycle import open_cycle
from models.cycle import Cycle
from models.intake import (
    OBLIGATIONS,
    SUBMISSIONS,
    Checked,
    Code,
    Day,
    Labels,
    Line,
    Obligation,
    RequiredPara,
    SubmissionKind,
    first_submitted,
)
from notifications.templating import templates_from
from tests.conftest import VINH_LINH, VINH_LINH_DATA, write_csv
from tests.flows.conftest import World


class _Base(DeclarativeBase):
    """The test's own tables (a province would add them with a migration)."""


class ProgressReport(_Base):
    __tablename__ = "test_progress_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(Text)
    submitted_on: Mapped[date] = mapped_column(Date)
    days_late: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))


class ProgressIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_code: Code
    period: Line
    summary: RequiredPara
    submitted_on: Day | None = None


def _stored(session: Session, cycle: Cycle) -> list[tuple[Any, int, str]]:
    rows = session.scalars(select(ProgressReport).where(ProgressReport.cycle_id == cycle.id))
    return [((r.unit_id, r.period), r.id, r.fingerprint) for r in rows]


def _build(cycle: Cycle, _context: None, e: Checked[Any]) -> ProgressReport:
    return ProgressReport(
        cycle_id=cycle.id,
        unit_id=e.unit.unit_id,
        period=e.item.period,
        summary=e.item.summary,
        submitted_on=e.submitted_on,
        days_late=e.days_late,
        fingerprint=e.fingerprint,
    )


def _receipts(ids: Any) -> Select[Any]:
    return select(
        ProgressReport.id,
        ProgressReport.unit_id,
        ProgressReport.period.label("item"),
        ProgressReport.submitted_on,
        ProgressReport.days_late,
    ).where(ProgressReport.id.in_(ids))


PROGRESS_KIND = SubmissionKind(
    code="progress",
    obligation="progress",
    schema=ProgressIn,
    columns={
        "unit_code": "Mã đơn vị",
        "period": "Kỳ báo cáo",
        "summary": "Tóm tắt",
        "submitted_on": "Ngày gửi",
    },
    table=ProgressReport,
    entity="progress_report",
    key_column="period",
    duplicate="báo cáo tiến độ kỳ này của cùng đơn vị",
    key=lambda _context, e: (e.unit.unit_id, e.item.period),
    stored=_stored,
    build=_build,
    audit=lambda row: {"period": row.period},
    receipt_rows=_receipts,
)
PROGRESS = Obligation(
    code="progress",
    labels=Labels(
        table="Báo cáo 6 tháng",
        column="6 tháng",
        notice="báo cáo tiến độ 6 tháng",
        long="báo cáo tiến độ thực hiện sáng kiến 6 tháng đầu năm {year}",
        receipt="báo cáo tiến độ 6 tháng",
        aliases=("báo cáo 6 tháng",),
    ),
    submission="progress",
    done=first_submitted(ProgressReport),
    call_item="call/progress",
)
SUBMITTERS = ("VL-NV", "19402")


@pytest.fixture
def progress_cycle(world: World, tmp_path: Path) -> Iterator[Path]:
    """The registry entries, the call's template, the table and a cycle file with the deadline."""
    folder = tmp_path / "templates"
    (folder / "call").mkdir(parents=True)
    (folder / "call" / "progress.txt.j2").write_text(
        "Báo cáo tiến độ thực hiện sáng kiến 6 tháng đầu năm {{ year }} "
        "chậm nhất ngày {{ deadline_texts.progress }}.\n",
        encoding="utf-8",
    )
    (folder / "call" / "progress.html.j2").write_text(
        "<li>Báo cáo tiến độ thực hiện sáng kiến 6 tháng đầu năm {{ year }} "
        "<strong>chậm nhất ngày {{ deadline_texts.progress }}</strong>.</li>\n",
        encoding="utf-8",
    )
    text = VINH_LINH.read_text(encoding="utf-8")
    text = text.replace("replication = 2024-10-22\n", "replication = 2024-10-22\nprogress = 2024-07-15\n", 1)
    text = text.replace('roster = "vinh-linh-2024/units.csv"', f'roster = "{VINH_LINH_DATA / "units.csv"}"')
    config = tmp_path / "cycle.toml"
    config.write_text(text, encoding="utf-8")
    _Base.metadata.create_all(world.engine)
    with SUBMISSIONS.registered(PROGRESS_KIND), OBLIGATIONS.registered(PROGRESS), templates_from(folder):
        yield config


def _bodies(world: World, start: int, subject_has: str) -> list[str]:
    return [
        m.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        for m in world.recorder.messages[start:]
        if subject_has in str(m["Subject"])
    ]


def _compliance_artifact() -> list[dict[str, Any]]:
    with get_client(sync_client=True) as client:
        found = next(a for a in client.read_latest_artifacts() if a.key == "compliance-2024")
    assert isinstance(found.data, str)
    rows: list[dict[str, Any]] = json.loads(found.data)
    return rows


def test_a_new_obligation_runs_through_the_year(world: World, progress_cycle: Path, tmp_path: Path) -> None:
    """Opened, called for, imported, reminded, overdue, and shown, with no production change."""
    open_cycle(str(progress_cycle), as_of=date(2024, 1, 15))
    calls = _bodies(world, 0, "đề nghị đề xuất sáng kiến")
    assert len(calls) == 34
    assert all(
        "Báo cáo tiến độ thực hiện sáng kiến 6 tháng đầu năm 2024 chậm nhất ngày 15/07/2024" in c
        for c in calls
    )

    before = len(world.recorder.messages)
    reminded = deadline_sweep(2024, date(2024, 7, 8))
    assert reminded.planned == {"reminder": 34}
    reminders = _bodies(world, before, "Nhắc hạn báo cáo tiến độ 6 tháng")
    assert len(reminders) == 34
    assert "báo cáo tiến độ thực hiện sáng kiến 6 tháng đầu năm 2024" in reminders[0]

    rows = [f"{code},6 tháng đầu năm 2024,Đã áp dụng tại đơn vị.,2024-07-12" for code in SUBMITTERS]
    path = write_csv(tmp_path / "progress.csv", "unit_code,period,summary,submitted_on", *rows)
    imported = import_submissions(2024, world.intake(path), "progress", as_of=date(2024, 7, 12))
    assert (imported.stored, imported.receipts) == (2, 2)

    before = len(world.recorder.messages)
    overdue = deadline_sweep(2024, date(2024, 7, 16))
    assert overdue.planned == {"overdue": 32}
    assert len(_bodies(world, before, "Quá hạn báo cáo tiến độ 6 tháng")) == 32
    states = {row["Mã đơn vị"]: str(row["Báo cáo 6 tháng"]) for row in _compliance_artifact()}
    assert {states[code] for code in SUBMITTERS} == {"đúng hạn 12/7"}
    assert states["VL-TP"].startswith("quá hạn 01 ngày")

    runner = CliRunner()
    status = runner.invoke(app, ["status", "--cycle", "2024", "--as-of", "2024-07-16", "--format", "json"])
    assert status.exit_code == 0, status.stderr
    units = {u["unit_code"]: u for u in json.loads(status.stdout)}
    assert list(units["VL-NV"])[-1] == "progress"
    assert units["VL-NV"]["progress"]["state"] == "on_time"
    assert units["VL-TP"]["progress"]["state"] == "overdue"
    out = tmp_path / "compliance.json"
    exported = runner.invoke(
        app,
        [
            "export",
            "compliance",
            "--cycle",
            "2024",
            "--as-of",
            "2024-07-16",
            "--format",
            "json",
            "--out",
            str(out),
        ],
    )
    assert exported.exit_code == 0, exported.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == list(units.values())
