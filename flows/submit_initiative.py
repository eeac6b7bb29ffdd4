"""Flow ``submit-initiative``: an officer enters one unit's initiative in the Prefect UI form."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.submission import submit
from models.forms import InitiativeForm
from tasks.intake_tasks import IntakeSummary
from tasks.runs import run_name, told


@flow(
    name="submit-initiative",
    description="Nhận một đề xuất sáng kiến của đơn vị và gửi thư xác nhận.",
    flow_run_name=run_name("nhan-sang-kien", "form"),
)
@told(lambda r: r.message)
def submit_initiative(form: InitiativeForm, as_of: date | None = None) -> IntakeSummary:
    """Store the initiative (refused if invalid or a duplicate) and send the unit a receipt."""
    return submit("submit-initiative", form, as_of)
