"""The steps every single-submission flow shares: store the form, queue its receipt, deliver."""

from __future__ import annotations

from datetime import date

from models.forms import InitiativeForm, ReplicationForm, ReportForm
from tasks.cycle_tasks import find_cycle_task
from tasks.intake_tasks import IntakeSummary, queue_receipts_task, store_form_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today


def submit(
    flow_name: str, kind: str, form: InitiativeForm | ReportForm | ReplicationForm, as_of: date | None
) -> IntakeSummary:
    """Store one submission received on ``as_of`` (default today) and acknowledge it."""
    cycle = find_cycle_task(form.cycle)
    received = as_of or today(cycle.timezone)
    result = store_form_task(cycle.id, form, received, run_actor(flow_name))
    if result.stored_ids:
        queue_receipts_task(cycle.id, kind, result.stored_ids)
        deliver_task(cycle.id)
    return result
