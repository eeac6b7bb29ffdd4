"""The ledger of the mailbox: each message recorded before it is worked on or moved, once.

A message is claimed (a row keyed by mailbox, UIDVALIDITY and UID, with its Message-ID, its raw
bytes and their SHA-256) in a transaction of its own; then it is taken in, and its outcome is
written in the same transaction as the rows it stored and the answers it queued; only then is it
moved. A collector killed between any two of these finds the row again: a claimed message is
worked on again (nothing of the first attempt was committed), a processed one is only moved.
A message that failed ``MAX_ATTEMPTS`` times is set aside for an officer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.db import utcnow
from models.inbox.mail import IncomingMessage
from models.inbox.tables import InboxFile, InboxMessage

MAX_ATTEMPTS = 3
# Each outcome as an officer reads it (the run's artifact, the CLI).
OUTCOME_LABELS = {
    "stored": "Đã tiếp nhận",
    "partial": "Tiếp nhận một phần",
    "duplicate": "Thư đã nhận trước đây",
    "seen_before": "Thư đã có trước đây (để cán bộ đọc)",
    "refused": "Không tiếp nhận: tệp có lỗi",
    "wrong_sender": "Không tiếp nhận: địa chỉ gửi không phải của đơn vị",
    "too_large": "Không tiếp nhận: thư quá lớn",
    "failed": "Lỗi xử lý, cần cán bộ xem",
    "empty": "Không có tệp hồ sơ (đã trả lời, để cán bộ đọc)",
    "correspondence": "Thư trao đổi (để cán bộ đọc)",
    "automatic": "Thư tự động (không trả lời)",
    "unknown_sender": "Địa chỉ không thuộc đơn vị nào (để cán bộ đọc)",
}


@dataclass(frozen=True, slots=True)
class Seen:
    """What the ledger knows of a message already met."""

    id: int
    state: str
    outcome: str | None
    attempts: int


def seen(session: Session, mailbox: str, uidvalidity: int, uids: Collection[int]) -> dict[int, Seen]:
    """The ledger's rows of these UIDs of the mailbox folder, by UID."""
    found: dict[int, Seen] = {}
    wanted = sorted(uids)
    for start in range(0, len(wanted), 1000):
        rows = session.execute(
            select(
                InboxMessage.uid,
                InboxMessage.id,
                InboxMessage.state,
                InboxMessage.outcome,
                InboxMessage.attempts,
            ).where(
                InboxMessage.mailbox == mailbox,
                InboxMessage.uidvalidity == uidvalidity,
                InboxMessage.uid.in_(wanted[start : start + 1000]),
            )
        )
        found.update({r.uid: Seen(r.id, r.state, r.outcome, r.attempts) for r in rows})
    return found


def claim(
    session: Session,
    cycle_id: int,
    where: tuple[str, int, int],
    message: IncomingMessage,
    raw: bytes | None,
    received_at: datetime,
    size: int,
) -> int:
    """Record the message at ``where`` (mailbox, UIDVALIDITY, UID) before anything is done with it,
    or count one more attempt at it; returns its ledger id."""
    mailbox, uidvalidity, uid = where
    row = session.scalar(
        select(InboxMessage).where(
            InboxMessage.mailbox == mailbox, InboxMessage.uidvalidity == uidvalidity, InboxMessage.uid == uid
        )
    )
    if row is None:
        row = InboxMessage(
            cycle_id=cycle_id,
            mailbox=mailbox,
            uidvalidity=uidvalidity,
            uid=uid,
            message_id=message.message_id,
            sender=message.sender,
            subject=message.subject,
            received_at=received_at,
            size=size,
            sha256=hashlib.sha256(raw).hexdigest() if raw is not None else None,
            raw=raw,
            state="received",
            attempts=0,
            note="",
            notices=0,
        )
        session.add(row)
    row.attempts += 1
    row.claimed_at = utcnow()
    session.flush()
    return row.id


def taken_before(session: Session, cycle_id: int, message_id: str, ledger_id: int) -> tuple[int, str] | None:
    """The ledger id and outcome of an earlier copy of this Message-ID already processed, if any
    (the same message delivered twice, put back in the folder, or met again under a new
    UIDVALIDITY)."""
    row = session.execute(
        select(InboxMessage.id, InboxMessage.outcome)
        .where(
            InboxMessage.cycle_id == cycle_id,
            InboxMessage.message_id == message_id,
            InboxMessage.id != ledger_id,
            InboxMessage.state.in_(("processed", "moved")),
        )
        .order_by(InboxMessage.id)
        .limit(1)
    ).first()
    return (row.id, str(row.outcome)) if row else None


def finish(
    session: Session,
    ledger_id: int,
    *,
    outcome: str,
    unit_id: int | None,
    note: str,
    notices: int,
    files: Sequence[InboxFile],
) -> None:
    """The message's outcome, its files and its answers, committed with what it stored."""
    row = session.get_one(InboxMessage, ledger_id)
    row.files = list(files)
    row.outcome, row.unit_id, row.note, row.notices = outcome, unit_id, note[:4000], notices
    row.state, row.processed_at, row.last_error = "processed", utcnow(), None


def give_up(session: Session, ledger_id: int, error: str) -> bool:
    """Keep why an attempt failed; after ``MAX_ATTEMPTS`` the message is set aside (True)."""
    row = session.get_one(InboxMessage, ledger_id)
    row.last_error = error[:4000]
    if row.attempts >= MAX_ATTEMPTS:
        row.state, row.outcome, row.processed_at = "failed", "failed", utcnow()
        return True
    return False


def mark_moved(session: Session, ids: Sequence[int], folder: str) -> None:
    """These messages are in ``folder`` now."""
    if ids:
        chosen = InboxMessage.id.in_(list(ids))
        session.execute(update(InboxMessage).where(chosen).values(folder=folder[:200], moved_at=utcnow()))
        processed = chosen & (InboxMessage.state == "processed")
        session.execute(update(InboxMessage).where(processed).values(state="moved"))
