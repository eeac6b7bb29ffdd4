"""Flow ``recognize-initiatives``: tally, wait for the chair's approval, issue the decision once."""

from __future__ import annotations

from typing import Annotated

from prefect import flow, pause_flow_run
from prefect.logging import get_run_logger
from pydantic import Field

from models.forms import DecisionApproval
from models.review import Approval
from tasks.cycle_tasks import find_cycle_task
from tasks.notice_tasks import deliver_task
from tasks.outcome_tasks import DecisionSummary, find_decision_task, issue_decision_task, tally_task
from tasks.resources import run_actor
from tasks.runs import run_name


@flow(
    name="recognize-initiatives",
    description="Xét công nhận sáng kiến: chờ Chủ tịch phê duyệt rồi ban hành quyết định.",
    flow_run_name=run_name("cong-nhan", "cycle"),
)
def recognize_initiatives(
    cycle: Annotated[int, Field(ge=2000, le=2100, description="Năm của chu kỳ")],
    authority: Annotated[str | None, Field(description="Mã cơ quan (khi một CSDL có nhiều cơ quan)")] = None,
) -> DecisionSummary | None:
    """Pause for the approval form (number, date, signer); a cycle already decided is not paused."""
    ref = find_cycle_task(cycle, authority)
    result = tally_task(ref.id)
    logger = get_run_logger()
    decided: Approval | None = None  # None: the decision already issued stands, nothing new
    if find_decision_task(ref.id) is None:
        if not result.recognized and not result.not_recognized:
            logger.warning("Chưa có sáng kiến nào đủ phiếu để xét; chưa thể ban hành quyết định.")
            return None
        form = pause_flow_run(
            wait_for_input=DecisionApproval, timeout=ref.decision_timeout_seconds, poll_interval=2
        )
        decided = Approval(form.number, form.issued_on, form.signer_name, form.signer_title)
    summary = issue_decision_task(ref.id, decided, run_actor("recognize-initiatives"))
    deliver_task(ref.id)
    return summary
