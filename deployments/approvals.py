"""Answering a paused ``recognize-initiatives`` run through Prefect's API, as the chair's form
would: the demo and the tests use it; operators use the form in the UI.
"""

from __future__ import annotations

import time
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.flow_runs import resume_flow_run

from models.forms import DecisionApproval


def paused_recognitions() -> list[UUID]:
    """Ids of ``recognize-initiatives`` runs waiting for the chair's approval."""
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["recognize-initiatives"])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))
            ),
        )
    return [run.id for run in runs]


def approve(flow_run_id: UUID, approval: DecisionApproval) -> None:
    """Resume one paused run with the approval form's values."""
    resume_flow_run(flow_run_id, run_input=approval.model_dump(mode="json"))


def approve_when_paused(approval: DecisionApproval, timeout: float = 600, poll: float = 0.5) -> UUID | None:
    """Wait for a paused recognition and approve it; None if none paused within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for run_id in paused_recognitions():
            approve(run_id, approval)
            return run_id
        time.sleep(poll)
    return None
