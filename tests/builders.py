"""Test builders: small functions that make one workbook or store one batch of one kind, so a
test says what it is about."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.errors import RowError
from models.intake import INITIATIVES, REPLICATION, REPORTS, IntakeResult, store_submissions
from notifications.sheets.workbooks import submission_workbook


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """One replicated initiative, as a workbook pre-fills it."""

    code: str
    title: str


def initiative_workbook(unit_code: str) -> bytes:
    """The initiatives workbook the call sends a unit: its code on the first row."""
    return submission_workbook(INITIATIVES, "Sáng kiến", [{"unit_code": unit_code}], {})


def replication_workbook(unit_code: str, catalogue: Sequence[CatalogueItem]) -> bytes:
    """The replication workbook of the Office or a commune: a row per catalogue item."""
    rows = [{"unit_code": unit_code, "replicated_code": item.code} for item in catalogue]
    notes = {n: item.title for n, item in enumerate(catalogue, start=2)}
    return submission_workbook(REPLICATION, "Nhân rộng", rows, notes)


def store_initiatives(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, Any]],
    file: str,
    today: date,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Store initiatives as a file or form would."""
    return store_submissions(session, cycle, INITIATIVES, items, file, today, actor, prior)


def store_reports(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, Any]],
    file: str,
    today: date,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Store result reports as a file or form would."""
    return store_submissions(session, cycle, REPORTS, items, file, today, actor, prior)


def store_replication(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, Any]],
    file: str,
    today: date,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Store replication reports as a file or form would."""
    return store_submissions(session, cycle, REPLICATION, items, file, today, actor, prior)


@contextmanager
def counting_queries(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` runs inside the block."""
    statements: list[str] = []

    def _count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)
