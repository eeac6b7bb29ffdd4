"""Council score sheets: validation against the configured criteria, recusal and replacement.

A member recuses from initiatives of their own unit or their own authorship. A member's new
sheet for the same initiative replaces the old one, and the change is audited. A member may
approve only a sheet whose total reaches the configured threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle, CycleConfig, Unit
from models.db import record, record_many
from models.db.bulk import insert_rows
from models.errors import ImportRejected, RowError
from models.intake import Initiative, InitiativeAuthor, IntakeResult, ReviewIn
from models.review.tables import ScoreSheet
from models.text import title_key

REVIEW_COLUMNS = {
    "initiative_id": "Mã sáng kiến",
    "member": "Thành viên hội đồng",
    "novelty": "Điểm tính mới",
    "applicability": "Điểm khả năng áp dụng, nhân rộng",
    "effectiveness": "Điểm hiệu quả",
    "approve": "Đồng ý công nhận",
    "comment": "Ý kiến",
}


@dataclass(frozen=True, slots=True)
class _Context:
    """What a sheet is checked against, loaded once for the whole batch."""

    year: int
    config: CycleConfig
    members: dict[str, CouncilMember]
    initiative_units: dict[int, str]
    authors: dict[int, set[str]]


def _load_context(session: Session, cycle: Cycle, ids: set[int]) -> _Context:
    members = {
        m.name_key: m
        for m in session.scalars(select(CouncilMember).where(CouncilMember.cycle_id == cycle.id))
    }
    units = dict(
        session.execute(
            select(Initiative.id, Unit.code)
            .join(Unit, Unit.id == Initiative.unit_id)
            .where(Initiative.cycle_id == cycle.id, Initiative.id.in_(ids))
        )
        .tuples()
        .all()
    )
    authors: dict[int, set[str]] = {}
    for initiative_id, name in session.execute(
        select(InitiativeAuthor.initiative_id, InitiativeAuthor.name).where(
            InitiativeAuthor.initiative_id.in_(ids)
        )
    ):
        authors.setdefault(initiative_id, set()).add(title_key(name))
    return _Context(cycle.year, CycleConfig.model_validate(cycle.config), members, units, authors)


def _check_sheet(
    ctx: _Context, number: int, item: ReviewIn, file: str, errors: list[RowError]
) -> tuple[CouncilMember, dict[str, Decimal]] | None:
    """The member and the scores of one valid sheet, or None with the problems appended."""
    member = ctx.members.get(title_key(item.member))
    unit_code = ctx.initiative_units.get(item.initiative_id)
    if member is None:
        message = f"{item.member!r} không phải thành viên Hội đồng sáng kiến của chu kỳ {ctx.year}"
        errors.append(RowError(file, number, "member", message))
        return None
    if unit_code is None:
        message = f"không có sáng kiến số {item.initiative_id} trong chu kỳ {ctx.year}"
        errors.append(RowError(file, number, "initiative_id", message))
        return None
    if member.unit_code == unit_code or member.name_key in ctx.authors.get(item.initiative_id, set()):
        message = (
            f"{member.name} phải tránh chấm sáng kiến số {item.initiative_id} "
            "(sáng kiến của đơn vị mình hoặc do mình là tác giả)"
        )
        errors.append(RowError(file, number, "member", message))
        return None
    scores: dict[str, Decimal] = {}
    found = len(errors)
    for criterion in ctx.config.review.criteria:
        value = getattr(item, criterion.code, None)
        if not isinstance(value, Decimal):
            errors.append(RowError(file, number, criterion.code, "tiêu chí này chưa có cột điểm"))
        elif value > criterion.max_points:
            message = f"điểm {value} vượt mức tối đa {criterion.max_points}"
            errors.append(RowError(file, number, criterion.code, message))
        else:
            scores[criterion.code] = value
    total = sum(scores.values(), Decimal(0))
    rule = ctx.config.review
    if len(errors) == found and item.approve and total < rule.approve_min_total:
        message = f"tổng điểm {total} dưới ngưỡng {rule.approve_min_total}; không thể đồng ý công nhận"
        errors.append(RowError(file, number, "approve", message))
    elif len(errors) == found and item.approve and scores.get(rule.approve_requires_positive) == 0:
        message = (
            f"điểm {rule.approve_requires_positive} bằng 0 (sáng kiến không có tính mới); "
            "không thể đồng ý công nhận"
        )
        errors.append(RowError(file, number, "approve", message))
    return (member, scores) if len(errors) == found else None


def _image(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "scores": sheet.scores,
        "total": Decimal(sheet.total),
        "approve": sheet.approve,
        "comment": sheet.comment,
    }


def store_reviews(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, ReviewIn]],
    file: str,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Validate and store score sheets; all or nothing."""
    errors: list[RowError] = list(prior or [])
    ids = {item.initiative_id for _, item in items}
    ctx = _load_context(session, cycle, ids)
    seen: dict[tuple[int, int], int] = {}
    valid: list[tuple[CouncilMember, ReviewIn, dict[str, Decimal]]] = []
    for number, item in items:
        checked = _check_sheet(ctx, number, item, file, errors)
        if checked is None:
            continue
        member, scores = checked
        key = (item.initiative_id, member.id)
        if key in seen:
            message = f"phiếu chấm trùng với dòng {seen[key]} (cùng thành viên, cùng sáng kiến)"
            errors.append(RowError(file, number, "member", message))
            continue
        seen[key] = number
        valid.append((member, item, scores))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    # Only the sheets these rows could replace: a member's file meets that member's sheets.
    members = {member.id for member, _, _ in valid}
    existing = {
        (s.initiative_id, s.member_id): s
        for s in session.scalars(
            select(ScoreSheet).where(ScoreSheet.initiative_id.in_(ids), ScoreSheet.member_id.in_(members))
        )
    }
    stored = updated = unchanged = 0
    created: list[ScoreSheet] = []
    for member, item, scores in valid:
        fields: dict[str, Any] = {
            "scores": {k: str(v) for k, v in scores.items()},
            "total": sum(scores.values(), Decimal(0)),
            "approve": item.approve,
            "comment": item.comment,
        }
        sheet = existing.get((item.initiative_id, member.id))
        if sheet is None:
            created.append(ScoreSheet(initiative_id=item.initiative_id, member_id=member.id, **fields))
            stored += 1
        elif _image(sheet) == fields:
            unchanged += 1
        else:
            before = _image(sheet)
            for name, value in fields.items():
                setattr(sheet, name, value)
            record(session, actor, "score_sheet", sheet.id, "replace", before=before, after=_image(sheet))
            updated += 1
    # A council's sheets come by the ten thousand: new ones go out in bulk, audited in one statement.
    new_ids = insert_rows(session, created)
    record_many(
        session,
        actor,
        "score_sheet",
        "create",
        [(i, _image(s)) for i, s in zip(new_ids, created, strict=True)],
    )
    session.flush()
    return IntakeResult("reviews", stored=stored, updated=updated, unchanged=unchanged)
