"""The outbox: queue a notice once per dedupe key; claim, mark sent, failed or released.

Queuing inserts with ``ON CONFLICT DO NOTHING`` on the dedupe key, so queuing twice stores once.
Claiming moves queued notices (and ``sending`` ones whose lease ran out: their deliverer died) to
``sending`` in one statement; on PostgreSQL the candidates are locked with ``FOR UPDATE SKIP
LOCKED`` so parallel deliverers never take the same notice. The Message-ID is derived from the
dedupe key when queued, so a resend after a crash carries the same Message-ID.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.db import Notice

NO_ADDRESS = "đơn vị chưa có địa chỉ thư điện tử; hãy cập nhật danh sách đơn vị rồi gửi lại"


@dataclass(frozen=True, slots=True)
class Thread:
    """The message a notice answers: its Message-ID and the References chain that led to it."""

    in_reply_to: str
    references: str = ""


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """A rendered notice about to be queued."""

    cycle_id: int
    kind: str
    milestone: str
    recipient: str | None
    recipient_name: str
    subject: str
    text: str
    html: str
    unit_id: int | None = None
    member_id: int | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    thread: Thread | None = None  # a reply to a unit's message

    @property
    def dedupe_key(self) -> str:
        """(cycle, unit or member, kind, milestone): one notice per key, ever."""
        return dedupe_key(
            self.cycle_id, self.kind, self.milestone, unit_id=self.unit_id, member_id=self.member_id
        )


def dedupe_key(
    cycle_id: int, kind: str, milestone: str, *, unit_id: int | None = None, member_id: int | None = None
) -> str:
    """The key of a notice: known before it is rendered, so a step can ask what is new first."""
    who = f"u{unit_id}" if unit_id is not None else f"m{member_id}"
    return f"{cycle_id}:{who}:{kind}:{milestone}"


@dataclass(frozen=True, slots=True)
class OutgoingNotice:
    """A claimed notice, as the sender needs it (no ORM object leaves the session)."""

    id: int
    cycle_id: int
    recipient: str
    recipient_name: str
    subject: str
    text: str
    html: str
    message_id: str
    attachments: list[dict[str, Any]]
    thread: Thread | None = None


def message_id_for(dedupe_key: str, domain: str) -> str:
    """A Message-ID fixed by the dedupe key: the same notice always has the same one."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def queued_keys(session: Session, keys: Collection[str]) -> set[str]:
    """Those of ``keys`` already in the outbox (what ``queue_notices`` would skip)."""
    wanted = list(keys)
    seen: set[str] = set()
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        seen.update(session.scalars(select(Notice.dedupe_key).where(Notice.dedupe_key.in_(chunk))))
    return seen


def queue_notices(session: Session, drafts: Sequence[NoticeDraft], domain: str) -> int:
    """Insert the drafts not queued before; returns how many were new.

    A draft without a recipient is stored as ``failed`` with the reason, so an officer sees it.
    """
    if not drafts:
        return 0
    rows = [
        {
            "cycle_id": d.cycle_id,
            "unit_id": d.unit_id,
            "member_id": d.member_id,
            "kind": d.kind,
            "milestone": d.milestone,
            "dedupe_key": d.dedupe_key,
            "recipient": d.recipient,
            "recipient_name": d.recipient_name,
            "subject": d.subject,
            "body_text": d.text,
            "body_html": d.html,
            "message_id": message_id_for(d.dedupe_key, domain),
            "attachments": d.attachments,
            "in_reply_to": d.thread.in_reply_to if d.thread else None,
            "thread_references": d.thread.references if d.thread else None,
            "state": "queued" if d.recipient else "failed",
            "attempts": 0,
            "last_error": None if d.recipient else NO_ADDRESS,
        }
        for d in drafts
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Notice).on_conflict_do_nothing(index_elements=["dedupe_key"])
    inserted = 0
    for start in range(0, len(rows), 1000):
        result = session.execute(statement.returning(Notice.id), rows[start : start + 1000])
        inserted += len(result.all())
    return inserted


def claim_notices(
    session: Session,
    limit: int,
    lease: timedelta,
    now: datetime,
    cycle_id: int | None = None,
    skip: Collection[int] = (),
) -> list[OutgoingNotice]:
    """Take up to ``limit`` notices for sending (not those in ``skip``); the caller commits at once."""
    claimable = or_(Notice.state == "queued", (Notice.state == "sending") & (Notice.lease_until < now))
    candidates = select(Notice.id).where(claimable).order_by(Notice.id).limit(limit)
    if cycle_id is not None:
        candidates = candidates.where(Notice.cycle_id == cycle_id)
    if skip:
        candidates = candidates.where(Notice.id.not_in(list(skip)))
    # A CTE, not "id IN (subquery)": PostgreSQL may run an IN subquery more than once, which
    # let one claim of 20 take 60 notices; a locking CTE is evaluated exactly once.
    chosen = candidates.with_for_update(skip_locked=True).cte("chosen")
    claimed = session.execute(
        update(Notice)
        .where(Notice.id == chosen.c.id, claimable)
        .values(state="sending", lease_until=now + lease, attempts=Notice.attempts + 1)
        .returning(
            Notice.id,
            Notice.cycle_id,
            Notice.recipient,
            Notice.recipient_name,
            Notice.subject,
            Notice.body_text,
            Notice.body_html,
            Notice.message_id,
            Notice.attachments,
            Notice.in_reply_to,
            Notice.thread_references,
        )
    ).all()
    return sorted(
        (
            OutgoingNotice(
                r.id,
                r.cycle_id,
                r.recipient or "",
                r.recipient_name,
                r.subject,
                r.body_text,
                r.body_html,
                r.message_id,
                list(r.attachments),
                Thread(r.in_reply_to, r.thread_references or "") if r.in_reply_to else None,
            )
            for r in claimed
        ),
        key=lambda n: n.id,
    )


def count_claimable(session: Session, now: datetime, cycle_id: int | None = None) -> int:
    """How many notices a delivery run would take now (for its progress bar)."""
    claimable = or_(Notice.state == "queued", (Notice.state == "sending") & (Notice.lease_until < now))
    query = select(func.count(Notice.id)).where(claimable)
    if cycle_id is not None:
        query = query.where(Notice.cycle_id == cycle_id)
    return session.scalar(query) or 0


def mark_sent(session: Session, ids: Sequence[int], now: datetime) -> None:
    """The server accepted these notices."""
    if ids:
        session.execute(
            update(Notice)
            .where(Notice.id.in_(ids), Notice.state == "sending")
            .values(state="sent", sent_at=now, lease_until=None, last_error=None)
        )


def mark_failed(session: Session, failures: dict[int, str]) -> None:
    """The server refused these notices for good; each keeps the server's reply."""
    for notice_id, reason in failures.items():
        session.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.state == "sending")
            .values(state="failed", lease_until=None, last_error=reason[:2000])
        )


def release(session: Session, failures: dict[int, str]) -> None:
    """Transient trouble outlasted this run's retries: queued again for the next run, with why."""
    for notice_id, reason in failures.items():
        session.execute(
            update(Notice)
            .where(Notice.id == notice_id, Notice.state == "sending")
            .values(state="queued", lease_until=None, last_error=reason[:2000])
        )
