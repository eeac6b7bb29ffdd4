"""Flow ``submit-replication-report``: the Office's or a commune's report on one replicated initiative."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.submission import submit
from models.forms import ReplicationForm
from tasks.intake_tasks import IntakeSummary
from tasks.runs import run_name, told


@flow(
    name="submit-replication-report",
    description="Nhận báo cáo áp dụng sáng kiến nhân rộng tại Bộ phận Một cửa.",
    flow_run_name=run_name("nhan-bao-cao-nhan-rong", "form"),
)
@told(lambda r: r.message)
def submit_replication_report(form: ReplicationForm, as_of: date | None = None) -> IntakeSummary:
    """Store the replication report and send the unit a receipt."""
    return submit("submit-replication-report", form, as_of)
