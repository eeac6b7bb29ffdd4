"""Review: who scores what (recusal), and the council's tally per initiative.

A member recuses from initiatives of their own unit or their own authorship. Whether the council
recommends an initiative is the cycle's voting rule (``models.review.voting``; by default from
2/3 of the members who did not recuse, exactly); not recommended, with the reasons the
non-approving members wrote, once the sheets the rule waits for are in; ``pending`` while they are
missing; ``waiting`` while the council's request for more information is unanswered
(``models.review.information``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle, Unit
from models.intake import Initiative, InitiativeAuthor
from models.review.conditions import ineligible
from models.review.information import open_requests
from models.review.tables import ScoreSheet
from models.review.voting import voting_rule
from models.text import title_key

# The council recommends; the chair decides (the labels say so).
OUTCOME_LABELS = {
    "recognized": "Đề nghị công nhận",
    "not_recognized": "Không đề nghị công nhận",
    "pending": "Chưa đủ phiếu",
    "waiting": "Chờ đơn vị bổ sung",
    "ineligible": "Không đủ điều kiện công nhận",
}


@dataclass(frozen=True, slots=True)
class Assignment:
    """One member's initiatives to score."""

    member_id: int
    initiative_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Tally:
    """The council's result for one initiative."""

    initiative_id: int
    title: str
    unit_code: str
    eligible: int
    sheets: int
    approvals: int
    means: dict[str, Decimal] = field(default_factory=dict)
    mean_total: Decimal = Decimal(0)
    outcome: str = "pending"  # recognized, not_recognized, pending, waiting (for more information),
    # or ineligible: fails a condition for recognition (``models.review.conditions``), reasons say which
    reasons: tuple[str, ...] = ()


def assignments(session: Session, cycle: Cycle) -> dict[int, list[int]]:
    """For every initiative of the cycle, the members who may score it (three queries)."""
    members = session.scalars(select(CouncilMember).where(CouncilMember.cycle_id == cycle.id)).all()
    initiatives = session.execute(
        select(Initiative.id, Unit.code)
        .join(Unit, Unit.id == Initiative.unit_id)
        .where(Initiative.cycle_id == cycle.id)
    ).all()
    authors: dict[int, set[str]] = defaultdict(set)
    for initiative_id, name in session.execute(
        select(InitiativeAuthor.initiative_id, InitiativeAuthor.name)
        .join(Initiative, Initiative.id == InitiativeAuthor.initiative_id)
        .where(Initiative.cycle_id == cycle.id)
    ):
        authors[initiative_id].add(title_key(name))
    return {
        initiative_id: [
            m.id for m in members if m.unit_code != unit_code and m.name_key not in authors[initiative_id]
        ]
        for initiative_id, unit_code in initiatives
    }


def by_member(eligible: dict[int, list[int]]) -> list[Assignment]:
    """The same assignments, per member."""
    per_member: dict[int, list[int]] = defaultdict(list)
    for initiative_id, member_ids in sorted(eligible.items()):
        for member_id in member_ids:
            per_member[member_id].append(initiative_id)
    return [Assignment(member, tuple(ids)) for member, ids in sorted(per_member.items())]


def tally(session: Session, cycle: Cycle) -> list[Tally]:
    """The result of every initiative of the cycle, from the stored sheets (set-based)."""
    config = cycle.configuration
    eligible = assignments(session, cycle)
    titles = {
        r.id: (r.title, r.code)
        for r in session.execute(
            select(Initiative.id, Initiative.title, Unit.code)
            .join(Unit, Unit.id == Initiative.unit_id)
            .where(Initiative.cycle_id == cycle.id)
        )
    }
    # Plain rows, not mapped objects: a national council's tally reads some 150,000 sheets.
    sheets: dict[int, list[Row[Any]]] = defaultdict(list)
    for sheet in session.execute(
        select(
            ScoreSheet.initiative_id,
            ScoreSheet.member_id,
            ScoreSheet.scores,
            ScoreSheet.approve,
            ScoreSheet.comment,
        )
        .join(Initiative, Initiative.id == ScoreSheet.initiative_id)
        .where(Initiative.cycle_id == cycle.id)
    ):
        if sheet.member_id in eligible.get(sheet.initiative_id, []):
            sheets[sheet.initiative_id].append(sheet)
    rule = voting_rule(config.review)
    council = session.scalar(select(func.count()).where(CouncilMember.cycle_id == cycle.id)) or 0
    waiting = open_requests(session, cycle)
    failed = ineligible(session, cycle)
    results = []
    for initiative_id, members in sorted(eligible.items()):
        own = sheets[initiative_id]
        approvals = sum(1 for s in own if s.approve)
        codes = [c.code for c in config.review.criteria]
        means = (
            {
                code: (sum((Decimal(s.scores.get(code, "0")) for s in own), Decimal(0)) / len(own)).quantize(
                    Decimal("0.01")
                )
                for code in codes
            }
            if own
            else {}
        )
        if initiative_id in waiting:
            outcome = "waiting"  # the council asked the unit for more: it decides after the answer
        else:
            outcome = rule.outcome(approvals, len(own), len(members), council)
        reasons = tuple(s.comment for s in own if not s.approve and s.comment)
        if initiative_id in failed:  # whatever the votes, it cannot be recognized
            outcome, reasons = "ineligible", failed[initiative_id]
        title, unit_code = titles[initiative_id]
        results.append(
            Tally(
                initiative_id,
                title,
                unit_code,
                len(members),
                len(own),
                approvals,
                means,
                sum(means.values(), Decimal(0)),
                outcome,
                reasons,
            )
        )
    return results
