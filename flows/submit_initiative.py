"""Flow ``submit-initiative``: an officer enters one unit's initiative in the Prefect UI form."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from flows.submission import submit
from models.forms import InitiativeForm, ReceivedOn
from tasks.intake_tasks import IntakeSummary
from tasks.runs import run_name, told


@flow(
    name="submit-initiative",
    description="Nhận một đề xuất sáng kiến của đơn vị và gửi thư xác nhận.",
    flow_run_name=run_name("nhan-sang-kien", "form"),
)
@told(lambda r: r.message)
def submit_initiative(
    form: Annotated[InitiativeForm, Field(title="Đề xuất sáng kiến")], as_of: ReceivedOn = None
) -> IntakeSummary:
    """Store the initiative (refused if invalid or a duplicate) and send the unit a receipt."""
    return submit("submit-initiative", form, as_of)
