"""Step ``open``: open (or refresh) a cycle from its file, load its roster, queue the call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.imports import open_cycle_from_file
from models.intake import IntakeResult
from notifications.mail.outbox import queue_notices
from notifications.notices.drafting import call_for_proposals
from notifications.steps.context import StepContext


@dataclass(frozen=True, slots=True)
class Opened:
    """What opening did."""

    cycle: Cycle
    created: bool
    roster: IntakeResult
    calls: int  # calls for proposals newly queued


def open_step(session: Session, config_path: Path, ctx: StepContext) -> Opened:
    """Open the cycle of ``config_path`` and queue the call for proposals to every unit (each unit
    is called once, ever: opening again queues nothing new)."""
    cycle, created, roster = open_cycle_from_file(session, config_path, actor=ctx.actor)
    calls = queue_notices(session, call_for_proposals(session, cycle), ctx.domain)
    return Opened(cycle, created, roster, calls)
