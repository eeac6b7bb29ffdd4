"""Pre-filled input workbooks sent with the call for proposals, that units fill and send back.

The header row holds the Vietnamese labels the importer accepts, so a filled workbook imports as
it is; a row with nothing but the pre-filled codes counts as blank. Dropdowns offer the coded
values by their Vietnamese labels; an instructions sheet explains each column. A unit's workbook
names its kind, cycle and unit in custom document properties, so that the mailbox collector knows
what a returned workbook is.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from models.intake import FIELD_LABELS, PREFILLED, SOLUTION_TYPE_LABELS, SubmissionKind, WorkbookIdentity
from models.review import REVIEW_COLUMNS

BLANK_ROWS = 10
REVIEW_HINTS: dict[str, str] = {}


def _labels(labels: dict[str, str]) -> str:
    return '"' + ",".join(label.split("|")[0] for label in labels.values()) + '"'


def _workbook(
    columns: Mapping[str, str],
    hints: Mapping[str, str],
    title: str,
    rows: Sequence[Mapping[str, str]],
    notes: Mapping[int, str],
    note_column: str,
    identity: WorkbookIdentity | None = None,
) -> bytes:
    from openpyxl import Workbook  # heavy: only the call for proposals pays for it
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    names = list(columns)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = title
    sheet.append([columns[c] for c in names])
    for row in rows:
        sheet.append([row.get(c, "") for c in names])
    last = max(len(rows) + 1, BLANK_ROWS + 1)
    lists = {
        "solution_type": _labels(SOLUTION_TYPE_LABELS),
        "field": _labels(FIELD_LABELS),
        "replicable": '"có,không"',
        "not_excluded": '"có,không"',
        "approve": '"có,không"',
    }
    for index, column in enumerate(names, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column in hints:
            cell.comment = Comment(hints[column], "sangkien")
        sheet.column_dimensions[letter].width = 40 if column in ("title", "solution", "effects") else 18
        if column in lists:
            check = DataValidation(type="list", formula1=lists[column], allow_blank=True)
            check.error = "Hãy chọn một giá trị trong danh sách"
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last}")
    for row_number, note in notes.items():
        sheet.cell(row=row_number, column=names.index(note_column) + 1).comment = Comment(note, "sangkien")
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Cách ghi"])
    for column in names:
        guide.append([columns[column], hints.get(column, "")])
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 90
    for name, value in (identity.properties() if identity else {}).items():
        book.custom_doc_props.append(  # type: ignore[attr-defined] # typeshed's stubs lack it (3.1 has it)
            StringProperty(name=name, value=value)
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def submission_workbook(
    kind: SubmissionKind,
    title: str,
    rows: Sequence[Mapping[str, str]],
    notes: Mapping[int, str],
    identity: WorkbookIdentity | None = None,
) -> bytes:
    """A unit's workbook of submission ``kind``: its rows pre-filled, a note on a row's second
    pre-filled code (the replicated initiative's title), and its ``identity`` as properties."""
    note_column = next((c for c in kind.columns if c != "unit_code" and c in PREFILLED), "unit_code")
    return _workbook(kind.columns, kind.hints, title, rows, notes, note_column, identity)


def review_workbook(member: str, initiatives: Sequence[tuple[int, str]]) -> bytes:
    """A council member's score sheet: one row per assigned initiative, id and name pre-filled."""
    rows = [{"initiative_id": str(initiative_id), "member": member} for initiative_id, _ in initiatives]
    notes = {n: title for n, (_, title) in enumerate(initiatives, start=2)}
    return _workbook(REVIEW_COLUMNS, REVIEW_HINTS, "Phiếu chấm", rows, notes, "initiative_id")
