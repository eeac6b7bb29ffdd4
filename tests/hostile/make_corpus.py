"""Writes the hostile corpus next to this file: ``python -m tests.hostile.make_corpus``.

One file per class of attack the security review found (issue 11), each named for its class;
``expected.json`` says what each must come to. The files are committed; this script says how each
was made, so it can be made again.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
UNITS = "code,name,kind"
INITIATIVES = "unit_code,title,solution_type,field,authors,solution,effects,replicable,submitted_on"
GOOD = (
    "VL-NV,{title},management,civil_service,Lê Thị Thu Hà | Trưởng phòng | 100,"
    "Giải pháp.,Hiệu quả.,có,2024-06-14"
)


def _csv(name: str, *lines: str) -> None:
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _padded_dimension() -> bytes:
    """8,000 one-cell rows under a units header, the sheet declaring A1:XFD1048576."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["code", "name", "kind"])
    for n in range(8000):
        sheet.append([f"U{n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C8001"/>', b'<dimension ref="A1:XFD1048576"/>')
            target.writestr(item, data)
    return out.getvalue()


def _whitespace_bomb() -> bytes:
    """A units sheet whose XML carries 400 MB of spaces (a few hundred KB compressed)."""
    book = Workbook()
    book.worksheets[0].append(["code", "name", "kind"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (400 * 1024 * 1024))
            target.writestr(item, data)
    return out.getvalue()


def main() -> None:
    """Write every file of the corpus."""
    _csv("01_layout_marker.csv", UNITS, "VL-NV,sangkien-table-rows-0,agency")
    _csv("02_noncharacter.csv", INITIATIVES, GOOD.format(title="Sáng kiến\ufffe số hóa"))
    (HERE / "03_padded_dimension.xlsx").write_bytes(_padded_dimension())
    (HERE / "03_whitespace_bomb.xlsx").write_bytes(_whitespace_bomb())
    _csv("07_long_cell.csv", INITIATIVES, GOOD.format(title="T" * 140_000))
    (HERE / "07_deep.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    sheet = '"member": "Trần Minh Đức", "novelty": 20, "applicability": 20, "effectiveness": 20, '
    sheet += '"approve": true'
    (HERE / "07_huge_number.json").write_text(
        '[{"initiative_id": ' + "9" * 4301 + ", " + sheet + "}]", encoding="utf-8"
    )
    (HERE / "07_lone_surrogate.json").write_text('[{"code": "VL-NV", "name": "\\ud800", "kind": "agency"}]')
    _csv("08_zero_width.csv", INITIATIVES, GOOD.format(title="Số hóa\u200b hồ sơ cán bộ"))
    _csv("08_bidi_override.csv", UNITS, "VL-NV,Phòng \u202eụv iộN,agency")
    _csv(
        "09_fine_shares.csv",
        INITIATIVES,
        GOOD.format(title="Sáng kiến chia tỷ lệ").replace(
            "| 100", "| 99.995; Trần Minh Đức | Chuyên viên | 0.005"
        ),
    )
    wrong = [
        {"code": "VL-NV", "name": True, "kind": "agency"},
        {"code": "VL-TP", "name": 1e308, "kind": "agency"},
    ]
    (HERE / "10_wrong_types.json").write_text(json.dumps(wrong), encoding="utf-8")
    (HERE / "10_nan.json").write_text('[{"code": "VL-NV", "name": NaN, "kind": "agency"}]', encoding="utf-8")
    _csv(
        "11_bad_address.csv",
        UNITS + ",email",
        "VL-NV,Phòng Nội vụ,agency,x@-.-",
        "VL-TP,Phòng Tư pháp,agency,a..b@sec.example",
    )
    _csv("11_encoded_word.csv", UNITS, "VL-NV,=?utf-8?q?Bcc=3A_evil=40attacker.example?=,agency")


if __name__ == "__main__":
    main()
