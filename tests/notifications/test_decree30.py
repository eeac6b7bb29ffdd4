"""The Decree 30/2020 details an office checks before signing, read back with python-docx: the
header of each issuer type, "Kính gửi" aligned, only the "Điều" labels bold, the minutes signed
by secretary and chair, long tables that repeat their header and keep rows whole, numbers and
dates left blank for the records clerk (or numbered, when the system keeps the register), the
outline attached to the call, right MIME types and left-aligned lists in HTML."""

from __future__ import annotations

import email
import io
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from sqlalchemy.orm import Session

from deployments.document_samples import complete_year
from models.cycle import Cycle
from notifications.documents.render import render_kind
from notifications.mail.messages import Attachment, Sender, build_message
from notifications.mail.outbox import OutgoingNotice
from notifications.notices.attachments import resolve_attachments
from notifications.notices.drafting import call_for_proposals
from tests.notifications.test_documents import keeping_the_register

SEED_DAY = date(2024, 10, 8)
YEAR_END = date(2024, 12, 31)


@pytest.fixture
def year(session: Session, cycle: Cycle, tmp_path: Path) -> Cycle:
    """The bundled year recorded, as configured (numbering.mode = "blank")."""
    return complete_year(session, cycle, tmp_path)


def _with(cycle: Cycle, section: str, **values: object) -> Cycle:
    config = cycle.configuration
    part = getattr(config, section).model_copy(update=values)
    cycle.config = config.model_copy(update={section: part}).model_dump(mode="json")
    return cycle


def _doc(
    session: Session, cycle: Cycle, kind: str, day: date, folder: Path, unit: str | None = None
) -> DocxDocument:
    return Document(str(render_kind(session, cycle, kind, day, folder, unit).docx))


def _header(document: DocxDocument) -> tuple[list[str], list[str]]:
    left, right = document.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs if p.text], [p.text for p in right.paragraphs if p.text]


def _signed(document: DocxDocument) -> list[list[str]]:
    signature = next(t for t in reversed(document.tables) if "Nơi nhận:" not in t.rows[0].cells[-1].text)
    return [[p.text for p in c.paragraphs if p.text] for c in signature.rows[0].cells]


def test_headers_by_issuer_people_committee_commune_agency_council(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """A People's Committee has no governing body; a commune heads, dates and signs as its own
    People's Committee; an agency and the council carry the authority above their name."""
    left, right = _header(_doc(session, year, "escalation", SEED_DAY, tmp_path))
    assert left[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN VĨNH LINH"]
    assert right[-1] == "Vĩnh Linh, ngày    tháng    năm 2024"

    commune = _doc(session, year, "unit-report", YEAR_END, tmp_path, "19402")
    left, right = _header(commune)
    assert left == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH THỦY", "Số:      /BC-UBND"]
    assert right[-1] == "Vĩnh Thủy, ngày    tháng    năm 2024"
    nhan, signer = _signed(commune)
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Quốc Việt"]
    assert nhan[1] == "- UBND huyện Vĩnh Linh (qua Phòng Nội vụ);"

    agency = _doc(session, year, "unit-report", YEAR_END, tmp_path, "VL-NV")
    left, right = _header(agency)
    assert left == ["UBND HUYỆN VĨNH LINH", "PHÒNG NỘI VỤ", "Số:      /BC-NV"]
    assert right[-1] == "Vĩnh Linh, ngày    tháng    năm 2024"
    assert _signed(agency)[1] == ["TRƯỞNG PHÒNG", "Lê Thị Thu Hà"]
    labour = _header(_doc(session, year, "unit-report", YEAR_END, tmp_path, "VL-LDTBXH"))[0]
    assert labour[-1] == "Số:      /BC-LĐTBXH"
    inspectorate = _header(_doc(session, year, "unit-report", YEAR_END, tmp_path, "VL-TTR"))[0]
    assert inspectorate[-1] == "Số:      /BC-TTr"  # numbering.unit_abbreviations

    left, _ = _header(_doc(session, year, "minutes", date(2024, 12, 10), tmp_path))
    assert left == ["UBND HUYỆN VĨNH LINH", "HỘI ĐỒNG SÁNG KIẾN", "Số:      /BB-HĐSK"]


def test_kinh_gui_puts_each_recipient_on_its_line_under_the_first(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """Addressed to the overdue units only (under the annex threshold): "Kính gửi:" then a tab
    to the first "- " recipient; every other starts "- " at the same indent, the first line
    hanging back to where "Kính gửi:" starts."""
    _with(year, "escalation", addressees="overdue")
    document = _doc(session, year, "escalation", SEED_DAY, tmp_path)
    paragraphs = document.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Kính gửi:"))
    lines = [paragraphs[first]]
    lines += [p for p in paragraphs[first + 1 :] if p.text.startswith("- ")]
    assert 1 < len(lines) <= 10
    head, _, recipient = lines[0].text.partition("\t")
    assert head == "Kính gửi:"
    assert recipient.startswith("- ")
    indents = {p.paragraph_format.left_indent for p in lines}
    assert len(indents) == 1
    (indent,) = indents
    assert lines[0].paragraph_format.first_line_indent < 0
    assert [s.position for s in lines[0].paragraph_format.tab_stops] == [indent]
    assert all(p.paragraph_format.first_line_indent in (None, 0) for p in lines[1:])
    assert [p.text[-1] for p in lines] == [";"] * (len(lines) - 1) + ["."]


def test_above_the_threshold_the_letter_names_its_addressees_in_an_annex(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """The seed's practice: every unit bound to propose (34 > 10), listed after the signature."""
    document = _doc(session, year, "escalation", SEED_DAY, tmp_path)
    body = [p.text for p in document.paragraphs]
    assert "Kính gửi: Các cơ quan, đơn vị có tên tại danh sách kèm theo" in body
    assert "DANH SÁCH CƠ QUAN, ĐƠN VỊ" in body
    assert "(Kèm theo Công văn số …/UBND-NV ngày … tháng … năm 2024 của UBND huyện Vĩnh Linh)" in body
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == ["TT", "Tên cơ quan, đơn vị", "Ghi chú"]
    assert len(annex.rows) == 35
    assert "Chưa đề xuất sáng kiến" in {r.cells[2].text for r in annex.rows}


def test_only_the_article_labels_of_the_decision_are_bold(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """ "Điều 1." bold, the article's words not."""
    document = _doc(session, year, "decision", YEAR_END, tmp_path)
    articles = [p for p in document.paragraphs if p.text.startswith("Điều ")]
    assert [p.text[:7] for p in articles] == ["Điều 1.", "Điều 2.", "Điều 3."]
    for paragraph in articles:
        bold = "".join(r.text for r in paragraph.runs if r.bold)
        plain = "".join(r.text for r in paragraph.runs if not r.bold)
        assert bold == paragraph.text[:7]
        assert plain.strip()


def test_the_minutes_are_signed_by_the_secretary_and_the_chair(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """THƯ KÝ at left, CHỦ TỊCH HỘI ĐỒNG at right; the council recommends, units by name."""
    document = _doc(session, year, "minutes", date(2024, 12, 10), tmp_path)
    assert _signed(document) == [["THƯ KÝ", "Trần Minh Đức"], ["CHỦ TỊCH HỘI ĐỒNG", "Nguyễn Văn Hải"]]
    tally = next(t for t in document.tables if t.rows[0].cells[-1].text == "Kết quả")
    outcomes = {r.cells[-1].text for r in tally.rows[1:]}
    assert outcomes <= {"Đề nghị công nhận", "Không đề nghị công nhận", "Chưa đủ phiếu", "Chờ đơn vị bổ sung"}
    assert "Không đề nghị công nhận" in outcomes


@pytest.mark.parametrize(
    "kind", ["escalation", "minutes", "decision", "annual-report", "unit-report", "outline"]
)
def test_every_data_table_repeats_its_header_and_keeps_rows_whole(
    session: Session, year: Cycle, tmp_path: Path, kind: str
) -> None:
    """w:tblHeader on each data table's first row, w:cantSplit on all its rows."""
    day = {"escalation": SEED_DAY, "minutes": date(2024, 12, 10)}.get(kind, YEAR_END)
    document = _doc(
        session, year, kind, day, tmp_path, "VL-VP" if kind in ("unit-report", "outline") else None
    )
    data = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert data
    for grid in data:
        rows = grid._tbl.tr_lst
        header = rows[0].trPr
        assert header is not None
        assert header.find(qn("w:tblHeader")) is not None
        assert all(r.trPr is not None and r.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_register_mode_numbers_and_dates_the_documents(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """numbering.mode = "register": the system's numbers and the issue date; a unit's report is
    still left to the unit's own register."""
    year = complete_year(session, keeping_the_register(cycle), tmp_path)
    left, right = _header(_doc(session, year, "escalation", SEED_DAY, tmp_path))
    assert left[2] == "Số: 01/UBND-NV"
    assert right[-1] == "Vĩnh Linh, ngày 08 tháng 10 năm 2024"
    left, right = _header(_doc(session, year, "annual-report", YEAR_END, tmp_path))
    assert left[2] == "Số: 01/BC-UBND"
    left, right = _header(_doc(session, year, "unit-report", YEAR_END, tmp_path, "19402"))
    assert left[2] == "Số:      /BC-UBND"
    assert right[-1] == "Vĩnh Thủy, ngày    tháng    năm 2024"


def test_the_outline_has_the_replication_section_only_for_units_that_owe_it(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """A commune's outline has section III and Biểu 02; an agency's has neither."""
    commune = "\n".join(
        p.text for p in _doc(session, year, "outline", YEAR_END, tmp_path, "19402").paragraphs
    )
    agency = "\n".join(p.text for p in _doc(session, year, "outline", YEAR_END, tmp_path, "VL-TP").paragraphs)
    assert "ĐỀ CƯƠNG BÁO CÁO" in commune
    assert "III. KẾT QUẢ ÁP DỤNG 05 SÁNG KIẾN ĐƯỢC CHỌN NHÂN RỘNG TẠI BỘ PHẬN MỘT CỬA" in commune
    assert "Biểu 02" in commune
    assert "NHÂN RỘNG" not in agency
    assert "Biểu 02" not in agency
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" in agency


def _parse(files: list[Attachment]) -> EmailMessage:
    notice = OutgoingNotice(
        id=1,
        cycle_id=1,
        recipient="xavinhthuy@vinhlinh.example.org",
        recipient_name="UBND xã Vĩnh Thủy",
        subject="Thử",
        text="Kính gửi: UBND xã Vĩnh Thủy\n",
        html="<p>Kính gửi: UBND xã Vĩnh Thủy</p>",
        message_id="<1@test.example>",
        attachments=[],
    )
    envelope = build_message(
        notice, Sender("noivu@vinhlinh.example.org", "Phòng Nội vụ"), files, datetime.now(UTC)
    )
    message = email.message_from_bytes(envelope.data, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_call_attaches_the_outline_as_a_word_file_beside_the_workbooks(
    session: Session, year: Cycle
) -> None:
    """Each file with its own MIME type: the outline and letters as Word, workbooks as Excel;
    the commune's outline has section III, the agency's not."""
    drafts = {d.recipient_name: d for d in call_for_proposals(session, year)}
    commune, agency = drafts["UBND xã Vĩnh Thủy"], drafts["Phòng Tư pháp"]
    assert "de-cuong-bao-cao-sang-kien-2024.docx" in commune.text
    assert "Báo cáo lập theo đề cương đính kèm." in commune.text
    files = resolve_attachments(session, commune.attachments)
    names = [(f.filename, f.subtype) for f in files]
    assert names[0] == (
        "de-cuong-bao-cao-sang-kien-2024.docx",
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert names[1][1] == "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    message = _parse(files)
    types = {p.get_filename(): p.get_content_type() for p in message.iter_attachments()}
    assert types["de-cuong-bao-cao-sang-kien-2024.docx"].endswith("wordprocessingml.document")
    assert types[names[1][0]].endswith("spreadsheetml.sheet")
    outline = Document(io.BytesIO(files[0].content))
    assert "Biểu 02" in [p.text for p in outline.paragraphs]
    agency_outline = resolve_attachments(session, agency.attachments)[0]
    assert "Biểu 02" not in [p.text for p in Document(io.BytesIO(agency_outline.content)).paragraphs]


def test_html_renditions_put_kinh_gui_and_noi_nhan_at_left(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """The recipients' cell and the addressees' table are left-aligned, never centred."""
    _with(year, "escalation", addressees="overdue")
    page = render_kind(session, year, "escalation", SEED_DAY, tmp_path).html.read_text(encoding="utf-8")
    assert "table.sign td.recipients { text-align: left;" in page
    assert '<td class="recipients"' in page
    assert '<table class="addressees"><tr><td>Kính gửi:</td><td>- ' in page
    assert ".addressees { margin: 0 0 6pt 25mm; text-align: left; }" in page
