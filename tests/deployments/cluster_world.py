"""The pieces of the cluster test: throwaway PostgreSQL databases, a Prefect server on one of
them (``deployments.benchmarks.cluster_run``, which the cluster benchmark shares), ``sangkien
worker`` processes and waiting on what they do."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deployments.benchmarks.cluster_run import SANGKIEN
from tests.conftest import REPO


def sangkien(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``sangkien`` command as an operator would, in the checkout."""
    return subprocess.run(
        [SANGKIEN, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )


@dataclass
class Worker:
    """A ``sangkien worker`` process and its log."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def ran(self) -> set[str]:
        """The ids of the flow runs this worker submitted (from its log)."""
        marker = f"Worker '{self.name}' submitting flow run '"
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return {line.split(marker, 1)[1].split("'", 1)[0] for line in lines if marker in line}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_worker(name: str, env: dict[str, str], folder: Path, limit: int = 2) -> Worker:
    """``sangkien worker --limit LIMIT --name NAME`` with its own Prefect home."""
    home = folder / name
    home.mkdir(parents=True, exist_ok=True)
    log = home / "worker.log"
    process = subprocess.Popen(
        [SANGKIEN, "worker", "--limit", str(limit), "--name", name],
        env=env | {"PREFECT_HOME": str(home)},
        cwd=home,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    return Worker(name, process, log)


def parent_of(pid: int) -> int:
    """The parent process id of ``pid`` (Linux)."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    return int(stat.rsplit(")", 1)[1].split()[1])


def wait_for(check: Any, timeout: float, what: str, every: float = 1.0) -> Any:
    """Poll ``check()`` until it returns something true; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(every)


def environment(**values: str) -> dict[str, str]:
    """This process's environment without any SANGKIEN_ or PREFECT_ setting, plus ``values``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SANGKIEN_", "PREFECT_"))}
    return base | {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PYTHONPATH": str(REPO)} | values
