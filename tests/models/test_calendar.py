"""The statutory calendar: working days, effective deadlines and the reason a deadline moved."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.cycle import CycleConfig, WorkCalendar, effective_deadlines, load_cycle_config
from models.errors import InvalidInput
from tests.conftest import VINH_LINH


def _with(config: CycleConfig, **deadlines: date) -> CycleConfig:
    dates = config.deadlines.dates | deadlines
    return config.model_copy(update={"deadlines": config.deadlines.model_copy(update={"dates": dates})})


def test_the_seed_deadline_in_the_national_day_break_runs_to_4_september(config: CycleConfig) -> None:
    """31/08/2024 was a Saturday inside the 31/08–03/09 break: it ends on Wednesday 04/09."""
    propose = effective_deadlines(config)["propose"]
    assert propose.effective == date(2024, 9, 4)
    assert (
        propose.describe()
        == "31/08/2024 (do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)"
    )
    report = effective_deadlines(config)["report"]
    assert not report.moved
    assert report.describe() == "22/10/2024"


def test_a_deadline_inside_tet_2025_moves_past_it(config: CycleConfig) -> None:
    """Tết Ất Tỵ: 25/01–02/02/2025 off; a deadline of 28/01 ends on Monday 03/02/2025."""
    moved = effective_deadlines(_with(config, propose=date(2025, 1, 28)))["propose"]
    assert moved.effective == date(2025, 2, 3)
    assert moved.reason == "ngày nghỉ Tết Nguyên đán"


def test_the_rule_can_be_switched_off_and_before_x_excludes_x(config: CycleConfig) -> None:
    """roll_forward = false keeps the day; inclusive = false makes the day before the last one."""
    kept = config.model_copy(update={"calendar": config.calendar.model_copy(update={"roll_forward": False})})
    assert effective_deadlines(kept)["propose"].effective == date(2024, 8, 31)
    exclusive = config.model_copy(
        update={"deadlines": config.deadlines.model_copy(update={"inclusive": False})}
    )
    # "Trước ngày 22/10/2024" without 22/10: Monday 21/10 is the last day.
    assert effective_deadlines(exclusive)["report"].effective == date(2024, 10, 21)
    # "Trước ngày 31/08" without 31/08: Friday 30/08 is a working day, nothing moves.
    assert effective_deadlines(exclusive)["propose"].effective == date(2024, 8, 30)


def test_working_days_and_the_configured_adjustments(config: CycleConfig) -> None:
    """Saturday 04/05/2024 was worked (swap for 29/04); Saturday 07/09/2024 was not."""
    calendar = WorkCalendar.of(config)
    assert calendar.is_working_day(date(2024, 5, 4))
    assert not calendar.is_working_day(date(2024, 4, 29))
    assert not calendar.is_working_day(date(2024, 9, 7))
    assert calendar.working_days_between(date(2024, 9, 4), date(2024, 9, 9)) == 3
    extra = config.model_copy(
        update={
            "calendar": config.calendar.model_validate(
                {"days_off": [{"day": date(2024, 10, 22), "reason": "nghỉ bù theo quyết định của tỉnh"}]}
            )
        }
    )
    report = effective_deadlines(extra)["report"]
    assert (
        report.describe() == "22/10/2024 (do trùng ngày nghỉ bù theo quyết định của tỉnh, "
        "thời hạn được tính đến hết ngày 23/10/2024)"
    )


def test_a_day_both_off_and_working_is_refused(tmp_path: Path) -> None:
    """The same day in days_off and working_days: refused, naming the day and the fix."""
    text = VINH_LINH.read_text(encoding="utf-8").replace(
        "days_off = []", 'days_off = [{ day = 2024-05-04, reason = "nghỉ" }]'
    )
    path = tmp_path / "cycle.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match="04/05/2024 vừa là ngày nghỉ vừa là ngày làm việc"):
        load_cycle_config(path)


_DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=_DAYS)
def test_the_effective_deadline_is_a_working_day_never_before_the_configured_one(day: date) -> None:
    """Whatever the configured day, it ends on a working day, on or after it, within a month."""
    calendar = WorkCalendar.of(load_cycle_config(VINH_LINH))
    effective = calendar.effective_deadline(day)
    assert calendar.is_working_day(effective.effective)
    assert day <= effective.effective < day + timedelta(days=31)
    assert effective.moved == (not calendar.is_working_day(day))


@settings(max_examples=300, deadline=None)
@given(day=_DAYS)
def test_a_working_day_deadline_and_the_day_after_it_are_unaffected(day: date) -> None:
    """A deadline on a working day stays, so the day after it is already late; the next working
    day after it stays where it is."""
    calendar = WorkCalendar.of(load_cycle_config(VINH_LINH))
    working = calendar.on_or_after(day)
    assert calendar.effective_deadline(working).effective == working
    assert not calendar.effective_deadline(working).moved
    after = calendar.next_working_day(working)
    assert calendar.effective_deadline(after).effective == after
    assert calendar.working_days_between(working, after) == 1


@settings(max_examples=200, deadline=None)
@given(start=_DAYS, span=st.integers(min_value=-5, max_value=400))
def test_working_days_between_counts_each_working_day_once(start: date, span: int) -> None:
    """The per-year prefix counts agree with walking the days one by one, across year ends."""
    calendar = WorkCalendar.of(load_cycle_config(VINH_LINH))
    end = start + timedelta(days=span)
    walked = sum(calendar.is_working_day(start + timedelta(days=n)) for n in range(1, span + 1))
    assert calendar.working_days_between(start, end) == walked
