"""Tasks of intake: one form, or a whole file; then the receipts for what was stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from models.cycle.tables import Cycle
from models.forms import SubmissionForm
from models.imports import import_file, store_items
from models.intake.checks import IntakeResult
from notifications.mail.outbox import queue_notices
from notifications.notices.drafting import receipts
from tasks.cycle_tasks import sender_domain
from tasks.resources import retried, unit_of_work


class IntakeSummary(BaseModel):
    """What an intake stored (ids for the receipts)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    stored: int
    updated: int
    unchanged: int
    late: int
    stored_ids: tuple[int, ...]


def _summary(result: IntakeResult) -> IntakeSummary:
    return IntakeSummary(
        kind=result.kind,
        stored=result.stored,
        updated=result.updated,
        unchanged=result.unchanged,
        late=result.late,
        stored_ids=result.stored_ids,
    )


@retried("store-form")
def store_form_task(cycle_id: int, form: SubmissionForm, today: date, actor: str) -> IntakeSummary:
    """Check and store one submission from a form (the same rules as a file of one row)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        items = [(1, form.submission())]
        return _summary(store_items(session, cycle, form.kind, items, "form", today=today, actor=actor))


@retried("import-file")
def import_file_task(
    cycle_id: int, path: str, kind: str, today: date, actor: str, replay: bool = False
) -> IntakeSummary:
    """Check and store a whole file, all or nothing."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        return _summary(
            import_file(session, cycle, Path(path), kind, today=today, actor=actor, replay=replay)
        )


@retried("queue-receipts")
def queue_receipts_task(cycle_id: int, kind: str, ids: tuple[int, ...]) -> int:
    """One receipt per unit for the rows just stored (none twice)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        return queue_notices(session, receipts(session, cycle, kind, list(ids)), sender_domain())
