"""A new notice kind and a new document kind, each defined here with no production file changed:
their spec in the registry and their templates in a temporary folder.

The notice is queued, delivered to a real SMTP server and listed with its Vietnamese label; the
document is rendered by ``sangkien documents render`` and read back from the .docx.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine, select

from models.cycle import Cycle, Unit
from models.db import session_scope
from notifications.documents.kinds import DOCUMENTS, DocumentSpec
from notifications.documents.official import OfficialDocument, body_blocks
from notifications.documents.paper import Paper
from notifications.mail.delivery import deliver_notices
from notifications.mail.outbox import queue_notices
from notifications.notices.drafting import base_context, draft
from notifications.notices.kinds import NOTICES, NoticeSpec
from notifications.notices.reports import notice_records, notice_table
from notifications.templating import templates_from
from tests.conftest import VINH_LINH
from tests.deployments.conftest import invoke
from tests.notifications.conftest import smtp_at
from tests.notifications.smtp_servers import Recorder, smtp_server

PROGRESS_NOTE = NoticeSpec("progress_note", "Ghi nhận tiến độ", "unit", "progress-PERIOD")


@pytest.fixture
def notice_templates(tmp_path: Path) -> Iterator[Path]:
    """The new kind's pair of templates, found while the kind is registered."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "progress_note.txt.j2").write_text(
        "{% set subject %}Ghi nhận tiến độ sáng kiến năm {{ year }} của {{ recipient_name }}{% endset -%}\n"
        "Kính gửi: {{ recipient_name }}\n\n{{ authority_name }} ghi nhận tiến độ {{ period }} của đơn vị.\n",
        encoding="utf-8",
    )
    (folder / "progress_note.html.j2").write_text(
        "<p>Kính gửi: {{ recipient_name }}</p><p>{{ authority_name }} ghi nhận tiến độ {{ period }}.</p>\n",
        encoding="utf-8",
    )
    with NOTICES.registered(PROGRESS_NOTE), templates_from(folder):
        yield folder


def test_a_new_notice_kind_is_queued_delivered_and_labelled(
    engine: Engine, notice_templates: Path, cycle_id: int
) -> None:
    """Queued once, received by the SMTP server with its subject, listed as 'Ghi nhận tiến độ'."""
    with session_scope(engine) as session:
        cycle = session.get_one(Cycle, cycle_id)
        unit = Unit(code="19402", name="UBND xã Vĩnh Thủy", kind="commune", email="vt@vinhlinh.example.org")
        unit.valid_from = cycle.opens_on
        session.add(unit)
        session.flush()
        context = {**base_context(cycle), "period": "6 tháng đầu năm 2024"}
        note = draft(cycle, "progress_note", "progress-h1", unit.email, unit.name, context, unit_id=unit.id)
        assert queue_notices(session, [note, note], "test.sangkien.example") == 1
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = asyncio.run(deliver_notices(engine, smtp_at(port)))
    assert report.sent == 1
    message = recorder.messages[0]
    assert str(message["Subject"]) == "Ghi nhận tiến độ sáng kiến năm 2024 của UBND xã Vĩnh Thủy"
    assert "ghi nhận tiến độ 6 tháng đầu năm 2024" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    with session_scope(engine) as session:
        header, body = notice_table(notice_records(session, cycle_id))
    assert body[0][header.index("Loại thư")] == "Ghi nhận tiến độ"


def _progress_report(paper: Paper) -> OfficialDocument:
    """A builder of the test's own: a short report, numbered in the report series, signed."""
    authority = paper.authority
    numbered = paper.number("progress-report", paper.as_of)
    units = paper.session.scalar(select(Unit).where(Unit.code == "VL-NV"))
    context = {"year": paper.cycle.year, "short": authority.short, "unit": units.name if units else ""}
    return OfficialDocument(
        slug=f"bao-cao-tien-do-{paper.cycle.year}",
        governing_body=authority.governing_body,
        issuer=authority.issuer,
        number=numbered.number,
        place=authority.place,
        issued_on=numbered.issued_on,
        doc_type="BÁO CÁO",
        subject=f"Tiến độ thực hiện sáng kiến 6 tháng đầu năm {paper.cycle.year}",
        addressees=(),
        blocks=body_blocks("progress_report", context),
        signature=paper.signature(),
        recipients=("Các cơ quan, đơn vị;", "Lưu: VT, NV."),
    )


def test_a_new_document_kind_is_rendered_by_the_cli(tmp_path: Path) -> None:
    """``documents render progress-report``: its number left to the clerk ("Số:      /BC-UBND"),
    its body from its template."""
    folder = tmp_path / "templates"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "progress_report.j2").write_text(
        "[[s]]I. TIẾN ĐỘ\n{{ short }} tổng hợp tiến độ sáng kiến năm {{ year }}, trong đó có {{ unit }}.\n",
        encoding="utf-8",
    )
    spec = DocumentSpec("progress-report", "Báo cáo tiến độ", _progress_report, "report_suffix", "letter")
    with DOCUMENTS.registered(spec), templates_from(folder):
        code, _out, err = invoke(tmp_path, "cycle", "open", "--config", str(VINH_LINH))
        assert code == 0, err
        args = ["documents", "render", "progress-report", "--cycle", "2024", "--as-of", "2024-07-20"]
        (tmp_path / "out").mkdir()
        code, out, err = invoke(tmp_path, *args, "--out", str(tmp_path / "out"))
        assert code == 0, err
    docx = tmp_path / "out" / "bao-cao-tien-do-2024.docx"
    assert str(docx) in out
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    cells = "\n".join(c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells)
    assert "BÁO CÁO" in text
    assert "UBND huyện Vĩnh Linh tổng hợp tiến độ sáng kiến năm 2024, trong đó có Phòng Nội vụ." in text
    assert "Số:      /BC-UBND" in cells
    assert "Thái Văn Thành" in cells
