"""The Tờ trình đề nghị công nhận sáng kiến read back (python-docx): its own number series, the
council's recommendation from the tally, who proposes to whom; and the decision citing it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy.orm import Session

from deployments.document_samples import complete_year
from models.cycle import Cycle
from models.review import tally
from notifications.documents.render import render_kind
from tests.notifications.test_documents import keeping_the_register

PROPOSED_ON = date(2024, 12, 12)


def _text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def registered(session: Session, cycle: Cycle, tmp_path: Path) -> Cycle:
    """The bundled year completed, the system keeping the register."""
    return complete_year(session, keeping_the_register(cycle), tmp_path)


def test_the_proposal_lists_the_council_s_recommendation_in_its_own_series(
    session: Session, registered: Cycle, tmp_path: Path
) -> None:
    """Numbered 01/TTr-NV (not in the minutes' or the letters' series), from Phòng Nội vụ to the
    chair, each recommended initiative with its points, signed by the office's head; rendering
    again keeps the number."""
    minutes = Document(str(render_kind(session, registered, "minutes", date(2024, 12, 10), tmp_path).docx))
    assert "Số: 01/BB-HĐSK" in [p.text for p in minutes.tables[0].rows[0].cells[0].paragraphs]
    files = render_kind(session, registered, "proposal", PROPOSED_ON, tmp_path)
    document = Document(str(files.docx))
    header = document.tables[0].rows[0].cells[0].text
    assert "PHÒNG NỘI VỤ" in header
    assert "Số: 01/TTr-NV" in header
    text = _text(files.docx)
    assert "TỜ TRÌNH" in text
    assert "Kính gửi: Chủ tịch UBND huyện Vĩnh Linh" in text
    assert "Biên bản họp Hội đồng sáng kiến số 01/BB-HĐSK ngày 10/12/2024" in text
    assert "Quyết định số 150/QĐ-UBND ngày 15/10/2024 của Chủ tịch UBND huyện Vĩnh Linh" in text
    recommended = [t for t in tally(session, registered) if t.outcome == "recognized"]
    listed = next(t for t in document.tables if t.rows[0].cells[-1].text == "Đồng ý")
    assert sorted(r.cells[1].text for r in listed.rows[1:]) == sorted(t.title for t in recommended)
    assert f"ban hành Quyết định công nhận {len(recommended):02d} sáng kiến" in text
    signer = [p.text for p in document.tables[-1].rows[0].cells[-1].paragraphs if p.text]
    assert signer == ["TRƯỞNG PHÒNG", "Lê Thị Thu Hà"]
    again = render_kind(session, registered, "proposal", date(2024, 12, 20), tmp_path)
    assert "Số: 01/TTr-NV" in Document(str(again.docx)).tables[0].rows[0].cells[0].text


def test_the_decision_cites_the_council_its_minutes_and_the_proposal(
    session: Session, registered: Cycle, tmp_path: Path
) -> None:
    """After the legal bases: the council's establishment, its minutes, and the proposal line
    naming the Tờ trình's number and date."""
    render_kind(session, registered, "minutes", date(2024, 12, 10), tmp_path)
    render_kind(session, registered, "proposal", PROPOSED_ON, tmp_path)
    text = _text(render_kind(session, registered, "decision", date(2024, 12, 20), tmp_path).docx)
    assert "Căn cứ Quyết định số 150/QĐ-UBND ngày 15/10/2024" in text
    assert "Căn cứ Biên bản họp Hội đồng sáng kiến số 01/BB-HĐSK ngày 10/12/2024;" in text
    assert "Theo đề nghị của Trưởng phòng Nội vụ tại Tờ trình số 01/TTr-NV ngày 12/12/2024." in text
    assert text.index("Thông tư số 18/2013/TT-BKHCN") < text.index("Quyết định số 150/QĐ-UBND")


def test_left_to_the_clerk_the_decision_leaves_room_for_the_proposal_s_number(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """In "blank" mode nothing is numbered: the Tờ trình leaves "Số:      /TTr-NV" and the
    decision cites it with room for the number and date."""
    year = complete_year(session, cycle, tmp_path)
    proposal = Document(str(render_kind(session, year, "proposal", PROPOSED_ON, tmp_path).docx))
    assert "/TTr-NV" in proposal.tables[0].rows[0].cells[0].text
    assert "01/TTr-NV" not in proposal.tables[0].rows[0].cells[0].text
    text = _text(render_kind(session, year, "decision", date(2024, 12, 20), tmp_path).docx)
    assert "tại Tờ trình số …/TTr-NV ngày … tháng … năm 2024." in text
