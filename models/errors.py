"""The exception hierarchy: invalid input (the user's mistake), transient and permanent faults.

Only ``InvalidInput`` reaches a user as a message; the CLI turns it into a non-zero exit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class SangkienError(Exception):
    """Base of every error the project raises on purpose."""


class _Names(dict[str, str]):
    """Placeholders an adapter did not word stand for themselves."""

    def __missing__(self, key: str) -> str:
        return key


class InvalidInput(SangkienError):  # noqa: N818 - the name reads as what the user gave
    """The user's input cannot be accepted; the message says where and how to fix it.

    ``field`` names the input at fault as the domain knows it (``authority``); ``fix`` says what
    to do, with ``{field}`` where the adapter's own name for that input goes and other
    placeholders (``{open}``: how a cycle is opened) that each adapter words for its users: the
    CLI names ``--authority``, a flow its ``authority`` parameter (``worded``).
    """

    def __init__(self, message: str, *, field: str | None = None, fix: str = "") -> None:
        self.message, self.field, self.fix = message, field, fix
        super().__init__(self.worded())

    def worded(self, names: Mapping[str, str] | None = None) -> str:
        """The message with its fix in an adapter's words (``names``: placeholder -> words)."""
        words = _Names(names or {})
        if not self.fix:
            return self.message
        words.setdefault("field", words[self.field or "field"])
        return f"{self.message}; {self.fix.format_map(words)}"


class CycleNotFound(InvalidInput):
    """No cycle of the year was opened (of the authority, when one was named)."""

    def __init__(self, year: int, authority: str | None = None) -> None:
        self.year, self.authority = year, authority
        whose = f" của cơ quan {authority}" if authority else ""
        super().__init__(f"chưa mở chu kỳ năm {year}{whose}", field="cycle", fix="hãy mở chu kỳ bằng {open}")


class AmbiguousCycle(InvalidInput):
    """Several authorities have a cycle of the year: the authority must be named."""

    def __init__(self, year: int, authorities: list[str]) -> None:
        self.year, self.authorities = year, authorities
        super().__init__(
            f"có nhiều chu kỳ năm {year} (cơ quan {', '.join(authorities)})",
            field="authority",
            fix="hãy ghi {field} là mã cơ quan",
        )


class TransientFault(SangkienError):  # noqa: N818
    """A fault worth retrying (a dropped connection, a busy database)."""


class PermanentFault(SangkienError):  # noqa: N818
    """A fault no retry will cure (a mail server refusing a recipient)."""


class MailSetupFault(PermanentFault):
    """The mail server refuses the session itself (no AUTH offered while a password is set, wrong
    credentials): every notice would fail the same way, so delivery stops at once and says why."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an import file, located the way a spreadsheet program shows it."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class ImportRejected(InvalidInput):
    """A whole file refused: every problem found, none of its rows stored."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


_MESSAGES = {
    "missing": "bắt buộc, không được để trống",
    "string_too_short": "quá ngắn (tối thiểu {min_length} ký tự)",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "too_short": "phải có ít nhất {min_length} mục",
    "too_long": "có quá nhiều mục (tối đa {max_length})",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "decimal_parsing": "phải là số (dùng dấu chấm thập phân)",
    "decimal_max_places": "tối đa {decimal_places} chữ số thập phân",
    "decimal_max_digits": "quá nhiều chữ số",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "greater_than": "phải lớn hơn {gt}",
    "extra_forbidden": "trường không được nhận",
    "literal_error": "phải là một trong: {expected}",
    "finite_number": "phải là một số hữu hạn",
    "date_from_datetime_inexact": "phải là một ngày, không kèm giờ",
}


def describe(error: Any) -> tuple[str, str]:
    """The column and the Vietnamese message of one Pydantic error."""
    column = str(error["loc"][0]) if error["loc"] else "-"
    kind = error["type"]
    if kind == "value_error":
        return column, str(error["ctx"]["error"])
    if kind in ("too_short", "too_long") and isinstance(error.get("input"), str):
        kind = "string_" + kind  # a length checked after a text cleaner reads as a list length
    template = _MESSAGES.get(kind)
    if template is None:
        return column, f"giá trị không hợp lệ ({error['msg']})"
    return column, template.format(**error.get("ctx", {}))
