"""Step ``sweep``: a day's reminders, overdue notices and escalations, with the escalation letter.

Compliance is computed once, and only the notices not queued before are rendered, once: what is
new is known before anything is rendered (from the notices' dedupe keys), so the day's work
follows the units whose state moved, and the letter is written first, for exactly the units
escalated for the first time that day, and goes with their escalations; a second sweep of the
same day finds everything queued and renders nothing.

Sweeps of other days may run at once (a burst queued on several workers). One that has units to
escalate first locks the letters' number series, then asks again who is new: a sweep it waited
for may have escalated them already, and then it writes no letter (no number is wasted on a
letter nobody gets).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cycle import Cycle, lock_series, roster
from models.tracking import SweepNotice, UnitCompliance, compute_compliance, plan_sweep
from notifications.documents.render import Enclosure, escalation_enclosure
from notifications.mail.outbox import queue_notices, queued_keys
from notifications.notices.sweep import sweep_drafts, sweep_key
from notifications.steps.context import StepContext


@dataclass(frozen=True, slots=True)
class Swept:
    """What a day's sweep found and did."""

    as_of: date
    compliance: list[UnitCompliance]
    planned: dict[str, int]  # notices the day calls for, by kind (queued before or now)
    queued: int  # newly queued
    escalated: tuple[str, ...]  # units escalated for the first time this day (codes)
    letter: Enclosure | None  # the escalation letter written for them


def _not_queued(session: Session, cycle: Cycle, plan: list[SweepNotice]) -> list[SweepNotice]:
    """The planned notices not in the outbox yet: only they are rendered (an overdue unit is
    planned its overdue notice on every later sweep, and a second sweep of a day plans it all)."""
    if not plan:
        return []
    ids = {code: unit.unit_id for code, unit in roster(session, cycle.id).items()}
    keys = [sweep_key(cycle.id, ids[p.unit_code], p) for p in plan]
    seen = queued_keys(session, keys)
    return [p for p, key in zip(plan, keys, strict=True) if key not in seen]


def sweep_step(session: Session, cycle: Cycle, as_of: date, ctx: StepContext) -> Swept:
    """Queue what compliance at ``as_of`` calls for (each notice once, ever)."""
    rows = compute_compliance(session, cycle, as_of)
    plan = plan_sweep(rows, cycle.configuration, as_of)
    new = _not_queued(session, cycle, plan)
    if any(p.kind == "escalation" for p in new):
        lock_series(session, cycle, cycle.configuration.numbering.letter_suffix, as_of.year)
        new = _not_queued(session, cycle, plan)  # a sweep waited for may have escalated them
    fresh = sorted({p.unit_code for p in new if p.kind == "escalation"})
    letter = (
        escalation_enclosure(session, cycle, as_of, ctx.folder(cycle.year), fresh, compliance=rows)
        if fresh
        else None
    )
    queued = queue_notices(session, sweep_drafts(session, cycle, new, as_of, letter), ctx.domain)
    return Swept(as_of, rows, dict(Counter(p.kind for p in plan)), queued, tuple(fresh), letter)
