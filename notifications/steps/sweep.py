"""Step ``sweep``: a day's reminders, overdue notices and escalations, with the escalation letter.

Compliance is computed once and the notices are rendered once. The units escalated for the first
time that day are known before anything is rendered (from the notices' dedupe keys), so the
letter is written first, for exactly them, and goes with their escalations; a second sweep of
the same day finds them queued and writes nothing.

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


def _newly_escalated(session: Session, cycle: Cycle, plan: list[SweepNotice]) -> list[str]:
    escalations = [p for p in plan if p.kind == "escalation"]
    if not escalations:
        return []
    ids = {code: unit.unit_id for code, unit in roster(session, cycle.id).items()}
    keys = {p.unit_code: sweep_key(cycle.id, ids[p.unit_code], p) for p in escalations}
    seen = queued_keys(session, keys.values())
    return sorted(code for code, key in keys.items() if key not in seen)


def sweep_step(session: Session, cycle: Cycle, as_of: date, ctx: StepContext) -> Swept:
    """Queue what compliance at ``as_of`` calls for (each notice once, ever)."""
    rows = compute_compliance(session, cycle, as_of)
    plan = plan_sweep(rows, cycle.configuration, as_of)
    fresh = _newly_escalated(session, cycle, plan)
    if fresh:
        lock_series(session, cycle, cycle.configuration.numbering.letter_suffix, as_of.year)
        fresh = _newly_escalated(session, cycle, plan)
    letter = (
        escalation_enclosure(session, cycle, as_of, ctx.folder(cycle.year), fresh, compliance=rows)
        if fresh
        else None
    )
    queued = queue_notices(session, sweep_drafts(session, cycle, plan, as_of, letter), ctx.domain)
    return Swept(as_of, rows, dict(Counter(p.kind for p in plan)), queued, tuple(fresh), letter)
