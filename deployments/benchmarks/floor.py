"""The floor of the cycle benchmark: the year ``annual-cycle`` replays, as plain calls of the same
step functions in the same order (open; each key day's intake and sweep; the council; scores,
recognition and scores again; compliance and the year's report), with no Prefect.

Each step runs in its own session, as each task does. A test checks that its escalation day
writes the escalation letter, as the flow's sweep does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from models.db import session_scope
from models.review import Approval, council_sheets
from models.tracking import compute_compliance, replay_plan
from notifications.steps import (
    StepContext,
    fold_step,
    intake_file,
    open_step,
    recognize_step,
    report_step,
    review_step,
    sweep_step,
)
from notifications.steps.sweep import Swept


def replay_year(engine: Engine, config: Path, approval: Approval, ctx: StepContext) -> list[Swept]:
    """The whole year of ``config``; returns each key day's sweep outcome."""
    plan = replay_plan(config)
    with session_scope(engine) as session:
        cycle = open_step(session, config, ctx).cycle
        compute_compliance(session, cycle, plan.opens_on)
    swept = []
    for after, day in plan.windows:
        with session_scope(engine) as session:
            cycle = session.merge(cycle)
            for kind, path in plan.files:
                intake_file(session, cycle, Path(path), kind, day, ctx, replay=True, after=after)
            outcome = sweep_step(session, cycle, day, ctx)
            # As the flow's sweep task returns a summary: a day's compliance (10,000 rows at
            # national scale) is not kept for the rest of the year.
            swept.append(replace(outcome, compliance=[]))
    with session_scope(engine) as session:
        cycle = session.merge(cycle)
        sheets = council_sheets(session, cycle, ctx.folder(cycle.year) / "phieu-cham-mo-phong.csv")
        review_step(session, cycle, plan.review_on, ctx, sheets)
    for day in (plan.review_on, plan.decided_on):
        with session_scope(engine) as session:
            cycle = session.merge(cycle)
            if day == plan.decided_on:
                recognize_step(session, cycle, approval, ctx)
            fold_step(session, cycle, day, ctx)
    with session_scope(engine) as session:
        cycle = session.merge(cycle)
        compute_compliance(session, cycle, plan.decided_on)
        report_step(session, cycle, plan.decided_on, ctx)
    return swept


def decided_on(config: Path) -> date:
    """The day the replay's chair approves the decision."""
    return replay_plan(config).decided_on
