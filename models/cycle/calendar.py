"""The statutory calendar: which days are working days, and where a deadline really ends.

The only module that decides what a working day is. Days off are Saturdays, Sundays and
Vietnam's public holidays from the ``holidays`` package (its ``VN`` calendar, Tết and the swapped
days it knows included), plus the cycle configuration's yearly adjustments (extra days off,
Saturdays made working days) as the government announces them.

Civil Code 2015, art. 148(5): when the last day of a period is a day off, the period ends at the
end of the next working day. ``effective_deadline`` applies it (unless the cycle switches it off)
and says why a deadline moved as an official writes it: "31/08/2024 (do trùng ngày nghỉ lễ Quốc
khánh, thời hạn được tính đến hết ngày 04/9/2024)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from models.cycle.config import CalendarConfig, CycleConfig

# As a sentence writes them: "thứ Bảy", "Chủ nhật".
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_DAY = timedelta(days=1)
_LONGEST_BREAK = 31  # no run of days off is longer; a guard against a misconfigured year


@dataclass(frozen=True, slots=True)
class EffectiveDeadline:
    """A configured deadline and the day it really ends, with the reason it moved."""

    configured: date
    effective: date
    reason: str = ""  # the day off ``configured`` falls on ("ngày nghỉ lễ Quốc khánh"); "" if kept

    @property
    def moved(self) -> bool:
        """Whether the deadline ends on another day than configured."""
        return self.effective != self.configured

    @property
    def note(self) -> str:
        """Why and to when it moved, as the parenthesis after the date says it; "" if kept."""
        if not self.moved:
            return ""
        return f"do trùng {self.reason}, thời hạn được tính đến hết ngày {day_month(self.effective)}"

    def describe(self) -> str:
        """The deadline as every place that shows it writes it."""
        if not self.moved:
            return f"{self.effective:%d/%m/%Y}"
        return f"{self.configured:%d/%m/%Y} ({self.note})"


def day_month(day: date) -> str:
    """04/9/2024: the day with two digits, the month as Decree 30/2020 writes it (01, 02, 3…12)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


class WorkCalendar:
    """Working days of one cycle: weekends, public holidays and the configured adjustments."""

    def __init__(self, days_off: dict[date, str], working_days: frozenset[date]) -> None:
        self._named = holidays.country_holidays("VN", language="vi")
        self._extra_off = days_off
        self._working = working_days
        self._prefix: dict[int, list[int]] = {}

    @classmethod
    def of(cls, config: CycleConfig) -> WorkCalendar:
        """The calendar of a cycle configuration (cached: built once per configuration)."""
        return _calendar(config.calendar)

    def holiday_name(self, day: date) -> str | None:
        """The name of the day off ``day`` is, if it is a named one (a holiday or configured)."""
        if day in self._extra_off:
            return self._extra_off[day]
        name = self._named.get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, not a holiday nor a configured day off; or a configured working day."""
        if day in self._working:
            return True
        named = self.holiday_name(day)  # also loads the year into the holidays calendar
        # The holidays package knows some swapped Saturdays; the configuration adds the others.
        if day in self._named.weekend_workdays:
            return True
        return day.weekday() < 5 and named is None

    def on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the next working day."""
        for _ in range(_LONGEST_BREAK):
            if self.is_working_day(day):
                return day
            day += _DAY
        raise ValueError(f"no working day within {_LONGEST_BREAK} days of {day}")

    def on_or_before(self, day: date) -> date:
        """``day`` if it is a working day, else the working day before it."""
        for _ in range(_LONGEST_BREAK):
            if self.is_working_day(day):
                return day
            day -= _DAY
        raise ValueError(f"no working day within {_LONGEST_BREAK} days before {day}")

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.on_or_after(day + _DAY)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        if end <= start:
            return 0
        whole_years = sum(self._year_counts(year)[-1] for year in range(start.year, end.year))
        return whole_years + self._count_through(end) - self._count_through(start)

    def _count_through(self, day: date) -> int:
        # Prefix counts per year, built once: compliance asks for thousands of units at once.
        return self._year_counts(day.year)[day.timetuple().tm_yday - 1]

    def _year_counts(self, year: int) -> list[int]:
        counts = self._prefix.get(year)
        if counts is None:
            day, running, counts = date(year, 1, 1), 0, []
            while day.year == year:
                running += self.is_working_day(day)
                counts.append(running)
                day += _DAY
            self._prefix[year] = counts
        return counts

    def why_off(self, day: date) -> str:
        """The day off ``day`` falls on, as "do trùng …" goes on: the break it belongs to
        ("ngày nghỉ lễ Quốc khánh"), or the weekly day off ("ngày nghỉ hằng tuần (thứ Bảy)")."""
        around = self._break_around(day)
        configured = [self._extra_off[d] for d in around if d in self._extra_off]
        if configured:  # the configuration's own words, as the announcement gives them
            reason = configured[0]
            return reason if reason.lower().startswith("ngày") else f"ngày {reason}"
        named = [n for d in around if (n := self.holiday_name(d))]
        if not named:
            return f"ngày nghỉ hằng tuần ({WEEKDAYS[day.weekday()]})"
        if any("Tết Nguyên Đán" in n for n in named):
            return "ngày nghỉ Tết Nguyên đán"
        # A substitute day's own name ("Ngày nghỉ (thay cho …)") says less than the holiday's.
        main = next((n for n in named if not n.startswith("Ngày nghỉ")), named[0]).removeprefix("Ngày ")
        return f"ngày nghỉ {main}" if main.startswith("Tết") else f"ngày nghỉ lễ {main}"

    def _break_around(self, day: date) -> list[date]:
        first = last = day
        while not self.is_working_day(first - _DAY) and (day - first).days < _LONGEST_BREAK:
            first -= _DAY
        while not self.is_working_day(last + _DAY) and (last - day).days < _LONGEST_BREAK:
            last += _DAY
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def effective_deadline(self, configured: date, *, roll_forward: bool = True) -> EffectiveDeadline:
        """Where a deadline ends: the next working day when it falls on a day off (art. 148(5))."""
        if not roll_forward or self.is_working_day(configured):
            return EffectiveDeadline(configured, configured)
        return EffectiveDeadline(configured, self.on_or_after(configured), self.why_off(configured))

    def period_end(self, configured: date, *, inclusive: bool, roll_forward: bool) -> EffectiveDeadline:
        """The last day still on time for "no later than X" (inclusive) or "before X" (not).

        "Before X" makes X - 1 the last day of the period; that day, not X, is the one rolled
        forward when it is a day off.
        """
        last = configured if inclusive else configured - _DAY
        return self.effective_deadline(last, roll_forward=roll_forward)


@lru_cache(maxsize=32)
def _calendar(settings: CalendarConfig) -> WorkCalendar:
    return WorkCalendar(
        {d.day: d.reason for d in settings.days_off},
        frozenset(d.day for d in settings.working_days),
    )


def effective_deadlines(config: CycleConfig) -> dict[str, EffectiveDeadline]:
    """The effective deadline of each obligation of a cycle configuration."""
    calendar = WorkCalendar.of(config)
    return {
        name: calendar.period_end(
            configured, inclusive=config.deadlines.inclusive, roll_forward=config.calendar.roll_forward
        )
        for name, configured in config.deadlines.dates.items()
    }
