"""Flow ``deadline-sweep``: every morning, reminders, overdue notices and escalations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import AuthorityCode, Year
from tasks.cycle_tasks import find_cycle_task
from tasks.notice_tasks import SweepSummary, deliver_task, sweep_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="deadline-sweep",
    description="Quét hạn hằng ngày: nhắc hạn, báo quá hạn, đôn đốc đơn vị chưa thực hiện.",
    flow_run_name=run_name("quet-han", "as_of"),
)
@told(lambda r: r.message)
def deadline_sweep(
    cycle: Year,
    as_of: Annotated[date | None, Field(title="Ngày quét", description="Để trống: hôm nay")] = None,
    authority: AuthorityCode = None,
) -> SweepSummary:
    """Queue what today's compliance calls for (never twice) and deliver it; the day's compliance
    table is the run's artifact."""
    ref = find_cycle_task(cycle, authority)
    swept = sweep_task(ref.id, as_of or today(ref.timezone), run_actor("deadline-sweep"))
    deliver_task(ref.id)
    return swept
