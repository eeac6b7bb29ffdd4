"""Reading import files (xlsx, csv in UTF-8, JSON arrays) into rows of canonical columns.

Every row carries the number a spreadsheet program shows (the header is row 1; for JSON, the
object's 1-based position), so that every error can say ``FILE:ROW:COLUMN: message``.
Vietnamese header labels (those of the generated templates) are accepted as aliases.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models.errors import ImportRejected, RowError
from models.intake.formats import (
    MAX_CELL,
    MAX_FILE_BYTES,
    MAX_ROWS,
    READERS,
    Reader,
    Refused,
    read_json,
    refuse,
)
from models.text import fold, nfc

# Codes the generated workbooks fill in ahead; a row with nothing else is a blank row.
SUFFIXES = frozenset(READERS)
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


def _map_header(
    file: str, header: list[object], columns: Mapping[str, str], required: frozenset[str]
) -> list[str | None]:
    """Each header cell's canonical column (None for an empty cell); refuses a wrong header."""
    aliases = {_header_key(c): c for c in columns} | {_header_key(v): c for c, v in columns.items()}
    errors: list[RowError] = []
    canonical: list[str | None] = []
    if not any(aliases.get(_header_key(_cell_text(cell))) for cell in header):
        # Not an import file at all: say so without echoing what the file holds.
        expected = ", ".join(columns)
        raise ImportRejected(
            [
                RowError(
                    file, 1, "-", f"không phải tệp nhập liệu: dòng 1 phải là tiêu đề với các cột {expected}"
                )
            ]
        )
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


def _json_problem(value: object, accepted: frozenset[str]) -> str | None:
    """Why a JSON value does not fit its column (text stays text: ``true`` is not a title)."""
    if isinstance(value, Refused):
        return f"{value.why} không được nhận"
    kind = "bool" if isinstance(value, bool) else "number" if isinstance(value, int | float) else "text"
    if value is None or isinstance(value, dict | list) or kind in accepted or kind == "text":
        return None
    return "phải là chuỗi trong dấu ngoặc kép" if accepted == {"text"} else "kiểu giá trị không hợp lệ"


def read_rows(
    path: Path,
    columns: Mapping[str, str],
    required: frozenset[str],
    json_kinds: Mapping[str, frozenset[str]] | None = None,
) -> list[SourceRow]:
    """All non-empty rows of an import file, with canonical column names (``columns`` maps each
    to its Vietnamese header, accepted as an alias; ``json_kinds`` says which JSON types each
    column takes besides text).

    Raises ``ImportRejected`` for a file that cannot be read, that is too large, whose header
    lacks a ``required`` column or has an unknown one, or whose rows do not fit the header.
    """
    errors: list[RowError] = []
    rows = list(iter_rows(path, columns, required, errors, json_kinds))
    if errors:
        raise ImportRejected(errors)
    return rows


def iter_rows(
    path: Path,
    columns: Mapping[str, str],
    required: frozenset[str],
    errors: list[RowError],
    json_kinds: Mapping[str, frozenset[str]] | None = None,
) -> Iterator[SourceRow]:
    """The rows of a file one at a time, as read (so a caller that parses them as they come never
    holds them all); problems of a row are appended to ``errors``, and a file that cannot be read
    at all raises ``ImportRejected`` at once."""
    _reader(path.name)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise refuse(str(path), "không có tệp này") from None
    _check_size(path.name, size)
    return iter_data(path.name, path.read_bytes(), columns, required, errors, json_kinds)


def _reader(name: str) -> Reader:
    reader = READERS.get(Path(name).suffix.lower())
    if reader is None:
        shown = Path(name).suffix or "(không có đuôi)"
        raise refuse(name, f"không nhận dạng tệp {shown}; hãy dùng .xlsx, .csv (UTF-8) hoặc .json")
    return reader


def _check_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        megabytes, limit = size / 1_048_576, MAX_FILE_BYTES / 1_048_576
        message = f"tệp quá lớn ({megabytes:.1f} MB, tối đa {limit:.1f} MB); hãy chia thành nhiều tệp"
        raise refuse(name, message)


def read_header(name: str, data: bytes) -> list[str]:
    """The header row of a file as text (empty when the file has none): which kind a file is."""
    _check_size(name, len(data))
    header = next(_reader(name)(name, data), None)
    return [_cell_text(c) for c in header] if header else []


def header_fits(header: list[str], columns: Mapping[str, str], required: frozenset[str]) -> bool:
    """Whether ``header`` is one of ``columns``' headers: every required column, no unknown one."""
    aliases = {_header_key(c): c for c in columns} | {_header_key(v): c for c, v in columns.items()}
    named = [aliases.get(_header_key(label)) for label in header if label]
    return None not in named and required <= set(filter(None, named))


def read_data(
    name: str,
    data: bytes,
    columns: Mapping[str, str],
    required: frozenset[str],
    json_kinds: Mapping[str, frozenset[str]] | None = None,
) -> list[SourceRow]:
    """``read_rows`` of a file's bytes (an attachment); ``name`` is the file's name."""
    errors: list[RowError] = []
    rows = list(iter_data(name, data, columns, required, errors, json_kinds))
    if errors:
        raise ImportRejected(errors)
    return rows


def iter_data(
    name: str,
    data: bytes,
    columns: Mapping[str, str],
    required: frozenset[str],
    errors: list[RowError],
    json_kinds: Mapping[str, frozenset[str]] | None = None,
) -> Iterator[SourceRow]:
    """``iter_rows`` of a file's bytes."""
    reader = _reader(name)
    _check_size(name, len(data))
    stream = reader(name, data)
    header = next(stream, None)
    if not header or not any(_cell_text(c) for c in header):
        raise refuse(name, "tệp trống; dòng 1 phải là tiêu đề cột")
    canonical = _map_header(name, header, columns, required)
    is_json = reader is read_json
    return _rows(name, stream, canonical, is_json, errors, json_kinds if is_json else None)


def _rows(
    name: str,
    stream: Iterator[list[object]],
    canonical: list[str | None],
    is_json: bool,
    errors: list[RowError],
    json_kinds: Mapping[str, frozenset[str]] | None,
) -> Iterator[SourceRow]:
    # A spreadsheet pads its header with empty cells up to its widest row: count named columns only.
    width = max((i + 1 for i, column in enumerate(canonical) if column), default=0)
    for count, values in enumerate(stream, start=1):
        number = count if is_json else count + 1
        if count > MAX_ROWS:
            raise refuse(name, f"quá {MAX_ROWS} dòng; hãy chia thành nhiều tệp", number)
        # Each cell is made text once; a nested JSON value is refused below, never made text.
        texts = ["" if isinstance(v, dict | list) else _cell_text(v) for v in values]
        problem = _row_problem(values, texts, canonical, width, json_kinds)
        if problem is not None:
            errors.append(RowError(name, number, *problem))
            continue
        cells = {column: t for column, t in zip(canonical, texts, strict=False) if column and t}
        if cells.keys() - PREFILLED:
            yield SourceRow(number, cells)


def _row_problem(
    values: list[object],
    texts: list[str],
    canonical: list[str | None],
    width: int,
    json_kinds: Mapping[str, frozenset[str]] | None,
) -> tuple[str, str] | None:
    """The (column, message) of the first thing wrong with a row, if any."""
    for i, value in enumerate(values):
        name = canonical[i] if i < len(canonical) else None
        if isinstance(value, dict | list):
            return name or "-", "giá trị lồng nhau không được nhận"
        if json_kinds is not None and name is not None:
            wrong = _json_problem(value, json_kinds.get(name, frozenset({"text"})))
            if wrong:
                return name, wrong
        if isinstance(value, str) and len(value) > MAX_CELL:
            return name or "-", f"ô dài {len(value)} ký tự, tối đa {MAX_CELL}; hãy rút gọn"
    filled = [i for i, t in enumerate(texts) if t]
    if filled and filled[-1] >= width:
        return "-", f"dòng có {filled[-1] + 1} ô nhưng tiêu đề chỉ có {width} cột"
    unnamed = [i + 1 for i in filled if not canonical[i]]
    if unnamed:
        return "-", f"ô thứ {unnamed[0]} có dữ liệu nhưng cột không có tiêu đề; hãy thêm tiêu đề hoặc xóa ô"
    return None
