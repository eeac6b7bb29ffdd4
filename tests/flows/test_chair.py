"""The chair decides on the council's advice, through the paused run's form (Prefect's harness).

A background thread plays the chair: it waits for each pause, reads the form's description and
choices as the UI shows them, and answers. A wrong answer must bring the form back with a
Vietnamese reason and store nothing; the decision recognizes exactly the chair's final list.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from deployments.approvals import PausedForm, approve, paused_form, paused_recognitions
from flows.recognize_initiatives import recognize_initiatives
from models.db import AuditEntry, StoredDocument
from models.forms import DecisionApproval
from models.review import Decision
from models.settings import load_settings
from tests.flows.conftest import World
from tests.flows.test_flows import annual_cycle_without_recognition

Answer = Callable[[PausedForm], DecisionApproval]


def _chair(
    world: World, answers: list[Answer], seen: list[PausedForm], stored: list[int]
) -> threading.Thread:
    """Answer each pause in turn; before each answer, note the form and how many decisions exist."""

    def run() -> None:
        for make in answers:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                runs = paused_recognitions()
                form = paused_form(runs[0]) if runs else None
                if form is not None and len(seen) < len(stored) + 1:
                    break
                time.sleep(0.3)
            else:
                return
            with Session(world.engine) as session:
                stored.append(len(session.scalars(select(Decision)).all()))
            seen.append(form)
            approve(runs[0], make(form), form.choices)
            time.sleep(1)  # the run leaves PAUSED at once; wait for its next pause to be saved

    thread = threading.Thread(target=contextvars.copy_context().run, args=(run,), daemon=True)
    thread.start()
    return thread


def _approval(
    issued_on: date = date(2024, 12, 6), recognized: list[int] | None = None, reasons: str = ""
) -> DecisionApproval:
    return DecisionApproval(
        number="215/QĐ-UBND",
        issued_on=issued_on,
        signer_name="Nguyễn Văn Hải",
        recognized=tuple(recognized) if recognized is not None else None,
        reasons=reasons,
    )


def _ids(labels: list[str]) -> list[int]:
    return [int(label.split(".", 1)[0]) for label in labels]


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    return str(body.get_content()) if body is not None else ""


def _out(world: World, prefix: str) -> Path:
    return next((world.data_dir / "out").rglob(f"{prefix}*.docx"))


def test_the_chair_leaves_one_out_with_a_reason_after_two_refused_forms(world: World) -> None:
    """A date before the review, then a deselection without a reason: each is refused in
    Vietnamese on the form asked again, with nothing stored; then the decision recognizes exactly
    the remaining ones, and the audit log and the decision keep the chair's reason."""
    annual_cycle_without_recognition(world)
    seen: list[PausedForm] = []
    stored: list[int] = []
    reason = "Sáng kiến trùng nội dung với sáng kiến đã công nhận năm 2023"

    def left_out(form: PausedForm) -> list[int]:
        return _ids(form.chosen)[1:]

    answers: list[Answer] = [
        lambda form: _approval(issued_on=date(2024, 6, 12)),
        lambda form: _approval(recognized=left_out(form)),
        lambda form: _approval(recognized=left_out(form), reasons=reason),
    ]
    chair = _chair(world, answers, seen, stored)
    summary = recognize_initiatives(2024)
    chair.join(timeout=30)
    assert summary is not None
    assert summary.new
    first, second, third = seen
    assert "Hội đồng sáng kiến đề nghị công nhận" in first.description
    assert all(label.split(". ", 1)[1].split(" (")[0] in first.description for label in first.chosen)
    with Session(world.engine) as session:
        papers = {d.kind: d for d in session.scalars(select(StoredDocument))}
    for kind, label in (("minutes", "Biên bản họp Hội đồng"), ("proposal", "Tờ trình đề nghị công nhận")):
        paper = papers[kind]  # stored, so the documents service opens it wherever the run was
        link = f"[{paper.file_name}]({load_settings().documents.url}/tai-lieu/{paper.id}/{paper.file_name})"
        assert link in first.description
        assert label in first.description
        assert paper.content[:2] == b"PK"
    assert "trước ngày Hội đồng xét xong" in second.description
    assert "phải nêu lý do" in third.description
    assert stored == [0, 0, 0]  # nothing stored while the form was wrong
    dropped = _ids(first.chosen)[0]
    with Session(world.engine) as session:
        decision = session.scalars(select(Decision)).one()
        assert sorted(decision.initiative_ids) == sorted(_ids(first.chosen)[1:])
        assert decision.changes == [
            {"initiative_id": dropped, "action": "deselect", "reason": reason, "warning": ""}
        ]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "chair-deselect")).one()
        assert audit.after is not None
        assert (audit.entity_id, audit.after["reason"]) == (dropped, reason)
    told = [text for text in map(_plain, world.recorder.messages) if reason in text]
    assert len(told) == 1
    assert "được Hội đồng sáng kiến đề nghị nhưng không được" in told[0]
    text = _docx_text(_out(world, "quyet-dinh-cong-nhan"))
    remaining = [label.split(". ", 1)[1].rsplit(" (", 1)[0] for label in first.chosen[1:]]
    gone = first.chosen[0].split(". ", 1)[1].rsplit(" (", 1)[0]
    assert all(title in text for title in remaining)
    assert gone not in text
    assert f"Công nhận {len(remaining):02d} sáng kiến" in text
    assert "Theo đề nghị của Trưởng phòng Nội vụ tại Tờ trình số" in text
    assert "Quyết định số 150/QĐ-UBND ngày 15/10/2024" in text


def test_adding_one_the_council_did_not_pass_records_the_warning(world: World) -> None:
    """The chair adds a non-recommended initiative with a reason: it is recognized, and the
    decision's record and the audit log carry the warning; the Tờ trình lists the council's."""
    annual_cycle_without_recognition(world)
    seen: list[PausedForm] = []
    stored: list[int] = []

    def added(form: PausedForm) -> DecisionApproval:
        extra = next(i for i in _ids(form.choices) if i not in _ids(form.chosen))
        return _approval(
            recognized=[*_ids(form.chosen), extra],
            reasons=f"{extra}: Đã áp dụng hiệu quả tại Bộ phận Một cửa",
        )

    chair = _chair(world, [added], seen, stored)
    recognize_initiatives(2024)
    chair.join(timeout=30)
    (form,) = seen
    extra = next(i for i in _ids(form.choices) if i not in _ids(form.chosen))
    with Session(world.engine) as session:
        decision = session.scalars(select(Decision)).one()
        assert extra in decision.initiative_ids
        (change,) = decision.changes
        assert (change["action"], change["initiative_id"]) == ("add", extra)
        assert "Hội đồng sáng kiến không đề nghị công nhận" in change["warning"]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "chair-add")).one()
        assert audit.after is not None
        assert audit.after["warning"] == change["warning"]
    proposal = _docx_text(_out(world, "to-trinh-cong-nhan"))
    assert "TỜ TRÌNH" in proposal
    assert "/TTr-NV" in proposal
    assert "Về việc đề nghị công nhận sáng kiến cải cách hành chính năm 2024" in proposal
    assert f"công nhận {len(form.chosen):02d} sáng kiến" in proposal
    for label in form.chosen:
        assert label.split(". ", 1)[1].rsplit(" (", 1)[0] in proposal
