"""A replayed year in its own process, for the UI tests: CONFIG_PATH [--chair-in-browser].

With ``--chair-in-browser`` nobody answers the recognition's pause here: the run waits for the
form to be sent from the UI (the browser test plays the chair), then finishes the year.

Prefect keeps process-wide log and event workers bound to the API they first used; running the
replay here keeps the test process free of them (the test's server stops before pytest ends).
"""

from __future__ import annotations

import contextvars
import sys
import threading
from datetime import date

from deployments.approvals import approve_when_paused
from flows.annual_cycle import annual_cycle
from models.forms import DecisionApproval


def main() -> None:
    """Replay the configured year, approving the recognition when it pauses (unless the chair
    answers in the browser)."""
    if "--chair-in-browser" not in sys.argv[2:]:
        approval = DecisionApproval(
            number="01/QĐ-UBND", issued_on=date(2025, 12, 6), signer_name="Người Ký Mẫu"
        )
        context = contextvars.copy_context()
        threading.Thread(target=context.run, args=(approve_when_paused, approval, 300), daemon=True).start()
    summary = annual_cycle(sys.argv[1])
    sys.stdout.write(summary.model_dump_json() + "\n")


if __name__ == "__main__":
    main()
