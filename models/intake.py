"""Intake of submissions: initiatives, result reports and replication reports.

One code path serves a whole file and a single form: rows are checked against the cycle (unit
enrolled, not before the cycle opened, not in the future, lateness from the deadline), against
each other and against what is stored; any error stores nothing (all or nothing). A row identical
to one already stored is left alone, so importing the same file twice stores it once; a different
row with the same key is refused as a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import record_many
from models.cycles import RosterEntry, days_late, roster
from models.errors import ImportRejected, RowError
from models.roster import IntakeResult
from models.schemas import (
    APPLIED_AFTER_SUBMITTED,
    REPLICATING_KINDS,
    InitiativeIn,
    ReplicationIn,
    ReportIn,
)
from models.tables import (
    Cycle,
    Initiative,
    InitiativeAuthor,
    ReplicatedInitiative,
    ReplicationReport,
    ResultReport,
    Unit,
)
from models.text import title_key


@dataclass(frozen=True, slots=True)
class Accepted:
    """A row that passed every check, ready to store."""

    number: int
    key: Hashable
    fingerprint: str
    unit: RosterEntry
    submitted_on: date
    days_late: int


def fingerprint(item: BaseModel) -> str:
    """A digest of the submission as given: the same row imported again has the same digest."""
    return hashlib.sha256(item.model_dump_json().encode()).hexdigest()


def _check_common(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, Any]],
    file: str,
    today: date,
    deadline: date,
    errors: list[RowError],
) -> list[tuple[int, Any, RosterEntry, date, int]]:
    """Unit enrolled, date within the cycle and not in the future; lateness."""
    units = roster(session, cycle.id)
    codes = {item.unit_code for _, item in items} - units.keys()
    elsewhere = set(session.scalars(select(Unit.code).where(Unit.code.in_(codes)))) if codes else set()
    checked = []
    for number, item in items:
        unit = units.get(item.unit_code)
        if unit is None:
            message = (
                f"đơn vị {item.unit_code} không thuộc chu kỳ {cycle.year}; hãy kiểm tra mã đơn vị"
                if item.unit_code in elsewhere
                else f"không có đơn vị mã {item.unit_code}; hãy kiểm tra mã hoặc nhập danh sách đơn vị trước"
            )
            errors.append(RowError(file, number, "unit_code", message))
            continue
        submitted_on = item.submitted_on or today
        if submitted_on < cycle.opens_on:
            errors.append(
                RowError(
                    file,
                    number,
                    "submitted_on",
                    (f"ngày gửi {submitted_on:%d/%m/%Y} trước ngày mở chu kỳ {cycle.opens_on:%d/%m/%Y}"),
                )
            )
            continue
        if submitted_on > today:
            errors.append(
                RowError(
                    file,
                    number,
                    "submitted_on",
                    (f"ngày gửi {submitted_on:%d/%m/%Y} ở tương lai (hôm nay {today:%d/%m/%Y})"),
                )
            )
            continue
        late = days_late(submitted_on, deadline, inclusive=cycle.deadline_inclusive)
        checked.append((number, item, unit, submitted_on, late))
    return checked


def _dedupe(
    checked: list[tuple[int, Any, RosterEntry, date, int]],
    key_of: Callable[[Any, RosterEntry], Hashable],
    stored: Mapping[Any, tuple[int, str]],
    file: str,
    column: str,
    what: str,
    errors: list[RowError],
) -> tuple[list[tuple[Accepted, Any]], int]:
    """Drop rows already stored identically; refuse duplicates within the file or of stored rows."""
    accepted: list[tuple[Accepted, Any]] = []
    seen: dict[Hashable, int] = {}
    unchanged = 0
    for number, item, unit, submitted_on, late in checked:
        key = key_of(item, unit)
        digest = fingerprint(item)
        if key in seen:
            errors.append(RowError(file, number, column, f"{what} trùng với dòng {seen[key]}"))
            continue
        seen[key] = number
        if key in stored:
            stored_id, stored_digest = stored[key]
            if stored_digest == digest:
                unchanged += 1
            else:
                errors.append(
                    RowError(
                        file,
                        number,
                        column,
                        (
                            f"{what} đã được nhận trước đây (số {stored_id}) với nội dung khác; "
                            "không nhận trùng — nếu cần sửa, hãy liên hệ Phòng Nội vụ"
                        ),
                    )
                )
            continue
        accepted.append((Accepted(number, key, digest, unit, submitted_on, late), item))
    return accepted, unchanged


def store_initiatives(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, InitiativeIn]],
    file: str,
    today: date,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Validate and store initiatives with their authors; all or nothing."""
    errors: list[RowError] = list(prior or [])
    checked = []
    for entry in _check_common(session, cycle, items, file, today, cycle.propose_deadline, errors):
        number, item, _unit, submitted_on = entry[:4]
        if item.first_applied_on and item.first_applied_on > submitted_on:  # submitted_on may be today
            errors.append(RowError(file, number, "first_applied_on", APPLIED_AFTER_SUBMITTED))
        else:
            checked.append(entry)
    stored = {
        (r.unit_id, r.title_key): (r.id, r.fingerprint)
        for r in session.execute(
            select(Initiative.id, Initiative.unit_id, Initiative.title_key, Initiative.fingerprint).where(
                Initiative.cycle_id == cycle.id
            )
        )
    }
    accepted, unchanged = _dedupe(
        checked,
        lambda item, unit: (unit.unit_id, title_key(item.title)),
        stored,
        file,
        "title",
        "sáng kiến cùng tên của cùng đơn vị",
        errors,
    )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    rows = []
    for ok, item in accepted:
        fields = item.model_dump(exclude={"unit_code", "authors", "submitted_on"})
        row = Initiative(
            cycle_id=cycle.id,
            unit_id=ok.unit.unit_id,
            title_key=title_key(item.title),
            submitted_on=ok.submitted_on,
            days_late=ok.days_late,
            fingerprint=ok.fingerprint,
            authors=[InitiativeAuthor(position=i + 1, **a.model_dump()) for i, a in enumerate(item.authors)],
            **fields,
        )
        rows.append(row)
    session.add_all(rows)
    session.flush()
    record_many(
        session,
        actor,
        "initiative",
        "submit",
        [
            (
                r.id,
                {
                    "unit": ok.unit.code,
                    "title": r.title,
                    "submitted_on": r.submitted_on,
                    "days_late": r.days_late,
                },
            )
            for r, (ok, _) in zip(rows, accepted, strict=True)
        ],
    )
    return IntakeResult(
        "initiatives", stored=len(rows), unchanged=unchanged, late=sum(1 for r in rows if r.days_late)
    )


def store_reports(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, ReportIn]],
    file: str,
    today: date,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Validate and store result reports; a named initiative must be one of the unit's."""
    errors: list[RowError] = list(prior or [])
    checked = _check_common(session, cycle, items, file, today, cycle.report_deadline, errors)
    initiatives = {
        (r.unit_id, r.title_key): r.id
        for r in session.execute(
            select(Initiative.id, Initiative.unit_id, Initiative.title_key).where(
                Initiative.cycle_id == cycle.id
            )
        )
    }
    known = []
    for entry in checked:
        number, item, unit = entry[0], entry[1], entry[2]
        if item.initiative_title and (unit.unit_id, title_key(item.initiative_title)) not in initiatives:
            errors.append(
                RowError(
                    file,
                    number,
                    "initiative_title",
                    (
                        f"đơn vị {unit.code} không có sáng kiến tên {item.initiative_title!r}; hãy ghi đúng "
                        "tên sáng kiến đã gửi, hoặc để trống nếu là báo cáo chung"
                    ),
                )
            )
        else:
            known.append(entry)
    stored = {
        (r.unit_id, r.initiative_key): (r.id, r.fingerprint)
        for r in session.execute(
            select(
                ResultReport.id, ResultReport.unit_id, ResultReport.initiative_key, ResultReport.fingerprint
            ).where(ResultReport.cycle_id == cycle.id)
        )
    }
    accepted, unchanged = _dedupe(
        known,
        lambda item, unit: (unit.unit_id, title_key(item.initiative_title)),
        stored,
        file,
        "initiative_title",
        "báo cáo về sáng kiến này của cùng đơn vị",
        errors,
    )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    rows = [
        ResultReport(
            cycle_id=cycle.id,
            unit_id=ok.unit.unit_id,
            initiative_key=title_key(item.initiative_title),
            initiative_id=initiatives.get((ok.unit.unit_id, title_key(item.initiative_title))),
            submitted_on=ok.submitted_on,
            days_late=ok.days_late,
            fingerprint=ok.fingerprint,
            **item.model_dump(include={"organisation", "results", "assessment", "proposals"}),
        )
        for ok, item in accepted
    ]
    session.add_all(rows)
    session.flush()
    record_many(
        session,
        actor,
        "result_report",
        "submit",
        [
            (
                r.id,
                {
                    "unit": ok.unit.code,
                    "initiative_id": r.initiative_id,
                    "submitted_on": r.submitted_on,
                    "days_late": r.days_late,
                },
            )
            for r, (ok, _) in zip(rows, accepted, strict=True)
        ],
    )
    return IntakeResult(
        "reports", stored=len(rows), unchanged=unchanged, late=sum(1 for r in rows if r.days_late)
    )


def store_replication(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, ReplicationIn]],
    file: str,
    today: date,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Validate and store replication reports (the Office and communes, catalogue items only)."""
    errors: list[RowError] = list(prior or [])
    checked = _check_common(session, cycle, items, file, today, cycle.replication_deadline, errors)
    catalogue = dict(
        session.execute(
            select(ReplicatedInitiative.code, ReplicatedInitiative.id).where(
                ReplicatedInitiative.cycle_id == cycle.id
            )
        )
        .tuples()
        .all()
    )
    eligible = []
    for entry in checked:
        number, item, unit = entry[0], entry[1], entry[2]
        if unit.kind not in REPLICATING_KINDS:
            errors.append(
                RowError(
                    file,
                    number,
                    "unit_code",
                    (
                        f"đơn vị {unit.code} không phải Văn phòng HĐND và UBND hay UBND cấp xã; "
                        "chỉ các đơn vị này báo cáo kết quả nhân rộng"
                    ),
                )
            )
        elif item.replicated_code not in catalogue:
            errors.append(
                RowError(
                    file,
                    number,
                    "replicated_code",
                    (
                        f"mã {item.replicated_code} không có trong danh mục nhân rộng của chu kỳ; "
                        f"các mã hợp lệ: {', '.join(sorted(catalogue))}"
                    ),
                )
            )
        else:
            eligible.append(entry)
    stored = {
        (r.unit_id, r.replicated_id): (r.id, r.fingerprint)
        for r in session.execute(
            select(
                ReplicationReport.id,
                ReplicationReport.unit_id,
                ReplicationReport.replicated_id,
                ReplicationReport.fingerprint,
            ).where(ReplicationReport.cycle_id == cycle.id)
        )
    }
    accepted, unchanged = _dedupe(
        eligible,
        lambda item, unit: (unit.unit_id, catalogue[item.replicated_code]),
        stored,
        file,
        "replicated_code",
        "báo cáo nhân rộng sáng kiến này của cùng đơn vị",
        errors,
    )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    rows = [
        ReplicationReport(
            cycle_id=cycle.id,
            unit_id=ok.unit.unit_id,
            replicated_id=catalogue[item.replicated_code],
            submitted_on=ok.submitted_on,
            days_late=ok.days_late,
            fingerprint=ok.fingerprint,
            **item.model_dump(include={"started_on", "how_applied", "dossiers", "results", "problems"}),
        )
        for ok, item in accepted
    ]
    session.add_all(rows)
    session.flush()
    record_many(
        session,
        actor,
        "replication_report",
        "submit",
        [
            (
                r.id,
                {
                    "unit": ok.unit.code,
                    "replicated": r.replicated_id,
                    "submitted_on": r.submitted_on,
                    "days_late": r.days_late,
                },
            )
            for r, (ok, _) in zip(rows, accepted, strict=True)
        ],
    )
    return IntakeResult(
        "replication", stored=len(rows), unchanged=unchanged, late=sum(1 for r in rows if r.days_late)
    )
