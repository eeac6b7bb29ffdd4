"""Intake of submissions: initiatives, result reports and replication reports.

One code path serves a whole file and a single form: the common checks of
``models.intake_checks``, then the rules of each kind; any error stores nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle.tables import Cycle, ReplicatedInitiative
from models.errors import RowError
from models.intake.checks import check_cycle, dedupe, refuse_if_any, save
from models.intake.schemas import (
    APPLIED_AFTER_SUBMITTED,
    REPLICATING_KINDS,
    InitiativeIn,
    ReplicationIn,
    ReportIn,
)
from models.intake.tables import Initiative, InitiativeAuthor, ReplicationReport, ResultReport
from models.intake.units import IntakeResult
from models.text import title_key


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
    for entry in check_cycle(session, cycle, items, file, today, "propose", errors):
        applied = entry.item.first_applied_on
        if applied and applied > entry.submitted_on:  # an empty submitted_on became today
            errors.append(RowError(file, entry.number, "first_applied_on", APPLIED_AFTER_SUBMITTED))
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
    fresh, unchanged = dedupe(
        checked,
        lambda e: (e.unit.unit_id, title_key(e.item.title)),
        stored,
        file,
        "title",
        "sáng kiến cùng tên của cùng đơn vị",
        errors,
    )
    refuse_if_any(errors)
    rows = [
        (
            Initiative(
                cycle_id=cycle.id,
                unit_id=e.unit.unit_id,
                title_key=title_key(e.item.title),
                submitted_on=e.submitted_on,
                days_late=e.days_late,
                fingerprint=e.fingerprint,
                authors=[
                    InitiativeAuthor(position=i + 1, **a.model_dump()) for i, a in enumerate(e.item.authors)
                ],
                **e.item.model_dump(exclude={"unit_code", "authors", "submitted_on"}),
            ),
            e,
        )
        for e in fresh
    ]
    return save(session, "initiatives", "initiative", actor, rows, unchanged, lambda r: {"title": r.title})


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
    initiatives = {
        (r.unit_id, r.title_key): r.id
        for r in session.execute(
            select(Initiative.id, Initiative.unit_id, Initiative.title_key).where(
                Initiative.cycle_id == cycle.id
            )
        )
    }
    checked = []
    for entry in check_cycle(session, cycle, items, file, today, "report", errors):
        title = entry.item.initiative_title
        if title and (entry.unit.unit_id, title_key(title)) not in initiatives:
            message = (
                f"đơn vị {entry.unit.code} không có sáng kiến tên {title!r}; hãy ghi đúng "
                "tên sáng kiến đã gửi, hoặc để trống nếu là báo cáo chung"
            )
            errors.append(RowError(file, entry.number, "initiative_title", message))
        else:
            checked.append(entry)
    stored = {
        (r.unit_id, r.initiative_key): (r.id, r.fingerprint)
        for r in session.execute(
            select(
                ResultReport.id, ResultReport.unit_id, ResultReport.initiative_key, ResultReport.fingerprint
            ).where(ResultReport.cycle_id == cycle.id)
        )
    }
    fresh, unchanged = dedupe(
        checked,
        lambda e: (e.unit.unit_id, title_key(e.item.initiative_title)),
        stored,
        file,
        "initiative_title",
        "báo cáo về sáng kiến này của cùng đơn vị",
        errors,
    )
    refuse_if_any(errors)
    rows = []
    for e in fresh:
        key = title_key(e.item.initiative_title)
        report = ResultReport(
            cycle_id=cycle.id,
            unit_id=e.unit.unit_id,
            initiative_key=key,
            initiative_id=initiatives.get((e.unit.unit_id, key)),
            submitted_on=e.submitted_on,
            days_late=e.days_late,
            fingerprint=e.fingerprint,
            **e.item.model_dump(include={"organisation", "results", "assessment", "proposals"}),
        )
        rows.append((report, e))
    return save(
        session,
        "reports",
        "result_report",
        actor,
        rows,
        unchanged,
        lambda r: {"initiative_id": r.initiative_id},
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
    catalogue = dict(
        session.execute(
            select(ReplicatedInitiative.code, ReplicatedInitiative.id).where(
                ReplicatedInitiative.cycle_id == cycle.id
            )
        )
        .tuples()
        .all()
    )
    checked = []
    for entry in check_cycle(session, cycle, items, file, today, "replication", errors):
        if entry.unit.kind not in REPLICATING_KINDS:
            message = (
                f"đơn vị {entry.unit.code} không phải Văn phòng HĐND và UBND hay UBND cấp xã; "
                "chỉ các đơn vị này báo cáo kết quả nhân rộng"
            )
            errors.append(RowError(file, entry.number, "unit_code", message))
        elif entry.item.replicated_code not in catalogue:
            message = (
                f"mã {entry.item.replicated_code} không có trong danh mục nhân rộng của chu kỳ; "
                f"các mã hợp lệ: {', '.join(sorted(catalogue))}"
            )
            errors.append(RowError(file, entry.number, "replicated_code", message))
        else:
            checked.append(entry)
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
    fresh, unchanged = dedupe(
        checked,
        lambda e: (e.unit.unit_id, catalogue[e.item.replicated_code]),
        stored,
        file,
        "replicated_code",
        "báo cáo nhân rộng sáng kiến này của cùng đơn vị",
        errors,
    )
    refuse_if_any(errors)
    fields = {"started_on", "how_applied", "dossiers", "results", "problems"}
    rows = [
        (
            ReplicationReport(
                cycle_id=cycle.id,
                unit_id=e.unit.unit_id,
                replicated_id=catalogue[e.item.replicated_code],
                submitted_on=e.submitted_on,
                days_late=e.days_late,
                fingerprint=e.fingerprint,
                **e.item.model_dump(include=fields),
            ),
            e,
        )
        for e in fresh
    ]
    return save(
        session,
        "replication",
        "replication_report",
        actor,
        rows,
        unchanged,
        lambda r: {"replicated": r.replicated_id},
    )
