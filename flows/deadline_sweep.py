"""Flow ``deadline-sweep``: every morning, reminders, overdue notices and escalations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from tasks.cycle_tasks import ComplianceSummary, compliance_task, find_cycle_task
from tasks.notice_tasks import SweepSummary, deliver_task, sweep_task
from tasks.resources import today


@flow(
    name="deadline-sweep",
    description="Quét hạn hằng ngày: nhắc hạn, báo quá hạn, đôn đốc đơn vị chưa thực hiện.",
)
def deadline_sweep(
    cycle: Annotated[int, Field(ge=2000, le=2100, description="Năm của chu kỳ")],
    as_of: Annotated[date | None, Field(description="Ngày quét (mặc định: hôm nay)")] = None,
) -> tuple[SweepSummary, ComplianceSummary]:
    """Queue what today's compliance calls for (never twice), deliver it, show compliance."""
    ref = find_cycle_task(cycle)
    day = as_of or today(ref.timezone)
    swept = sweep_task(ref.id, day)
    deliver_task(ref.id)
    return swept, compliance_task(ref.id, day)
