"""The checks every submission goes through, whatever its kind, and the common store step.

Rows are checked against the cycle (unit enrolled, not dated before the cycle opened nor in the
future, days late from the deadline) and against each other and what is stored: a row identical
to a stored one is skipped (importing a file twice stores it once); a different row with the
same key is refused as a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleDeadlines, RosterEntry, Unit, roster
from models.db import record_many
from models.db.bulk import CHUNK, insert_rows
from models.errors import ImportRejected, RowError

Item = TypeVar("Item", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Checked(Generic[Item]):
    """A row that passed the cycle checks: its unit, effective date and days late."""

    number: int
    item: Item
    unit: RosterEntry
    submitted_on: date
    days_late: int

    @property
    def fingerprint(self) -> str:
        """A digest of the submission as given: the same row imported again has the same digest."""
        return hashlib.sha256(self.item.model_dump_json().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """What an intake did: rows created, updated, left unchanged (already there), stored late.

    ``stored_ids`` are the new rows' ids, for the receipts that follow a submission.
    """

    kind: str
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    late: int = 0
    stored_ids: tuple[int, ...] = ()


def check_cycle(
    session: Session,
    cycle: Cycle,
    items: Sequence[tuple[int, Item]],
    file: str,
    today: date,
    obligation: str,
    errors: list[RowError],
) -> list[Checked[Item]]:
    """Unit enrolled in the cycle, date within the cycle and not in the future; calendar days late
    past the unit's effective deadline for ``obligation``."""
    units = roster(session, cycle.id)
    deadlines = CycleDeadlines.load(session, cycle, today)
    codes = {getattr(item, "unit_code") for _, item in items} - units.keys()  # noqa: B009
    elsewhere = set(session.scalars(select(Unit.code).where(Unit.code.in_(codes)))) if codes else set()
    checked = []
    for number, item in items:
        code: str = getattr(item, "unit_code")  # noqa: B009 - every submission schema has it
        unit = units.get(code)
        if unit is None:
            message = (
                f"đơn vị {code} không thuộc chu kỳ {cycle.year}; hãy kiểm tra mã đơn vị"
                if code in elsewhere
                else f"không có đơn vị mã {code}; hãy kiểm tra mã hoặc nhập danh sách đơn vị trước"
            )
            errors.append(RowError(file, number, "unit_code", message))
            continue
        submitted_on: date = getattr(item, "submitted_on", None) or today
        if submitted_on < cycle.opens_on:
            message = f"ngày gửi {submitted_on:%d/%m/%Y} trước ngày mở chu kỳ {cycle.opens_on:%d/%m/%Y}"
            errors.append(RowError(file, number, "submitted_on", message))
            continue
        if submitted_on > today:
            message = f"ngày gửi {submitted_on:%d/%m/%Y} ở tương lai (hôm nay {today:%d/%m/%Y})"
            errors.append(RowError(file, number, "submitted_on", message))
            continue
        late = deadlines.lateness(
            submitted_on, deadlines.for_unit(unit.unit_id, obligation).deadline
        ).calendar
        checked.append(Checked(number, item, unit, submitted_on, late))
    return checked


def dedupe(
    checked: list[Checked[Item]],
    key_of: Callable[[Checked[Item]], Hashable],
    stored: Mapping[Any, tuple[int, str]],
    file: str,
    column: str,
    what: str,
    errors: list[RowError],
) -> tuple[list[Checked[Item]], int]:
    """New rows only: identical stored rows are counted as unchanged; duplicates are refused."""
    fresh: list[Checked[Item]] = []
    seen: dict[Hashable, int] = {}
    unchanged = 0
    for entry in checked:
        key = key_of(entry)
        if key in seen:
            errors.append(RowError(file, entry.number, column, f"{what} trùng với dòng {seen[key]}"))
            continue
        seen[key] = entry.number
        if key not in stored:
            fresh.append(entry)
        elif stored[key][1] == entry.fingerprint:
            unchanged += 1
        else:
            message = (
                f"{what} đã được nhận trước đây (số {stored[key][0]}) với nội dung khác; "
                "không nhận trùng — nếu cần sửa, hãy liên hệ Phòng Nội vụ"
            )
            errors.append(RowError(file, entry.number, column, message))
    return fresh, unchanged


def refuse_if_any(errors: list[RowError]) -> None:
    """All or nothing: any error refuses the whole batch, every error listed by row."""
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))


def save(
    session: Session,
    kind: str,
    entity: str,
    actor: str,
    fresh: list[Checked[Any]],
    build: Callable[[Checked[Any]], Any],
    unchanged: int,
    audit: Callable[[Any], dict[str, Any]],
) -> IntakeResult:
    """Build, insert (in bulk, outside the session's bookkeeping) and audit the new rows a chunk at
    a time, so a file of tens of thousands of rows never holds them all as objects at once."""
    ids: list[int] = []
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        rows = [build(entry) for entry in chunk]
        new_ids = insert_rows(session, rows)
        changes = []
        for row, entry, row_id in zip(rows, chunk, new_ids, strict=True):
            facts = {
                "unit": entry.unit.code,
                "submitted_on": entry.submitted_on,
                "days_late": entry.days_late,
            }
            changes.append((row_id, facts | audit(row)))
        record_many(session, actor, entity, "submit", changes)
        ids.extend(new_ids)
    late = sum(1 for entry in fresh if entry.days_late)
    return IntakeResult(kind, stored=len(fresh), unchanged=unchanged, late=late, stored_ids=tuple(ids))
