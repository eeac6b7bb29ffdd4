"""Flow ``request-information``: the council asks a unit for more information on an initiative."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import InformationForm, ReceivedOn
from tasks.cycle_tasks import find_cycle_task
from tasks.extension_tasks import InformationSummary, ask_information_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="request-information",
    description="Hội đồng đề nghị đơn vị bổ sung thông tin về một sáng kiến; việc xét chờ đơn vị trả lời.",
    flow_run_name=run_name("de-nghi-bo-sung", "form"),
)
@told(lambda r: r.message)
def request_information(
    form: Annotated[InformationForm, Field(title="Đề nghị bổ sung thông tin")], as_of: ReceivedOn = None
) -> InformationSummary:
    """Record the request (the initiative's review waits for the answer) and tell the unit."""
    cycle = find_cycle_task(form.cycle, form.authority)
    result = ask_information_task(
        cycle.id, form, as_of or today(cycle.timezone), run_actor("request-information")
    )
    deliver_task(cycle.id)
    return result
