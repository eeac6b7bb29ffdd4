"""The three formats an import file comes in (xlsx, csv in UTF-8, a JSON array), each read within
bounds, so that no file within the documented limits, accepted or refused, exhausts memory.

Each reader yields the header row and then the data rows, as lists of raw cell values:
- xlsx is refused before parsing by ``models.intake.containers.check_xlsx`` (a zip bomb,
  megabytes of whitespace in the sheet XML, XML entities, macros, encryption); it is then streamed
  (openpyxl read-only) with the declared dimension reset, so a sheet claiming ``A1:XFD1048576``
  does not pad every row to 16,384 cells;
- csv fields may be as long as the file (a long cell is refused by ``read_rows`` naming its
  column, not by the csv module with a traceback);
- JSON nested deeper than an array of objects, a number of more than ``MAX_DIGITS`` digits, NaN
  and Infinity come back as ``Refused`` cell values, which ``read_rows`` names by row and column.
Rows are yielded one at a time; ``read_rows`` counts them as they come and stops at the limit.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from models.errors import ImportRejected, RowError
from models.intake.containers import UnsafeWorkbook, check_xlsx

# Measured so that reading, checking and storing any file within them stays under 300 MB
# (deployments/benchmarks/reading.py); a province's year fits, a larger file is split.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 30_000
MAX_CELL = 10_000  # characters: the longest text field
MAX_DIGITS = 30  # a JSON number's characters

Rows = Iterator[list[object]]
Reader = Callable[[str, bytes], Rows]


@dataclass(frozen=True, slots=True)
class Refused:
    """A JSON value no column takes; ``why`` says what it was."""

    why: str


def refuse(file: str, message: str, row: int = 1, column: str = "-") -> ImportRejected:
    """A whole file refused for one reason."""
    return ImportRejected([RowError(file, row, column, message)])


def read_csv(name: str, data: bytes) -> Rows:
    """UTF-8 (with or without a byte order mark); Windows-1258 or TCVN3 is named as such."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = (
            "tệp không phải UTF-8 (có thể là Windows-1258 hoặc TCVN3); "
            "hãy lưu lại bằng 'CSV UTF-8' rồi nhập lại"
        )
        raise refuse(name, message, line) from None
    csv.field_size_limit(MAX_FILE_BYTES)  # the file's size bounds a field; read_rows bounds cells
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            yield list(row)
    except csv.Error as exc:
        raise refuse(name, f"không đọc được tệp CSV ({exc}); hãy lưu lại bằng 'CSV UTF-8'") from None


def read_xlsx(name: str, data: bytes) -> Rows:
    """The first sheet, streamed."""
    from openpyxl import load_workbook  # heavy, and only xlsx needs it

    try:
        check_xlsx(data)  # a zip bomb, entities, macros or encryption: refused before parsing
    except UnsafeWorkbook as exc:
        raise refuse(name, str(exc)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise refuse(
            name, f"không đọc được tệp Excel ({type(exc).__name__}); hãy lưu lại dạng .xlsx"
        ) from None
    try:
        sheet.reset_dimensions()  # the declared dimension would pad every row
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    except ImportRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails midway in many ways
        raise refuse(
            name, f"không đọc được tệp Excel ({type(exc).__name__}); hãy lưu lại dạng .xlsx"
        ) from None
    finally:
        book.close()


def _number(text: str) -> object:
    if len(text) > MAX_DIGITS:
        return Refused(f"số có {len(text)} chữ số")
    if any(c in text for c in ".eE"):
        value = float(text)
        return value if math.isfinite(value) else Refused(f"số {text}")
    return int(text)


def _too_deep(text: str) -> tuple[int, str]:
    """The row (1-based) and the field where a JSON array of objects nests too deep."""
    depth, row, key, in_string, escaped, start = 0, 0, "-", False, False, 0
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                if depth == 2:
                    key = text[start:index]
        elif char == '"':
            in_string, start = True, index + 1
        elif char in "[{":
            depth += 1
            if depth == 2:
                row += 1
            if depth > 3:
                return row, key
        elif char in "]}":
            depth -= 1
    return max(row, 1), key


def read_json(name: str, data: bytes) -> Rows:
    """An array of objects; the header is every key in the order first seen."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(name, "tệp JSON không phải UTF-8; hãy lưu lại bằng mã UTF-8") from None
    try:
        items = json.loads(
            text,
            parse_int=_number,
            parse_float=_number,
            parse_constant=lambda constant: Refused(f"giá trị {constant}"),
        )
    except RecursionError:
        row, key = _too_deep(text)
        raise refuse(name, "giá trị lồng nhau quá sâu; mỗi ô chỉ nhận một giá trị", row, key) from None
    except json.JSONDecodeError as exc:
        where = f"dòng {exc.lineno}, cột {exc.colno}"
        message = f"không phải JSON hợp lệ (lỗi ở {where}); hãy kiểm tra ngoặc và dấu phẩy"
        raise refuse(name, message) from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise refuse(name, "tệp JSON phải là một mảng các đối tượng [{...}, {...}]")
    header: list[object] = list(dict.fromkeys(k for item in items for k in item))
    yield header
    for item in items:
        yield [item.get(k) for k in header]


READERS: dict[str, Reader] = {".csv": read_csv, ".xlsx": read_xlsx, ".json": read_json}
