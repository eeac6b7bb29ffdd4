"""Step ``extension``: a unit's request for more time, and the officer's decision, each told to
the unit once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.tracking import DecisionIn, ExtensionIn, decide_extension, request_extensions
from notifications.mail.outbox import queue_notices
from notifications.notices.extension import extension_notices
from notifications.notices.kinds import NoticeKind
from notifications.steps.context import StepContext


@dataclass(frozen=True, slots=True)
class Extended:
    """The requests stored (new) or recognised (again), or the request decided, and the mail."""

    new: tuple[int, ...]
    again: tuple[int, ...]
    status: str  # pending, approved, refused
    changed: bool
    notices: int


def request_step(
    session: Session,
    cycle: Cycle,
    items: Sequence[tuple[int, ExtensionIn]],
    source: str,
    today: date,
    ctx: StepContext,
) -> Extended:
    """Store the requests (all or nothing) and queue the receipt of each."""
    new, again = request_extensions(session, cycle, items, source, today, ctx.actor)
    drafts = extension_notices(session, cycle, NoticeKind.EXTENSION_RECEIPT, new + again)
    notices = queue_notices(session, drafts, ctx.domain)
    return Extended(tuple(new), tuple(again), "pending", bool(new), notices)


def decide_step(session: Session, cycle: Cycle, item: DecisionIn, today: date, ctx: StepContext) -> Extended:
    """Record the decision (the unit's deadline moves when approved) and queue its notice."""
    request, changed = decide_extension(session, cycle, item, today, ctx.actor)
    drafts = extension_notices(session, cycle, NoticeKind.EXTENSION_DECISION, [request.id])
    notices = queue_notices(session, drafts, ctx.domain)
    return Extended((), (request.id,), request.status, changed, notices)
