"""Pre-filled input workbooks sent with the call for proposals, that units fill and send back.

The header row holds the Vietnamese labels the importer accepts, so a filled workbook imports as
it is; a row with nothing but the pre-filled codes counts as blank. Dropdowns offer the coded
values by their Vietnamese labels; an instructions sheet explains each column.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from models.intake.reading import COLUMNS
from models.intake.schemas import FIELD_LABELS, SOLUTION_TYPE_LABELS

BLANK_ROWS = 10
_HINTS = {
    "authors": "Họ tên | chức vụ | tỷ lệ %; các tác giả cách nhau bằng dấu ; — tổng tỷ lệ bằng 100",
    "first_applied_on": "Ngày dạng DD/MM/YYYY hoặc YYYY-MM-DD",
    "submitted_on": "Để trống: tính theo ngày hệ thống nhận tệp",
    "started_on": "Ngày dạng DD/MM/YYYY hoặc YYYY-MM-DD",
    "replicable": "có hoặc không",
    "dossiers": "Số hồ sơ đã giải quyết theo sáng kiến (số nguyên)",
}


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """One replicated initiative, pre-filled in the replication workbook."""

    code: str
    title: str


def _labels(labels: dict[str, str]) -> str:
    return '"' + ",".join(label.split("|")[0] for label in labels.values()) + '"'


def _workbook(
    kind: str,
    title: str,
    rows: Sequence[dict[str, str]],
    notes: dict[str, str],
    note_column: str = "replicated_code",
) -> bytes:
    from openpyxl import Workbook  # heavy: only the call for proposals pays for it
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = list(COLUMNS[kind])
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = title
    sheet.append([COLUMNS[kind][c] for c in columns])
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    last = max(len(rows) + 1, BLANK_ROWS + 1)
    lists = {
        "solution_type": _labels(SOLUTION_TYPE_LABELS),
        "field": _labels(FIELD_LABELS),
        "replicable": '"có,không"',
        "approve": '"có,không"',
    }
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column in _HINTS:
            cell.comment = Comment(_HINTS[column], "sangkien")
        sheet.column_dimensions[letter].width = 40 if column in ("title", "solution", "effects") else 18
        if column in lists:
            check = DataValidation(type="list", formula1=lists[column], allow_blank=True)
            check.error = "Hãy chọn một giá trị trong danh sách"
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last}")
    for row_number, note in notes.items():
        sheet.cell(row=int(row_number), column=columns.index(note_column) + 1).comment = Comment(
            note, "sangkien"
        )
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Cách ghi"])
    for column in columns:
        guide.append([COLUMNS[kind][column], _HINTS.get(column, "")])
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def initiative_workbook(unit_code: str) -> bytes:
    """The initiatives workbook of one unit: its code pre-filled on the first row."""
    return _workbook("initiatives", "Sáng kiến", [{"unit_code": unit_code}], {})


def replication_workbook(unit_code: str, catalogue: Sequence[CatalogueItem]) -> bytes:
    """The replication workbook of the Office or a commune: one row per replicated initiative."""
    rows = [{"unit_code": unit_code, "replicated_code": item.code} for item in catalogue]
    notes = {str(n): item.title for n, item in enumerate(catalogue, start=2)}
    return _workbook("replication", "Nhân rộng", rows, notes)


def review_workbook(member: str, initiatives: Sequence[tuple[int, str]]) -> bytes:
    """A council member's score sheet: one row per assigned initiative, id and name pre-filled."""
    rows = [{"initiative_id": str(initiative_id), "member": member} for initiative_id, _ in initiatives]
    notes = {str(n): title for n, (_, title) in enumerate(initiatives, start=2)}
    return _workbook("reviews", "Phiếu chấm", rows, notes, note_column="initiative_id")
