"""Writing files so that a failure never leaves a broken one: every export, document and sample.

Each file is written to a temporary file in its own folder, checked by reopening it the way its
reader would (a zip for .docx and .xlsx, JSON, UTF-8 text), and only then renamed over the old
one, all files of a set together (a document's .docx and .html). A full disk, a read-only folder
or a check that fails leaves the old files as they were. A target that is a symbolic link is
refused, and so is an existing file unless overwriting was asked for.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Output:
    """One file to write: where, and its bytes."""

    path: Path
    data: bytes


def _check(path: Path, temporary: Path) -> None:
    """Reopen the written file as its reader would; a ValueError says what is wrong."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(temporary) as archive:
            broken = archive.testzip()
        if broken is not None:
            raise ValueError(f"phần {broken} bị hỏng")
    elif suffix == ".json":
        json.loads(temporary.read_text(encoding="utf-8"))
    elif suffix in (".html", ".csv", ".txt"):
        temporary.read_text(encoding="utf-8")


def _refusal(path: Path, exc: OSError) -> InvalidInput:
    if exc.errno == errno.ENOSPC:
        return InvalidInput(
            f"{path}: ổ đĩa đã đầy, không ghi được tệp; hãy giải phóng dung lượng rồi chạy lại"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InvalidInput(f"{path.parent}: không có quyền ghi vào thư mục này; hãy chọn thư mục khác")
    return InvalidInput(f"{path}: không ghi được tệp ({exc.strerror})")


def write_outputs(outputs: Sequence[Output], *, overwrite: bool, create_folders: bool = False) -> None:
    """Write every output, or none of them.

    ``overwrite``: an existing file may be replaced (the command's ``--force``, or a folder the
    system keeps, where rendering again replaces the same document); ``create_folders``: the
    folders may be made (a folder the system keeps), else a missing one is the user's mistake.
    """
    for output in outputs:
        path = output.path
        if path.is_symlink():
            raise InvalidInput(f"{path}: là liên kết tượng trưng; không ghi qua liên kết, hãy chọn tệp khác")
        if path.exists() and not overwrite:
            raise InvalidInput(f"{path}: tệp đã có; thêm --force để ghi đè")
        if not path.parent.is_dir():
            if not create_folders:
                raise InvalidInput(f"{path.parent}: không có thư mục này; hãy tạo thư mục trước")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _refusal(path, exc) from None
    written: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            handle, name = tempfile.mkstemp(
                dir=output.path.parent, prefix=f".{output.path.name}.", suffix=".part"
            )
            temporary = Path(name)
            written.append((temporary, output.path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(output.data)
                stream.flush()
                os.fsync(stream.fileno())
            try:
                _check(output.path, temporary)
            except (ValueError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
                raise InvalidInput(
                    f"{output.path}: tệp vừa ghi không mở lại được ({exc}); tệp cũ được giữ nguyên"
                ) from None
        for temporary, target in written:
            temporary.replace(target)
        written = []
    except OSError as exc:
        raise _refusal(written[-1][1] if written else outputs[0].path, exc) from None
    finally:
        for temporary, _target in written:
            temporary.unlink(missing_ok=True)
