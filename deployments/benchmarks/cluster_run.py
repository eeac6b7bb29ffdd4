"""The pieces of the cluster benchmark (and of the cluster test): throwaway PostgreSQL databases,
and the two kinds of process it measures, each printing its figures as JSON on its last line.

- ``single CONFIG PLAN``: the plan's flows called one after another in this process;
- ``worker NAME LIMIT``: ``sangkien worker`` as a child; when it stops (SIGINT), the peak
  resident memory of the largest process under it (the worker or one of its flow processes).
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

SANGKIEN = str(Path(sys.executable).parent / "sangkien")


@contextmanager
def throwaway_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new empty database on the server of ``server_url``; its URL (same driver); dropped after."""
    url = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def asyncpg_url(url: str) -> str:
    """The same database for the Prefect server's driver."""
    return make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def run_single(config: str, plan: list[list[dict[str, Any]]]) -> dict[str, float]:
    """Each wave's flows in order, as plain flow calls (each its own run on the server)."""
    from flows.deadline_sweep import deadline_sweep
    from flows.import_submissions import import_submissions
    from flows.open_cycle import open_cycle

    flows: dict[str, Any] = {
        "open-cycle/yearly": lambda **p: open_cycle(config_path=config, **p),
        "import-submissions/file": import_submissions,
        "deadline-sweep/daily": deadline_sweep,
    }
    started = time.perf_counter()
    for wave in plan:
        for run in wave:
            flows[run["deployment"]](**run["parameters"])
    return {"seconds": time.perf_counter() - started, "peak_mib": _peak_mib(resource.RUSAGE_SELF)}


def run_worker(name: str, limit: int) -> dict[str, float]:
    """``sangkien worker`` until this process gets SIGINT; then the largest peak under it."""
    worker = subprocess.Popen([SANGKIEN, "worker", "--limit", str(limit), "--name", name])  # noqa: S603

    def _forward(signum: int, frame: object) -> None:
        worker.send_signal(signal.SIGINT)

    signal.signal(signal.SIGINT, _forward)
    signal.signal(signal.SIGTERM, _forward)
    worker.wait()
    return {"peak_mib": _peak_mib(resource.RUSAGE_CHILDREN)}


def main() -> None:
    """``single CONFIG PLAN_JSON`` or ``worker NAME LIMIT``."""
    mode, *args = sys.argv[1:]
    if mode == "single":
        figures = run_single(args[0], json.loads(Path(args[1]).read_text(encoding="utf-8")))
    else:
        figures = run_worker(args[0], int(args[1]))
    sys.stdout.write("\n" + json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
