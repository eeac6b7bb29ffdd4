"""Reading import files (xlsx, csv in UTF-8, JSON arrays) into rows of canonical columns.

Every row carries the number a spreadsheet program shows (the header is row 1; for JSON, the
object's 1-based position), so that every error can say ``FILE:ROW:COLUMN: message``.
Vietnamese header labels (those of the generated templates) are accepted as aliases.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models.errors import ImportRejected, RowError
from models.intake.containers import UnsafeWorkbook, check_xlsx
from models.text import fold, nfc

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000

# Codes the generated workbooks fill in ahead; a row with nothing else is a blank row.
PREFILLED = frozenset({"unit_code", "replicated_code", "initiative_id", "member"})


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row: its number as a spreadsheet shows it, and its non-empty cells by column."""

    number: int
    cells: dict[str, str]


def _header_key(label: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in fold(label)).strip("_")


def _cell_text(value: object) -> str:
    """A cell as text: dates as ISO, whole floats without '.0' (spreadsheets store 60 as 60.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _refuse(file: str, message: str, row: int = 1, column: str = "-") -> ImportRejected:
    """A whole file refused for one reason."""
    return ImportRejected([RowError(file, row, column, message)])


def _read_csv(name: str, data: bytes) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = (
            "tệp không phải UTF-8 (có thể là Windows-1258 hoặc TCVN3); "
            "hãy lưu lại bằng 'CSV UTF-8' rồi nhập lại"
        )
        raise _refuse(name, message, line) from None
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _read_xlsx(name: str, data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook  # heavy, and only xlsx needs it

    try:
        check_xlsx(data)
    except UnsafeWorkbook as exc:
        raise _refuse(name, str(exc)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise _refuse(
            name, f"không đọc được tệp Excel ({type(exc).__name__}); hãy lưu lại dạng .xlsx"
        ) from None
    rows: list[list[object]] = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def _read_json(name: str, data: bytes) -> list[list[object]]:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise _refuse(
            name, "tệp JSON lồng nhau quá sâu; hãy gửi một mảng các đối tượng [{...}, {...}]"
        ) from None
    except UnicodeDecodeError:
        raise _refuse(name, "tệp JSON không phải UTF-8; hãy lưu lại bằng mã UTF-8") from None
    except json.JSONDecodeError as exc:
        where = f"dòng {exc.lineno}, cột {exc.colno}"
        message = f"không phải JSON hợp lệ (lỗi ở {where}); hãy kiểm tra ngoặc và dấu phẩy"
        raise _refuse(name, message) from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _refuse(name, "tệp JSON phải là một mảng các đối tượng [{...}, {...}]")
    header: list[object] = list(dict.fromkeys(k for item in items for k in item))
    return [header, *([item.get(k) for k in header] for item in items)]


Reader = Callable[[str, bytes], list[list[object]]]
_READERS: dict[str, Reader] = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json}
SUFFIXES = frozenset(_READERS)


def _map_header(
    file: str, header: list[object], columns: Mapping[str, str], required: frozenset[str]
) -> list[str | None]:
    """Each header cell's canonical column (None for an empty cell); refuses a wrong header."""
    aliases = {_header_key(c): c for c in columns} | {_header_key(v): c for c, v in columns.items()}
    errors: list[RowError] = []
    canonical: list[str | None] = []
    for cell in header:
        label = _cell_text(cell)
        name = aliases.get(_header_key(label))
        if name is None and label:
            message = f"cột không được nhận; các cột hợp lệ: {', '.join(columns)}"
            errors.append(RowError(file, 1, label, message))
        elif name is not None and name in canonical:
            errors.append(RowError(file, 1, label, f"cột {name} xuất hiện hai lần"))
        canonical.append(name)
    errors.extend(
        RowError(file, 1, name, f"thiếu cột bắt buộc {name} ({columns[name]})")
        for name in columns
        if name in required and name not in canonical
    )
    if errors:
        raise ImportRejected(errors)
    return canonical


def read_rows(path: Path, columns: Mapping[str, str], required: frozenset[str]) -> list[SourceRow]:
    """All non-empty rows of an import file, with canonical column names (``columns`` maps each
    to its Vietnamese header, accepted as an alias).

    Raises ``ImportRejected`` for a file that cannot be read, that is too large, whose header
    lacks a ``required`` column or has an unknown one, or whose rows do not fit the header.
    """
    _reader(path.name)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _refuse(str(path), "không có tệp này") from None
    _check_size(path.name, size)
    return read_data(path.name, path.read_bytes(), columns, required)


def _reader(name: str) -> Reader:
    reader = _READERS.get(Path(name).suffix.lower())
    if reader is None:
        shown = Path(name).suffix or "(không có đuôi)"
        raise _refuse(name, f"không nhận dạng tệp {shown}; hãy dùng .xlsx, .csv (UTF-8) hoặc .json")
    return reader


def _check_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        megabytes, limit = size / 1_048_576, MAX_FILE_BYTES / 1_048_576
        message = f"tệp quá lớn ({megabytes:.1f} MB, tối đa {limit:.1f} MB); hãy chia thành nhiều tệp"
        raise _refuse(name, message)


def read_header(name: str, data: bytes) -> list[str]:
    """The header row of a file as text (empty when the file has none): which kind a file is."""
    _check_size(name, len(data))
    table = _reader(name)(name, data)
    return [_cell_text(c) for c in table[0]] if table else []


def header_fits(header: list[str], columns: Mapping[str, str], required: frozenset[str]) -> bool:
    """Whether ``header`` is one of ``columns``' headers: every required column, no unknown one."""
    aliases = {_header_key(c): c for c in columns} | {_header_key(v): c for c, v in columns.items()}
    named = [aliases.get(_header_key(label)) for label in header if label]
    return None not in named and required <= set(filter(None, named))


def read_data(
    name: str, data: bytes, columns: Mapping[str, str], required: frozenset[str]
) -> list[SourceRow]:
    """``read_rows`` of a file's bytes (an attachment); ``name`` is the file's name."""
    reader = _reader(name)
    _check_size(name, len(data))
    table = reader(name, data)
    if not table or not any(_cell_text(c) for c in table[0]):
        raise _refuse(name, "tệp trống; dòng 1 phải là tiêu đề cột")
    if len(table) - 1 > MAX_ROWS:
        raise _refuse(name, f"quá {MAX_ROWS} dòng; hãy chia thành nhiều tệp", MAX_ROWS + 2)
    canonical = _map_header(name, table[0], columns, required)
    errors: list[RowError] = []
    rows: list[SourceRow] = []
    # A spreadsheet pads its header with empty cells up to its widest row: count named columns only.
    width = max((i + 1 for i, column in enumerate(canonical) if column), default=0)
    for number, values in enumerate(table[1:], start=2 if reader is not _read_json else 1):
        nested = [canonical[i] or "-" for i, v in enumerate(values) if isinstance(v, dict | list)]
        if nested:
            errors.append(RowError(name, number, nested[0], "giá trị lồng nhau không được nhận"))
            continue
        texts = [_cell_text(v) for v in values]
        filled = [i for i, t in enumerate(texts) if t]
        if filled and filled[-1] >= width:
            message = f"dòng có {filled[-1] + 1} ô nhưng tiêu đề chỉ có {width} cột"
            errors.append(RowError(name, number, "-", message))
            continue
        unnamed = [i + 1 for i in filled if not canonical[i]]
        if unnamed:
            message = f"ô thứ {unnamed[0]} có dữ liệu nhưng cột không có tiêu đề; hãy thêm tiêu đề hoặc xóa ô"
            errors.append(RowError(name, number, "-", message))
            continue
        cells = {column: t for column, t in zip(canonical, texts, strict=False) if column and t}
        if cells.keys() - PREFILLED:
            rows.append(SourceRow(number, cells))
    if errors:
        raise ImportRejected(errors)
    return rows
