"""Flow ``open-cycle``: the year's opening, on its yearly schedule or by an operator."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import ReceivedOn
from tasks.cycle_tasks import compliance_task, open_cycle_task
from tasks.notice_tasks import deliver_task
from tasks.resources import CycleRef, run_actor, today
from tasks.runs import run_name, told

BUNDLED = Path(__file__).resolve().parent.parent / "deployments" / "cycles" / "vinh-linh-2024.toml"


@flow(
    name="open-cycle",
    description="Mở chu kỳ sáng kiến: nạp cấu hình và danh sách đơn vị, gửi thư đề nghị.",
    flow_run_name=run_name("mo-chu-ky", "as_of"),
)
@told(lambda r: f"Đã mở chu kỳ {r.year} ({r.name}) với {r.units} đơn vị.")
def open_cycle(
    config_path: Annotated[
        str, Field(title="Tệp cấu hình chu kỳ", description="Tệp .toml trên máy chạy luồng")
    ] = str(BUNDLED),
    as_of: ReceivedOn = None,
) -> CycleRef:
    """Load the configuration and roster, queue the call for proposals, deliver, show compliance."""
    cycle = open_cycle_task(config_path, run_actor("open-cycle"))
    deliver_task(cycle.id)
    compliance_task(cycle.id, as_of or today(cycle.timezone))
    return cycle
