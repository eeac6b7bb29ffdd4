"""Compliance: for every unit and obligation, its state at a date, in a fixed number of queries.

States: ``pending`` (not done, deadline not passed), ``on_time``, ``late`` (done after the
deadline; ``days_late`` calendar days), ``overdue`` (deadline passed, not done; ``days_late``
counts the days so far), ``not_required`` (replication, for units other than the Office and
communes). Only submissions dated on or before ``as_of`` count, so any past day can be replayed.
The replication obligation is done when every item of the catalogue has been reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycles import days_late, roster
from models.schemas import REPLICATING_KINDS
from models.tables import Cycle, Initiative, ReplicatedInitiative, ReplicationReport, ResultReport

OBLIGATIONS = ("propose", "report", "replication")


class ObligationState(BaseModel):
    """One obligation of one unit at a date."""

    model_config = ConfigDict(frozen=True)

    state: str
    days_late: int = 0
    done_on: date | None = None
    deadline: date


class UnitCompliance(BaseModel):
    """Every obligation of one unit at a date."""

    model_config = ConfigDict(frozen=True)

    unit_code: str
    unit_name: str
    kind: str
    propose: ObligationState
    report: ObligationState
    replication: ObligationState


@dataclass(frozen=True, slots=True)
class _Rule:
    deadline: date
    inclusive: bool


def _state(done_on: date | None, as_of: date, rule: _Rule) -> ObligationState:
    if done_on is not None:
        late = days_late(done_on, rule.deadline, inclusive=rule.inclusive)
        return ObligationState(
            state="late" if late else "on_time", days_late=late, done_on=done_on, deadline=rule.deadline
        )
    overdue = days_late(as_of, rule.deadline, inclusive=rule.inclusive)
    return ObligationState(
        state="overdue" if overdue else "pending", days_late=overdue, deadline=rule.deadline
    )


def compute_compliance(session: Session, cycle: Cycle, as_of: date) -> list[UnitCompliance]:
    """Every enrolled unit's compliance at ``as_of``, sorted by kind then code (five queries)."""
    units = roster(session, cycle.id)
    proposed = dict(
        session.execute(
            select(Initiative.unit_id, func.min(Initiative.submitted_on))
            .where(Initiative.cycle_id == cycle.id, Initiative.submitted_on <= as_of)
            .group_by(Initiative.unit_id)
        )
        .tuples()
        .all()
    )
    reported = dict(
        session.execute(
            select(ResultReport.unit_id, func.min(ResultReport.submitted_on))
            .where(ResultReport.cycle_id == cycle.id, ResultReport.submitted_on <= as_of)
            .group_by(ResultReport.unit_id)
        )
        .tuples()
        .all()
    )
    # Done on the day the last catalogue item was reported; partial reports leave it undone.
    catalogue_size = (
        session.scalar(
            select(func.count(ReplicatedInitiative.id)).where(ReplicatedInitiative.cycle_id == cycle.id)
        )
        or 0
    )
    replicated = dict(
        session.execute(
            select(ReplicationReport.unit_id, func.max(ReplicationReport.submitted_on))
            .where(ReplicationReport.cycle_id == cycle.id, ReplicationReport.submitted_on <= as_of)
            .group_by(ReplicationReport.unit_id)
            .having(func.count(func.distinct(ReplicationReport.replicated_id)) >= catalogue_size)
        )
        .tuples()
        .all()
    )
    inclusive = cycle.deadline_inclusive
    rules = {
        "propose": _Rule(cycle.propose_deadline, inclusive),
        "report": _Rule(cycle.report_deadline, inclusive),
        "replication": _Rule(cycle.replication_deadline, inclusive),
    }
    kind_order = {"office": 0, "agency": 1, "public_service_unit": 2, "commune": 3}
    result = []
    for unit in sorted(units.values(), key=lambda u: (kind_order.get(u.kind, 9), u.code)):
        replication = (
            _state(replicated.get(unit.unit_id), as_of, rules["replication"])
            if unit.kind in REPLICATING_KINDS and catalogue_size
            else ObligationState(state="not_required", deadline=cycle.replication_deadline)
        )
        result.append(
            UnitCompliance(
                unit_code=unit.code,
                unit_name=unit.name,
                kind=unit.kind,
                propose=_state(proposed.get(unit.unit_id), as_of, rules["propose"]),
                report=_state(reported.get(unit.unit_id), as_of, rules["report"]),
                replication=replication,
            )
        )
    return result
