"""Answering a paused ``recognize-initiatives`` run through Prefect's API, as the chair's form
would: the demo and the tests use it; operators use the form in the UI.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
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
from prefect.input.actions import read_flow_run_input

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


@dataclass(frozen=True)
class PausedForm:
    """What a paused run's form shows: its choices, those pre-selected, and its description."""

    choices: list[str]
    chosen: list[str]
    description: str


def paused_form(flow_run_id: UUID) -> PausedForm | None:
    """The paused run's form, from its saved schema ("12. Tên (Đơn vị)" choices); None while the
    run has paused but not yet saved its form."""
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
        keyset = run.state.state_details.run_input_keyset if run.state and run.state.is_paused() else None
    if not keyset:
        return None
    schema = read_flow_run_input(keyset["schema"], flow_run_id=flow_run_id)
    if not isinstance(schema, dict):
        return None
    field = schema.get("properties", {}).get("recognized", {})
    text = read_flow_run_input(keyset["description"], flow_run_id=flow_run_id)
    return PausedForm(
        list(field.get("items", {}).get("enum", [])), list(field.get("default", [])), str(text or "")
    )


def form_choices(flow_run_id: UUID) -> list[str] | None:
    """The initiatives the paused run's form offers; None while its form is not saved."""
    form = paused_form(flow_run_id)
    return form.choices if form else None


def approve(flow_run_id: UUID, approval: DecisionApproval, choices: list[str] | None = None) -> None:
    """Resume one paused run with the values the chair would type into its form."""
    labels = choices if choices is not None else form_choices(flow_run_id)
    resume_flow_run(flow_run_id, run_input=approval.answer(labels))


def approve_when_paused(approval: DecisionApproval, timeout: float = 600, poll: float = 0.5) -> UUID | None:
    """Wait for a paused recognition and approve it; None if none paused within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for run_id in paused_recognitions():
            choices = form_choices(run_id)
            if choices is None:
                continue  # paused a moment ago: its form is not saved yet
            approve(run_id, approval, choices)
            return run_id
        time.sleep(poll)
    return None
