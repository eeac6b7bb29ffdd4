"""One short cell per obligation in the UI's compliance table: what an officer reads at a glance."""

from __future__ import annotations

from datetime import date

from models.reporting import compact_state
from models.tracking import ObligationState

DEADLINE = date(2024, 9, 4)


def test_each_state_fits_in_a_few_words() -> None:
    """On time with its day, late and overdue with their days, the rest by name."""
    cells = [
        compact_state(ObligationState(state="on_time", done_on=date(2024, 9, 4), deadline=DEADLINE)),
        compact_state(
            ObligationState(state="late", days_late=5, done_on=date(2024, 9, 9), deadline=DEADLINE)
        ),
        compact_state(ObligationState(state="overdue", days_late=22, deadline=DEADLINE)),
        compact_state(ObligationState(state="pending", deadline=DEADLINE)),
        compact_state(ObligationState(state="not_required", deadline=DEADLINE)),
        compact_state(ObligationState(state="overdue", days_late=3, deadline=DEADLINE, extended=True)),
    ]
    assert cells == [
        "đúng hạn 04/9",
        "chậm 05 ngày",
        "quá hạn 22 ngày",
        "chưa đến hạn",
        "không yêu cầu",
        "quá hạn 03 ngày, gia hạn",
    ]
