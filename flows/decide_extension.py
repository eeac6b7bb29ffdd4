"""Flow ``decide-extension``: an officer approves or refuses a request for more time in the UI."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import DecisionForm, ReceivedOn
from tasks.cycle_tasks import find_cycle_task
from tasks.extension_tasks import ExtensionSummary, decide_extension_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="decide-extension",
    description="Quyết định đơn xin gia hạn và gửi thư báo cho đơn vị.",
    flow_run_name=run_name("quyet-dinh-gia-han", "form"),
)
@told(lambda r: r.message)
def decide_extension(
    form: Annotated[DecisionForm, Field(title="Quyết định về đơn xin gia hạn")], as_of: ReceivedOn = None
) -> ExtensionSummary:
    """Record the decision (the unit's deadline moves when approved) and mail it to the unit."""
    cycle = find_cycle_task(form.cycle, form.authority)
    result = decide_extension_task(
        cycle.id, form, as_of or today(cycle.timezone), run_actor("decide-extension")
    )
    deliver_task(cycle.id)
    return result
