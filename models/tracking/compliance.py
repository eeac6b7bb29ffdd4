"""Compliance: for every unit and obligation, its state at a date, in a fixed number of queries.

States: ``pending`` (not done, deadline not passed), ``on_time``, ``late`` (done after the
deadline; ``days_late`` calendar days, ``working_days_late`` working days), ``overdue`` (deadline
passed, not done; both counts of the days so far), ``not_required`` (an obligation the unit's kind
does not owe, such as the replication report of an agency). Only submissions dated on or before
``as_of`` count, so any past day can be replayed. The obligations are those of the registry
(``models.intake.obligations``) that the cycle has a deadline for; each says when a unit did it
with one query. The deadline is the unit's effective one (``models.cycle.deadlines``): rolled past
a day off, and moved by an extension approved on or before ``as_of``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleDeadlines, UnitDeadline, roster
from models.intake import OBLIGATIONS, Obligation

__all__ = ["KIND_ORDER", "ObligationState", "UnitCompliance", "compute_compliance", "cycle_obligations"]

KIND_ORDER = {"office": 0, "agency": 1, "public_service_unit": 2, "commune": 3}


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
    """Every obligation of one unit at a date; serialized with one key per obligation code at the
    top level, beside the unit's code, name and kind."""

    model_config = ConfigDict(frozen=True)

    unit_code: str
    unit_name: str
    kind: str
    obligations: dict[str, ObligationState]

    def __getitem__(self, obligation: str) -> ObligationState:
        return self.obligations[obligation]

    @model_serializer(mode="wrap")
    def _flat(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        states = data.pop("obligations")
        return {**data, **states}


def cycle_obligations(cycle: Cycle) -> list[Obligation]:
    """The registry's obligations the cycle has a deadline for, in registry order."""
    configured = cycle.due_dates
    return [ob for code, ob in OBLIGATIONS.items() if code in configured]


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
    """Every enrolled unit's compliance at ``as_of``, sorted by kind then code: two queries (the
    roster, approved extensions) and one per obligation."""
    units = roster(session, cycle.id)
    deadlines = CycleDeadlines.load(session, cycle, as_of)
    config = cycle.configuration
    obligations = cycle_obligations(cycle)
    done = {ob.code: dict(session.execute(ob.done(cycle.id, as_of)).tuples().all()) for ob in obligations}
    result = []
    for unit in sorted(units.values(), key=lambda u: (KIND_ORDER.get(u.kind, 9), u.code)):
        states = {}
        for ob in obligations:
            due = deadlines.for_unit(unit.unit_id, ob.code)
            if ob.owed(unit.kind, config):
                states[ob.code] = _state(done[ob.code].get(unit.unit_id), as_of, due, deadlines)
            else:
                states[ob.code] = ObligationState(
                    state="not_required", deadline=due.deadline, deadline_text=due.text
                )
        result.append(
            UnitCompliance(unit_code=unit.code, unit_name=unit.name, kind=unit.kind, obligations=states)
        )
    return result
