"""Drafts for the deadline sweep: reminders, overdue notices and escalations, one per unit."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from models.cycle import Cycle, cycle_units
from models.intake import OBLIGATIONS
from models.tracking import SweepNotice
from notifications.mail.outbox import NoticeDraft, dedupe_key
from notifications.notices.drafting import Recipient, base_context, draft_many, outline_spec
from notifications.notices.kinds import NoticeKind

if TYPE_CHECKING:
    from notifications.documents.render import Enclosure

# The plan's kinds (``models.tracking.sweep``) are these notices.
SWEEP_KINDS = {
    "reminder": NoticeKind.REMINDER,
    "overdue": NoticeKind.OVERDUE,
    "escalation": NoticeKind.ESCALATION,
}


def sweep_drafts(
    session: Session, cycle: Cycle, plan: list[SweepNotice], as_of: date, letter: Enclosure | None = None
) -> list[NoticeDraft]:
    """Render every planned notice (units are loaded once for the whole plan); escalations carry
    the escalation ``letter`` when one was written."""
    if not plan:
        return []
    units = cycle_units(session, cycle.id)
    config = cycle.configuration
    context = base_context(cycle)
    groups: dict[tuple[object, ...], list[Recipient]] = defaultdict(list)
    for item in plan:
        unit = units[item.unit_code]
        key = (
            SWEEP_KINDS[item.kind],
            item.milestone,
            item.obligation,
            item.deadline,
            item.days,
            item.new_deadline,
            unit.kind == "commune",
            item.deadline_text,
            unit.kind if OBLIGATIONS["replication"].owed(unit.kind, config) else "",  # its outline's
        )
        groups[key].append(Recipient(unit.name, unit.email, unit_id=unit.id))
    drafts = []
    for group, recipients in groups.items():
        kind, milestone, obligation, deadline, days, new_deadline, is_commune, deadline_text, replicates = (
            group
        )
        enclosed = letter is not None and kind == NoticeKind.ESCALATION
        ob = OBLIGATIONS[str(obligation)]
        facts = {
            "obligation": ob.labels.notice,
            "obligation_long": ob.long(cycle.year),
            "deadline": deadline,
            "deadline_text": deadline_text or f"{deadline:%d/%m/%Y}",
            "as_of": as_of,
            "days_left": days,
            "days_overdue": days,
            "new_deadline": new_deadline,
            "is_commune": is_commune,
            "document": letter.label if letter is not None and enclosed else None,
            "outline": enclosed,
        }
        # The escalation carries the letter and the outline the units are to report by.
        attachments = (
            [letter.attachment, outline_spec(cycle, bool(replicates), str(replicates))]
            if letter is not None and enclosed
            else None
        )
        drafts.extend(
            draft_many(cycle, str(kind), str(milestone), {**context, **facts}, recipients, attachments)
        )
    return drafts


def sweep_key(cycle_id: int, unit_id: int, item: SweepNotice) -> str:
    """The dedupe key the notice of ``item`` will have (before it is rendered)."""
    return dedupe_key(cycle_id, SWEEP_KINDS[item.kind], item.milestone, unit_id=unit_id)
