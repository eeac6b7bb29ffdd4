"""Recognition: the chair's decision recorded once per cycle, and each initiative's status.

Recording again for the same cycle returns the decision already made and changes nothing, so a
retried or re-triggered recognition never issues a second decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.db import record
from models.intake import Initiative
from models.review.tables import Decision
from models.review.tally import Tally


@dataclass(frozen=True, slots=True)
class Approval:
    """What the chair fills in: the decision's number, date and signer."""

    number: str
    issued_on: date
    signer_name: str
    signer_title: str


def existing_decision(session: Session, cycle: Cycle) -> Decision | None:
    """The cycle's recognition decision, if one was recorded."""
    return session.scalar(
        select(Decision).where(Decision.cycle_id == cycle.id, Decision.kind == "recognition")
    )


def record_decision(
    session: Session, cycle: Cycle, tallies: list[Tally], approval: Approval, actor: str
) -> tuple[Decision, bool]:
    """Record the decision and set each decided initiative's status; returns (decision, new)."""
    found = existing_decision(session, cycle)
    if found is not None:
        return found, False
    recognized = [t.initiative_id for t in tallies if t.outcome == "recognized"]
    refused = [t.initiative_id for t in tallies if t.outcome in ("not_recognized", "ineligible")]
    decision = Decision(
        cycle_id=cycle.id,
        kind="recognition",
        number=approval.number,
        issued_on=approval.issued_on,
        signer_name=approval.signer_name,
        signer_title=approval.signer_title,
        initiative_ids=recognized,
    )
    session.add(decision)
    for ids, status in ((recognized, "recognized"), (refused, "not_recognized")):
        if ids:
            session.execute(
                update(Initiative).where(Initiative.id.in_(ids)).values(recognition_status=status)
            )
    session.flush()
    record(
        session,
        actor,
        "decision",
        decision.id,
        "issue",
        after={
            "number": approval.number,
            "issued_on": approval.issued_on,
            "recognized": recognized,
            "not_recognized": refused,
        },
    )
    return decision, True
