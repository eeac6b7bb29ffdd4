"""Long tables in official documents: every row written, formatted like the header's document."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Mm, Pt

from notifications.documents.docx import FONT, TEXT_WIDTH_MM, write_docx
from notifications.documents.official import Block, OfficialDocument, Signature, Table


def _document(rows: int) -> OfficialDocument:
    annex = Table(
        header=("TT", "Tên sáng kiến"),
        rows=tuple((str(n), f"Sáng kiến số {n} & <cải tiến>") for n in range(1, rows + 1)),
        widths=(0.1, 0.9),
    )
    small = Table(
        header=("Đơn vị", "Điểm"), rows=(("Xã Vĩnh Giang", "2"), ("Xã Vĩnh Thủy", "1,5")), widths=(0.7, 0.3)
    )
    return OfficialDocument(
        slug="thu",
        governing_body="UBND HUYỆN VĨNH LINH",
        issuer="PHÒNG NỘI VỤ",
        number="01/QĐ-UBND",
        place="Vĩnh Linh",
        issued_on=date(2024, 12, 6),
        doc_type="QUYẾT ĐỊNH",
        subject="Về việc công nhận sáng kiến",
        addressees=(),
        blocks=(Block("table", name="annex"), Block("body", "Giữa hai bảng."), Block("table", name="small")),
        signature=Signature(("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", "Nguyễn Văn A"),
        recipients=("Như Điều 3;", "Lưu: VT, NV."),
        tables={"annex": annex, "small": small},
    )


def test_every_row_of_a_long_annex_is_there_as_text_in_times_new_roman() -> None:
    data = write_docx(_document(3000))
    document = Document(io.BytesIO(data))
    annex, small = document.tables[1], document.tables[2]
    assert len(annex.rows) == 3001
    assert [c.text for c in annex.rows[3000].cells] == ["3000", "Sáng kiến số 3000 & <cải tiến>"]
    assert [[c.text for c in r.cells] for r in small.rows] == [
        ["Đơn vị", "Điểm"],
        ["Xã Vĩnh Giang", "2"],
        ["Xã Vĩnh Thủy", "1,5"],
    ]
    run = annex.rows[1500].cells[1].paragraphs[0].runs[0]
    assert (run.font.name, run.font.size, run.bold) == (FONT, Pt(12), False)
    assert abs(annex.rows[1500].cells[1].width - Mm(TEXT_WIDTH_MM * 0.9)) < Mm(0.1)
    assert "Giữa hai bảng." in [p.text for p in document.paragraphs]
    assert "sangkien-rows-" not in document.element.xml


def test_a_table_without_rows_keeps_only_its_header() -> None:
    empty = _document(0)
    document = Document(io.BytesIO(write_docx(empty)))
    assert [c.text for c in document.tables[1].rows[0].cells] == ["TT", "Tên sáng kiến"]
    assert len(document.tables[1].rows) == 1
