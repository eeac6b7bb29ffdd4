"""The Giấy chứng nhận sáng kiến read back as an author reads it: one per author of each
recognized initiative, their facts from the application form, the decision that recognized it,
the decision's signer; still one A4 page with every field at its longest; and the notice that
carries it to an author with an e-mail (kind ``certificate``, once per author)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from deployments.document_samples import complete_year, to_pdf
from models.cycle import Cycle
from models.intake import Initiative, InitiativeAuthor
from models.review import existing_decision
from notifications.documents.render import render_certificates, render_kind
from notifications.notices.kinds import NoticeKind
from notifications.notices.outcome import certificate_notices


@pytest.fixture
def year(session: Session, cycle: Cycle, tmp_path: Path) -> Cycle:
    """The bundled year up to its decision (05/QĐ-UBND of 20/12/2024)."""
    return complete_year(session, cycle, tmp_path)


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_each_recognized_author_has_exactly_one_certificate(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """As many certificates as authors of the recognized initiatives, each naming its author and
    initiative; rendering again writes the same files, not more."""
    decision = existing_decision(session, year)
    assert decision is not None
    authors = dict(
        session.execute(
            select(InitiativeAuthor.id, Initiative.title)
            .join(Initiative, Initiative.id == InitiativeAuthor.initiative_id)
            .where(Initiative.id.in_(decision.initiative_ids))
        )
        .tuples()
        .all()
    )
    written = render_certificates(session, year, decision, tmp_path / "gcn")
    assert len(written) == len(authors) > 0
    again = render_certificates(session, year, decision, tmp_path / "gcn")
    assert [f.docx for _, f in again] == [f.docx for _, f in written]
    assert len(list((tmp_path / "gcn").glob("*.docx"))) == len(authors)
    seen = []
    for holder, files in written:
        text = _paragraphs(files.docx)
        assert f"Ông (Bà): {holder.name}" in text
        assert f"“{authors[holder.author_id]}”" in text
        seen.append(holder.author_id)
    assert sorted(seen) == sorted(authors)


def test_certificate_reads_back_with_the_form_s_facts_and_the_decision(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """Header of Decree 30, the title, the author's birth date, title, workplace, qualification and
    share, the decision's number and day, its signer."""
    files = render_kind(session, year, "certificate", date(2024, 12, 31), tmp_path)
    document = Document(str(files.docx))
    header = [p.text for c in document.tables[0].rows[0].cells for p in c.paragraphs]
    assert header[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN VĨNH LINH"]
    assert "Số:      /GCN-UBND" in header
    assert "Vĩnh Linh, ngày 20 tháng 12 năm 2024" in header
    text = _paragraphs(files.docx)
    assert "GIẤY CHỨNG NHẬN SÁNG KIẾN" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN VĨNH LINH" in text
    for line in (
        "Ông (Bà): Lê Thị Thu Hà",
        "Ngày sinh: 12/03/1978; chức danh: Trưởng phòng",
        "Nơi công tác: Phòng Nội vụ; trình độ chuyên môn: Thạc sĩ Quản lý công",
        "Là đồng tác giả (tỷ lệ đóng góp 40%) của sáng kiến:",
    ):
        assert line in text
    assert any("Quyết định số 05/QĐ-UBND ngày 20/12/2024" in t for t in text)
    signature = " ".join(c.text for t in document.tables[1:] for r in t.rows for c in r.cells)
    assert "KT. CHỦ TỊCH" in signature
    assert "Nguyễn Văn Hải" in signature


def test_certificate_with_every_field_at_its_longest_is_one_page(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """A 500-character title, a 100-character name and title (far beyond any real one), a
    150-character workplace and qualification (the schema's bound) still print on one A4 page."""
    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        pytest.skip("soffice and pdfinfo are needed (Debian: libreoffice-writer, poppler-utils)")
    decision = existing_decision(session, year)
    assert decision is not None
    first = session.get_one(Initiative, sorted(decision.initiative_ids)[0])
    first.title = ("Giải pháp cải cách thủ tục hành chính tại Bộ phận Một cửa " * 9)[:500]
    for author in first.authors:
        author.name, author.title = ("Nguyễn Thị " * 10)[:100], ("Chức danh " * 10)[:100]
        author.workplace, author.qualification = ("Nơi công tác " * 12)[:150], ("Thạc sĩ " * 20)[:150]
        author.birth_date = date(1980, 1, 1)
    session.flush()
    (_, files), *_ = render_certificates(session, year, decision, tmp_path / "dai")
    (pdf,) = to_pdf([files.docx], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Pages:           1" in info, str(pdf)


def test_an_author_with_an_e_mail_gets_one_certificate_notice_with_the_file(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """Only authors with an address get a notice; each names its author in the milestone, so a
    second run queues none, and attaches that author's certificate."""
    decision = existing_decision(session, year)
    assert decision is not None
    written = render_certificates(session, year, decision, tmp_path / "gcn")
    drafts = certificate_notices(session, year, decision, written)
    with_email = [h for h, _ in written if h.email]
    assert len(drafts) == len(with_email) > 0
    by_author = {f"certificate-{h.author_id}": f for h, f in written}
    for notice in drafts:
        assert notice.kind == NoticeKind.CERTIFICATE
        assert notice.recipient in {h.email for h in with_email}
        (attachment,) = notice.attachments
        assert attachment["path"] == str(by_author[notice.milestone].docx)
        assert "Giấy chứng nhận sáng kiến" in notice.subject
        assert "Quyết định số 05/QĐ-UBND ngày 20/12/2024" in notice.text
        assert "Ông (Bà)" in notice.text
