"""Flow ``submit-replication-report``: the Office's or a commune's report on one replicated initiative."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.submission import submit
from models.forms import ReplicationForm
from tasks.intake_tasks import IntakeSummary


@flow(
    name="submit-replication-report",
    description="Nhận báo cáo áp dụng sáng kiến nhân rộng tại Bộ phận Một cửa.",
)
def submit_replication_report(form: ReplicationForm, as_of: date | None = None) -> IntakeSummary:
    """Store the replication report and send the unit a receipt."""
    return submit("submit-replication-report", form, as_of)
