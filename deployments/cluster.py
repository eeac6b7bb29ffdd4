"""Many machines: the ``sangkien`` process work pool, every deployment on it, and the watch on
dead machines, all made from code by ``sangkien deploy`` (safe to run again: each is upserted).

Every deployment is the same as ``serve``'s (``serving.SPECS``), with the pull step that enters
each worker's own checkout, and heartbeats on: its flow runs are started with
``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``. Two automations watch them:

- ``sangkien-crash-silent-runs``: a run whose heartbeats stop for ``crash_after`` (its machine
  died with it: no worker is left to report it) is marked CRASHED with ``SILENT_MESSAGE``;
- ``sangkien-retry-scheduled-runs``: a run of a scheduled deployment (yearly, daily, mailbox)
  marked so is scheduled again, for a live worker. Every flow is safe to re-run. Runs the worker
  saw crash (the process died under it, e.g. out of memory) are not retried: they would crash
  again; the operator sees them in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from prefect.automations import AutomationCore
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import DeploymentScheduleCreate, WorkPoolCreate, WorkPoolUpdate
from prefect.client.schemas.objects import StateType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification
from prefect.exceptions import ObjectNotFound
from prefect.workers.process import ProcessWorker

from deployments.serving import PULL_STEPS, SPECS, WORK_POOL, Spec, build_deployments

CRASH_AUTOMATION = "sangkien-crash-silent-runs"
RETRY_AUTOMATION = "sangkien-retry-scheduled-runs"
# The state message of a run crashed by the watch; the retry automation matches on it.
SILENT_MESSAGE = "Máy chạy không còn gửi tín hiệu: lượt chạy được đánh dấu đã dừng (Crashed)."
FINAL_EVENTS = {f"prefect.flow-run.{name}" for name in ("Completed", "Failed", "Cancelled", "Crashed")}
MIN_HEARTBEAT = 30  # Prefect sends heartbeats at most this often


@dataclass(frozen=True, slots=True)
class ClusterPlan:
    """What ``sangkien deploy`` makes: the pool's limit and the watch's timing (seconds)."""

    pool_limit: int = 8
    heartbeat: int = MIN_HEARTBEAT
    crash_after: int = 120

    def problems(self) -> list[str]:
        """What is wrong with the plan, in the officer's words."""
        wrong = []
        if self.pool_limit < 1:
            wrong.append("--pool-limit: cần ít nhất 1 lượt chạy đồng thời")
        if self.heartbeat < MIN_HEARTBEAT:
            wrong.append(f"--heartbeat: Prefect gửi tín hiệu cách nhau ít nhất {MIN_HEARTBEAT} giây")
        if self.crash_after <= self.heartbeat:
            wrong.append("--crash-after: phải dài hơn khoảng cách giữa hai tín hiệu (--heartbeat)")
        return wrong


def ensure_pool(limit: int) -> bool:
    """Create the process pool with ``limit`` concurrent runs, or set the limit; whether created."""
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(WORK_POOL)
        except ObjectNotFound:
            client.create_work_pool(
                WorkPoolCreate(
                    name=WORK_POOL,
                    type=ProcessWorker.type,
                    base_job_template=ProcessWorker.get_default_base_job_template(),
                    concurrency_limit=limit,
                )
            )
            return True
        client.update_work_pool(WORK_POOL, WorkPoolUpdate(concurrency_limit=limit))
        return False


def deploy_all(config_path: Path, stored_config: str, heartbeat: int) -> list[tuple[Spec, UUID]]:
    """Every deployment on the pool, with its id; ``stored_config`` is the path its runs open
    the cycle file by (relative to the checkout when the file is in it)."""
    ids: list[tuple[Spec, UUID]] = []
    with get_client(sync_client=True) as client:
        for spec, deployment in zip(SPECS, build_deployments(config_path), strict=True):
            if deployment.flow_name is None:
                raise TypeError(f"{spec.entrypoint} has no flow name")
            schedules = [s for s in deployment.schedules or [] if isinstance(s, DeploymentScheduleCreate)]
            parameters: dict[str, Any] = dict(deployment.parameters)
            if "config_path" in parameters:
                parameters["config_path"] = stored_config
            made = client.create_deployment(
                flow_id=client.create_flow_from_name(deployment.flow_name),
                name=deployment.name,
                work_pool_name=WORK_POOL,
                work_queue_name="default",
                entrypoint=spec.entrypoint,
                path=None,
                pull_steps=PULL_STEPS,
                schedules=schedules,
                parameters=parameters,
                description=deployment.description,
                parameter_openapi_schema=deployment._parameter_openapi_schema.model_dump(exclude_unset=True),
                enforce_parameter_schema=deployment.enforce_parameter_schema,
                job_variables={"env": {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(heartbeat)}},
            )
            ids.append((spec, made))
    return ids


def _deployments(ids: list[UUID]) -> ResourceSpecification:
    """Events related to one of these deployments."""
    return ResourceSpecification(
        {
            "prefect.resource.role": "deployment",
            "prefect.resource.id": [f"prefect.deployment.{i}" for i in ids],
        }
    )


def watch_automations(crash_after: int, deployed: list[UUID], scheduled: list[UUID]) -> list[AutomationCore]:
    """The two automations: crash the silent runs of the ``deployed`` deployments (a run started
    elsewhere beats at Prefect's default of 180 s, and is not watched); retry those of the
    ``scheduled`` ones."""
    crash = AutomationCore(
        name=CRASH_AUTOMATION,
        description="Đánh dấu đã dừng lượt chạy mà máy chạy không còn gửi tín hiệu.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", *FINAL_EVENTS},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            match_related=_deployments(deployed),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=crash_after),
        ),
        actions=[ChangeFlowRunState(state=StateType.CRASHED, message=SILENT_MESSAGE)],
    )
    retry = AutomationCore(
        name=RETRY_AUTOMATION,
        description="Chạy lại lượt chạy theo lịch đã bị đánh dấu dừng vì máy chạy mất tín hiệu.",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Crashed"},
            match=ResourceSpecification(
                {"prefect.resource.id": ["prefect.flow-run.*"], "prefect.state-message": SILENT_MESSAGE}
            ),
            match_related=_deployments(scheduled),
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.SCHEDULED,
                name="AwaitingRetry",
                message="Chạy lại trên máy chạy còn hoạt động.",
                force=True,
            )
        ],
    )
    return [crash, retry]


def ensure_automations(automations: list[AutomationCore]) -> None:
    """Create each automation, or replace the one of the same name (a second deploy keeps one)."""
    with get_client(sync_client=True) as client:
        for automation in automations:
            existing = client.read_automations_by_name(automation.name)
            if existing:
                client.update_automation(existing[0].id, automation)
                for extra in existing[1:]:
                    client.delete_automation(extra.id)
            else:
                client.create_automation(automation)


def deploy_cluster(config_path: Path, stored_config: str, plan: ClusterPlan) -> int:
    """The pool, the deployments and the watch; how many deployments."""
    ensure_pool(plan.pool_limit)
    ids = deploy_all(config_path, stored_config, plan.heartbeat)
    scheduled = [made for spec, made in ids if spec.schedule is not None]
    ensure_automations(watch_automations(plan.crash_after, [made for _, made in ids], scheduled))
    return len(ids)
