"""The authority and its cycles: the cycle file (configuration), the roster tables, opening a
cycle, the statutory calendar, each unit's deadlines, document numbers.
"""

from models.cycle.calendar import WorkCalendar, effective_deadlines
from models.cycle.config import CycleConfig, Scoring, Signer, TaskCompletionPoints
from models.cycle.cycles import (
    RosterEntry,
    cycle_units,
    days_late,
    find_cycle,
    latest_cycle,
    open_cycle,
    roster,
)
from models.cycle.deadlines import CycleDeadlines, UnitDeadline
from models.cycle.levels import REFORM_DAY, Level, LevelDefaults, home_affairs_head, level_defaults
from models.cycle.loading import load_cycle_config
from models.cycle.numbering import Numbered, document_number, lock_series
from models.cycle.tables import (
    Authority,
    CouncilMember,
    Cycle,
    CycleDeadline,
    CycleUnit,
    DocumentNumber,
    DocumentSeries,
    ExtensionRequest,
    ReplicatedInitiative,
    Unit,
)

__all__ = [
    "REFORM_DAY",
    "Authority",
    "CouncilMember",
    "Cycle",
    "CycleConfig",
    "CycleDeadline",
    "CycleDeadlines",
    "CycleUnit",
    "DocumentNumber",
    "DocumentSeries",
    "ExtensionRequest",
    "Level",
    "LevelDefaults",
    "Numbered",
    "ReplicatedInitiative",
    "RosterEntry",
    "Scoring",
    "Signer",
    "TaskCompletionPoints",
    "Unit",
    "UnitDeadline",
    "WorkCalendar",
    "cycle_units",
    "days_late",
    "document_number",
    "effective_deadlines",
    "find_cycle",
    "home_affairs_head",
    "latest_cycle",
    "level_defaults",
    "load_cycle_config",
    "lock_series",
    "open_cycle",
    "roster",
]
