"""The cycle's steps, one plain function each: open, intake (by file, form or mailbox), sweep,
review, fold, recognize, report (and the extension and information requests that come between).

Each step runs in the caller's session, composes the domain (``models``) with what the authority
says (notices, documents), computes what it needs once, and returns a frozen outcome. The Prefect
tasks, the CLI, ``sample``, the demo and the benchmark's floor all call these same functions.
"""

from notifications.steps.collect import collect_step
from notifications.steps.context import StepContext
from notifications.steps.extensions import Extended, decide_step, request_step
from notifications.steps.intake import Intake, intake_file, intake_rows
from notifications.steps.opening import Opened, open_step
from notifications.steps.outcome import (
    Folded,
    Recognized,
    fold_step,
    propose_step,
    recognize_step,
    report_step,
)
from notifications.steps.review import (
    Asked,
    Reviewed,
    answer_information_step,
    ask_information_step,
    review_step,
)
from notifications.steps.sweep import Swept, sweep_step

__all__ = [
    "Asked",
    "Extended",
    "Folded",
    "Intake",
    "Opened",
    "Recognized",
    "Reviewed",
    "StepContext",
    "Swept",
    "answer_information_step",
    "ask_information_step",
    "collect_step",
    "decide_step",
    "fold_step",
    "intake_file",
    "intake_rows",
    "open_step",
    "propose_step",
    "recognize_step",
    "report_step",
    "request_step",
    "review_step",
    "sweep_step",
]
