"""Tasks of the cycle itself: open it, find it, show compliance, plan a replayed year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect.logging import get_run_logger

from models.cycle import Cycle, find_cycle
from models.reporting import deadline_lines
from models.tracking import ReplayPlan, compute_compliance, replay_plan
from notifications.steps import open_step
from tasks.artifacts import compliance_artifact
from tasks.resources import ComplianceSummary, CycleRef, retried, step_context, unit_of_work


@retried("open-cycle-from-config")
def open_cycle_task(config_path: str, actor: str) -> CycleRef:
    """Load the configuration and roster; upsert the authority, cycle and units; queue the call."""
    with unit_of_work() as session:
        opened = open_step(session, Path(config_path), step_context(actor))
        roster = opened.roster
        ref = CycleRef.of(opened.cycle, roster.stored + roster.updated + roster.unchanged)
    get_run_logger().info(
        f"Đã mở chu kỳ {ref.year} ({ref.name}): {ref.units} đơn vị trong danh sách "
        f"({roster.stored} mới, {roster.updated} cập nhật, {roster.unchanged} không đổi)."
    )
    return ref


@retried("find-cycle")
def find_cycle_task(year: int, authority: str | None = None) -> CycleRef:
    """The cycle of a year (of ``authority`` when several share the database)."""
    with unit_of_work() as session:
        return CycleRef.of(find_cycle(session, year, authority))


@retried("compute-compliance")
def compliance_task(cycle_id: int, as_of: date) -> ComplianceSummary:
    """Every unit's compliance at ``as_of``; the per-unit table goes to an artifact."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        rows = compute_compliance(session, cycle, as_of)
        compliance_artifact(cycle.year, as_of, rows, deadline_lines(cycle))
    summary = ComplianceSummary.of(as_of, rows)
    get_run_logger().info(summary.message)
    return summary


@retried("plan-replay")
def replay_plan_task(config_path: str) -> ReplayPlan:
    """The replayed year's days and files."""
    return replay_plan(Path(config_path))
