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

from models.cycle import CycleConfig, WorkCalendar, effective_deadlines
from models.tracking.compliance import UnitCompliance

_DAY = timedelta(days=1)


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
    deadline_text: str = ""  # the deadline as shown, with why it moved


def reminder_offset(days_left: int, offsets: tuple[int, ...]) -> int | None:
    """The reminder due with ``days_left`` to go: the smallest offset not below it."""
    due = [offset for offset in offsets if offset >= days_left]
    return min(due) if due and days_left > 0 else None


def escalation_deadline(config: CycleConfig, as_of: date) -> date:
    """The new deadline an escalation gives: the configured date, or a period from today, moved
    to the next working day when it falls on a day off."""
    configured = config.escalation.new_deadline
    given = (
        configured
        if configured and configured > as_of
        else as_of + timedelta(days=config.escalation.extension_days)
    )
    return WorkCalendar.of(config).on_or_after(given) if config.calendar.roll_forward else given


def plan_sweep(rows: list[UnitCompliance], config: CycleConfig, as_of: date) -> list[SweepNotice]:
    """Every notice the sweep of ``as_of`` should make sure is queued."""
    offsets = tuple(sorted(set(config.reminder_offsets_days)))
    escalate_after = config.escalation.days_after_deadline
    calendar = WorkCalendar.of(config)
    covered_until = as_of
    if not config.calendar.send_on_days_off:
        if not calendar.is_working_day(as_of):
            return []
        covered_until = calendar.next_working_day(as_of) - _DAY
    plan: list[SweepNotice] = []
    for row in rows:
        for obligation, state in row.obligations.items():
            # An extended deadline is a new one: its reminders and overdue notice are new too.
            step = f"{obligation}-ext{state.deadline:%Y%m%d}" if state.extended else obligation
            if state.state == "pending":
                # The reminder of the last day this sweep covers: a day off's goes out today.
                offset = reminder_offset((state.deadline - covered_until).days, offsets)
                if offset is not None:
                    plan.append(
                        SweepNotice(
                            row.unit_code,
                            "reminder",
                            obligation,
                            f"{step}-reminder-{offset}",
                            state.deadline,
                            (state.deadline - as_of).days,
                            deadline_text=state.deadline_text,
                        )
                    )
            elif state.state == "overdue":
                plan.append(
                    SweepNotice(
                        row.unit_code,
                        "overdue",
                        obligation,
                        f"{step}-overdue",
                        state.deadline,
                        state.days_late,
                        deadline_text=state.deadline_text,
                    )
                )
                if obligation in config.escalation.obligations and state.days_late >= escalate_after:
                    plan.append(
                        SweepNotice(
                            row.unit_code,
                            "escalation",
                            obligation,
                            f"{step}-escalation",
                            state.deadline,
                            state.days_late,
                            escalation_deadline(config, as_of),
                            state.deadline_text,
                        )
                    )
    return plan


def key_days(config: CycleConfig) -> list[date]:
    """The days of a year on which the sweep has something to do: each reminder day before an
    effective deadline, the day after it and the escalation day, each moved to a working day
    unless notices go out on days off (what a replay needs to visit)."""
    calendar = WorkCalendar.of(config)
    anyday = config.calendar.send_on_days_off
    escalate = timedelta(days=config.escalation.days_after_deadline)
    days: set[date] = set()
    for obligation, effective in effective_deadlines(config).items():
        deadline = effective.effective
        reminders = (deadline - timedelta(days=offset) for offset in config.reminder_offsets_days)
        days.update(day if anyday else calendar.on_or_before(day) for day in reminders)
        after = [deadline + _DAY] + (
            [deadline + escalate] if obligation in config.escalation.obligations else []
        )
        days.update(day if anyday else calendar.on_or_after(day) for day in after)
    return sorted(d for d in days if d >= config.opens_on)
