"""Compliance: for every unit and obligation, its state at a date, in a fixed number of queries.

States: ``pending`` (not done, deadline not passed), ``on_time``, ``late`` (done after the
deadline; ``days_late`` calendar days, ``working_days_late`` working days), ``overdue`` (deadline
passed, not done; both counts of the days so far), ``not_required`` (replication, for units other
than the Office and communes). Only submissions dated on or before ``as_of`` count, so any past day
can be replayed. The replication obligation is done when every item of the catalogue has been
reported. The deadline is the unit's effective one (``models.deadlines``): rolled past a day off,
and moved by an extension approved on or before ``as_of`` (``extended`` records that it was used).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle.cycles import roster
from models.cycle.deadlines import OBLIGATIONS, CycleDeadlines, UnitDeadline
from models.cycle.tables import Cycle, ReplicatedInitiative
from models.intake.schemas import REPLICATING_KINDS
from models.intake.tables import Initiative, ReplicationReport, ResultReport

__all__ = ["OBLIGATIONS", "ObligationState", "UnitCompliance", "compute_compliance"]


class ObligationState(BaseModel):
    """One obligation of one unit at a date."""

    model_config = ConfigDict(frozen=True)

    state: str
    days_late: int = 0
    working_days_late: int = 0
    done_on: date | None = None
    deadline: date
    deadline_text: str = ""
    extended: bool = False


class UnitCompliance(BaseModel):
    """Every obligation of one unit at a date."""

    model_config = ConfigDict(frozen=True)

    unit_code: str
    unit_name: str
    kind: str
    propose: ObligationState
    report: ObligationState
    replication: ObligationState


def _state(
    done_on: date | None, as_of: date, due: UnitDeadline, deadlines: CycleDeadlines
) -> ObligationState:
    facts = {"deadline": due.deadline, "deadline_text": due.text, "extended": due.extended}
    late = deadlines.lateness(done_on or as_of, due.deadline)
    if done_on is not None:
        state = "late" if late.calendar else "on_time"
    else:
        state = "overdue" if late.calendar else "pending"
    return ObligationState(
        state=state, days_late=late.calendar, working_days_late=late.working, done_on=done_on, **facts
    )


def compute_compliance(session: Session, cycle: Cycle, as_of: date) -> list[UnitCompliance]:
    """Every enrolled unit's compliance at ``as_of``, sorted by kind then code (six queries)."""
    units = roster(session, cycle.id)
    deadlines = CycleDeadlines.load(session, cycle, as_of)
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
    kind_order = {"office": 0, "agency": 1, "public_service_unit": 2, "commune": 3}
    result = []
    for unit in sorted(units.values(), key=lambda u: (kind_order.get(u.kind, 9), u.code)):
        due = {name: deadlines.for_unit(unit.unit_id, name) for name in OBLIGATIONS}
        replication = (
            _state(replicated.get(unit.unit_id), as_of, due["replication"], deadlines)
            if unit.kind in REPLICATING_KINDS and catalogue_size
            else ObligationState(
                state="not_required",
                deadline=due["replication"].deadline,
                deadline_text=due["replication"].text,
            )
        )
        result.append(
            UnitCompliance(
                unit_code=unit.code,
                unit_name=unit.name,
                kind=unit.kind,
                propose=_state(proposed.get(unit.unit_id), as_of, due["propose"], deadlines),
                report=_state(reported.get(unit.unit_id), as_of, due["report"], deadlines),
                replication=replication,
            )
        )
    return result
