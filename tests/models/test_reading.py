"""Reading real import files (csv, xlsx, json) into located rows, and refusing bad files by location."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from models.errors import ImportRejected, RowError
from models.imports import import_kind
from models.intake import SourceRow, read_rows, reading

UNIT_REQUIRED = frozenset({"code", "name", "kind"})
UNIT_COLUMNS = "code, name, kind, email, head_name, head_title, parent_code, successor_code, alternate_emails"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example/?x=1","Bấm vào đây")'


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    """A CSV file as a spreadsheet program writes it (quoted where needed, CRLF line ends)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """An .xlsx file with one sheet; strings starting with '=' are stored as text, not formulas."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for values in rows:
        sheet.append(list(values))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    book.save(path)
    return path


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def refused(path: Path, kind: str = "units", required: frozenset[str] = UNIT_REQUIRED) -> ImportRejected:
    """The rejection read_rows raises for this file."""
    with pytest.raises(ImportRejected) as caught:
        read_rows(path, import_kind(kind).columns, required)
    return caught.value


def only_error(rejection: ImportRejected) -> RowError:
    assert len(rejection.errors) == 1, str(rejection)
    return rejection.errors[0]


# --- csv ------------------------------------------------------------------------------------------


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    """The header is row 1, the first data row 2; cells come back under canonical column names."""
    path = write_csv(
        tmp_path / "don_vi.csv",
        [
            ["code", "name", "kind"],
            ["VP", "Văn phòng HĐND và UBND", "office"],
            ["XA01", "UBND xã Vĩnh Thái", "xã"],
        ],
    )
    assert read_rows(path, import_kind("units").columns, UNIT_REQUIRED) == [
        SourceRow(2, {"code": "VP", "name": "Văn phòng HĐND và UBND", "kind": "office"}),
        SourceRow(3, {"code": "XA01", "name": "UBND xã Vĩnh Thái", "kind": "xã"}),
    ]


def test_csv_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Excel's 'CSV UTF-8' starts with a BOM; the first header is still recognised."""
    path = write_csv(
        tmp_path / "bom.csv", [["code", "name", "kind"], ["VP", "Văn phòng", "office"]], encoding="utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_rows(path, import_kind("units").columns, UNIT_REQUIRED) == [
        SourceRow(2, {"code": "VP", "name": "Văn phòng", "kind": "office"})
    ]


def test_csv_quoted_multiline_cell_counts_as_one_record(tmp_path: Path) -> None:
    """Row numbers count records, not physical lines: a cell with line breaks stays in its row."""
    path = write_csv(
        tmp_path / "bao_cao.csv",
        [
            ["unit_code", "results"],
            ["VP", "Dòng một\nDòng hai\nDòng ba"],
            ["XA01", "Một dòng"],
        ],
    )
    rows = read_rows(path, import_kind("reports").columns, frozenset({"unit_code", "results"}))
    assert [r.number for r in rows] == [2, 3]
    assert rows[0].cells["results"].splitlines() == ["Dòng một", "Dòng hai", "Dòng ba"]
    assert rows[1].cells == {"unit_code": "XA01", "results": "Một dòng"}


def test_csv_empty_rows_are_skipped_but_keep_numbering(tmp_path: Path) -> None:
    """Blank lines and rows of empty cells are dropped; later rows keep their spreadsheet number."""
    path = tmp_path / "trong.csv"
    path.write_text("code,name,kind\nA,Một,agency\n\n,,\n  ,\t, \nB,Hai,office\n", encoding="utf-8")
    rows = read_rows(path, import_kind("units").columns, UNIT_REQUIRED)
    assert [(r.number, r.cells["code"]) for r in rows] == [(2, "A"), (6, "B")]


def test_csv_empty_cells_are_left_out_and_text_is_trimmed(tmp_path: Path) -> None:
    """An empty cell is absent from the row (so defaults apply); surrounding spaces are removed."""
    path = write_csv(
        tmp_path / "a.csv", [["code", "name", "kind", "email"], [" VP ", "  Văn phòng ", "office", ""]]
    )
    assert read_rows(path, import_kind("units").columns, UNIT_REQUIRED)[0].cells == {
        "code": "VP",
        "name": "Văn phòng",
        "kind": "office",
    }


def test_csv_decomposed_text_is_read_as_nfc(tmp_path: Path) -> None:
    """A file saved on macOS (NFD) gives the same text as one saved on Windows (NFC)."""
    name = "Ủy ban nhân dân xã Vĩnh Thủy"
    path = write_csv(
        tmp_path / "nfd.csv", [["code", "name", "kind"], ["XA", unicodedata.normalize("NFD", name), "xã"]]
    )
    assert read_rows(path, import_kind("units").columns, UNIT_REQUIRED)[0].cells["name"] == name


@pytest.mark.parametrize(
    "header",
    [
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
        ["ma don vi", "ten don vi", "loai don vi"],
        ["MÃ ĐƠN VỊ", "TÊN ĐƠN VỊ", "LOẠI ĐƠN VỊ"],
        ["Ma Don Vi", " Tên  đơn vị ", "Loai_don_vi"],
        [unicodedata.normalize("NFD", "Mã đơn vị"), "name", "KIND"],
    ],
)
def test_csv_vietnamese_header_aliases_in_any_form(tmp_path: Path, header: list[str]) -> None:
    """Template headers are accepted with or without diacritics, in any case, and as canonical names."""
    path = write_csv(tmp_path / "alias.csv", [header, ["VP", "Văn phòng", "office"]])
    assert read_rows(path, import_kind("units").columns, UNIT_REQUIRED) == [
        SourceRow(2, {"code": "VP", "name": "Văn phòng", "kind": "office"})
    ]


def test_initiative_header_aliases(tmp_path: Path) -> None:
    """'TÊN SÁNG KIẾN', 'Mã đơn vị' and 'ngay ap dung lan dau' map to the initiative columns."""
    path = write_csv(
        tmp_path / "sang_kien.csv",
        [
            ["Mã đơn vị", "TÊN SÁNG KIẾN", "ngay ap dung lan dau", "Khả năng nhân rộng"],
            ["VP", "Một cửa", "01/03/2024", "có"],
        ],
    )
    rows = read_rows(path, import_kind("initiatives").columns, frozenset({"unit_code", "title"}))
    assert rows == [
        SourceRow(
            2, {"unit_code": "VP", "title": "Một cửa", "first_applied_on": "01/03/2024", "replicable": "có"}
        )
    ]


def test_unknown_column_refused_at_row_1_naming_it(tmp_path: Path) -> None:
    """A header the kind does not know is refused, listing the valid columns."""
    path = write_csv(
        tmp_path / "la.csv", [["code", "name", "kind", "Ghi chú"], ["VP", "Văn phòng", "office", "x"]]
    )
    error = only_error(refused(path))
    assert error == RowError("la.csv", 1, "Ghi chú", f"cột không được nhận; các cột hợp lệ: {UNIT_COLUMNS}")
    assert str(error) == f"la.csv:1:Ghi chú: cột không được nhận; các cột hợp lệ: {UNIT_COLUMNS}"


def test_duplicated_column_refused_at_row_1_naming_it(tmp_path: Path) -> None:
    """The same column twice (here as its code and its Vietnamese label) is refused."""
    path = write_csv(
        tmp_path / "trung.csv", [["code", "name", "kind", "Mã đơn vị"], ["VP", "Văn phòng", "office", "VP"]]
    )
    assert only_error(refused(path)) == RowError("trung.csv", 1, "Mã đơn vị", "cột code xuất hiện hai lần")


def test_missing_required_column_refused_at_row_1_naming_it(tmp_path: Path) -> None:
    """A required column absent from the header is named with its Vietnamese label."""
    path = write_csv(tmp_path / "thieu.csv", [["code", "kind"], ["VP", "office"]])
    error = only_error(refused(path))
    assert str(error) == "thieu.csv:1:name: thiếu cột bắt buộc name (Tên đơn vị)"


def test_every_header_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Unknown, duplicated and missing columns are all listed, one line each."""
    path = write_csv(tmp_path / "h.csv", [["code", "Mã đơn vị", "foo"]])
    assert [(e.row, e.column) for e in refused(path).errors] == [
        (1, "Mã đơn vị"),
        (1, "foo"),
        (1, "name"),
        (1, "kind"),
    ]


def test_csv_row_with_more_cells_than_header_refused_naming_the_row(tmp_path: Path) -> None:
    """A row longer than the header is refused by its number; trailing empty cells are harmless."""
    path = write_csv(
        tmp_path / "dai.csv",
        [["code", "name", "kind"], ["A", "Một", "agency", ""], ["B", "Hai", "agency", "thừa"]],
    )
    error = only_error(refused(path))
    assert str(error) == "dai.csv:3:-: dòng có 4 ô nhưng tiêu đề chỉ có 3 cột"


def test_non_utf8_csv_refused_saying_how_to_save_it(tmp_path: Path) -> None:
    """A CSV saved as Windows-1258 is refused at the first line that is not UTF-8."""
    path = tmp_path / "cp1258.csv"
    # Windows-1258 has no precomposed "ò" or "à": Vietnamese there uses combining tone marks.
    text = "code,name,kind\r\nA,Phong,agency\r\nB,Văn pho\u0300ng Đông Ha\u0300,office\r\n"
    path.write_bytes(text.encode("cp1258"))
    error = only_error(refused(path))
    assert (error.file, error.row, error.column) == ("cp1258.csv", 3, "-")
    assert "tệp không phải UTF-8" in error.message
    assert "hãy lưu lại bằng 'CSV UTF-8' rồi nhập lại" in error.message


# --- xlsx -----------------------------------------------------------------------------------------


def test_xlsx_cells_are_read_as_text(tmp_path: Path) -> None:
    """Date cells become ISO dates, 60.0 becomes "60", booleans "true"; rows keep sheet numbers."""
    path = write_xlsx(
        tmp_path / "nhan_rong.xlsx",
        [
            [
                "Mã đơn vị",
                "Mã sáng kiến nhân rộng",
                "Ngày bắt đầu áp dụng",
                "Số hồ sơ",
                "Kết quả",
                "Ngày gửi",
            ],
            ["XA01", "SK-2023-01", date(2024, 3, 5), 60.0, 12.5, datetime(2024, 11, 20, 8, 30)],  # noqa: DTZ001
            [None, None, None, None, None, None],
            ["XA02", "SK-2023-01", "05/03/2024", 7, True, None],
        ],
    )
    rows = read_rows(path, import_kind("replication").columns, frozenset({"unit_code", "replicated_code"}))
    assert rows == [
        SourceRow(
            2,
            {
                "unit_code": "XA01",
                "replicated_code": "SK-2023-01",
                "started_on": "2024-03-05",
                "dossiers": "60",
                "results": "12.5",
                "submitted_on": "2024-11-20",
            },
        ),
        SourceRow(
            4,
            {
                "unit_code": "XA02",
                "replicated_code": "SK-2023-01",
                "started_on": "05/03/2024",
                "dossiers": "7",
                "results": "true",
            },
        ),
    ]


def test_xlsx_row_with_more_cells_than_header_refused_naming_the_row(tmp_path: Path) -> None:
    """A value to the right of the last header cell is refused, not silently dropped."""
    path = write_xlsx(
        tmp_path / "dai.xlsx",
        [["code", "name", "kind"], ["A", "Một", "agency"], ["B", "Hai", "agency", "thừa"]],
    )
    error = only_error(refused(path))
    assert (error.file, error.row, error.column) == ("dai.xlsx", 3, "-")
    assert "dòng có" in error.message
    assert "tiêu đề chỉ có 3 cột" in error.message


def test_damaged_xlsx_refused(tmp_path: Path) -> None:
    """Random bytes named .xlsx (an old .xls, a password-protected file) are refused before openpyxl
    opens them, with advice to save again as .xlsx."""
    path = tmp_path / "hong.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    assert str(refused(path)) == (
        "hong.xlsx:1:-: không phải tệp .xlsx (có thể là tệp .xls cũ hoặc tệp đặt mật khẩu); "
        "hãy lưu lại dạng Excel Workbook (.xlsx), không đặt mật khẩu"
    )


def test_empty_xlsx_refused(tmp_path: Path) -> None:
    """A workbook with nothing in its first sheet has no header."""
    path = write_xlsx(tmp_path / "trong.xlsx", [])
    assert str(refused(path)) == "trong.xlsx:1:-: tệp trống; dòng 1 phải là tiêu đề cột"


# --- json -----------------------------------------------------------------------------------------


def test_json_array_rows_are_numbered_by_position(tmp_path: Path) -> None:
    """Each object is a row numbered from 1; keys may be aliases; null and missing keys are empty."""
    path = write_json(
        tmp_path / "danh_gia.json",
        [
            {"Mã sáng kiến": 3, "member": "Nguyễn Văn A", "novelty": 30.0, "approve": True, "comment": None},
            {"Mã sáng kiến": 4, "member": "Trần Thị B", "novelty": 27.5},
        ],
    )
    assert read_rows(path, import_kind("reviews").columns, frozenset({"initiative_id"})) == [
        SourceRow(1, {"initiative_id": "3", "member": "Nguyễn Văn A", "novelty": "30", "approve": "true"}),
        SourceRow(2, {"initiative_id": "4", "member": "Trần Thị B", "novelty": "27.5"}),
    ]


@pytest.mark.parametrize("value", [{"code": "VP"}, [1, 2], ["VP"], "VP", [{"code": "VP"}, 3]])
def test_json_that_is_not_an_array_of_objects_refused(tmp_path: Path, value: object) -> None:
    """Only an array of objects is an import file."""
    path = write_json(tmp_path / "sai.json", value)
    assert str(refused(path)) == "sai.json:1:-: tệp JSON phải là một mảng các đối tượng [{...}, {...}]"


def test_invalid_json_refused(tmp_path: Path) -> None:
    """Text that is not JSON is refused, saying where the parser stopped, in Vietnamese."""
    path = tmp_path / "hong.json"
    path.write_text('[{"code": "VP",', encoding="utf-8")
    error = only_error(refused(path))
    assert (error.file, error.row, error.column) == ("hong.json", 1, "-")
    assert error.message == ("không phải JSON hợp lệ (lỗi ở dòng 1, cột 16); hãy kiểm tra ngoặc và dấu phẩy")


@pytest.mark.parametrize("nested", [{"ten": "Văn phòng"}, ["Văn phòng"]])
def test_json_nested_value_refused_naming_the_row(tmp_path: Path, nested: object) -> None:
    """An object or array as a cell value is refused at that object's position and key."""
    path = write_json(
        tmp_path / "long.json",
        [{"code": "A", "name": "Một", "kind": "agency"}, {"code": "B", "name": nested, "kind": "agency"}],
    )
    assert str(refused(path)) == "long.json:2:name: giá trị lồng nhau không được nhận"


def test_empty_json_array_refused(tmp_path: Path) -> None:
    """An empty array has no columns."""
    path = write_json(tmp_path / "trong.json", [])
    assert str(refused(path)) == "trong.json:1:-: tệp trống; dòng 1 phải là tiêu đề cột"


# --- markup is data ---------------------------------------------------------------------------------


def test_markup_and_formulas_are_read_back_unchanged(tmp_path: Path) -> None:
    """Script tags and spreadsheet formulas in a cell are kept as text in csv, xlsx and json."""
    header = ["code", "name", "kind", "head_name"]
    values = ["VP", SCRIPT, "office", FORMULA]
    expected = [SourceRow(2, {"code": "VP", "name": SCRIPT, "kind": "office", "head_name": FORMULA})]
    assert (
        read_rows(
            write_csv(tmp_path / "m.csv", [header, values]), import_kind("units").columns, UNIT_REQUIRED
        )
        == expected
    )
    assert (
        read_rows(
            write_xlsx(tmp_path / "m.xlsx", [header, values]), import_kind("units").columns, UNIT_REQUIRED
        )
        == expected
    )
    from_json = read_rows(
        write_json(tmp_path / "m.json", [dict(zip(header, values, strict=True))]),
        import_kind("units").columns,
        UNIT_REQUIRED,
    )
    assert [r.cells for r in from_json] == [expected[0].cells]


# --- files that cannot be read --------------------------------------------------------------------


def test_unsupported_extension_refused(tmp_path: Path) -> None:
    """A .txt file is refused, naming the accepted kinds."""
    path = tmp_path / "don_vi.txt"
    path.write_text("code,name,kind\n", encoding="utf-8")
    assert (
        str(refused(path))
        == "don_vi.txt:1:-: không nhận dạng tệp .txt; hãy dùng .xlsx, .csv (UTF-8) hoặc .json"
    )


def test_missing_file_refused(tmp_path: Path) -> None:
    """A path with no file behind it is refused, naming the file."""
    path = tmp_path / "khong_co.csv"
    error = only_error(refused(path))
    assert error.file.endswith("khong_co.csv")
    assert (error.row, error.column, error.message) == (1, "-", "không có tệp này")
    assert str(error) == f"{error.file}:1:-: không có tệp này"


@pytest.mark.parametrize("content", [b"", b"\n\n", b",,\n", b"\xef\xbb\xbf"])
def test_empty_csv_refused(tmp_path: Path, content: bytes) -> None:
    """A file without a header row is refused at row 1."""
    path = tmp_path / "trong.csv"
    path.write_bytes(content)
    assert str(refused(path)) == "trong.csv:1:-: tệp trống; dòng 1 phải là tiêu đề cột"


def test_oversized_file_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file above the size limit is refused before it is read, asking to split it."""
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    path = write_csv(tmp_path / "lon.csv", [["code", "name", "kind"]] + [["A", "Văn phòng", "office"]] * 10)
    assert path.stat().st_size > 100
    error = only_error(refused(path))
    assert (error.file, error.row, error.column) == ("lon.csv", 1, "-")
    assert error.message.startswith("tệp quá lớn (")
    assert error.message.endswith("); hãy chia thành nhiều tệp")


def test_oversized_file_message_shows_a_size_above_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file 1.5 MB over a 1 MB limit must not be reported as "1 MB, tối đa 1 MB"."""
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1_048_576)
    path = tmp_path / "lon.csv"
    path.write_bytes(b"code,name,kind\n" + b"A,Van phong,office\n" * 85_000)
    assert 1_048_576 < path.stat().st_size < 2 * 1_048_576
    message = only_error(refused(path)).message
    shown = re.search(r"tệp quá lớn \(([\d.,]+) MB, tối đa ([\d.,]+) MB\)", message)
    assert shown is not None, message
    assert shown.group(1) != shown.group(2), message


def test_too_many_rows_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More data rows than the limit are refused at the first row beyond it; the limit itself is fine."""
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    header = ["code", "name", "kind"]
    ok = write_csv(tmp_path / "du.csv", [header] + [[f"A{i}", "Một", "agency"] for i in range(3)])
    assert len(read_rows(ok, import_kind("units").columns, UNIT_REQUIRED)) == 3
    path = write_csv(tmp_path / "nhieu.csv", [header] + [[f"A{i}", "Một", "agency"] for i in range(4)])
    assert str(refused(path)) == "nhieu.csv:5:-: quá 3 dòng; hãy chia thành nhiều tệp"


def test_data_under_an_empty_header_cell_is_refused_not_dropped(tmp_path: Path) -> None:
    """A value in a column without a heading would be lost: the row is refused, naming the cell."""
    path = tmp_path / "thieu-tieu-de.csv"
    path.write_text("code,,name,kind\nVP,ghi chú,Văn phòng,office\n", encoding="utf-8")
    assert str(refused(path)) == (
        "thieu-tieu-de.csv:2:-: ô thứ 2 có dữ liệu nhưng cột không có tiêu đề; hãy thêm tiêu đề hoặc xóa ô"
    )
