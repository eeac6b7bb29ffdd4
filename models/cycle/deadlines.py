"""Each unit's deadlines at a date: the effective deadline of the cycle, moved by the unit's own
approved extension, and how late a day is past it in calendar and in working days.

Built once per cycle and date (the calendar in Python, the approved extensions in one query), then
asked per unit in memory: compliance, intake, receipts and scores read deadlines only from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle.calendar import EffectiveDeadline, WorkCalendar
from models.cycle.tables import Cycle, ExtensionRequest


@dataclass(frozen=True, slots=True)
class Lateness:
    """Days past the last good day, counted both ways (0 when on time)."""

    calendar: int = 0
    working: int = 0


@dataclass(frozen=True, slots=True)
class UnitDeadline:
    """One unit's deadline for one obligation."""

    deadline: date  # the last day still on time
    text: str  # as every place that shows it writes it, with the reason it moved
    extended: bool = False


class CycleDeadlines:
    """The deadlines of every unit of a cycle at a date."""

    def __init__(self, cycle: Cycle, extensions: dict[tuple[int, str], date]) -> None:
        config = cycle.configuration
        self.calendar = WorkCalendar.of(config)
        self.cycle_deadlines: dict[str, EffectiveDeadline] = {
            name: self.calendar.period_end(
                configured, inclusive=cycle.deadline_inclusive, roll_forward=config.calendar.roll_forward
            )
            for name, configured in cycle.due_dates.items()
        }
        self._extensions = extensions

    @classmethod
    def load(cls, session: Session, cycle: Cycle, as_of: date | None = None) -> CycleDeadlines:
        """The deadlines with every extension approved on or before ``as_of`` (one query)."""
        query = (
            select(
                ExtensionRequest.unit_id,
                ExtensionRequest.obligation,
                func.max(ExtensionRequest.decided_until),
            )
            .where(ExtensionRequest.cycle_id == cycle.id, ExtensionRequest.status == "approved")
            .group_by(ExtensionRequest.unit_id, ExtensionRequest.obligation)
        )
        if as_of is not None:
            query = query.where(ExtensionRequest.decided_on <= as_of)
        extensions = {(unit_id, obligation): until for unit_id, obligation, until in session.execute(query)}
        return cls(cycle, extensions)

    def for_unit(self, unit_id: int, obligation: str) -> UnitDeadline:
        """The unit's own deadline: the cycle's, or a later one an approved extension gave it."""
        cycle_deadline = self.cycle_deadlines[obligation]
        until = self._extensions.get((unit_id, obligation))
        if until is None or self.calendar.on_or_after(until) <= cycle_deadline.effective:
            return UnitDeadline(cycle_deadline.effective, cycle_deadline.describe())
        extended = self.calendar.on_or_after(until)
        before = f"{cycle_deadline.effective:%d/%m/%Y}"
        text = f"{extended:%d/%m/%Y} (đã được gia hạn; thời hạn trước đó là ngày {before})"
        return UnitDeadline(extended, text, True)

    def lateness(self, day: date, deadline: date) -> Lateness:
        """How late ``day`` is past the last good day ``deadline``."""
        if day <= deadline:
            return Lateness()
        return Lateness((day - deadline).days, self.calendar.working_days_between(deadline, day))
