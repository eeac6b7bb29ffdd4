"""The deployments' pull step, in a fresh process as a worker's flow process runs it: each worker
enters its own checkout, whatever the deploying machine's path was.

The step is loaded with Prefect's own ``import_object``, as ``run_steps`` does; ``run_steps``
itself also resolves block and variable references through the API, which would start a
temporary server for a step that has no input to resolve.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO

# What a worker's flow process does before it loads a flow: the pull steps of prefect.yaml.
RUN_PULL_STEPS = (
    "import json, os, sys, yaml;"
    "from prefect.utilities.importtools import import_object;"
    "((name, inputs),) = yaml.safe_load(open(sys.argv[1]))['pull'][0].items();"
    "out = import_object(name)(**inputs);"
    "print(json.dumps({'cwd': os.getcwd(), 'directory': out.get('directory')}))"
)


def _pull(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    return subprocess.run(
        [sys.executable, "-c", RUN_PULL_STEPS, str(REPO / "prefect.yaml")],
        env=base | {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"} | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_pull_step_holds_no_path_of_the_deploying_machine() -> None:
    """Nothing in the pull steps is filled at deploy time: no template, no absolute path."""
    steps = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))["pull"]
    assert steps == [{"deployments.serving.enter_checkout": {}}]


def test_a_worker_enters_the_checkout_its_own_setting_names(tmp_path: Path) -> None:
    """SANGKIEN_CHECKOUT read on the worker when the run starts: the flow runs from there."""
    elsewhere = tmp_path / "may-2" / "sangkien"
    shutil.copytree(REPO / "flows", elsewhere / "flows")
    result = _pull({"SANGKIEN_CHECKOUT": str(elsewhere)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "cwd": str(elsewhere.resolve()),
        "directory": str(elsewhere.resolve()),
    }


def test_without_the_setting_a_worker_runs_from_its_installed_package(tmp_path: Path) -> None:
    """No SANGKIEN_CHECKOUT: the checkout the worker's package was installed from."""
    result = _pull({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["cwd"] == str(REPO.resolve())


def test_a_wrong_checkout_fails_the_run_naming_it(tmp_path: Path) -> None:
    """A setting that names no checkout fails before any flow code runs, naming the path."""
    result = _pull({"SANGKIEN_CHECKOUT": str(tmp_path / "khong-co")}, tmp_path)
    assert result.returncode != 0
    assert "is not a checkout of sangkien" in result.stderr
