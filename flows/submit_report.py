"""Flow ``submit-report``: one unit's report on building and applying its initiatives."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from flows.submission import submit
from models.forms import ReceivedOn, ReportForm
from tasks.intake_tasks import IntakeSummary
from tasks.runs import run_name, told


@flow(
    name="submit-report",
    description="Nhận báo cáo kết quả áp dụng sáng kiến của đơn vị.",
    flow_run_name=run_name("nhan-bao-cao", "form"),
)
@told(lambda r: r.message)
def submit_report(
    form: Annotated[ReportForm, Field(title="Báo cáo kết quả")], as_of: ReceivedOn = None
) -> IntakeSummary:
    """Store the report and send the unit a receipt."""
    return submit("submit-report", form, as_of)
