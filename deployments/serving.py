"""The deployments, defined once: ``sangkien serve`` serves them, ``sangkien deploy`` puts them
on the process work pool (``deployments.cluster``), and the root ``prefect.yaml`` (for
``prefect deploy --all``, without the heartbeat watch) is generated from the same table.

``open-cycle`` runs on the configured opening day (while it is ahead), ``deadline-sweep`` every
morning at 07:00 and ``collect-replies`` on the mailbox schedule (``SANGKIEN_IMAP__SCHEDULE``:
every 15 minutes of working hours by default), all in the cycle's timezone; a closed cycle (its
year is over) gets no schedule at all. The others run on demand from their forms in the UI, in
Vietnamese (``deployments.run_forms``).
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.utilities.callables import ParameterSchema

from deployments.run_forms import vietnamese_schema
from models.cycle import CycleConfig, load_cycle_config
from models.settings import load_settings

SWEEP_CRON = "0 7 * * *"
WORK_POOL = "sangkien"
INSTALLED = Path(__file__).resolve().parent.parent  # the checkout this package runs from
PULL_STEPS: list[dict[str, Any]] = [{"deployments.serving.enter_checkout": {}}]  # no input to fill


@dataclass(frozen=True, slots=True)
class Spec:
    """One deployment: the flow's entrypoint, its name, schedule and fixed parameters."""

    entrypoint: str  # flows/module.py:function
    name: str
    schedule: str | None = None  # "yearly", "daily" or "mailbox"
    parameters: tuple[str, ...] = ()  # "cycle" and/or "config_path", filled from the configuration


SPECS = (
    Spec("flows/open_cycle.py:open_cycle", "yearly", "yearly", ("config_path",)),
    Spec("flows/deadline_sweep.py:deadline_sweep", "daily", "daily", ("cycle",)),
    Spec("flows/submit_initiative.py:submit_initiative", "form", None, ("form",)),
    Spec("flows/submit_report.py:submit_report", "form", None, ("form",)),
    Spec("flows/submit_replication_report.py:submit_replication_report", "form", None, ("form",)),
    Spec("flows/import_submissions.py:import_submissions", "file", None, ("cycle",)),
    Spec("flows/collect_replies.py:collect_replies", "mailbox", "mailbox", ("cycle",)),
    Spec("flows/review_initiatives.py:review_initiatives", "on-demand", None, ("cycle",)),
    Spec("flows/record_review.py:record_review", "form", None, ("form",)),
    Spec("flows/request_information.py:request_information", "form", None, ("form",)),
    Spec("flows/record_information.py:record_information", "form", None, ("form",)),
    Spec("flows/request_extension.py:request_extension", "form", None, ("form",)),
    Spec("flows/decide_extension.py:decide_extension", "form", None, ("form",)),
    Spec("flows/fold_scores.py:fold_scores", "on-demand", None, ("cycle",)),
    Spec("flows/recognize_initiatives.py:recognize_initiatives", "on-demand", None, ("cycle",)),
    Spec("flows/district_report.py:district_report", "on-demand", None, ("cycle",)),
    Spec("flows/annual_cycle.py:annual_cycle", "replay", None, ("config_path",)),
)


def is_closed(config: CycleConfig, today: date | None = None) -> bool:
    """Whether the cycle's year is over (in its timezone): it gets no scheduled runs."""
    today = today or datetime.now(ZoneInfo(config.timezone)).date()
    return today.year > config.year


def _cron(spec: Spec, config: CycleConfig, today: date | None = None) -> str | None:
    """The schedule of ``spec`` for the cycle: none for a closed cycle, and the yearly opening only
    while it is still ahead (a yearly cron would open the same year's file again every year)."""
    if spec.schedule is None or is_closed(config, today):
        return None
    if spec.schedule == "yearly":
        if (today or datetime.now(ZoneInfo(config.timezone)).date()) >= config.opens_on:
            return None
        return f"0 7 {config.opens_on.day} {config.opens_on.month} *"
    if spec.schedule == "mailbox":
        return load_settings().imap.schedule
    return SWEEP_CRON if spec.schedule == "daily" else None


def _parameters(spec: Spec, config: CycleConfig, config_path: Path) -> dict[str, Any]:
    # "form": a form deployment's run form opens with the configured cycle filled in.
    values = {"cycle": config.year, "config_path": str(config_path), "form": {"cycle": config.year}}
    return {name: values[name] for name in spec.parameters}


def _flow(entrypoint: str) -> Flow[Any, Any]:
    path, function = entrypoint.split(":")
    flow: Flow[Any, Any] = getattr(
        importlib.import_module(path.removesuffix(".py").replace("/", ".")), function
    )
    return flow


def build_deployments(config_path: Path, today: date | None = None) -> list[RunnerDeployment]:
    """Every deployment of the cycle of ``config_path``, for ``serve`` (schedules as of ``today``)."""
    config = load_cycle_config(config_path)
    made = []
    for spec in SPECS:
        cron = _cron(spec, config, today)
        if spec.schedule == "mailbox" and not load_settings().imap.host:
            cron = None  # no mailbox configured here: the flow runs only when asked to
        flow = _flow(spec.entrypoint)
        deployment = flow.to_deployment(
            name=spec.name,
            schedule=Cron(cron, timezone=config.timezone) if cron else None,
            parameters=_parameters(spec, config, config_path.resolve()),
        )
        if not isinstance(deployment, RunnerDeployment):
            raise TypeError("to_deployment returned a coroutine in a sync context")
        schema = vietnamese_schema(flow.fn, deployment._parameter_openapi_schema.model_dump())
        deployment._parameter_openapi_schema = ParameterSchema(**schema)
        made.append(deployment)
    return made


def prefect_yaml(config_path: Path, relative_config: str) -> str:
    """The root ``prefect.yaml``: the same deployments on the ``sangkien`` process work pool.

    JSON is valid YAML, and keeps this free of a YAML writer; each worker runs the flows from its
    own checkout (``enter_checkout``), found when a run starts, not when deploying.
    """
    config = load_cycle_config(config_path)
    deployments = []
    for spec in SPECS:
        cron = _cron(spec, config)
        entry: dict[str, Any] = {
            "name": spec.name,
            "entrypoint": spec.entrypoint,
            "work_pool": {"name": WORK_POOL, "work_queue_name": "default"},
            "parameters": _parameters(spec, config, Path(relative_config)),
        }
        if cron:
            entry["schedules"] = [{"cron": cron, "timezone": config.timezone}]
        deployments.append(entry)
    document: dict[str, Any] = {
        "name": "sangkien",
        "prefect-version": "3.9.1",
        "build": None,
        "push": None,
        "pull": PULL_STEPS,
        "deployments": deployments,
    }
    header = "# Generated by `sangkien deployments yaml`: edit deployments/serving.py, not this file.\n"
    return header + json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def enter_checkout() -> dict[str, str]:
    """The pull step of every deployment: change to this worker's checkout; its path.

    ``prefect deploy`` fills a ``{{ $VARIABLE }}`` in the pull steps when it deploys, so a step
    that named ``SANGKIEN_CHECKOUT`` stored the deploying machine's path and every worker ran its
    flows from there. This step has no input to fill: it runs on the worker when a flow run
    starts and enters the checkout the worker's own ``SANGKIEN_CHECKOUT`` names, else the one this
    package was installed from (a worker with the project's environment needs no setting).
    """
    directory = (load_settings().checkout or INSTALLED).resolve()
    if not (directory / "flows").is_dir():
        raise FileNotFoundError(f"SANGKIEN_CHECKOUT={directory} is not a checkout of sangkien (no flows/)")
    os.chdir(directory)
    return {"directory": str(directory)}
