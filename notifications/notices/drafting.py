"""What each notice says, drafted from the database: the context of every template, the call for
proposals to every unit, receipts for what a unit sent, and the attachments a notice names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleConfig, CycleDeadlines, Unit, cycle_units, home_affairs_head
from models.intake import OBLIGATIONS, SUBMISSIONS
from models.review.conditions import ineligible
from models.tracking import cycle_obligations
from notifications.documents.outline import outline_filename
from notifications.mail.outbox import NoticeDraft
from notifications.notices.kinds import NoticeKind
from notifications.notices.rendering import render_notice


def office_of(config: CycleConfig) -> dict[str, str]:
    """The standing office that signs every e-mail: name, telephone, address, officer in charge.
    No leader signs an e-mail; only the official letter attached to one carries a signature."""
    office = config.authority.standing_office
    return {
        "name": config.authority.home_affairs,
        "phone": office.phone,
        "email": office.email or config.authority.email or "",
        "contact": office.contact,
    }


def base_context(cycle: Cycle) -> dict[str, Any]:
    """Facts every notice of the cycle may use: authority, year, effective deadlines (and as
    shown, with why one moved), the standing office that signs."""
    config = cycle.configuration
    effective = CycleDeadlines(cycle, {}).cycle_deadlines
    return {
        "authority_name": config.authority.name,
        "home_affairs": config.authority.home_affairs,
        "home_affairs_head": home_affairs_head(config.authority),
        "committee_office": config.authority.committee_office,
        "one_stop_shop": config.authority.one_stop_shop,
        "commune_kinds": config.authority.commune_kinds,
        "office": office_of(config),
        "year": cycle.year,
        "cycle_name": cycle.name,
        "legal_bases": list(config.legal_bases),
        "deadlines": {name: d.effective for name, d in effective.items()},
        "deadline_texts": {name: d.describe() for name, d in effective.items()},
        "replicated": [item.model_dump() for item in config.replicated],
        # The call's items: each obligation's template under templates/call/ (per unit, those it owes).
        "call_items": [ob.call_item for ob in cycle_obligations(cycle)],
    }


def draft(
    cycle: Cycle,
    kind: str,
    milestone: str,
    recipient: str | None,
    name: str,
    context: dict[str, Any],
    *,
    unit_id: int | None = None,
    member_id: int | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> NoticeDraft:
    """Render one notice into a draft for the outbox."""
    rendered = render_notice(kind, {**context, "recipient_name": name})
    return NoticeDraft(
        cycle_id=cycle.id,
        kind=kind,
        milestone=milestone,
        recipient=recipient,
        recipient_name=name,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        unit_id=unit_id,
        member_id=member_id,
        attachments=attachments or [],
    )


RECIPIENT = "⟪người nhận⟫"  # stands for the recipient while one rendering serves many


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who one of many identical notices goes to."""

    name: str
    email: str | None
    unit_id: int | None = None
    member_id: int | None = None


def draft_many(
    cycle: Cycle,
    kind: str,
    milestone: str,
    context: dict[str, Any],
    recipients: Sequence[Recipient],
    attachments: list[dict[str, Any]] | None = None,
) -> list[NoticeDraft]:
    """Render once, then fill in each recipient: a sweep day's reminders to thousands of units cost
    one template rendering, not thousands (the name is escaped for the HTML part)."""
    if not recipients:
        return []
    rendered = render_notice(kind, {**context, "recipient_name": RECIPIENT})
    return [
        NoticeDraft(
            cycle_id=cycle.id,
            kind=kind,
            milestone=milestone,
            recipient=r.email,
            recipient_name=r.name,
            subject=rendered.subject.replace(RECIPIENT, r.name),
            text=rendered.text.replace(RECIPIENT, r.name),
            html=rendered.html.replace(RECIPIENT, escape(r.name)),
            unit_id=r.unit_id,
            member_id=r.member_id,
            attachments=list(attachments or []),
        )
        for r in recipients
    ]


def call_for_proposals(session: Session, cycle: Cycle) -> list[NoticeDraft]:
    """The call to every unit of the cycle: an item per obligation the unit owes (its template
    under ``templates/call/``), with the pre-filled workbook of each that has one."""
    context = base_context(cycle)
    config = cycle.configuration
    obligations = cycle_obligations(cycle)
    drafts = []
    for unit in cycle_units(session, cycle.id).values():
        owed = [ob for ob in obligations if ob.owed(unit.kind, config)]
        specs = [
            {
                "kind": ob.submission,
                "cycle_id": cycle.id,
                "unit_code": unit.code,
                "unit_kind": unit.kind,  # a workbook whose rows depend on it (the catalogue's)
                "filename": workbook.filename.format(year=cycle.year, unit=unit.code),
            }
            for ob in owed
            if (workbook := ob.kind.workbook) is not None
        ]
        if "report" in {ob.code for ob in owed}:  # the report follows the attached outline
            specs.insert(
                0, outline_spec(cycle, OBLIGATIONS["replication"].owed(unit.kind, config), unit.kind)
            )
        facts = {
            "attachments": [s["filename"] for s in specs],
            "call_items": [ob.call_item for ob in owed],
            # Only the units that owe the replication report are told of the catalogue.
            "replicated": [item for item in context["replicated"] if unit.kind in item["unit_kinds"]]
            if "replication" in {ob.code for ob in owed}
            else [],
        }
        drafts.append(
            draft(
                cycle,
                NoticeKind.CALL_FOR_PROPOSALS,
                "open",
                unit.email,
                unit.name,
                {**context, **facts},
                unit_id=unit.id,
                attachments=specs,
            )
        )
    return drafts


def receipts(session: Session, cycle: Cycle, kind: str, ids: Sequence[int]) -> list[NoticeDraft]:
    """One receipt per unit for the rows of one intake (milestone: the kind and the first row)."""
    if not ids or kind not in SUBMISSIONS:
        return []
    submission = SUBMISSIONS[kind]
    ob = OBLIGATIONS[submission.obligation]
    per_unit: dict[int, list[Any]] = defaultdict(list)
    for row in sorted(session.execute(submission.receipt_rows(ids)), key=lambda r: r.id):
        per_unit[row.unit_id].append(row)
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(per_unit)))}
    context = base_context(cycle)
    deadlines = CycleDeadlines.load(session, cycle)
    # An initiative taken in but failing a condition for recognition: the unit is told now.
    failing = ineligible(session, cycle, ids) if kind == "initiatives" else {}
    drafts = []
    for unit_id, rows in sorted(per_unit.items()):
        unit = units[unit_id]
        sent: date = max(r.submitted_on for r in rows)
        due = deadlines.for_unit(unit_id, ob.code)
        facts = {
            "what": ob.labels.receipt,
            "items": [r.item or "Báo cáo chung của đơn vị" for r in rows],
            "submitted_on": sent,
            "deadline": due.deadline,
            "deadline_text": due.text,
            "days_late": max(r.days_late for r in rows),
            "warnings": [
                {"item": r.item, "reasons": "; ".join(failing[r.id])} for r in rows if r.id in failing
            ],
        }
        drafts.append(
            draft(
                cycle,
                NoticeKind.RECEIPT,
                f"{kind}-{rows[0].id}",
                unit.email,
                unit.name,
                {**context, **facts},
                unit_id=unit.id,
            )
        )
    return drafts


def outline_spec(cycle: Cycle, replicates: bool, unit_kind: str = "") -> dict[str, Any]:
    """The outbox's spec of the report outline, built when the notice is sent (``replicates``:
    with the section and table of the replicated initiatives, those of ``unit_kind``)."""
    return {
        "kind": "outline",
        "cycle_id": cycle.id,
        "replicates": replicates,
        "unit_kind": unit_kind if replicates else "",
        "filename": outline_filename(cycle.year),
    }
