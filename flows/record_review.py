"""Flow ``record-review``: a council member fills one score sheet in the Prefect UI form."""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import ReviewForm
from tasks.cycle_tasks import find_cycle_task
from tasks.intake_tasks import IntakeSummary, store_form_task
from tasks.outcome_tasks import tally_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="record-review",
    description="Ghi phiếu chấm điểm một sáng kiến của thành viên Hội đồng.",
    flow_run_name=run_name("phieu-cham", "form"),
)
@told(lambda r: r.message)
def record_review(form: Annotated[ReviewForm, Field(title="Phiếu chấm điểm")]) -> IntakeSummary:
    """Store the sheet (a new one replaces the member's old one, audited) and re-tally."""
    ref = find_cycle_task(form.cycle, form.authority)
    result = store_form_task(ref.id, form, today(ref.timezone), run_actor("record-review"))
    tally_task(ref.id)
    return result
