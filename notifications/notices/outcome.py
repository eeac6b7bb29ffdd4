"""Drafts for the council and the results: review requests, decision notices, score notices."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle, Unit, cycle_units
from models.intake import Initiative, InitiativeAuthor
from models.reporting import Line, criterion_label
from models.review import Assignment, Decision, InformationRequest, Tally
from models.review.conditions import ineligible
from notifications.documents.certificate import Holder
from notifications.documents.files import DocumentFiles
from notifications.mail.outbox import NoticeDraft, dedupe_key, queued_keys
from notifications.notices.drafting import base_context, draft
from notifications.notices.kinds import NoticeKind
from notifications.templating import so


def review_requests(session: Session, cycle: Cycle, plan: list[Assignment], as_of: date) -> list[NoticeDraft]:
    """One request per council member, listing the initiatives they may score, sheet attached."""
    config = cycle.configuration
    members = {
        m.id: m for m in session.scalars(select(CouncilMember).where(CouncilMember.cycle_id == cycle.id))
    }
    titles = {
        r.id: (r.title, r.name)
        for r in session.execute(
            select(Initiative.id, Initiative.title, Unit.name)
            .join(Unit, Unit.id == Initiative.unit_id)
            .where(Initiative.cycle_id == cycle.id)
        )
    }
    context = base_context(cycle) | {
        "criteria": [c.model_dump() for c in config.review.criteria],
        "approve_min_total": config.review.approve_min_total,
        "review_deadline": as_of + timedelta(days=config.review.response_days),
    }
    # Marked for the council: it cannot recognize them whatever the scores (``conditions``).
    failing = {i: "; ".join(reasons) for i, reasons in ineligible(session, cycle).items()}
    drafts = []
    for assignment in plan:
        member = members[assignment.member_id]
        listed = [
            {"id": i, "title": titles[i][0], "unit_name": titles[i][1], "ineligible": failing.get(i, "")}
            for i in assignment.initiative_ids
        ]
        spec = {
            "kind": "review",
            "cycle_id": cycle.id,
            "member_id": member.id,
            "filename": f"phieu-cham-sang-kien-{cycle.year}-{member.id}.xlsx",
        }
        drafts.append(
            draft(
                cycle,
                NoticeKind.REVIEW_REQUEST,
                "review",
                member.email,
                member.name,
                {**context, "role": member.role, "initiatives": listed},
                member_id=member.id,
                attachments=[spec],
            )
        )
    return drafts


def decision_notices(
    session: Session, cycle: Cycle, tallies: list[Tally], decision: Decision
) -> list[NoticeDraft]:
    """To each proposing unit, per decided initiative: recognized, or not with the reasons (the
    council's, the chair's, or the conditions for recognition it fails)."""
    # The decision's own list is what counts: the chair may leave out or add to the council's.
    chair = {int(c["initiative_id"]): c for c in decision.changes}
    decided = {
        t.initiative_id: t
        for t in tallies
        if t.outcome in ("recognized", "not_recognized", "ineligible") or t.initiative_id in chair
    }
    recognized_ids = set(decision.initiative_ids)
    if not decided:
        return []
    units = {
        r.id: r
        for r in session.execute(
            select(Initiative.id, Unit.id.label("unit_id"), Unit.name, Unit.email)
            .join(Unit, Unit.id == Initiative.unit_id)
            .where(Initiative.id.in_(decided))
        )
    }
    authors: dict[int, list[str]] = defaultdict(list)
    for initiative_id, name in session.execute(
        select(InitiativeAuthor.initiative_id, InitiativeAuthor.name)
        .where(InitiativeAuthor.initiative_id.in_(decided))
        .order_by(InitiativeAuthor.position)
    ):
        authors[initiative_id].append(name)
    context = base_context(cycle) | {"decision_number": decision.number, "decision_date": decision.issued_on}
    drafts = []
    for initiative_id, result in sorted(decided.items()):
        unit = units[initiative_id]
        # Members often write the same reason word for word: each distinct one is said once.
        reasons = list(dict.fromkeys(r.strip() for r in result.reasons if r.strip())) or [
            f"Chưa đạt tỷ lệ thành viên Hội đồng đồng ý công nhận ({result.approvals}/{result.eligible})."
        ]
        left_out = initiative_id in chair and chair[initiative_id]["action"] == "deselect"
        if left_out:
            reasons = [str(chair[initiative_id]["reason"])]
        facts = {
            "recognized": initiative_id in recognized_ids,
            "ineligible": result.outcome == "ineligible",
            "left_out": left_out,  # recommended by the council, not recognized by the chair
            "title": result.title,
            "authors": ", ".join(authors[initiative_id]),
            "reasons": reasons,
        }
        drafts.append(
            draft(
                cycle,
                NoticeKind.DECISION,
                f"decision-{initiative_id}",
                unit.email,
                unit.name,
                {**context, **facts},
                unit_id=unit.unit_id,
            )
        )
    return drafts


def certificate_notices(
    session: Session, cycle: Cycle, decision: Decision, certificates: list[tuple[Holder, DocumentFiles]]
) -> list[NoticeDraft]:
    """To each author with an e-mail of a recognized initiative: the decision, their certificate
    attached (once per author: the milestone names the author)."""
    titles = dict(
        session.execute(
            select(InitiativeAuthor.id, Initiative.title)
            .join(Initiative, Initiative.id == InitiativeAuthor.initiative_id)
            .where(InitiativeAuthor.id.in_([h.author_id for h, _ in certificates if h.email]))
        )
        .tuples()
        .all()
    )
    context = base_context(cycle) | {"decision_number": decision.number, "decision_date": decision.issued_on}
    return [
        draft(
            cycle,
            NoticeKind.CERTIFICATE,
            f"certificate-{holder.author_id}",
            holder.email,
            holder.name,
            {**context, "title": titles[holder.author_id]},
            unit_id=holder.unit_id,
            attachments=[{"kind": "document", "path": str(files.docx), "filename": files.docx.name}],
        )
        for holder, files in certificates
        if holder.email
    ]


def score_notices(session: Session, cycle: Cycle, lines: list[Line]) -> list[NoticeDraft]:
    """To each unit, its folded lines with reasons; a changed score makes a new notice."""
    units = cycle_units(session, cycle.id)
    per_unit: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        per_unit[line.unit_code].append(line)
    milestones = {
        code: "scores-"
        + hashlib.sha256(repr([(ln.criterion, ln.points, ln.reason) for ln in own]).encode()).hexdigest()[:12]
        for code, own in per_unit.items()
    }
    # Only a unit whose score changed gets a notice: the others' are queued already, not rendered.
    keys = {
        code: dedupe_key(cycle.id, NoticeKind.SCORE, m, unit_id=units[code].id)
        for code, m in milestones.items()
    }
    seen = queued_keys(session, keys.values())
    context = base_context(cycle)
    drafts = []
    for code, own in sorted(per_unit.items()):
        if keys[code] in seen:
            continue
        unit = units[code]
        shown = [
            {
                "label": criterion_label(ln.scorecard, ln.criterion),
                "points": ln.points.normalize(),
                "max_points": ln.max_points.normalize(),
                "reason": ln.reason,
            }
            for ln in own
        ]
        cards = "đánh giá mức độ hoàn thành nhiệm vụ"
        if any(ln.scorecard == "cchc_index" for ln in own):
            cards += " và chỉ số cải cách hành chính"
            if unit.kind == "commune":  # "của xã, thị trấn"; after the reform "của xã, phường, đặc khu"
                cards += f" của {cycle.configuration.authority.commune_kinds}"
        drafts.append(
            draft(
                cycle,
                NoticeKind.SCORE,
                milestones[code],
                unit.email,
                unit.name,
                {
                    **context,
                    "lines": shown,
                    "scorecards": f"{cards} năm {cycle.year}",
                    "contest_deadline": None,
                },
                unit_id=unit.id,
            )
        )
    return drafts


def score_table(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the scores export: one line per criterion, with its reason."""
    header = ["Mã đơn vị", "Tên đơn vị", "Nội dung", "Điểm", "Tối đa", "Lý do"]
    body = [
        [
            r["unit_code"],
            r["unit_name"],
            criterion_label(r["scorecard"], r["criterion"]),
            so(r["points"]),
            so(r["max_points"]),
            r["reason"],
        ]
        for r in records
    ]
    return header, body


def information_notices(session: Session, cycle: Cycle, ids: list[int]) -> list[NoticeDraft]:
    """To the unit of each initiative the council asked more of: the question and the deadline."""
    rows = session.execute(
        select(InformationRequest, Initiative.title, Unit)
        .join(Initiative, Initiative.id == InformationRequest.initiative_id)
        .join(Unit, Unit.id == Initiative.unit_id)
        .where(InformationRequest.cycle_id == cycle.id, InformationRequest.id.in_(ids))
        .order_by(InformationRequest.id)
    ).tuples()
    context = base_context(cycle)
    return [
        draft(
            cycle,
            NoticeKind.MORE_INFORMATION,
            f"information-{request.id}",
            unit.email,
            unit.name,
            {**context, "title": title, "missing": request.question, "new_deadline": request.due_on},
            unit_id=unit.id,
        )
        for request, title, unit in rows
    ]
