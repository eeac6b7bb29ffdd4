"""What an .xlsx file is before it is opened: a zip checked for bombs, macros and XML entities,
and the identity the call's workbooks carry in their document properties.

An .xlsx is a zip of XML parts. A hostile one can declare a few kilobytes that unpack to
gigabytes (a zip bomb), define XML entities that expand without end, or carry a VBA project
(a renamed .xlsm). Each is refused here from the zip's directory and a scan of its XML, before
openpyxl parses anything (which then parses through defusedxml as well). The workbooks the call
for proposals attaches name their kind, cycle and unit in custom document properties, which Excel
and LibreOffice keep when a unit fills and saves the file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

MAX_PARTS = 2_000
MAX_UNPACKED = 100 * 1024 * 1024  # all parts together, as their directory declares
MAX_RATIO = 100  # unpacked / packed, for parts above RATIO_FLOOR (a bomb packs at 1,000:1 or more)
RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "macrosheets/")
_CUSTOM = "docProps/custom.xml"
_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
# The custom document properties the call's workbooks carry.
PROPERTY_KIND, PROPERTY_YEAR = "sangkien.kind", "sangkien.year"
PROPERTY_AUTHORITY, PROPERTY_UNIT = "sangkien.authority", "sangkien.unit"


class UnsafeWorkbook(ValueError):  # noqa: N818 - reads as what the file is
    """The file is refused before it is opened; the message says why, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class WorkbookIdentity:
    """What a workbook of the call says it is: its submission kind, cycle and unit."""

    kind: str
    year: int
    authority: str
    unit_code: str

    def properties(self) -> dict[str, str]:
        """The custom document properties that carry it."""
        return {
            PROPERTY_KIND: self.kind,
            PROPERTY_YEAR: str(self.year),
            PROPERTY_AUTHORITY: self.authority,
            PROPERTY_UNIT: self.unit_code,
        }


_RESAVE = "hãy mở tệp bằng Excel, lưu lại dạng Excel Workbook (.xlsx) rồi gửi lại"


def _scan(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DTD or entities (no part of a real workbook does)."""
    tail = b""
    with book.open(info) as part:
        while chunk := part.read(_CHUNK):
            window = (tail + chunk).upper()
            if any(mark in window for mark in _DECLARATIONS):
                raise UnsafeWorkbook(
                    f"phần {info.filename} khai báo thực thể XML (có thể là tệp độc hại); {_RESAVE}"
                )
            tail = chunk[-16:]


def check_xlsx(data: bytes) -> None:
    """Raise ``UnsafeWorkbook`` unless ``data`` is a plain .xlsx that is safe to open."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise UnsafeWorkbook(
            "không phải tệp .xlsx (có thể là tệp .xls cũ hoặc tệp đặt mật khẩu); "
            "hãy lưu lại dạng Excel Workbook (.xlsx), không đặt mật khẩu"
        ) from None
    with book:
        parts = book.infolist()
        if len(parts) > MAX_PARTS:
            raise UnsafeWorkbook(f"tệp có {len(parts)} phần, quá nhiều cho một bảng tính; {_RESAVE}")
        unpacked = sum(p.file_size for p in parts)
        if unpacked > MAX_UNPACKED:
            megabytes = unpacked / 1_048_576
            raise UnsafeWorkbook(
                f"tệp giải nén ra {megabytes:.0f} MB (tối đa {MAX_UNPACKED // 1_048_576} MB); "
                "hãy xóa các dòng, cột và định dạng thừa rồi lưu lại"
            )
        for part in parts:
            name = part.filename.lower()
            if any(marker in name for marker in _MACRO_PARTS):
                raise UnsafeWorkbook(
                    "tệp có macro (VBA) nên không được mở; hãy lưu lại dạng Excel Workbook (.xlsx)"
                )
            if part.flag_bits & 0x1:
                raise UnsafeWorkbook("tệp có phần được mã hóa; hãy gửi tệp không đặt mật khẩu")
            packed = max(part.compress_size, 1)
            if part.file_size > RATIO_FLOOR and part.file_size / packed > MAX_RATIO:
                raise UnsafeWorkbook(
                    f"phần {part.filename} nén bất thường (có thể là tệp độc hại); {_RESAVE}"
                )
        try:
            for part in parts:
                if part.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _scan(book, part)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, OSError):
            raise UnsafeWorkbook(f"tệp bị hỏng, không đọc hết được; {_RESAVE}") from None


def workbook_properties(data: bytes) -> dict[str, str]:
    """The custom document properties of an .xlsx already checked by ``check_xlsx``."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        if _CUSTOM not in book.namelist():
            return {}
        try:
            root = ElementTree.fromstring(book.read(_CUSTOM))
        except (ElementTree.ParseError, ValueError):  # defusedxml's refusals are ValueErrors
            return {}
    found: dict[str, str] = {}
    for prop in root.iter(f"{_NS}property"):
        value = next(iter(prop), None)
        if prop.get("name") and value is not None and value.text:
            found[str(prop.get("name"))] = value.text.strip()
    return found


def workbook_identity(data: bytes) -> WorkbookIdentity | None:
    """The identity a call's workbook carries, or None for any other workbook."""
    found = workbook_properties(data)
    try:
        return WorkbookIdentity(
            found[PROPERTY_KIND], int(found[PROPERTY_YEAR]), found[PROPERTY_AUTHORITY], found[PROPERTY_UNIT]
        )
    except (KeyError, ValueError):
        return None
