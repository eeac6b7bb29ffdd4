"""Compliance at a date: each state, replayed days, and a fixed number of queries at any size."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from deployments.synthetic import SyntheticShape, generate
from models.cycle import Cycle, days_late
from models.imports import import_file, open_cycle_from_file
from models.reporting import deadline_lines
from models.tracking import UnitCompliance, compute_compliance
from tests.builders import counting_queries
from tests.conftest import TODAY, VINH_LINH_DATA


def _import_bundled(session: Session, cycle: Cycle) -> None:
    for kind in ("initiatives", "reports", "replication"):
        import_file(session, cycle, VINH_LINH_DATA / f"{kind}.csv", kind, today=TODAY, actor="test")


def _by_code(rows: list[UnitCompliance]) -> dict[str, UnitCompliance]:
    return {r.unit_code: r for r in rows}


def test_states_on_the_bundled_year(session: Session, cycle: Cycle) -> None:
    """On 09/09/2024: on time, late by days, overdue, and replication only for Office and communes.

    The 31/08/2024 deadline fell in the National Day break and ran to Wednesday 04/09/2024: a
    proposal of 04/09 is on time, one of 09/09 is 5 calendar days and 3 working days late.
    """
    _import_bundled(session, cycle)
    rows = _by_code(compute_compliance(session, cycle, date(2024, 9, 9)))
    assert len(rows) == 34
    assert rows["VL-NV"]["propose"].state == "on_time"
    assert rows["19402"]["propose"].model_dump(include={"state", "days_late", "done_on", "deadline"}) == {
        "state": "on_time",
        "days_late": 0,
        "done_on": date(2024, 9, 4),
        "deadline": date(2024, 9, 4),
    }
    assert (
        rows["19402"]["propose"].deadline_text
        == "31/08/2024 (do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)"
    )
    late = rows["19426"]["propose"]
    assert (late.state, late.days_late, late.working_days_late) == ("late", 5, 3)
    overdue = rows["VL-TTR"]["propose"]
    assert (overdue.state, overdue.days_late, overdue.working_days_late) == ("overdue", 5, 3)
    assert rows["VL-YT"]["propose"].state == "overdue"  # it proposes on 17/09, after this day
    assert rows["VL-NV"]["report"].state == "pending"
    assert rows["VL-NV"]["replication"].state == "not_required"
    assert rows["VL-VP"]["replication"].state == "pending"
    assert rows["19363"]["replication"].state == "pending"


def test_after_the_report_deadline(session: Session, cycle: Cycle) -> None:
    """On 30/11/2024: late reports carry their days; partial replication is still overdue."""
    _import_bundled(session, cycle)
    rows = _by_code(compute_compliance(session, cycle, date(2024, 11, 30)))
    assert (rows["VL-KTHT"]["report"].state, rows["VL-KTHT"]["report"].days_late) == ("late", 3)
    assert rows["19369"]["report"].state == "overdue"
    assert rows["19387"]["replication"].state == "overdue"  # reported 3 of the 5 replicated initiatives
    assert (rows["19369"]["replication"].state, rows["19369"]["replication"].days_late) == ("late", 6)
    assert rows["19378"]["replication"].state == "overdue"
    states = [r["propose"].state for r in rows.values()]
    # 19402 proposed on 04/09/2024, the effective deadline: on time, not late.
    assert (states.count("on_time"), states.count("late"), states.count("overdue")) == (25, 5, 4)


def test_a_day_before_anything_was_sent_everything_is_pending(session: Session, cycle: Cycle) -> None:
    """Replaying a day in the past ignores submissions made after it."""
    _import_bundled(session, cycle)
    rows = compute_compliance(session, cycle, date(2024, 2, 1))
    assert {r["propose"].state for r in rows} == {"pending"}
    assert {r["report"].state for r in rows} == {"pending"}


def test_exclusive_deadline_makes_the_deadline_day_late(session: Session, cycle: Cycle) -> None:
    """'Before 31/08' read strictly: a proposal on 31/08 is one day late."""
    cycle.deadline_inclusive = False
    session.flush()
    _import_bundled(session, cycle)
    rows = _by_code(compute_compliance(session, cycle, date(2024, 9, 9)))
    assert (rows["19402"]["propose"].state, rows["19402"]["propose"].days_late) == ("late", 5)
    assert rows["VL-TNMT"]["propose"].state == "on_time"  # sent 30/08


def test_query_count_does_not_grow_with_the_roster(session: Session, engine: Engine, tmp_path: Path) -> None:
    """34 units or 400 units: the same handful of queries (set-based, not per unit)."""
    counts = []
    for year, units in ((2031, 34), (2032, 400)):
        config = generate(tmp_path / str(units), SyntheticShape(units=units, year=year))
        cycle, _created, _result = open_cycle_from_file(session, config, actor="test")
        for kind in ("initiatives", "reports", "replication"):
            path = config.parent / f"{kind}.csv"
            import_file(session, cycle, path, kind, today=date(year, 12, 31), actor="test")
        session.flush()
        with counting_queries(engine) as statements:
            rows = compute_compliance(session, cycle, date(year, 11, 1))
        assert len(rows) == units
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 6


@settings(max_examples=200, deadline=None)
@given(
    deadline=st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)),
    shift=st.integers(min_value=-60, max_value=60),
    inclusive=st.booleans(),
)
def test_days_late_counts_calendar_days_past_the_last_good_day(
    deadline: date, shift: int, inclusive: bool
) -> None:
    """Never negative; zero up to the deadline (or the day before when exclusive); one per day after."""
    submitted = deadline + timedelta(days=shift)
    late = days_late(submitted, deadline, inclusive=inclusive)
    expected = max(0, shift if inclusive else shift + 1)
    assert late == expected


def test_deadline_lines_say_where_each_deadline_ends_and_why(session: Session, cycle: Cycle) -> None:
    """What the status table and the compliance artifact print under the table."""
    assert deadline_lines(cycle) == [
        (
            "Hạn đề xuất sáng kiến: 31/08/2024 "
            "(do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)"
        ),
        "Hạn báo cáo kết quả: 22/10/2024",
        "Hạn báo cáo nhân rộng: 22/10/2024",
    ]
