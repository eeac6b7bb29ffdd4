"""Following the units through the year: compliance at any date, the sweep's plan of
reminders, overdue notices and escalations, requests for more time, the replayed year's plan.
"""

from models.tracking.compliance import ObligationState, UnitCompliance, compute_compliance, cycle_obligations
from models.tracking.extensions import (
    DecisionIn,
    ExtensionIn,
    decide_extension,
    list_requests,
    parse_one,
    read_requests,
    request_extensions,
)
from models.tracking.replay import ReplayPlan, replay_plan
from models.tracking.sweep import SweepNotice, escalation_deadline, key_days, plan_sweep, reminder_offset

__all__ = [
    "DecisionIn",
    "ExtensionIn",
    "ObligationState",
    "ReplayPlan",
    "SweepNotice",
    "UnitCompliance",
    "compute_compliance",
    "cycle_obligations",
    "decide_extension",
    "escalation_deadline",
    "key_days",
    "list_requests",
    "parse_one",
    "plan_sweep",
    "read_requests",
    "reminder_offset",
    "replay_plan",
    "request_extensions",
]
