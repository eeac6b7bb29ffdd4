"""Rows for exports: compliance and initiatives as plain records (JSON) and labelled tables (xlsx)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.cycle import Cycle, CycleDeadlines, Unit
from models.db import Notice
from models.intake import FIELD_LABELS, OBLIGATIONS, SOLUTION_TYPE_LABELS, Initiative
from models.reporting.tables import ScoreLine
from models.tracking import ObligationState, UnitCompliance, compute_compliance, cycle_obligations

STATE_LABELS = {
    "pending": "chưa đến hạn",
    "on_time": "đúng hạn",
    "late": "trễ hạn",
    "overdue": "quá hạn",
    "not_required": "không yêu cầu",
}
KIND_SHORT = {
    "agency": "Cơ quan chuyên môn",
    "public_service_unit": "Đơn vị sự nghiệp",
    "commune": "UBND cấp xã",
    "office": "Văn phòng HĐND và UBND",
}


def label(labels: dict[str, str], code: str) -> str:
    """The first Vietnamese label of a coded value."""
    return labels.get(code, code).split("|")[0]


def describe_state(state: ObligationState) -> str:
    """A state as an officer reads it: 'chậm 05 ngày, 03 ngày làm việc (09/09/2024)', 'quá hạn 12
    ngày, 08 ngày làm việc'; ', được gia hạn đến 20/09/2024' when the unit's deadline was extended."""
    extension = f", được gia hạn đến {state.deadline:%d/%m/%Y}" if state.extended else ""
    if state.state == "late":
        days = f"chậm {state.days_late:02d} ngày, {state.working_days_late:02d} ngày làm việc"
        return f"{days} ({state.done_on:%d/%m/%Y}){extension}"
    if state.state == "on_time":
        return f"đúng hạn ({state.done_on:%d/%m/%Y}){extension}"
    if state.state == "overdue":
        return f"quá hạn {state.days_late:02d} ngày, {state.working_days_late:02d} ngày làm việc{extension}"
    return STATE_LABELS[state.state] + extension


def compact_state(state: ObligationState) -> str:
    """A state in one short cell, for a table read on a screen: 'đúng hạn 04/9', 'chậm 05 ngày',
    'quá hạn 22 ngày' (', gia hạn' when the unit's deadline was extended)."""
    extension = ", gia hạn" if state.extended else ""
    if state.state == "on_time" and state.done_on is not None:
        return f"đúng hạn {state.done_on.day:02d}/{state.done_on.month}{extension}"
    if state.state in ("late", "overdue"):
        word = "chậm" if state.state == "late" else "quá hạn"
        return f"{word} {state.days_late:02d} ngày{extension}"
    return STATE_LABELS[state.state] + extension


def deadline_lines(cycle: Cycle) -> list[str]:
    """Each obligation's deadline as configured and where it really ends, with the reason it
    moved: 'Hạn đề xuất sáng kiến: 31/08/2024 (do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính
    đến hết ngày 04/9/2024)'."""
    deadlines = CycleDeadlines(cycle, {}).cycle_deadlines
    return [
        f"Hạn {ob.labels.table.lower()}: {deadlines[ob.code].describe()}" for ob in cycle_obligations(cycle)
    ]


def compliance_records(rows: list[UnitCompliance]) -> list[dict[str, Any]]:
    """The JSON form of ``sangkien status``: per unit, per obligation ``state`` and ``days_late``."""
    return [row.model_dump(mode="json") for row in rows]


def compliance_table(rows: list[UnitCompliance]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the compliance table with Vietnamese labels."""
    header = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"]
    codes = list(rows[0].obligations) if rows else list(OBLIGATIONS)
    for code in codes:  # distinct headings: a table artifact keys its columns by them
        labels = OBLIGATIONS[code].labels
        header += [labels.table, f"Số ngày trễ ({labels.column})"]
    body = []
    for row in rows:
        line: list[Any] = [row.unit_code, row.unit_name, KIND_SHORT.get(row.kind, row.kind)]
        for code in codes:
            state = row[code]
            line += [describe_state(state), state.days_late or None]
        body.append(line)
    return header, body


def initiative_records(session: Session, cycle: Cycle) -> list[dict[str, Any]]:
    """Every initiative of the cycle with its unit and authors, oldest first."""
    rows = session.execute(
        select(Initiative, Unit.code, Unit.name)
        .join(Unit, Unit.id == Initiative.unit_id)
        .where(Initiative.cycle_id == cycle.id)
        .options(selectinload(Initiative.authors))
        .order_by(Initiative.submitted_on, Initiative.id)
    ).all()
    records = []
    for initiative, code, name in rows:
        records.append(
            {
                "id": initiative.id,
                "unit_code": code,
                "unit_name": name,
                "title": initiative.title,
                "solution_type": initiative.solution_type,
                "field": initiative.field,
                "authors": [
                    {"name": a.name, "title": a.title, "share": str(a.share)} for a in initiative.authors
                ],
                "first_applied_on": _iso(initiative.first_applied_on),
                "scope": initiative.scope,
                "before": initiative.before,
                "solution": initiative.solution,
                "novelty": initiative.novelty,
                "effects": initiative.effects,
                "replicable": initiative.replicable,
                "submitted_on": _iso(initiative.submitted_on),
                "days_late": initiative.days_late,
                "recognition_status": initiative.recognition_status,
            }
        )
    return records


def initiative_table(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the initiatives export with Vietnamese labels."""
    header = [
        "Số",
        "Mã đơn vị",
        "Tên đơn vị",
        "Tên sáng kiến",
        "Loại giải pháp",
        "Lĩnh vực",
        "Tác giả",
        "Ngày áp dụng lần đầu",
        "Hiệu quả",
        "Khả năng nhân rộng",
        "Ngày gửi",
        "Số ngày trễ",
    ]
    body = [
        [
            r["id"],
            r["unit_code"],
            r["unit_name"],
            r["title"],
            label(SOLUTION_TYPE_LABELS, r["solution_type"]),
            label(FIELD_LABELS, r["field"]),
            "; ".join(f"{a['name']} ({a['title']}, {a['share']}%)" for a in r["authors"]),
            r["first_applied_on"],
            r["effects"],
            "có" if r["replicable"] else "không",
            r["submitted_on"],
            r["days_late"] or None,
        ]
        for r in records
    ]
    return header, body


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def year_summary(session: Session, cycle: Cycle, as_of: date) -> dict[str, Any]:
    """What a replayed year came to: compliance counts, recognitions, score extremes, notices."""
    rows = compute_compliance(session, cycle, as_of)
    proposed = [r["propose"].state for r in rows]
    totals = session.execute(
        select(Unit.name, func.sum(ScoreLine.points))
        .join(Unit, Unit.id == ScoreLine.unit_id)
        .where(ScoreLine.cycle_id == cycle.id, ScoreLine.scorecard == "task_completion")
        .group_by(Unit.name)
        .order_by(func.sum(ScoreLine.points).desc(), Unit.name)
    ).all()
    notices = dict(
        session.execute(
            select(Notice.state, func.count()).where(Notice.cycle_id == cycle.id).group_by(Notice.state)
        )
        .tuples()
        .all()
    )
    recognized = session.scalar(
        select(func.count()).where(
            Initiative.cycle_id == cycle.id, Initiative.recognition_status == "recognized"
        )
    )
    return {
        "units": len(rows),
        "on_time": proposed.count("on_time"),
        "late": proposed.count("late"),
        "never": proposed.count("overdue"),
        "initiatives": session.scalar(select(func.count()).where(Initiative.cycle_id == cycle.id)),
        "recognized": recognized,
        "top": [(name, str(points)) for name, points in totals[:3]],
        "bottom": [(name, str(points)) for name, points in totals[-3:]],
        "notices": notices,
    }


def score_records(session: Session, cycle: Cycle) -> list[dict[str, Any]]:
    """Every folded score line of the cycle with its reason, by unit code then scorecard."""
    rows = session.execute(
        select(ScoreLine, Unit.code, Unit.name)
        .join(Unit, Unit.id == ScoreLine.unit_id)
        .where(ScoreLine.cycle_id == cycle.id)
        .order_by(Unit.code, ScoreLine.scorecard, ScoreLine.criterion)
    ).all()
    return [
        {
            "unit_code": code,
            "unit_name": name,
            "scorecard": line.scorecard,
            "criterion": line.criterion,
            "points": str(line.points.normalize()),
            "max_points": str(line.max_points.normalize()),
            "reason": line.reason,
            "source": line.source,
        }
        for line, code, name in rows
    ]
