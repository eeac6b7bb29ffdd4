"""Notices of extension requests: the receipt of a request and the decision, one each per request.

The milestone names the request (``extension-<id>-receipt``, ``extension-<id>-decision``), so the
outbox's dedupe key makes a re-run of any flow or command send each of them once.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleDeadlines, ExtensionRequest, Unit
from models.intake import OBLIGATIONS
from notifications.mail.outbox import NoticeDraft
from notifications.notices.drafting import base_context, draft
from notifications.notices.kinds import NoticeKind


def extension_notices(session: Session, cycle: Cycle, kind: str, ids: Sequence[int]) -> list[NoticeDraft]:
    """The ``extension_receipt`` or ``extension_decision`` of each request of ``ids``."""
    if not ids:
        return []
    rows = session.execute(
        select(ExtensionRequest, Unit)
        .join(Unit, Unit.id == ExtensionRequest.unit_id)
        .where(ExtensionRequest.cycle_id == cycle.id, ExtensionRequest.id.in_(ids))
        .order_by(ExtensionRequest.id)
    ).tuples()
    context = base_context(cycle)
    deadlines = CycleDeadlines.load(session, cycle)
    drafts = []
    for request, unit in rows:
        if kind == NoticeKind.EXTENSION_DECISION and request.status == "pending":
            continue
        ob = OBLIGATIONS[request.obligation]
        facts = {
            "obligation": ob.labels.notice,
            "obligation_long": ob.long(cycle.year),
            "requested_on": request.requested_on,
            "requested_until": request.requested_until,
            "reason": request.reason,
            "deadline_text": deadlines.for_unit(unit.id, request.obligation).text,
            "approved": request.status == "approved",
            "decided_until": request.decided_until,
            "decision_reason": request.decision_reason,
        }
        step = "receipt" if kind == NoticeKind.EXTENSION_RECEIPT else "decision"
        drafts.append(
            draft(
                cycle,
                kind,
                f"extension-{request.id}-{step}",
                unit.email,
                unit.name,
                {**context, **facts},
                unit_id=unit.id,
            )
        )
    return drafts
