"""Recognition: the chair's decision recorded once per cycle, and each initiative's status.

The council recommends; the chair decides. The chair's approval carries the final list: the
council's recommendation, less what the chair left out, plus what the chair added, each change
with its reason (an addition also with a warning, since the council did not pass it). Each change
goes to the audit log and to the decision's own record.

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

ADDED_WARNING = "Hội đồng sáng kiến không đề nghị công nhận; Chủ tịch quyết định công nhận"


@dataclass(frozen=True, slots=True)
class Change:
    """One initiative the chair left out of the recommendation ("deselect") or added ("add")."""

    initiative_id: int
    action: str
    reason: str

    def entry(self) -> dict[str, object]:
        """As the decision's record keeps it."""
        warning = ADDED_WARNING if self.action == "add" else ""
        return {
            "initiative_id": self.initiative_id,
            "action": self.action,
            "reason": self.reason,
            "warning": warning,
        }


@dataclass(frozen=True, slots=True)
class Approval:
    """What the chair fills in: the decision's number, date and signer, and the chair's changes
    to the council's recommendation (none: the recommendation as it is)."""

    number: str
    issued_on: date
    signer_name: str
    signer_title: str
    changes: tuple[Change, ...] = ()

    def final(self, recommended: list[int]) -> list[int]:
        """The initiatives the decision recognizes, in id order."""
        out = {c.initiative_id for c in self.changes if c.action == "deselect"}
        added = {c.initiative_id for c in self.changes if c.action == "add"}
        return sorted((set(recommended) - out) | added)


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
    recommended = [t.initiative_id for t in tallies if t.outcome == "recognized"]
    # An initiative failing a condition for recognition is never recognized, whatever the form says.
    ineligible = {t.initiative_id for t in tallies if t.outcome == "ineligible"}
    recognized = [i for i in approval.final(recommended) if i not in ineligible]
    decided = {
        t.initiative_id for t in tallies if t.outcome in ("recognized", "not_recognized", "ineligible")
    }
    refused = sorted((decided | {c.initiative_id for c in approval.changes}) - set(recognized))
    changes = [c.entry() for c in approval.changes]
    decision = Decision(
        cycle_id=cycle.id,
        kind="recognition",
        number=approval.number,
        issued_on=approval.issued_on,
        signer_name=approval.signer_name,
        signer_title=approval.signer_title,
        initiative_ids=recognized,
        changes=changes,
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
            "recommended": recommended,
            "recognized": recognized,
            "not_recognized": refused,
            "changes": changes,
        },
    )
    for change in changes:  # one entry per change, on the initiative it concerns
        record(
            session,
            actor,
            "initiative",
            int(str(change["initiative_id"])),
            f"chair-{change['action']}",
            after=change | {"decision": decision.id},
        )
    return decision, True
