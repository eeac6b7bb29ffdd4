"""The deadline sweep over a whole year: each reminder, overdue notice and escalation once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleConfig, Unit, WorkCalendar
from models.db import Notice
from models.imports import import_file
from models.tracking import compute_compliance, key_days, plan_sweep, reminder_offset
from notifications.mail.outbox import queue_notices
from notifications.notices.sweep import sweep_drafts
from tests.conftest import TODAY, VINH_LINH_DATA


def _sweep(session: Session, cycle: Cycle, config: CycleConfig, day: date) -> int:
    plan = plan_sweep(compute_compliance(session, cycle, day), config, day)
    return queue_notices(session, sweep_drafts(session, cycle, plan, day), "test.example")


def _milestones(session: Session, code: str) -> list[str]:
    return sorted(
        session.scalars(
            select(Notice.milestone).join(Unit, Unit.id == Notice.unit_id).where(Unit.code == code)
        )
    )


def test_every_day_of_the_year_sends_each_notice_once(
    session: Session, cycle: Cycle, config: CycleConfig
) -> None:
    """365 daily sweeps, then the same year again: the second pass queues nothing, and no day off
    (weekend, holiday) queues anything."""
    for kind in ("initiatives", "reports", "replication"):
        import_file(session, cycle, VINH_LINH_DATA / f"{kind}.csv", kind, today=TODAY, actor="test")
    days = [
        config.opens_on + timedelta(days=n) for n in range((date(2024, 12, 31) - config.opens_on).days + 1)
    ]
    queued = {day: _sweep(session, cycle, config, day) for day in days}
    first = sum(queued.values())
    second = sum(_sweep(session, cycle, config, day) for day in days)
    assert first > 0
    assert second == 0
    calendar = WorkCalendar.of(config)
    days_off = [day for day in days if not calendar.is_working_day(day)]
    assert len(days_off) > 100
    assert {day: queued[day] for day in days_off if queued[day]} == {}
    # The 1-day reminder of the 04/09 deadline (its day, 03/09, is a holiday) went out on Friday 30/08.
    assert queued[date(2024, 8, 30)] > 0
    keys = list(session.scalars(select(Notice.dedupe_key)))
    assert len(keys) == len(set(keys)) == first
    # A unit that never proposes: three reminders (the 3-day one's day, 01/09, and the 1-day one's,
    # 03/09, are both off: the nearest, 1-day, goes out on 30/08), the overdue notice, an escalation.
    assert [m for m in _milestones(session, "VL-TTR") if m.startswith("propose")] == [
        "propose-escalation",
        "propose-overdue",
        "propose-reminder-1",
        "propose-reminder-14",
        "propose-reminder-7",
    ]
    # A unit that proposed in spring hears nothing about proposing.
    assert not [m for m in _milestones(session, "VL-NV") if m.startswith("propose")]
    # 19402 proposed on 04/09, the effective deadline: reminded, never told it was overdue.
    assert [m for m in _milestones(session, "19402") if m.startswith("propose")] == [
        "propose-reminder-1",
        "propose-reminder-14",
        "propose-reminder-7",
    ]
    kinds = Counter(session.scalars(select(Notice.kind)))
    assert set(kinds) == {"reminder", "overdue", "escalation"}
    # Still without a proposal on 04/10: the four that never send one, VL-TTDVNN (15/10), 19420 (21/10).
    assert kinds["escalation"] == 6


def test_a_missed_day_is_caught_up_with_the_nearest_reminder_only() -> None:
    """Five days before a deadline the 7-day reminder is due; the 14-day one is not sent late."""
    offsets = (1, 3, 7, 14)
    assert reminder_offset(5, offsets) == 7
    assert reminder_offset(14, offsets) == 14
    assert reminder_offset(15, offsets) is None
    assert reminder_offset(0, offsets) is None
    assert reminder_offset(1, offsets) == 1


def test_key_days_cover_the_reminders_the_day_after_and_the_escalation(config: CycleConfig) -> None:
    """What a replay visits, counted from the effective deadline 04/09/2024 and moved to working
    days: 21/08 (14 days before), 30/08 (for 01/09 and 03/09, days off), 05/09 (the day after),
    04/10 (escalation), 23/10."""
    days = key_days(config)
    assert {
        date(2024, 8, 21),
        date(2024, 8, 28),
        date(2024, 8, 30),
        date(2024, 9, 5),
        date(2024, 10, 4),
        date(2024, 10, 23),
    } <= set(days)
    calendar = WorkCalendar.of(config)
    assert all(calendar.is_working_day(day) for day in days)
    assert days == sorted(days)


def test_one_rendering_serves_many_units_with_each_name_in_place(
    session: Session, cycle: Cycle, config: CycleConfig
) -> None:
    """Reminders rendered once per group still greet each unit by its own name, escaped in HTML."""
    unit = session.scalars(select(Unit).where(Unit.code == "19423")).one()
    unit.name = "UBND xã Vĩnh Giang & <Thử>"
    session.flush()
    assert _sweep(session, cycle, config, date(2024, 8, 28)) == 34  # a Wednesday, 7 days before 04/09
    notices = {n.unit_id: n for n in session.scalars(select(Notice))}
    mine = notices[unit.id]
    assert mine.body_text.startswith("Kính gửi: UBND xã Vĩnh Giang & <Thử>\n")
    assert "UBND xã Vĩnh Giang &amp; &lt;Thử&gt;" in mine.body_html
    assert "<Thử>" not in mine.body_html
    assert mine.recipient_name == "UBND xã Vĩnh Giang & <Thử>"
    others = [n for uid, n in notices.items() if uid != unit.id]
    assert all("Vĩnh Giang" not in n.body_text for n in others)
    assert all("⟪" not in n.body_text + n.body_html + n.subject for n in notices.values())
