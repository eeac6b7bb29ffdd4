"""Official documents read back as an officer reads them: page, margins, fonts, header, number,
date, body, signature and recipients (python-docx), and the HTML rendition."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Length
from docx.text.paragraph import Paragraph
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from deployments.document_samples import DECIDED_ON, YEAR_END, complete_year
from models.cycle import Cycle, DocumentNumber
from models.errors import InvalidInput
from models.intake import Initiative
from models.tracking import compute_compliance
from notifications.documents.files import DocumentFiles
from notifications.documents.render import render_kind

SEED_DAY = date(2024, 10, 8)


def keeping_the_register(cycle: Cycle) -> Cycle:
    """The cycle with ``numbering.mode = "register"``: the system numbers its documents."""
    config = cycle.configuration
    numbering = config.numbering.model_copy(update={"mode": "register"})
    cycle.config = config.model_copy(update={"numbering": numbering}).model_dump(mode="json")
    return cycle


@pytest.fixture
def year(session: Session, cycle: Cycle, tmp_path: Path) -> Cycle:
    """The bundled cycle with its whole year recorded, the system keeping the register."""
    return complete_year(session, keeping_the_register(cycle), tmp_path)


def _mm(length: Length | None) -> float:
    assert length is not None
    return round(float(length.mm), 1)


def _texts(paragraphs: Sequence[Paragraph]) -> list[str]:
    return [p.text for p in paragraphs]


def _render(
    session: Session, cycle: Cycle, kind: str, day: date, folder: Path, unit: str | None = None
) -> DocumentFiles:
    return render_kind(session, cycle, kind, day, folder, unit)


def test_escalation_letter_has_the_parts_of_the_seed_in_their_places(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """The seed's header, number, date, V/v, addressees, body, signature and recipients (addressed,
    here, to the overdue units only: ``escalation.addressees = "overdue"``)."""
    config = year.configuration
    only_overdue = config.escalation.model_copy(update={"addressees": "overdue"})
    year.config = config.model_copy(update={"escalation": only_overdue}).model_dump(mode="json")
    files = _render(session, year, "escalation", SEED_DAY, tmp_path)
    document = Document(str(files.docx))
    section = document.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert (_mm(section.top_margin), _mm(section.bottom_margin)) == (20, 20)
    assert (_mm(section.left_margin), _mm(section.right_margin)) == (30, 15)
    header = document.tables[0].rows[0].cells
    left, right = _texts(header[0].paragraphs), _texts(header[1].paragraphs)
    assert left[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN VĨNH LINH"]
    assert "Số: 01/UBND-NV" in left
    assert left[-1] == "V/v báo cáo kết quả áp dụng sáng kiến trong công tác CCHC năm 2024"
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right[-1] == "Vĩnh Linh, ngày 08 tháng 10 năm 2024"
    assert all(r.italic for r in header[1].paragraphs[-1].runs)
    body = _texts(document.paragraphs)
    overdue = {
        r.unit_name for r in compute_compliance(session, year, SEED_DAY) if r["propose"].state == "overdue"
    }
    on_time = {
        r.unit_name for r in compute_compliance(session, year, SEED_DAY) if r["propose"].state == "on_time"
    }
    first = next(t for t in body if t.startswith("Kính gửi:"))
    items = [first.removeprefix("Kính gửi:\t")] + [t for t in body if t.startswith("- ")]
    assert items[-1].endswith(".")
    assert all(t.startswith("- ") for t in items)
    assert all(t.endswith(";") for t in items[:-1])
    addressees = {t.removeprefix("- ")[:-1] for t in items}
    assert addressees == overdue
    assert not addressees & on_time
    text = "\n".join(body)
    assert text.index("Kính gửi:") < text.index("Thực hiện Kế hoạch số 11/KH-UBND ngày 15/01/2024")
    assert "gửi về UBND huyện Vĩnh Linh trước ngày 31/08/2024" in text
    assert f"còn {len(overdue):02d} cơ quan, đơn vị chưa thực hiện" in text
    assert (
        "(theo đề cương đính kèm) gửi về UBND huyện Vĩnh Linh (qua Phòng Nội vụ) trước ngày 22/10/2024"
        in text
    )
    assert "05 sáng kiến CCHC được chọn nhân rộng tại Bộ phận Một cửa" in text
    assert body[[i for i, t in enumerate(body) if t.strip()][-1]].endswith(
        "nghiêm túc triển khai thực hiện./."
    )
    recipients, signature = document.tables[-1].rows[0].cells
    assert _texts(recipients.paragraphs) == [
        "Nơi nhận:",
        "- Như trên;",
        "- CT, các PCT UBND huyện Vĩnh Linh;",
        "- Lưu: VT, NV.",
    ]
    assert recipients.paragraphs[0].runs[0].bold
    assert recipients.paragraphs[0].runs[0].italic
    signed = [t for t in _texts(signature.paragraphs) if t]
    assert signed == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Thái Văn Thành"]
    html = files.html.read_text(encoding="utf-8")
    for line in ("Số: 01/UBND-NV", "Vĩnh Linh, ngày 08 tháng 10 năm 2024", "Kính gửi:", "Thái Văn Thành"):
        assert line in html
    fonts = {r.font.name for p in document.paragraphs for r in p.runs if r.text}
    assert fonts == {"Times New Roman"}
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_page_numbers_are_at_the_top_from_page_two(session: Session, year: Cycle, tmp_path: Path) -> None:
    """A PAGE field in the header; the first page has its own, empty header."""
    section = Document(str(_render(session, year, "escalation", SEED_DAY, tmp_path).docx)).sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_rendering_again_keeps_the_number_and_date_and_a_new_letter_takes_the_next(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """Same day twice: one number row, same 01; a later letter is 02 of the same issuer and year."""
    first = Document(str(_render(session, year, "escalation", SEED_DAY, tmp_path).docx))
    again = Document(str(_render(session, year, "escalation", SEED_DAY, tmp_path).docx))
    later = Document(str(_render(session, year, "escalation", date(2024, 10, 15), tmp_path).docx))
    numbers = [_texts(d.tables[0].rows[0].cells[0].paragraphs) for d in (first, again, later)]
    assert "Số: 01/UBND-NV" in numbers[0]
    assert "Số: 01/UBND-NV" in numbers[1]
    assert "Số: 02/UBND-NV" in numbers[2]
    assert session.scalar(select(func.count()).select_from(DocumentNumber)) == 2


def test_decision_lists_the_recognized_initiatives_in_its_annex(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """Number and date from the chair, KT. signature, Điều 3 recipients, annex one row per initiative."""
    document = Document(str(_render(session, year, "decision", YEAR_END, tmp_path).docx))
    left = _texts(document.tables[0].rows[0].cells[0].paragraphs)
    right = _texts(document.tables[0].rows[0].cells[1].paragraphs)
    assert "Số: 05/QĐ-UBND" in left
    assert right[-1] == f"Vĩnh Linh, ngày {DECIDED_ON.day} tháng 12 năm 2024"
    body = _texts(document.paragraphs)
    assert "QUYẾT ĐỊNH" in body
    assert "Về việc công nhận sáng kiến cải cách hành chính năm 2024" in body
    recognized = session.scalars(
        select(Initiative.title).where(
            Initiative.cycle_id == year.id, Initiative.recognition_status == "recognized"
        )
    ).all()
    assert recognized
    assert (
        f"Điều 1. Công nhận {len(recognized):02d} sáng kiến cải cách hành chính năm 2024 "
        "(có danh sách kèm theo)." in body
    )
    recipients, signature = document.tables[1].rows[0].cells
    assert _texts(recipients.paragraphs)[1:] == ["- Như Điều 3;", "- Lưu: VT, NV."]
    assert [t for t in _texts(signature.paragraphs) if t] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Hải",
    ]
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == [
        "TT",
        "Tên sáng kiến",
        "Tác giả, tỷ lệ đóng góp",
        "Đơn vị",
        "Lĩnh vực",
        "Phạm vi áp dụng",
        "Chủ đầu tư, người tham gia áp dụng lần đầu",
    ]
    assert sorted(r.cells[1].text for r in annex.rows[1:]) == sorted(recognized)
    # The application form's facts: birth year, title, qualification, share; the first
    # application's participants (the bundled town of Hồ Xá gives them).
    cells = {r.cells[1].text: r for r in annex.rows[1:]}
    town = cells.get("Số hóa sổ hộ tịch gốc và kết quả giải quyết thủ tục hành chính còn hiệu lực")
    if town is not None:
        assert town.cells[2].text.startswith(
            "Nguyễn Thị Thu Trang, sinh năm 1988, Công chức Tư pháp - Hộ tịch, Cử nhân Luật, 50%"
        )
        assert "Tham gia áp dụng lần đầu: Phan Thị Lan (Công chức" in town.cells[6].text


def test_minutes_hold_the_tally_of_every_initiative(session: Session, year: Cycle, tmp_path: Path) -> None:
    """One tally row per initiative, units by name; the council's own number; the secretary
    signs at left and the chair at right."""
    document = Document(str(_render(session, year, "minutes", date(2024, 12, 10), tmp_path).docx))
    assert "Số: 01/BB-HĐSK" in _texts(document.tables[0].rows[0].cells[0].paragraphs)
    count = session.scalar(select(func.count()).where(Initiative.cycle_id == year.id))
    tally = next(t for t in document.tables if t.rows[0].cells[-1].text == "Kết quả")
    assert len(tally.rows) - 1 == count
    assert {r.cells[2].text for r in tally.rows[1:]} >= {"Phòng Nội vụ", "UBND xã Vĩnh Ô"}
    assert "VL-NV" not in {r.cells[2].text for r in tally.rows[1:]}
    secretary, chair = ([t for t in _texts(c.paragraphs) if t] for c in document.tables[-1].rows[0].cells)
    assert secretary == ["THƯ KÝ", "Trần Minh Đức"]
    assert chair == ["CHỦ TỊCH HỘI ĐỒNG", "Nguyễn Văn Hải"]


def test_annual_report_has_its_tables_charts_and_places_for_the_drafter(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """Compliance by unit kind, initiatives, replication, scores, recognized list, two charts."""
    files = _render(session, year, "annual-report", YEAR_END, tmp_path)
    document = Document(str(files.docx))
    body = "\n".join(_texts(document.paragraphs))
    for heading in (
        "I. TÌNH HÌNH THỰC HIỆN",
        "II. SÁNG KIẾN ĐÃ ĐỀ XUẤT",
        "III. KẾT QUẢ ÁP DỤNG",
        "IV. KẾT QUẢ ĐÁNH GIÁ",
        "V. SÁNG KIẾN ĐƯỢC CÔNG NHẬN",
    ):
        assert heading in body
    assert "Quyết định số 05/QĐ-UBND" in body
    assert body.count("Phòng Nội vụ soạn thảo") >= 2
    assert len(document.inline_shapes) == 2
    compliance = next(t for t in document.tables if t.rows[0].cells[0].text == "Loại đơn vị")
    kinds = {row.cells[0].text for row in compliance.rows[1:]}
    assert {"UBND cấp xã", "Cơ quan chuyên môn"} <= kinds
    html = files.html.read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 2


def test_unit_report_follows_the_outline(session: Session, year: Cycle, tmp_path: Path) -> None:
    """The Office reports replication (section III); an agency's outline has no such section."""
    office = "\n".join(
        _texts(
            Document(str(_render(session, year, "unit-report", YEAR_END, tmp_path, "VL-VP").docx)).paragraphs
        )
    )
    agency = "\n".join(
        _texts(
            Document(str(_render(session, year, "unit-report", YEAR_END, tmp_path, "VL-TP").docx)).paragraphs
        )
    )
    assert "III. KẾT QUẢ ÁP DỤNG CÁC SÁNG KIẾN ĐƯỢC CHỌN NHÂN RỘNG" in office
    assert "V. ĐỀ XUẤT, KIẾN NGHỊ" in office
    assert "NHÂN RỘNG" not in agency
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" in agency
    with pytest.raises(InvalidInput, match="không có đơn vị mã 'XX'"):
        _render(session, year, "unit-report", YEAR_END, tmp_path, "XX")


def test_markup_and_long_titles_render_as_written(session: Session, year: Cycle, tmp_path: Path) -> None:
    """& < > and quotes stay text in .docx and escaped in HTML; a 480-character title is whole."""
    odd = "Một cửa \"số\" <b>&</b> 'nhanh' [[break]] " + "dài " * 110
    recognized = session.scalars(
        select(Initiative).where(
            Initiative.cycle_id == year.id, Initiative.recognition_status == "recognized"
        )
    ).first()
    assert recognized is not None
    recognized.title = odd.strip()
    session.flush()
    files = _render(session, year, "decision", YEAR_END, tmp_path)
    cells = [r.cells[1].text for r in Document(str(files.docx)).tables[-1].rows]
    assert odd.strip() in cells
    html = files.html.read_text(encoding="utf-8")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "<b>&</b>" not in html


def test_a_control_character_is_refused_before_rendering(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """A bell character in a title: a message naming the field, no file written."""
    session.execute(update(Initiative).where(Initiative.cycle_id == year.id).values(title="Sáng kiến\x07"))
    with pytest.raises(InvalidInput, match="sáng kiến: có ký tự điều khiển U\\+0007"):
        _render(session, year, "annual-report", YEAR_END, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_no_letter_when_every_unit_has_complied(session: Session, year: Cycle, tmp_path: Path) -> None:
    """Before the deadline nobody is overdue: refused, and no number is taken."""
    with pytest.raises(InvalidInput, match="không cần công văn đôn đốc"):
        _render(session, year, "escalation", date(2024, 8, 1), tmp_path)
    assert session.scalar(select(func.count()).select_from(DocumentNumber)) == 0
