"""The steps every single-submission flow shares: store the form with its receipt, deliver."""

from __future__ import annotations

from datetime import date

from models.forms import SubmissionForm
from tasks.cycle_tasks import find_cycle_task
from tasks.intake_tasks import IntakeSummary, store_form_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today


def submit(flow_name: str, form: SubmissionForm, as_of: date | None) -> IntakeSummary:
    """Store one submission received on ``as_of`` (default today) and acknowledge it."""
    cycle = find_cycle_task(form.cycle, form.authority)
    result = store_form_task(cycle.id, form, as_of or today(cycle.timezone), run_actor(flow_name))
    if result.receipts:
        deliver_task(cycle.id)
    return result
