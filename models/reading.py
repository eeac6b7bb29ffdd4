"""Reading import files (xlsx, csv in UTF-8, JSON arrays) into rows of canonical columns.

Every row carries the number a spreadsheet program shows (the header is row 1; for JSON, the
object's 1-based position), so that every error can say ``FILE:ROW:COLUMN: message``.
Vietnamese header labels (those of the generated templates) are accepted as aliases.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models.errors import ImportRejected, RowError
from models.text import fold, nfc

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000

# Canonical columns of each import kind (docs/domain.md §9) with their Vietnamese header labels.
COLUMNS: dict[str, dict[str, str]] = {
    "units": {
        "code": "Mã đơn vị", "name": "Tên đơn vị", "kind": "Loại đơn vị",
        "email": "Thư điện tử", "head_name": "Họ tên thủ trưởng",
        "head_title": "Chức vụ thủ trưởng", "parent_code": "Mã đơn vị cấp trên",
        "successor_code": "Mã đơn vị kế thừa",
    },
    "initiatives": {
        "unit_code": "Mã đơn vị", "title": "Tên sáng kiến", "solution_type": "Loại giải pháp",
        "field": "Lĩnh vực", "authors": "Tác giả", "first_applied_on": "Ngày áp dụng lần đầu",
        "scope": "Phạm vi áp dụng", "before": "Tình trạng trước khi áp dụng",
        "solution": "Nội dung giải pháp", "novelty": "Tính mới", "effects": "Hiệu quả",
        "replicable": "Khả năng nhân rộng", "submitted_on": "Ngày gửi",
    },
    "reports": {
        "unit_code": "Mã đơn vị", "initiative_title": "Tên sáng kiến",
        "organisation": "Tổ chức thực hiện", "results": "Kết quả", "assessment": "Đánh giá",
        "proposals": "Đề xuất, kiến nghị", "submitted_on": "Ngày gửi",
    },
    "replication": {
        "unit_code": "Mã đơn vị", "replicated_code": "Mã sáng kiến nhân rộng",
        "started_on": "Ngày bắt đầu áp dụng", "how_applied": "Cách thức áp dụng",
        "dossiers": "Số hồ sơ", "results": "Kết quả", "problems": "Khó khăn, vướng mắc",
        "submitted_on": "Ngày gửi",
    },
    "reviews": {
        "initiative_id": "Mã sáng kiến", "member": "Thành viên hội đồng",
        "novelty": "Điểm tính mới", "applicability": "Điểm khả năng áp dụng, nhân rộng",
        "effectiveness": "Điểm hiệu quả", "approve": "Đồng ý công nhận", "comment": "Ý kiến",
    },
}


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


def _raw_table(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, list[object]]]]:
    """Header and numbered rows of a file, by its extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportRejected([RowError(path.name, line, "-", (
                "tệp không phải UTF-8 (có thể là Windows-1258 hoặc TCVN3); "
                "hãy lưu lại bằng 'CSV UTF-8' rồi nhập lại"))]) from None
        records = list(csv.reader(io.StringIO(text, newline="")))
        if not records:
            return [], []
        return records[0], [(i + 1, list(r)) for i, r in enumerate(records) if i > 0]
    if suffix == ".xlsx":
        from openpyxl import load_workbook  # noqa: PLC0415 - heavy import, only for xlsx

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
            raise ImportRejected([RowError(path.name, 1, "-", (
                f"không đọc được tệp Excel ({type(exc).__name__}); hãy lưu lại dạng .xlsx"))]) from None
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        if not rows:
            return [], []
        return [_cell_text(c) for c in rows[0]], [(i + 1, list(r)) for i, r in enumerate(rows) if i > 0]
    if suffix == ".json":
        try:
            items = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportRejected([RowError(path.name, 1, "-", (
                f"không phải JSON UTF-8 hợp lệ ({exc}); tệp phải là một mảng các đối tượng"))]) from None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ImportRejected([RowError(path.name, 1, "-", (
                "tệp JSON phải là một mảng các đối tượng [{...}, {...}]"))])
        header = list(dict.fromkeys(k for item in items for k in item))
        return header, [(i + 1, [item.get(k) for k in header]) for i, item in enumerate(items)]
    raise ImportRejected([RowError(path.name, 1, "-", (
        f"không nhận dạng tệp {suffix or '(không có đuôi)'}; hãy dùng .xlsx, .csv (UTF-8) hoặc .json"))])


def read_rows(path: Path, kind: str, required: frozenset[str]) -> list[SourceRow]:
    """All non-empty rows of an import file, with canonical column names.

    Raises ``ImportRejected`` for a file that cannot be read at all, or whose header lacks a
    ``required`` column or has an unknown one.
    """
    columns = COLUMNS[kind]
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportRejected([RowError(str(path), 1, "-", "không có tệp này")]) from None
    if size > MAX_FILE_BYTES:
        raise ImportRejected([RowError(path.name, 1, "-", (
            f"tệp quá lớn ({size // 1_048_576} MB, tối đa {MAX_FILE_BYTES // 1_048_576} MB); "
            "hãy chia thành nhiều tệp"))])
    header, raw_rows = _raw_table(path, path.read_bytes())
    aliases = {_header_key(c): c for c in columns} | {_header_key(v): c for c, v in columns.items()}
    errors: list[RowError] = []
    canonical: list[str | None] = []
    for label in header:
        name = aliases.get(_header_key(str(label)))
        if name is None and str(label).strip():
            errors.append(RowError(path.name, 1, str(label), (
                f"cột không được nhận; các cột hợp lệ: {', '.join(columns)}")))
        if name is not None and name in canonical:
            errors.append(RowError(path.name, 1, str(label), f"cột {name} xuất hiện hai lần"))
        canonical.append(name)
    errors.extend(
        RowError(path.name, 1, name, f"thiếu cột bắt buộc {name} ({columns[name]})")
        for name in columns
        if name in required and name not in canonical and header
    )
    if errors:
        raise ImportRejected(errors)
    if not header:
        raise ImportRejected([RowError(path.name, 1, "-", "tệp trống; dòng 1 phải là tiêu đề cột")])
    if len(raw_rows) > MAX_ROWS:
        raise ImportRejected([RowError(path.name, MAX_ROWS + 2, "-", (
            f"quá {MAX_ROWS} dòng; hãy chia thành nhiều tệp"))])
    rows: list[SourceRow] = []
    for number, values in raw_rows:
        texts = [_cell_text(v) if not isinstance(v, dict | list) else None for v in values]
        if any(t is None for t in texts):
            errors.append(RowError(path.name, number, "-", "giá trị lồng nhau không được nhận"))
            continue
        if len(texts) > len(canonical) and any(texts[len(canonical):]):
            errors.append(RowError(path.name, number, "-", (
                f"dòng có {len(texts)} ô nhưng tiêu đề chỉ có {len(canonical)} cột")))
            continue
        cells = {name: t for name, t in zip(canonical, texts, strict=False) if name and t}
        if cells:
            rows.append(SourceRow(number, cells))
    if errors:
        raise ImportRejected(errors)
    return rows
