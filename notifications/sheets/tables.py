"""Spreadsheets officers work with: Vietnamese headers, a frozen header row, widths and wrapping."""

from __future__ import annotations

import io
from typing import Any

from models.errors import InvalidInput
from models.text import xml_unsafe

_MIN_WIDTH, _MAX_WIDTH = 8, 60


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is stored as text (formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def table_bytes(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """One sheet with a bold frozen header, column widths after the content, as .xlsx bytes."""
    from openpyxl import Workbook  # heavy: only the commands that write a sheet pay for it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = title[:31]
    sheet.append(header)
    for number, row in enumerate(rows, start=2):
        for column, value in zip(header, row, strict=False):
            if isinstance(value, str) and xml_unsafe(value):
                raise InvalidInput(
                    f"dòng {number}, cột {column!r} có ký tự không ghi được vào Excel; hãy sửa dữ liệu gốc"
                )
        sheet.append([_safe(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        longest = max([len(str(name))] + [len(str(r[index - 1])) for r in rows if r[index - 1]])
        sheet.column_dimensions[get_column_letter(index)].width = max(
            _MIN_WIDTH, min(_MAX_WIDTH, longest + 2)
        )
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
