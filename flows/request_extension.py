"""Flow ``request-extension``: an officer enters a unit's request for more time in the UI form."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import ExtensionForm, ReceivedOn
from tasks.cycle_tasks import find_cycle_task
from tasks.extension_tasks import ExtensionSummary, request_extension_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="request-extension",
    description="Nhận đơn xin gia hạn của một đơn vị và gửi thư xác nhận.",
    flow_run_name=run_name("don-gia-han", "form"),
)
@told(lambda r: r.message)
def request_extension(
    form: Annotated[ExtensionForm, Field(title="Đơn xin gia hạn")], as_of: ReceivedOn = None
) -> ExtensionSummary:
    """Store the request (refused if invalid, late or another is pending) and send its receipt."""
    cycle = find_cycle_task(form.cycle, form.authority)
    result = request_extension_task(
        cycle.id, form, as_of or today(cycle.timezone), run_actor("request-extension")
    )
    deliver_task(cycle.id)
    return result
