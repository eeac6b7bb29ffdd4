"""Drafts for the deadline sweep: reminders, overdue notices and escalations, one per unit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.sweep import SweepNotice
from models.tables import Cycle, CycleUnit, Unit
from notifications.notices import base_context, draft
from notifications.outbox import NoticeDraft

OBLIGATION_WORDS = {
    "propose": (
        "đề xuất sáng kiến",
        "đề xuất ít nhất một sáng kiến cải cách hành chính được áp dụng trong năm {year}",
    ),
    "report": (
        "báo cáo kết quả áp dụng sáng kiến",
        "báo cáo kết quả xây dựng và triển khai áp dụng các sáng kiến năm {year}",
    ),
    "replication": (
        "báo cáo kết quả nhân rộng sáng kiến",
        "báo cáo kết quả áp dụng các sáng kiến được chọn nhân rộng tại Bộ phận Một cửa",
    ),
}


def sweep_drafts(session: Session, cycle: Cycle, plan: list[SweepNotice], as_of: date) -> list[NoticeDraft]:
    """Render every planned notice (units are loaded once for the whole plan)."""
    if not plan:
        return []
    units = {
        u.code: u
        for u in session.scalars(
            select(Unit).join(CycleUnit, CycleUnit.unit_id == Unit.id).where(CycleUnit.cycle_id == cycle.id)
        )
    }
    context = base_context(cycle)
    drafts = []
    for item in plan:
        unit = units[item.unit_code]
        short, long = OBLIGATION_WORDS[item.obligation]
        facts = {
            "obligation": short,
            "obligation_long": long.format(year=cycle.year),
            "deadline": item.deadline,
            "as_of": as_of,
            "days_left": item.days,
            "days_overdue": item.days,
            "new_deadline": item.new_deadline,
            "is_commune": unit.kind == "commune",
            "document": None,
        }
        drafts.append(
            draft(
                cycle, item.kind, item.milestone, unit.email, unit.name, {**context, **facts}, unit_id=unit.id
            )
        )
    return drafts
