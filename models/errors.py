"""The exception hierarchy: invalid input (the user's mistake), transient and permanent faults.

Only ``InvalidInput`` reaches a user as a message; the CLI turns it into a non-zero exit.
"""

from __future__ import annotations

from dataclasses import dataclass


class SangkienError(Exception):
    """Base of every error the project raises on purpose."""


class InvalidInput(SangkienError):  # noqa: N818 - the name reads as what the user gave
    """The user's input cannot be accepted; the message says where and how to fix it."""


class TransientFault(SangkienError):  # noqa: N818
    """A fault worth retrying (a dropped connection, a busy database)."""


class PermanentFault(SangkienError):  # noqa: N818
    """A fault no retry will cure (a mail server refusing a recipient)."""


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
