"""Submission kinds: what a unit can send in answer to an obligation, described once.

A kind names its input schema, its columns (with the Vietnamese headers units see), its table and
the few rules of its own, as hooks; ``models.intake.store`` runs every kind through the same
steps (cycle checks, the kind's check, duplicates, all or nothing, audit). Receipts, workbooks,
forms and imports find a kind here by its code, so a new kind is one registry entry.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import DeclarativeBase, Session

from models.cycle import Cycle
from models.intake.checks import Checked
from models.registry import Registry

# (stored key, row id, fingerprint) of every stored row of the cycle: what duplicates are found on.
StoredRows = Callable[[Session, Cycle], Iterable[tuple[Hashable, int, str]]]
# Rows for receipts: id, unit_id, item (a line the receipt lists), submitted_on, days_late.
ReceiptRows = Callable[[Sequence[int]], Select[Any]]
# The rows of a unit's pre-filled workbook, and a note per row number (a comment on its code cell).
WorkbookRows = Callable[[Session, int, str], tuple[list[dict[str, str]], dict[int, str]]]
# The same for the units of one kind, when a kind's rows depend on it (the replicated catalogue).
KindRows = Callable[[Session, int, str, str], tuple[list[dict[str, str]], dict[int, str]]]


def _no_context(_session: Session, _cycle: Cycle) -> None:
    return None


def _no_check(_context: Any, _entry: Checked[Any]) -> tuple[str, str] | None:
    return None


@dataclass(frozen=True, slots=True)
class Workbook:
    """The pre-filled workbook the call for proposals sends for a kind."""

    sheet: str  # the sheet's title
    filename: str  # "de-xuat-sang-kien-{year}-{unit}.xlsx"
    rows: WorkbookRows
    kind_rows: KindRows | None = None  # rows for a unit kind; then each kind has its own template


@dataclass(frozen=True, slots=True)
class SubmissionKind:
    """One kind of submission and every rule of its own."""

    code: str  # "initiatives": the import kind and CLI word
    obligation: str  # the obligation it fulfils (``models.intake.obligations``)
    schema: type[BaseModel]
    columns: Mapping[str, str]  # canonical column -> Vietnamese header (accepted as an alias)
    table: type[DeclarativeBase]  # any mapped table (a province may add its own)
    entity: str  # the audit log's name for a row
    key_column: str  # the column a duplicate is reported on
    duplicate: str  # "sáng kiến cùng tên của cùng đơn vị"
    key: Callable[[Any, Checked[Any]], Hashable]  # (context, row) -> the key duplicates share
    stored: StoredRows
    build: Callable[[Cycle, Any, Checked[Any]], DeclarativeBase]  # (cycle, context, row) -> the new row
    audit: Callable[[Any], dict[str, Any]]  # facts of a new row for the audit log
    receipt_rows: ReceiptRows
    context: Callable[[Session, Cycle], Any] = _no_context  # loaded once per batch
    check: Callable[[Any, Checked[Any]], tuple[str, str] | None] = _no_check  # (column, message)
    hints: Mapping[str, str] = field(default_factory=dict)  # how to fill a column, for workbooks
    workbook: Workbook | None = None


SUBMISSIONS: Registry[SubmissionKind] = Registry("submission kind")


def submission_kind(code: str) -> SubmissionKind:
    """The kind of ``code``; a ``KeyError`` names the known ones."""
    return SUBMISSIONS.spec(code)
