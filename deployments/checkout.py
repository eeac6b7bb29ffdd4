"""The pull step of every deployment: each worker runs the flows from its own checkout.

``prefect deploy`` fills a ``{{ $VARIABLE }}`` in the pull steps when it deploys, so the step that
named ``SANGKIEN_CHECKOUT`` stored the deploying machine's path and every worker ran its flows
from there. This step has no input to fill: it runs on the worker when a flow run starts and
enters the checkout the worker's own ``SANGKIEN_CHECKOUT`` names, else the one this package was
installed from (a worker with the project's virtual environment needs no setting at all).
"""

from __future__ import annotations

import os
from pathlib import Path

from models.settings import load_settings

STEP = "deployments.checkout.enter_checkout"
INSTALLED = Path(__file__).resolve().parent.parent


def enter_checkout() -> dict[str, str]:
    """Change to this worker's checkout; its path (Prefect keeps a step's output as ``directory``)."""
    directory = (load_settings().checkout or INSTALLED).resolve()
    if not (directory / "flows").is_dir():
        raise FileNotFoundError(f"SANGKIEN_CHECKOUT={directory} is not a checkout of sangkien (no flows/)")
    os.chdir(directory)
    return {"directory": str(directory)}
