"""The deployments, defined once: what ``sangkien serve`` serves and ``prefect.yaml`` declares.

``open-cycle`` runs yearly on the configured opening day and ``deadline-sweep`` every morning at
07:00, both in the cycle's timezone; the others run on demand from their forms in the UI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.annual_cycle import annual_cycle
from flows.deadline_sweep import deadline_sweep
from flows.district_report import district_report
from flows.fold_scores import fold_scores
from flows.import_submissions import import_submissions
from flows.open_cycle import BUNDLED, open_cycle
from flows.recognize_initiatives import recognize_initiatives
from flows.record_review import record_review
from flows.review_initiatives import review_initiatives
from flows.submit_initiative import submit_initiative
from flows.submit_replication_report import submit_replication_report
from flows.submit_report import submit_report
from models.config import load_cycle_config

SWEEP_CRON = "0 7 * * *"


def yearly_cron(config_path: Path) -> str:
    """07:00 on the configured opening day, every year."""
    opens = load_cycle_config(config_path).opens_on
    return f"0 7 {opens.day} {opens.month} *"


def _deployment(flow: Flow[Any, Any], **options: Any) -> RunnerDeployment:
    """``flow.to_deployment`` from sync code (its type admits a coroutine for async callers)."""
    made = flow.to_deployment(**options)
    if not isinstance(made, RunnerDeployment):
        raise TypeError("to_deployment returned a coroutine in a sync context")
    return made


def build_deployments(config_path: Path = BUNDLED) -> list[RunnerDeployment]:
    """Every deployment of the cycle of ``config_path``."""
    config = load_cycle_config(config_path)
    zone, year = config.timezone, config.year
    cycle: dict[str, Any] = {"cycle": year}
    return [
        _deployment(
            open_cycle,
            name="yearly",
            schedule=Cron(yearly_cron(config_path), timezone=zone),
            parameters={"config_path": str(config_path.resolve())},
        ),
        _deployment(deadline_sweep, name="daily", schedule=Cron(SWEEP_CRON, timezone=zone), parameters=cycle),
        _deployment(submit_initiative, name="form"),
        _deployment(submit_report, name="form"),
        _deployment(submit_replication_report, name="form"),
        _deployment(import_submissions, name="file", parameters=cycle),
        _deployment(review_initiatives, name="on-demand", parameters=cycle),
        _deployment(record_review, name="form"),
        _deployment(fold_scores, name="on-demand", parameters=cycle),
        _deployment(recognize_initiatives, name="on-demand", parameters=cycle),
        _deployment(district_report, name="on-demand", parameters=cycle),
        _deployment(annual_cycle, name="replay", parameters={"config_path": str(config_path.resolve())}),
    ]
