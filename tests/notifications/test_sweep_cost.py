"""A sweep day's cost does not grow with the roster: the same number of queries at 40 and at 400
units on each kind of day (reminders, the first overdue day, the escalation day with its letter,
a later day with nothing new), and a day swept again renders and queues nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from deployments.synthetic import SyntheticShape, generate
from models.cycle import load_cycle_config
from models.imports import import_file, open_cycle_from_file
from models.settings import Settings
from models.tracking import key_days
from notifications.steps import StepContext, sweep_step
from tests.builders import counting_queries


def _year(session: Session, engine: Engine, tmp_path: Path, units: int, year: int) -> list[tuple[int, int]]:
    """(queries, newly queued) of every key day's sweep, then of the same days swept again."""
    config_path = generate(tmp_path / str(units), SyntheticShape(units=units, year=year))
    config = load_cycle_config(config_path)
    cycle, _created, _roster = open_cycle_from_file(session, config_path, actor="test")
    days = key_days(config)
    # Only the proposals come in, all by the first key day: reports and replication stay missing.
    import_file(
        session, cycle, config_path.parent / "initiatives.csv", "initiatives", today=days[-1], actor="test"
    )
    session.flush()
    ctx = StepContext("test:sweep-cost", Settings(data_dir=tmp_path / f"var-{units}"))
    costs = []
    for day in [*days, days[-1] + timedelta(days=3), *days]:
        with counting_queries(engine) as statements:
            swept = sweep_step(session, cycle, day, ctx)
        costs.append((len(statements), swept.queued))
    return costs


def test_a_sweep_costs_the_same_queries_at_40_and_400_units(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    small = _year(session, engine, tmp_path, 40, 2031)
    large = _year(session, engine, tmp_path, 400, 2032)
    # The two years' calendars differ (their key days are not the same dates, and one falls on a
    # day off, which queries less): each kind of day costs the same handful of queries at either
    # size, the escalation day with its letter the most (the letter is also put in the document
    # store, for the deliverer on whichever machine: a lookup and an insert).
    assert {queries for queries, _ in large} <= {queries for queries, _ in small}
    assert max(queries for queries, _ in small) == max(queries for queries, _ in large) <= 17
    # Something was sent on the first pass at both sizes, nothing on the second.
    for costs in (small, large):
        half = (len(costs) - 1) // 2
        assert sum(q for _, q in costs[:half]) > 0
        assert [q for _, q in costs[half:]] == [0] * (len(costs) - half)
    assert sum(q for _, q in large) > sum(q for _, q in small)
