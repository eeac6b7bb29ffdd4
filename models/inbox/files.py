"""What each attachment is, decided before anything opens it: a file of a known kind to take in,
a file never to be opened (a program, a macro workbook, an archive, too large, a hostile .xlsx),
or a file that is simply not a submission (a signed letter in PDF, a picture).

Only .xlsx, .csv and .json are ever read, and an .xlsx only after ``check_xlsx``. A call's
workbook says its kind in its document properties; any other file of those types is known by
its header row (one of the import headers).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from models.imports import detect_kind
from models.inbox.mail import Attachment
from models.intake import (
    SUBMISSIONS,
    SUFFIXES,
    UnsafeWorkbook,
    WorkbookIdentity,
    check_xlsx,
    workbook_identity,
)

PROGRAMS = frozenset(
    {".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".msp", ".dll", ".cpl", ".js", ".jse"}
    | {".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1", ".psm1", ".jar", ".sh", ".lnk", ".reg", ".iso"}
    | {".img", ".apk", ".app", ".dmg"}
)
MACROS = frozenset({".xlsm", ".xltm", ".xlam", ".xlsb", ".xls", ".xlt", ".xla", ".docm", ".dotm", ".pptm"})
ARCHIVES = frozenset({".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".cab", ".arj"})
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
WHAT_TO_SEND = "hệ thống chỉ nhận tệp .xlsx, .csv (UTF-8) hoặc .json"

Verdict = Literal["readable", "not_opened", "ignored"]


@dataclass(frozen=True, slots=True)
class FileCheck:
    """An attachment and what it is: readable (with its kind, when known), never opened (with
    why, in Vietnamese), or ignored (not a submission)."""

    attachment: Attachment
    verdict: Verdict
    reason: str = ""
    kind: str | None = None
    identity: WorkbookIdentity | None = None


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}".replace(".", ",")


def _never_open(suffix: str, data: bytes, max_bytes: int) -> str | None:
    """Why a file must not be opened at all, or None."""
    if suffix in PROGRAMS or data.startswith(_PROGRAM_MAGIC):
        return f"tệp chương trình không được mở; {WHAT_TO_SEND}"
    if suffix in MACROS:
        return (
            f"tệp {suffix} (có thể chứa macro hoặc là định dạng cũ) không được mở; "
            "hãy lưu lại dạng Excel Workbook (.xlsx) rồi gửi lại"
        )
    if suffix in ARCHIVES:
        return "tệp nén không được mở; hãy gửi trực tiếp tệp .xlsx"
    if suffix in SUFFIXES and len(data) > max_bytes:
        too_large = f"tệp quá lớn ({_megabytes(len(data))} MB, tối đa {_megabytes(max_bytes)} MB)"
        return too_large + "; hãy chia thành nhiều tệp"
    if suffix == ".xlsx":
        try:
            check_xlsx(data)
        except UnsafeWorkbook as exc:
            return str(exc)
    return None


def inspect(attachment: Attachment, max_bytes: int) -> FileCheck:
    """Decide what ``attachment`` is without running anything in it."""
    suffix = PurePosixPath(attachment.filename).suffix.lower()
    reason = _never_open(suffix, attachment.data, max_bytes)
    if reason is not None:
        return FileCheck(attachment, "not_opened", reason)
    if suffix not in SUFFIXES:
        return FileCheck(attachment, "ignored")
    identity = workbook_identity(attachment.data) if suffix == ".xlsx" else None
    if identity is not None and identity.kind in SUBMISSIONS:
        return FileCheck(attachment, "readable", kind=identity.kind, identity=identity)
    kind = detect_kind(attachment.filename, attachment.data, SUBMISSIONS)
    return FileCheck(attachment, "readable", kind=kind)
