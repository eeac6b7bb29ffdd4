"""One benchmark run in its own process: MODE UNITS FOLDER; prints seconds and peak memory."""

from __future__ import annotations

import contextvars
import json
import resource
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from deployments.benchmarks.floor import decided_on, replay_year
from deployments.synthetic import SyntheticShape, generate
from models.cycle import load_cycle_config
from models.db import ensure_schema, make_engine, settle_heap
from models.review import Approval
from models.settings import load_settings
from notifications.steps import StepContext


def _floor(config: Path) -> None:
    """The annual cycle's steps as plain calls (``deployments.benchmarks.floor``)."""
    settings = load_settings()
    settle_heap()  # as the first task of a flow run does
    engine = make_engine(settings.resolved_database_url)
    ensure_schema(engine)
    signer = load_cycle_config(config).signers["decision"]
    approval = Approval("01/QĐ-UBND", decided_on(config), signer.name, signer.title)
    replay_year(engine, config, approval, StepContext("bench", settings))


def _through_prefect(config: Path, naive: bool) -> float:
    from prefect.testing.utilities import prefect_test_harness

    from deployments.approvals import approve_when_paused
    from models.forms import DecisionApproval

    with prefect_test_harness(server_startup_timeout=180):
        approval = DecisionApproval(number="01/QĐ-UBND", issued_on=date(2025, 12, 6), signer_name="Người Ký")
        context = contextvars.copy_context()
        threading.Thread(target=context.run, args=(approve_when_paused, approval, 3600), daemon=True).start()
        started = time.perf_counter()
        if naive:
            from deployments.benchmarks.naive import naive_cycle

            naive_cycle(str(config))
        else:
            from flows.annual_cycle import annual_cycle

            annual_cycle(str(config))
        return time.perf_counter() - started


def main() -> None:
    """Generate the year, run it one way, print the figures as JSON."""
    mode, units, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    config = generate(folder / "cycle", SyntheticShape(units=units, year=2025))
    if mode == "floor":
        started = time.perf_counter()
        _floor(config)
        seconds = time.perf_counter() - started
    else:
        seconds = _through_prefect(config, naive=mode == "naive")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {"mode": mode, "units": units, "seconds": seconds, "peak_mib": peak}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
