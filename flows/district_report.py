"""Flow ``district-report``: the authority's consolidated report of the year's initiatives."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import AuthorityCode, Year
from tasks.cycle_tasks import find_cycle_task
from tasks.outcome_tasks import district_report_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="district-report",
    description="Lập báo cáo kết quả sáng kiến cải cách hành chính của năm.",
    flow_run_name=run_name("bao-cao-nam", "cycle"),
)
@told(lambda _: "Đã lập báo cáo sáng kiến của năm; mở tệp từ mục Artifacts của lần chạy.")
def district_report(
    cycle: Year,
    as_of: Annotated[date | None, Field(title="Ngày lập báo cáo", description="Để trống: hôm nay")] = None,
    authority: AuthorityCode = None,
) -> str:
    """Render the report (compliance, initiatives, scores, places for the drafter); its path."""
    ref = find_cycle_task(cycle, authority)
    return district_report_task(ref.id, as_of or today(ref.timezone), run_actor("district-report"))
