"""The cycle through its Prefect flows: replayed year, idempotent re-runs, the paused approval."""

from __future__ import annotations

import contextvars
import io
import threading
import time
from datetime import date
from uuid import UUID

import pytest
from docx import Document
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
    ArtifactFilterType,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.logging.handlers import APILogHandler
from sqlalchemy import func, select

from deployments.approvals import approve_when_paused
from flows.annual_cycle import annual_cycle
from flows.deadline_sweep import deadline_sweep
from flows.open_cycle import open_cycle
from flows.recognize_initiatives import recognize_initiatives
from models.cycle import DocumentNumber
from models.db import Notice, session_scope
from models.forms import DecisionApproval
from models.intake import Initiative
from models.reporting import ScoreLine
from models.review import Decision
from tests.flows.conftest import World
from tests.notifications.smtp_servers import free_port, smtp_server

APPROVAL = DecisionApproval(
    number="215/QĐ-UBND",
    issued_on=date(2024, 12, 6),
    signer_name="Nguyễn Văn Hải",
    signer_title="PHÓ CHỦ TỊCH",
)


def _approve_in_background() -> threading.Thread:
    context = contextvars.copy_context()  # the harness's API settings live in this context
    thread = threading.Thread(target=context.run, args=(approve_when_paused, APPROVAL, 300), daemon=True)
    thread.start()
    return thread


def _count(world: World, model: type[object], *where: object) -> int:
    with session_scope(world.engine) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def _progress_of(flow_run_id: UUID | None) -> float:
    """The progress artifact of a run, as the UI shows it."""
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
                type=ArtifactFilterType(any_=["progress"]),
            )
        )
    assert len(artifacts) == 1
    return float(str(artifacts[0].data))


def _escalations_carry_the_letter(world: World) -> None:
    """Every escalation e-mail has the official letter (a Word file) and the report outline
    attached; the letter, to every unit bound by the obligation, lists them in its annex."""
    escalations = [m for m in world.recorder.messages if str(m["Subject"]).startswith("Đôn đốc")]
    assert escalations
    # one letter: later sweeps find those units already escalated
    letters = sorted(p.name for p in (world.data_dir / "out" / "2024").glob("cong-van-don-doc-*.docx"))
    assert letters == ["cong-van-don-doc-2024-10-04.docx"]
    # numbering.mode = "blank": the records clerk numbers the letter at signing; none is taken
    assert _count(world, DocumentNumber, DocumentNumber.document_key.like("escalation-%")) == 0
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    for message in escalations:
        parts = [p for p in message.walk() if p.get_filename()]
        assert [(p.get_filename(), p.get_content_type()) for p in parts] == [
            ("cong-van-don-doc-2024-10-04.docx", docx),
            ("de-cuong-bao-cao-sang-kien-2024.docx", docx),
        ]
        payload = parts[0].get_payload(decode=True)
        assert isinstance(payload, bytes)
        letter = Document(io.BytesIO(payload))
        assert "Số:      /UBND-NV" in next(c.text for t in letter.tables for r in t.rows for c in r.cells)
        text = message.get_body(preferencelist=("plain",))
        assert text is not None
        assert (
            "Phòng Nội vụ gửi kèm thư này Công văn của Ủy ban nhân dân huyện Vĩnh Linh đôn đốc thực hiện"
            in " ".join(text.get_content().split())
        )
        body = [p.text for p in letter.paragraphs]
        assert "Kính gửi: Các cơ quan, đơn vị có tên tại danh sách kèm theo" in body
        annex = letter.tables[-1]
        listed = {r.cells[1].text: r.cells[2].text for r in annex.rows[1:]}
        assert len(listed) == 34  # every unit bound to propose, the roster's 34
        name = str(message["To"]).split("<")[0].strip().strip('"')
        assert listed[name] == "Chưa đề xuất sáng kiến"
    assert sum(1 for note in listed.values() if note) == len(escalations)  # the day's escalated units


def test_a_replayed_year_reaches_every_unit_once(world: World) -> None:
    """annual-cycle: the database ends decided and scored; every notice arrived exactly once."""
    approver = _approve_in_background()
    state = annual_cycle(return_state=True)
    summary = state.result()
    approver.join(timeout=5)
    assert _progress_of(state.state_details.flow_run_id) == 100.0
    assert summary.year == 2024
    assert summary.decision == "215/QĐ-UBND"
    assert _count(world, Decision) == 1
    recognized = _count(world, Initiative, Initiative.recognition_status == "recognized")
    assert recognized == summary.recognized > 0
    assert _count(world, Initiative, Initiative.recognition_status == "not_recognized") > 0
    assert _count(world, ScoreLine, ScoreLine.scorecard == "task_completion") == 34 * 3
    assert _count(world, ScoreLine, ScoreLine.scorecard == "cchc_index") == 18 * 2
    notices = _count(world, Notice)
    assert _count(world, Notice, Notice.state == "sent") == notices
    received = world.recorder.message_ids()
    assert len(received) == notices
    assert set(received.values()) == {1}
    kinds = {str(m["Subject"]).split(":")[0] for m in world.recorder.messages}
    assert any(k.startswith("Nhắc hạn") for k in kinds)
    assert any(k.startswith("Quá hạn") for k in kinds)
    assert any(k.startswith("Đôn đốc") for k in kinds)
    _escalations_carry_the_letter(world)
    assert (world.data_dir / "out" / "2024" / "quyet-dinh-cong-nhan-sang-kien-2024.docx").exists()
    report = (world.data_dir / "out" / "2024" / "bao-cao-sang-kien-2024.html").read_text(encoding="utf-8")
    assert "Kết quả xây dựng, áp dụng sáng kiến cải cách hành chính năm 2024" in report
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(like_="district-report-2024%"))
        )
    charts = [a for a in found if a.type == "image"]
    # By key: a report of another test in this session may have versioned the same keys.
    assert {a.key for a in charts} == {"district-report-2024-image1", "district-report-2024-image2"}
    assert all(str(a.data).startswith("data:image/png;base64,") for a in charts)
    assert any(a.type == "markdown" for a in found)


def test_a_sweep_run_twice_on_a_day_sends_nothing_new(world: World) -> None:
    """deadline-sweep for 28/08/2024 twice: the 7-day reminders (of the 04/09 effective deadline)
    go out once; the sweep of Saturday 31/08 sends nothing at all."""
    open_cycle()
    calls = len(world.recorder.messages)
    swept = deadline_sweep(2024, date(2024, 8, 28))
    assert swept.planned == {"reminder": 34}
    reminders = len(world.recorder.messages) - calls
    assert reminders == 34
    saturday = deadline_sweep(2024, date(2024, 8, 31))
    assert saturday.queued == 0
    again = deadline_sweep(2024, date(2024, 8, 28))
    assert again.queued == 0
    assert len(world.recorder.messages) - calls == 34
    assert set(world.recorder.message_ids().values()) == {1}


def test_an_open_cycle_re_run_sends_nothing_twice(world: World) -> None:
    """Running open-cycle again (a re-run after a failure) stores and sends nothing twice."""
    open_cycle()
    open_cycle()
    assert len(world.recorder.messages) == 34
    assert _count(world, Notice) == 34


def test_delivery_is_retried_by_prefect_when_the_server_was_down(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mail server is down when the sweep delivers; the task's retry sends each notice once."""
    open_cycle()
    before = len(world.recorder.messages)
    port = free_port()
    monkeypatch.setenv("SANGKIEN_SMTP__PORT", str(port))  # nothing listens there yet

    def late_server() -> None:
        time.sleep(0.5)
        with smtp_server(world.recorder, port):
            time.sleep(30)

    threading.Thread(target=late_server, daemon=True).start()
    swept = deadline_sweep(2024, date(2024, 8, 30))
    assert swept.queued == 34
    assert len(world.recorder.messages) - before == 34
    assert set(world.recorder.message_ids().values()) == {1}


def test_recognition_waits_for_the_chair_and_issues_one_decision(world: World) -> None:
    """The paused run resumes with the approval's values; triggering it again issues nothing new."""
    annual_cycle_without_recognition(world)
    approver = _approve_in_background()
    first = recognize_initiatives(2024)
    approver.join(timeout=5)
    assert first is not None
    assert (first.number, first.new) == ("215/QĐ-UBND", True)
    sent = len(world.recorder.messages)
    state = recognize_initiatives(2024, return_state=True)
    second = state.result()
    assert second is not None
    assert (second.number, second.new, second.notices) == ("215/QĐ-UBND", False, 0)
    assert _count(world, Decision) == 1
    assert len(world.recorder.messages) == sent
    APILogHandler().flush()  # the run logs reach the API before they are read
    with get_client(sync_client=True) as client:
        logs = client.read_logs(
            LogFilter(flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id]))
        )
    said = [log.message for log in logs]
    assert any(
        "đã có Quyết định số 215/QĐ-UBND ngày 06/12/2024" in m
        and "không chờ phê duyệt lại" in m
        and "/tai-lieu/" in m
        and "quyet-dinh-cong-nhan-sang-kien-2024.docx" in m  # the line links the stored decision
        for m in said
    )
    assert not any("Pausing flow" in m for m in said)


def annual_cycle_without_recognition(world: World) -> None:
    """Open, import everything, review with simulated sheets (what recognition needs)."""
    from flows.import_submissions import import_submissions
    from flows.review_initiatives import review_initiatives
    from tasks.outcome_tasks import simulate_sheets_task
    from tests.conftest import VINH_LINH_DATA

    ref = open_cycle()
    import_submissions(
        2024, world.intake(VINH_LINH_DATA / "initiatives.csv"), "initiatives", date(2024, 12, 1)
    )
    import_submissions(2024, world.intake(VINH_LINH_DATA / "reports.csv"), "reports", date(2024, 12, 1))
    review_initiatives(2024, date(2024, 11, 1), simulate_sheets_task(ref.id))
