"""A replayed year's plan: the days a replay visits and the files its submissions come from.

From the configuration alone; ``annual-cycle``, the demo and the benchmark's floor replay the same
days in the same order.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from models.cycle import load_cycle_config
from models.intake import SUBMISSIONS
from models.tracking.sweep import key_days


class ReplayPlan(BaseModel):
    """What a replayed year visits, and where its submissions are."""

    model_config = ConfigDict(frozen=True)

    opens_on: date
    days: tuple[date, ...]
    folder: str
    files: tuple[tuple[str, str], ...]  # (submission kind, file) of the year's submissions
    review_on: date
    decided_on: date

    @property
    def windows(self) -> list[tuple[date | None, date]]:
        """Each day with the day before it in the replay (None for the first): the rows a day
        takes in are those dated after the day before and on or before the day."""
        return list(zip((None, *self.days[:-1]), self.days, strict=True))


def replay_plan(config_path: Path) -> ReplayPlan:
    """The days a replay of the configured year visits (from the configuration alone)."""
    config = load_cycle_config(config_path)
    last = config.deadlines.last
    return ReplayPlan(
        opens_on=config.opens_on,
        days=tuple(key_days(config)),
        folder=str(config.roster.parent),
        files=tuple(
            (kind, str(path))
            for kind in SUBMISSIONS
            if (path := config.roster.parent / f"{kind}.csv").exists()
        ),
        review_on=last + timedelta(days=7),
        decided_on=last + timedelta(days=45),
    )
