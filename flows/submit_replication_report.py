"""Flow ``submit-replication-report``: the Office's or a commune's report on one replicated initiative."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from flows.submission import submit
from models.forms import ReceivedOn, ReplicationForm
from tasks.intake_tasks import IntakeSummary
from tasks.runs import run_name, told


@flow(
    name="submit-replication-report",
    description="Nhận báo cáo áp dụng sáng kiến nhân rộng tại Bộ phận Một cửa.",
    flow_run_name=run_name("nhan-bao-cao-nhan-rong", "form"),
)
@told(lambda r: r.message)
def submit_replication_report(
    form: Annotated[ReplicationForm, Field(title="Báo cáo nhân rộng")], as_of: ReceivedOn = None
) -> IntakeSummary:
    """Store the replication report and send the unit a receipt."""
    return submit("submit-replication-report", form, as_of)
