"""Flow ``submit-report``: one unit's report on building and applying its initiatives."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.submission import submit
from models.forms import ReportForm
from tasks.intake_tasks import IntakeSummary
from tasks.runs import run_name, told


@flow(
    name="submit-report",
    description="Nhận báo cáo kết quả áp dụng sáng kiến của đơn vị.",
    flow_run_name=run_name("nhan-bao-cao", "form"),
)
@told(lambda r: r.message)
def submit_report(form: ReportForm, as_of: date | None = None) -> IntakeSummary:
    """Store the report and send the unit a receipt."""
    return submit("submit-report", form, as_of)
