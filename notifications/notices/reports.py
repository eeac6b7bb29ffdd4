"""What an officer sees of the outbox: every notice, whether it went out, when, and if not, why."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Unit
from models.db import Notice
from notifications.notices.kinds import label

STATE_LABELS = {"queued": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "failed": "lỗi"}


def notice_records(session: Session, cycle_id: int, state: str | None = None) -> list[dict[str, Any]]:
    """Every notice of a cycle (optionally in one state), oldest first."""
    query = (
        select(Notice, Unit.code, CouncilMember.name)
        .outerjoin(Unit, Unit.id == Notice.unit_id)
        .outerjoin(CouncilMember, CouncilMember.id == Notice.member_id)
        .where(Notice.cycle_id == cycle_id)
        .order_by(Notice.id)
    )
    if state:
        query = query.where(Notice.state == state)
    return [
        {
            "id": n.id,
            "kind": n.kind,
            "kind_label": label(n.kind),
            "milestone": n.milestone,
            "unit_code": code,
            "member": member,
            "recipient": n.recipient,
            "recipient_name": n.recipient_name,
            "subject": n.subject,
            "state": n.state,
            "attempts": n.attempts,
            "queued_at": n.queued_at.isoformat(),
            "sent_at": n.sent_at.isoformat() if n.sent_at else None,
            "last_error": n.last_error,
            "message_id": n.message_id,
        }
        for n, code, member in session.execute(query)
    ]


def notice_table(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows with Vietnamese labels, for the terminal and the spreadsheet export."""
    header = [
        "Số",
        "Loại thư",
        "Đơn vị / thành viên",
        "Người nhận",
        "Tiêu đề",
        "Trạng thái",
        "Số lần gửi",
        "Gửi lúc",
        "Lỗi gần nhất",
    ]
    body = [
        [
            r["id"],
            label(r["kind"]),
            r["unit_code"] or r["member"] or "",
            r["recipient"] or "",
            r["subject"],
            STATE_LABELS.get(r["state"], r["state"]),
            r["attempts"],
            (r["sent_at"] or "")[:19].replace("T", " "),
            r["last_error"] or "",
        ]
        for r in records
    ]
    return header, body


def state_counts(records: list[dict[str, Any]]) -> str:
    """'đã gửi: 34, lỗi: 1' — one line for the end of a listing."""
    counts = Counter(r["state"] for r in records)
    return ", ".join(f"{STATE_LABELS.get(s, s)}: {n}" for s, n in sorted(counts.items())) or "không có thư"
