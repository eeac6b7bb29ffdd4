"""Replication answers: a commune may answer "chưa áp dụng" with a reason, which completes its
report and scores as the cycle file says; each catalogue item names the unit kinds it applies to."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleConfig, open_cycle
from models.forms import ReplicationForm
from models.imports import import_file
from models.intake import ReplicationReport
from models.reporting.scoring import compute_lines
from models.tracking import compute_compliance
from notifications.notices.attachments import resolve_attachments
from notifications.notices.drafting import call_for_proposals
from tests.conftest import TODAY
from tests.models.test_intake import count, rejected, replication, write_rows

REASON = "Xã chưa có xe và công chức để tiếp nhận lưu động; dự kiến áp dụng từ quý I năm 2025."
ALL = ("NR01", "NR02", "NR03", "NR04", "NR05")


def _answers(not_applied: dict[str, str] | None = None, unit: str = "19363") -> list[dict[str, str]]:
    """Every catalogue item answered by ``unit``; those in ``not_applied`` "chưa áp dụng"."""
    rows = []
    for code in ALL:
        if not_applied and code in not_applied:
            rows.append(
                {
                    "unit_code": unit,
                    "replicated_code": code,
                    "status": "chưa áp dụng",
                    "reason": not_applied[code],
                }
                | {"submitted_on": "2024-10-17"}
            )
        else:
            rows.append(replication(unit, code))
    return rows


def _state(session: Session, cycle: Cycle, unit: str) -> str:
    row = next(r for r in compute_compliance(session, cycle, date(2024, 12, 31)) if r.unit_code == unit)
    return row["replication"].state


def test_not_applied_with_a_reason_completes_the_report(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A commune that has not applied NR05 says so with its reason: its report is done on time,
    the answer is stored with the reason, and re-importing the file stores nothing new."""
    path = write_rows(tmp_path / "nhan-rong.csv", "replication", *_answers({"NR05": REASON}))

    import_file(session, cycle, path, "replication", today=TODAY, actor="test")
    again = import_file(session, cycle, path, "replication", today=TODAY, actor="test")

    assert _state(session, cycle, "19363") == "on_time"
    answer = session.scalars(select(ReplicationReport).where(ReplicationReport.applied.is_(False))).one()
    assert answer.not_applied_reason == REASON
    assert count(session, ReplicationReport) == 5
    assert (again.stored, again.unchanged) == (0, 5)  # the same file again: nothing new


def test_not_applied_without_a_reason_is_refused_naming_row_and_field(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """ "chưa áp dụng" with no reason: the whole file is refused, row 6, column reason, in Vietnamese."""
    path = write_rows(tmp_path / "nhan-rong.csv", "replication", *_answers({"NR05": ""}))

    errors = rejected(session, cycle, path, "replication")

    assert errors == [f"nhan-rong.csv:6:reason: {NOT_APPLIED}"]
    assert count(session, ReplicationReport) == 0


NOT_APPLIED = 'sáng kiến "chưa áp dụng" phải nêu lý do chưa áp dụng ở cột này'


def test_an_applied_answer_still_needs_how_and_results(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """Without "chưa áp dụng", an empty how_applied is refused, the fix named."""
    row = replication("19363", "NR01") | {"how_applied": ""}
    errors = rejected(session, cycle, write_rows(tmp_path / "x.csv", "replication", row), "replication")
    assert errors[0].startswith("x.csv:2:how_applied: bắt buộc khi sáng kiến đã áp dụng")
    assert '"chưa áp dụng"' in errors[0]


def test_nfd_and_hostile_answers(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """An NFD "chưa áp dụng" and an NFD reason are taken (stored NFC); markup stays text; a
    control character in the reason is refused by row and column."""
    nfd = unicodedata.normalize("NFD", REASON + " <b>gấp</b>")
    rows = _answers({"NR05": nfd})
    rows[4]["status"] = unicodedata.normalize("NFD", "Chưa áp dụng")
    import_file(
        session,
        cycle,
        write_rows(tmp_path / "a.xlsx", "replication", *rows),
        "replication",
        today=TODAY,
        actor="t",
    )
    stored = session.scalars(select(ReplicationReport).where(ReplicationReport.applied.is_(False))).one()
    assert stored.not_applied_reason == unicodedata.normalize("NFC", nfd)
    assert "<b>gấp</b>" in stored.not_applied_reason

    bad = _answers({"NR05": "lý do\x07"}, unit="19366")
    errors = rejected(session, cycle, write_rows(tmp_path / "b.csv", "replication", *bad), "replication")
    assert len(errors) == 1
    assert errors[0].startswith("b.csv:6:reason:")


def test_not_applied_scores_per_not_applied(session: Session, config: CycleConfig, tmp_path: Path) -> None:
    """The replication line counts 0.2 per applied item and ``per_not_applied`` per item
    answered "chưa áp dụng", with the reason saying so."""
    points = config.scoring.cchc_index.model_copy(update={"per_not_applied": Decimal("0.1")})
    scoring = config.scoring.model_copy(update={"cchc_index": points})
    cycle, _ = open_cycle(session, config.model_copy(update={"scoring": scoring}), "test")
    import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="test")
    path = write_rows(tmp_path / "n.csv", "replication", *_answers({"NR04": REASON, "NR05": REASON}))
    import_file(session, cycle, path, "replication", today=TODAY, actor="test")

    line = next(
        ln
        for ln in compute_lines(session, cycle, date(2024, 12, 31))
        if ln.unit_code == "19363" and ln.criterion == "replication"
    )
    assert line.points == Decimal("0.2") * 3 + Decimal("0.1") * 2
    assert "2 sáng kiến báo cáo chưa áp dụng có nêu lý do" in line.reason


def test_a_unit_is_asked_only_for_the_items_of_its_kind(
    session: Session, config: CycleConfig, tmp_path: Path
) -> None:
    """With NR05 for the communes only, the Office completes its report with NR01–NR04, and its
    answer for NR05 is refused naming the field and the codes it does report on."""
    items = tuple(
        item.model_copy(update={"unit_kinds": ("commune",)}) if item.code == "NR05" else item
        for item in config.replicated
    )
    cycle, _ = open_cycle(session, config.model_copy(update={"replicated": items}), "test")
    import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="test")

    extra = write_rows(tmp_path / "vp5.csv", "replication", replication("VL-VP", "NR05"))
    errors = rejected(session, cycle, extra, "replication")
    assert errors == [
        (
            "vp5.csv:2:replicated_code: sáng kiến nhân rộng NR05 không áp dụng cho đơn vị VL-VP; "
            "các mã đơn vị này báo cáo: NR01, NR02, NR03, NR04"
        )
    ]
    call = {d.recipient_name: d for d in call_for_proposals(session, cycle)}
    for name, codes in (("Văn phòng HĐND và UBND", ALL[:4]), ("UBND xã Vĩnh Ô", ALL)):
        assert [c for c in ALL if f"{c}:" in call[name].text] == list(codes), name
        files = {a.filename: a.content for a in resolve_attachments(session, call[name].attachments)}
        sheet = load_workbook(io.BytesIO(next(v for k, v in files.items() if "nhan-rong" in k))).active
        assert sheet is not None
        assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == list(codes), name
    office = write_rows(tmp_path / "vp.csv", "replication", *(replication("VL-VP", c) for c in ALL[:4]))
    import_file(session, cycle, office, "replication", today=TODAY, actor="test")
    assert _state(session, cycle, "VL-VP") == "on_time"


def test_the_form_takes_a_not_applied_answer() -> None:
    """The UI form: "chưa áp dụng" with a reason becomes a row without start date or dossiers;
    without a reason it is refused on the reason field."""
    fields = {"cycle": 2024, "unit_code": "19363", "replicated_code": "NR05", "started_on": date(2024, 10, 1)}
    answer = ReplicationForm(**fields, status="not_applied", reason=REASON, submitted_on=date(2024, 10, 17))
    row = answer.submission()
    assert row.model_dump(include={"status", "reason", "started_on", "dossiers"}) == {
        "status": "not_applied",
        "reason": REASON,
        "started_on": None,
        "dossiers": None,
    }
    with pytest.raises(ValidationError) as refused:
        ReplicationForm(**fields, status="not_applied", submitted_on=date(2024, 10, 17)).submission()
    assert [e["loc"] for e in refused.value.errors()] == [("reason",)]
