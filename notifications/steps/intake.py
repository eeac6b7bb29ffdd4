"""Step ``intake``: store a file or a form's rows of any import kind, and acknowledge them.

All or nothing, as ``models.imports`` stores them; then one receipt per unit for what was newly
stored (a submission kind's receipt; the roster and score sheets have none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.imports import import_file, store_items
from models.intake import IntakeResult
from notifications.mail.outbox import queue_notices
from notifications.notices.drafting import receipts
from notifications.steps.context import StepContext


@dataclass(frozen=True, slots=True)
class Intake:
    """What an intake stored and how many receipts it queued."""

    result: IntakeResult
    receipts: int


def _acknowledge(session: Session, cycle: Cycle, result: IntakeResult, ctx: StepContext) -> Intake:
    drafts = receipts(session, cycle, result.kind, result.stored_ids)
    return Intake(result, queue_notices(session, drafts, ctx.domain) if drafts else 0)


def intake_file(
    session: Session,
    cycle: Cycle,
    path: Path,
    kind: str,
    today: date,
    ctx: StepContext,
    *,
    replay: bool = False,
    after: date | None = None,
) -> Intake:
    """Import the file ``path`` of ``kind`` received ``today`` (``replay``: only rows dated by then,
    and after ``after``)."""
    result = import_file(session, cycle, path, kind, today=today, actor=ctx.actor, replay=replay, after=after)
    return _acknowledge(session, cycle, result, ctx)


def intake_rows(
    session: Session,
    cycle: Cycle,
    kind: str,
    items: list[tuple[int, BaseModel]],
    source: str,
    today: date,
    ctx: StepContext,
) -> Intake:
    """Store rows already parsed (a form is a file of one row named ``source``)."""
    result = store_items(session, cycle, kind, items, source, today=today, actor=ctx.actor)
    return _acknowledge(session, cycle, result, ctx)
