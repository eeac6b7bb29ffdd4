"""The naive version the cycle benchmark compares against: each day's sweep as one task run per
unit (the same domain work as ``deadline-sweep``, split per unit)."""

from __future__ import annotations

from datetime import date

from prefect import flow, task

from flows.district_report import district_report
from flows.fold_scores import fold_scores
from flows.open_cycle import open_cycle
from flows.recognize_initiatives import recognize_initiatives
from flows.review_initiatives import review_initiatives
from models.cycle import Cycle
from models.tracking import compute_compliance, plan_sweep
from notifications.mail.outbox import queue_notices
from notifications.notices.sweep import sweep_drafts
from tasks.cycle_tasks import replay_plan_task
from tasks.intake_tasks import import_file_task
from tasks.outcome_tasks import simulate_sheets_task
from tasks.resources import unit_of_work


@task(name="unit-codes")
def unit_codes_task(cycle_id: int) -> list[str]:
    """Every unit of the cycle."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        return [row.unit_code for row in compute_compliance(session, cycle, cycle.opens_on)]


@task(name="sweep-one-unit")
def sweep_unit_task(cycle_id: int, code: str, as_of: date) -> int:
    """One unit's share of a sweep."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        rows = [r for r in compute_compliance(session, cycle, as_of) if r.unit_code == code]
        plan = plan_sweep(rows, cycle.configuration, as_of)
        return queue_notices(session, sweep_drafts(session, cycle, plan, as_of), "bench")


@flow(name="naive-annual-cycle")
def naive_cycle(config_path: str) -> None:
    """annual-cycle with a task run per unit per sweep day."""
    plan = replay_plan_task(config_path)
    ref = open_cycle(config_path, as_of=plan.opens_on)
    codes = unit_codes_task(ref.id)
    for after, day in plan.windows:
        for kind, path in plan.files:
            import_file_task(ref.id, path, kind, day, "bench", replay=True, after=after)
        for code in codes:
            sweep_unit_task(ref.id, code, day)
    review_initiatives(ref.year, plan.review_on, simulate_sheets_task(ref.id))
    fold_scores(ref.year, plan.review_on)
    recognize_initiatives(ref.year)
    fold_scores(ref.year, plan.decided_on)
    district_report(ref.year, plan.decided_on)
