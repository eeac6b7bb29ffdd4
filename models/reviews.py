"""Council score sheets: validation against the configured criteria, recusal and replacement.

A member recuses from initiatives of their own unit or their own authorship. A member's new
sheet for the same initiative replaces the old one, and the change is audited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import record
from models.config import CycleConfig
from models.errors import ImportRejected, RowError
from models.roster import IntakeResult
from models.schemas import ReviewIn
from models.tables import Cycle, Initiative, InitiativeAuthor, Unit
from models.tables_outcome import CouncilMember, ScoreSheet
from models.text import title_key


def _sheet_image(sheet: ScoreSheet) -> dict[str, Any]:
    return {"scores": sheet.scores, "total": sheet.total, "approve": sheet.approve,
            "comment": sheet.comment}


def store_reviews(
    session: Session, cycle: Cycle, items: list[tuple[int, ReviewIn]], file: str, actor: str, prior: list[RowError] | None = None
) -> IntakeResult:
    """Validate and store score sheets; all or nothing."""
    config = CycleConfig.model_validate(cycle.config)
    bounds = {c.code: c.max_points for c in config.review.criteria}
    members = {m.name_key: m for m in session.scalars(
        select(CouncilMember).where(CouncilMember.cycle_id == cycle.id))}
    ids = {item.initiative_id for _, item in items}
    initiatives = dict(session.execute(
        select(Initiative.id, Unit.code).join(Unit, Unit.id == Initiative.unit_id)
        .where(Initiative.cycle_id == cycle.id, Initiative.id.in_(ids))).tuples().all())
    authors: dict[int, set[str]] = {}
    for initiative_id, name in session.execute(
        select(InitiativeAuthor.initiative_id, InitiativeAuthor.name)
        .where(InitiativeAuthor.initiative_id.in_(ids))
    ):
        authors.setdefault(initiative_id, set()).add(title_key(name))
    errors: list[RowError] = list(prior or [])
    seen: dict[tuple[int, int], int] = {}
    valid: list[tuple[CouncilMember, ReviewIn, dict[str, Decimal]]] = []
    for number, item in items:
        member = members.get(title_key(item.member))
        unit_code = initiatives.get(item.initiative_id)
        if member is None:
            errors.append(RowError(file, number, "member", (
                f"{item.member!r} không phải thành viên Hội đồng sáng kiến của chu kỳ {cycle.year}")))
            continue
        if unit_code is None:
            errors.append(RowError(file, number, "initiative_id", (
                f"không có sáng kiến số {item.initiative_id} trong chu kỳ {cycle.year}")))
            continue
        if member.unit_code == unit_code or member.name_key in authors.get(item.initiative_id, set()):
            errors.append(RowError(file, number, "member", (
                f"{member.name} phải tránh chấm sáng kiến số {item.initiative_id} "
                "(sáng kiến của đơn vị mình hoặc do mình là tác giả)")))
            continue
        scores = {code: getattr(item, code, None) for code in bounds}
        row_ok = True
        for code, top in bounds.items():
            value = scores[code]
            if value is None:
                errors.append(RowError(file, number, code, "tiêu chí này chưa có cột điểm"))
                row_ok = False
            elif value > top:
                errors.append(RowError(file, number, code, f"điểm {value} vượt mức tối đa {top}"))
                row_ok = False
        key = (item.initiative_id, member.id)
        if key in seen:
            errors.append(RowError(file, number, "member", (
                f"phiếu chấm trùng với dòng {seen[key]} (cùng thành viên, cùng sáng kiến)")))
            continue
        seen[key] = number
        total = sum((v for v in scores.values() if v is not None), Decimal(0))
        if row_ok and item.approve and total < config.review.approve_min_total:
            errors.append(RowError(file, number, "approve", (
                f"tổng điểm {total} dưới ngưỡng {config.review.approve_min_total}; "
                "không thể đồng ý công nhận")))
            row_ok = False
        if row_ok:
            valid.append((member, item, {k: v for k, v in scores.items() if v is not None}))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    existing = {(s.initiative_id, s.member_id): s for s in session.scalars(
        select(ScoreSheet).where(ScoreSheet.initiative_id.in_(ids)))}
    stored = updated = unchanged = 0
    for member, item, scores in valid:
        fields = {"scores": {k: str(v) for k, v in scores.items()}, "total": sum(scores.values()),
                  "approve": item.approve, "comment": item.comment}
        sheet = existing.get((item.initiative_id, member.id))
        if sheet is None:
            sheet = ScoreSheet(initiative_id=item.initiative_id, member_id=member.id, **fields)
            session.add(sheet)
            session.flush()
            record(session, actor, "score_sheet", sheet.id, "create", after=_sheet_image(sheet))
            stored += 1
        elif _sheet_image(sheet) == fields:
            unchanged += 1
        else:
            before = _sheet_image(sheet)
            for name, value in fields.items():
                setattr(sheet, name, value)
            record(session, actor, "score_sheet", sheet.id, "replace", before=before,
                   after=_sheet_image(sheet))
            updated += 1
    session.flush()
    return IntakeResult("reviews", stored=stored, updated=updated, unchanged=unchanged)
