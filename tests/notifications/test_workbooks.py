"""The pre-filled workbooks sent with the call for proposals, opened and filled as a unit would.

The layout tests open the bytes with openpyxl (what Excel or LibreOffice shows); the round-trip
tests fill a workbook with openpyxl, save it, and import it with ``models.imports.import_file``
into the bundled 2024 cycle on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, ReplicatedInitiative, Unit
from models.imports import import_file, import_kind
from models.intake import FIELD_LABELS, SOLUTION_TYPE_LABELS, Initiative, ReplicationReport
from models.text import parse_bool, parse_code
from notifications.sheets.workbooks import BLANK_ROWS
from tests.builders import CatalogueItem, initiative_workbook, replication_workbook
from tests.conftest import TODAY

CATALOGUE = [
    CatalogueItem("NR01", "Tra cứu thủ tục hành chính và nhận thông báo qua Zalo OA của UBND"),
    CatalogueItem("NR02", "Trả kết quả giải quyết thủ tục hành chính tại nhà qua dịch vụ bưu chính công ích"),
    CatalogueItem("NR03", "Tiếp nhận hồ sơ vào sáng thứ Bảy và ngày làm việc lưu động tại thôn"),
    CatalogueItem("NR04", "Trả kết quả trong ngày đối với thủ tục hành chính đơn giản"),
    CatalogueItem("NR05", "Lấy số thứ tự bằng mã QR và số hóa hồ sơ tại Bộ phận Một cửa"),
]
SOLUTION_TYPES = ["kỹ thuật", "quản lý", "tác nghiệp", "ứng dụng tiến bộ kỹ thuật"]
FIELDS = ["thể chế", "thủ tục hành chính", "tổ chức bộ máy", "công vụ", "tài chính công", "chính phủ số"]


def open_book(content: bytes) -> Workbook:
    """The workbook as a spreadsheet program opens it."""
    return load_workbook(io.BytesIO(content))


def columns_of(sheet: Worksheet) -> dict[str, int]:
    """Header label → column number."""
    return {str(cell.value): int(cell.column or 0) for cell in sheet[1]}


def dropdowns(sheet: Worksheet) -> dict[str, tuple[list[str], str]]:
    """Header label → (the choices of its list validation, the cell range it covers)."""
    header = {number: label for label, number in columns_of(sheet).items()}
    found = {}
    for check in sheet.data_validations.dataValidation:
        assert check.type == "list"
        assert check.formula1 is not None
        (cells,) = check.sqref.ranges
        assert cells.min_col == cells.max_col
        found[header[cells.min_col]] = (check.formula1.strip('"').split(","), cells.coord)
    return found


def unit_id(session: Session, code: str) -> int:
    """The id of the unit ``code``."""
    found = session.scalar(select(Unit.id).where(Unit.code == code))
    assert found is not None
    return found


def catalogue_of(session: Session, cycle: Cycle) -> list[CatalogueItem]:
    """The cycle's replicated initiatives, as the notices module reads them."""
    rows = session.execute(
        select(ReplicatedInitiative.code, ReplicatedInitiative.title)
        .where(ReplicatedInitiative.cycle_id == cycle.id)
        .order_by(ReplicatedInitiative.code)
    )
    return [CatalogueItem(code, title) for code, title in rows]


# --- layout -------------------------------------------------------------------------------------


def test_initiative_workbook_has_the_vietnamese_header_frozen_and_the_unit_code() -> None:
    """Row 1 is the importer's Vietnamese labels in order, frozen; row 2 carries the unit's code."""
    sheet = open_book(initiative_workbook("19426")).worksheets[0]
    assert sheet.title == "Sáng kiến"
    assert [c.value for c in sheet[1]] == list(import_kind("initiatives").columns.values())
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    code, *rest = [c.value for c in sheet[2]]
    assert code == "19426"
    assert all(value is None for value in rest)
    assert sheet.max_row == 2


def test_replication_workbook_has_one_prefilled_row_per_replicated_initiative() -> None:
    """The Office's or a commune's rows: its code and NR01…NR05, each with the title as a note."""
    sheet = open_book(replication_workbook("VL-VP", CATALOGUE)).worksheets[0]
    assert sheet.title == "Nhân rộng"
    assert [c.value for c in sheet[1]] == list(import_kind("replication").columns.values())
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [("VL-VP", item.code) for item in CATALOGUE]
    assert all(value is None for r in rows for value in r[2:])
    notes = [sheet.cell(row=n, column=2).comment for n in range(2, 7)]
    assert [note.text if note else None for note in notes] == [item.title for item in CATALOGUE]


def test_dropdowns_offer_the_vietnamese_labels_on_every_fill_in_row() -> None:
    """Loại giải pháp, Lĩnh vực and Khả năng nhân rộng are lists of Vietnamese labels, rows 2–11."""
    sheet = open_book(initiative_workbook("VL-NV")).worksheets[0]
    found = dropdowns(sheet)
    letters = {label: get_column_letter(n) for label, n in columns_of(sheet).items()}
    declared = letters["Cam kết không thuộc trường hợp loại trừ"]
    assert found == {
        "Loại giải pháp": (SOLUTION_TYPES, f"{letters['Loại giải pháp']}2:{letters['Loại giải pháp']}11"),
        "Lĩnh vực": (FIELDS, f"{letters['Lĩnh vực']}2:{letters['Lĩnh vực']}11"),
        "Khả năng nhân rộng": (
            ["có", "không"],
            f"{letters['Khả năng nhân rộng']}2:{letters['Khả năng nhân rộng']}11",
        ),
        "Cam kết không thuộc trường hợp loại trừ": (["có", "không"], f"{declared}2:{declared}11"),
    }
    assert BLANK_ROWS + 1 == 11
    for check in sheet.data_validations.dataValidation:
        assert check.allow_blank
        assert len(check.formula1 or "") <= 255  # Excel refuses a longer literal list


def test_every_dropdown_label_is_accepted_by_the_importer() -> None:
    """A unit choosing any offered label never gets a 'không hợp lệ' refusal for it."""
    assert [parse_code(label, SOLUTION_TYPE_LABELS, "loại giải pháp") for label in SOLUTION_TYPES] == list(
        SOLUTION_TYPE_LABELS
    )
    assert [parse_code(label, FIELD_LABELS, "lĩnh vực") for label in FIELDS] == list(FIELD_LABELS)
    assert [parse_bool("có"), parse_bool("không")] == [True, False]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (initiative_workbook("19426"), "initiatives"),
        (replication_workbook("19426", CATALOGUE), "replication"),
    ],
    ids=["initiatives", "replication"],
)
def test_an_instructions_sheet_explains_every_column(content: bytes, kind: str) -> None:
    """'Hướng dẫn' lists each column's label with how to fill it (authors, dates, yes/no)."""
    book = open_book(content)
    assert book.sheetnames[1] == "Hướng dẫn"
    guide = book["Hướng dẫn"]
    rows = list(guide.iter_rows(values_only=True))
    assert rows[0] == ("Cột", "Cách ghi")
    assert [r[0] for r in rows[1:]] == list(import_kind(kind).columns.values())
    hints = {r[0]: r[1] for r in rows[1:]}
    if kind == "initiatives":
        assert "Họ tên | chức danh | tỷ lệ % | ngày sinh | nơi công tác" in str(hints["Tác giả"])
        assert "bắt buộc để sáng kiến được xét công nhận" in str(hints["Ngày áp dụng lần đầu"])
        assert "Họ tên | nơi công tác | chức danh | nội dung tham gia" in str(
            hints["Người tham gia áp dụng lần đầu"]
        )
        assert "DD/MM/YYYY" in str(hints["Ngày áp dụng lần đầu"])
        assert hints["Khả năng nhân rộng"] == "có hoặc không"
    else:
        assert "DD/MM/YYYY" in str(hints["Ngày bắt đầu áp dụng"])
        assert "số nguyên" in str(hints["Số hồ sơ"])
    assert "Để trống" in str(hints["Ngày gửi"])


# --- round trip through the importer --------------------------------------------------------------


def test_an_untouched_initiative_workbook_imports_nothing_without_error(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """Sent back as received: the pre-filled code alone is a blank row, no error, no initiative."""
    path = tmp_path / "de-xuat-sang-kien-2024-19426.xlsx"
    path.write_bytes(initiative_workbook("19426"))
    result = import_file(session, cycle, path, "initiatives", today=TODAY, actor="test")
    assert (result.stored, result.updated, result.unchanged) == (0, 0, 0)
    assert session.scalar(select(func.count(Initiative.id))) == 0


def test_an_untouched_replication_workbook_imports_nothing_without_error(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """Five pre-filled rows of codes only: all blank, nothing stored."""
    path = tmp_path / "bao-cao-nhan-rong-2024-19426.xlsx"
    path.write_bytes(replication_workbook("19426", catalogue_of(session, cycle)))
    result = import_file(session, cycle, path, "replication", today=TODAY, actor="test")
    assert result.stored == 0
    assert session.scalar(select(func.count(ReplicationReport.id))) == 0


def test_a_filled_initiative_workbook_stores_the_initiative_for_the_unit(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """Filled with dropdown labels, authors and real date cells: one initiative of Vĩnh Ô, on time."""
    book = open_book(initiative_workbook("19426"))
    sheet = book["Sáng kiến"]
    column = columns_of(sheet)
    values: dict[str, str | date] = {
        "Tên sáng kiến": "Tra cứu kết quả giải quyết hồ sơ qua mã QR dán tại nhà văn hóa thôn",
        "Loại giải pháp": "tác nghiệp",
        "Lĩnh vực": "chính phủ số",
        "Tác giả": "Nguyễn Văn A | Chuyên viên | 100",
        "Ngày áp dụng lần đầu": date(2024, 3, 1),
        "Phạm vi áp dụng": "Bộ phận Một cửa UBND xã Vĩnh Ô và 11 thôn, bản.",
        "Nội dung giải pháp": "Dán mã QR tra cứu hồ sơ tại nhà văn hóa các thôn, bản.",
        "Hiệu quả": "Người dân tra cứu được 312 hồ sơ mà không phải đến UBND xã.",
        "Khả năng nhân rộng": "có",
        "Ngày gửi": date(2024, 8, 20),
    }
    for label, value in values.items():
        sheet.cell(row=2, column=column[label], value=value)
    path = tmp_path / "de-xuat-sang-kien-2024-19426.xlsx"
    book.save(path)
    result = import_file(session, cycle, path, "initiatives", today=TODAY, actor="test")
    assert result.stored == 1
    stored = session.scalars(select(Initiative).where(Initiative.cycle_id == cycle.id)).all()
    assert len(stored) == 1
    initiative = stored[0]
    assert initiative.unit_id == unit_id(session, "19426")
    assert initiative.title == values["Tên sáng kiến"]
    assert (initiative.solution_type, initiative.field, initiative.replicable) == (
        "operational",
        "digital_government",
        True,
    )
    assert (initiative.first_applied_on, initiative.submitted_on) == (date(2024, 3, 1), date(2024, 8, 20))
    assert initiative.days_late == 0
    assert initiative.scope == values["Phạm vi áp dụng"]
    assert [(a.name, a.title, a.share) for a in initiative.authors] == [
        ("Nguyễn Văn A", "Chuyên viên", Decimal(100))
    ]


def test_a_commune_replication_workbook_filled_for_three_rows_stores_three_reports(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """NR01, NR03, NR05 filled, NR02 and NR04 left as sent: three reports, the other rows ignored."""
    book = open_book(replication_workbook("19426", catalogue_of(session, cycle)))
    sheet = book["Nhân rộng"]
    column = columns_of(sheet)
    filled = {
        2: ("NR01", 1480, "Lập Zalo OA của UBND xã, gửi thông báo kết quả hồ sơ."),
        4: ("NR03", 64, "Tiếp nhận hồ sơ sáng thứ Bảy tại Bộ phận Một cửa xã."),
        6: ("NR05", 230, "Cấp số thứ tự bằng mã QR, số hóa hồ sơ khi tiếp nhận."),
    }
    for row, (code, dossiers, how) in filled.items():
        assert sheet.cell(row=row, column=column["Mã sáng kiến nhân rộng"]).value == code
        sheet.cell(row=row, column=column["Ngày bắt đầu áp dụng"], value=date(2024, 4, 1))
        sheet.cell(row=row, column=column["Cách thức áp dụng"], value=how)
        sheet.cell(row=row, column=column["Số hồ sơ"], value=dossiers)
        sheet.cell(row=row, column=column["Kết quả"], value=f"Đã giải quyết {dossiers} hồ sơ.")
        sheet.cell(row=row, column=column["Ngày gửi"], value=date(2024, 10, 15))
    path = tmp_path / "bao-cao-nhan-rong-2024-19426.xlsx"
    book.save(path)
    result = import_file(session, cycle, path, "replication", today=TODAY, actor="test")
    assert result.stored == 3
    rows = session.execute(
        select(ReplicatedInitiative.code, ReplicationReport.dossiers, ReplicationReport.how_applied)
        .join(ReplicatedInitiative, ReplicatedInitiative.id == ReplicationReport.replicated_id)
        .where(ReplicationReport.unit_id == unit_id(session, "19426"))
        .order_by(ReplicatedInitiative.code)
    ).all()
    assert [tuple(r) for r in rows] == [(code, n, how) for code, n, how in filled.values()]
    assert session.scalar(select(func.count(ReplicationReport.id))) == 3
    days_late = session.scalars(select(ReplicationReport.days_late)).all()
    assert days_late == [0, 0, 0]
