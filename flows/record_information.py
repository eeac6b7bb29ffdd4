"""Flow ``record-information``: the unit's answer to the council's request is recorded."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import AnswerForm, ReceivedOn
from tasks.cycle_tasks import find_cycle_task
from tasks.extension_tasks import InformationSummary, answer_information_task
from tasks.outcome_tasks import tally_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="record-information",
    description="Ghi nhận nội dung đơn vị bổ sung; Hội đồng tiếp tục xét sáng kiến.",
    flow_run_name=run_name("ghi-bo-sung", "form"),
)
@told(lambda r: r.message)
def record_information(
    form: Annotated[AnswerForm, Field(title="Nội dung đơn vị bổ sung")], as_of: ReceivedOn = None
) -> InformationSummary:
    """Record the answer and re-tally (the initiative is no longer waiting)."""
    cycle = find_cycle_task(form.cycle, form.authority)
    result = answer_information_task(
        cycle.id, form, as_of or today(cycle.timezone), run_actor("record-information")
    )
    tally_task(cycle.id)
    return result
