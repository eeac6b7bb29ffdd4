"""The deadline sweep's plan: which unit gets which reminder, overdue notice or escalation today.

A pure function over the compliance of every unit at ``as_of``. Each notice has a milestone
(obligation and step), so the outbox's dedupe key makes a re-run of the same day, or a run every
day of the year, send each notice once. A missed day is caught up: the reminder due is the one of
the smallest offset not below the days left, so a sweep that starts five days before a deadline
sends the 7-day reminder, not the 14-day one, and never both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from models.compliance import OBLIGATIONS, ObligationState, UnitCompliance
from models.config import CycleConfig


@dataclass(frozen=True, slots=True)
class SweepNotice:
    """One notice the sweep wants queued."""

    unit_code: str
    kind: str  # reminder, overdue, escalation
    obligation: str
    milestone: str
    deadline: date
    days: int  # days left (reminder) or days overdue (overdue, escalation)
    new_deadline: date | None = None


def reminder_offset(days_left: int, offsets: tuple[int, ...]) -> int | None:
    """The reminder due with ``days_left`` to go: the smallest offset not below it."""
    due = [offset for offset in offsets if offset >= days_left]
    return min(due) if due and days_left > 0 else None


def escalation_deadline(config: CycleConfig, deadline: date, as_of: date) -> date:
    """The new deadline an escalation gives: the configured date, or a period from today."""
    configured = config.escalation.new_deadline
    if configured and configured > as_of:
        return configured
    return as_of + timedelta(days=config.escalation.extension_days)


def plan_sweep(rows: list[UnitCompliance], config: CycleConfig, as_of: date) -> list[SweepNotice]:
    """Every notice the sweep of ``as_of`` should make sure is queued."""
    offsets = tuple(sorted(set(config.reminder_offsets_days)))
    escalate_after = config.escalation.days_after_deadline
    plan: list[SweepNotice] = []
    for row in rows:
        for obligation in OBLIGATIONS:
            state: ObligationState = getattr(row, obligation)
            if state.state == "pending":
                days_left = (state.deadline - as_of).days
                offset = reminder_offset(days_left, offsets)
                if offset is not None:
                    plan.append(
                        SweepNotice(
                            row.unit_code,
                            "reminder",
                            obligation,
                            f"{obligation}-reminder-{offset}",
                            state.deadline,
                            days_left,
                        )
                    )
            elif state.state == "overdue":
                plan.append(
                    SweepNotice(
                        row.unit_code,
                        "overdue",
                        obligation,
                        f"{obligation}-overdue",
                        state.deadline,
                        state.days_late,
                    )
                )
                if obligation in config.escalation.obligations and state.days_late >= escalate_after:
                    plan.append(
                        SweepNotice(
                            row.unit_code,
                            "escalation",
                            obligation,
                            f"{obligation}-escalation",
                            state.deadline,
                            state.days_late,
                            escalation_deadline(config, state.deadline, as_of),
                        )
                    )
    return plan


def key_days(config: CycleConfig) -> list[date]:
    """The days of a year on which the sweep has something to do: each reminder offset before a
    deadline, the day after it, and the escalation day (what a replay needs to visit)."""
    days: set[date] = set()
    escalate = timedelta(days=config.escalation.days_after_deadline)
    deadlines = {
        "propose": config.deadlines.propose,
        "report": config.deadlines.report,
        "replication": config.deadlines.replication,
    }
    for obligation, deadline in deadlines.items():
        days.update(deadline - timedelta(days=offset) for offset in config.reminder_offsets_days)
        days.add(deadline + timedelta(days=1))
        if obligation in config.escalation.obligations:
            days.add(deadline + escalate)
    return sorted(d for d in days if d >= config.opens_on)
