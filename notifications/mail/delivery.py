"""Delivery: claim queued notices in batches, send them through the pool, record the outcome.

Each batch is claimed in its own transaction (so other deliverers skip it), sent concurrently
over the pool's reused connections, and marked in one more transaction. A notice refused for
good is ``failed`` with the server's reply; one that kept failing transiently goes back to
``queued`` with the reason, for the next run. A run ends when nothing is left to claim, or when a
whole batch failed transiently (the server is down: retrying at once would only spin).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from models.cycle import Cycle, CycleConfig
from models.db import session_scope
from models.errors import MailSetupFault, PermanentFault, TransientFault
from models.settings import SmtpSettings
from notifications.mail.messages import Sender, build_message
from notifications.mail.outbox import (
    OutgoingNotice,
    claim_notices,
    count_claimable,
    mark_failed,
    mark_sent,
    release,
)
from notifications.mail.sender import SmtpPool
from notifications.notices.drafting import resolve_attachments

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    released: int = 0
    stopped_early: bool = False


def _now() -> datetime:
    return datetime.now(UTC)


def _senders(engine: Engine, smtp: SmtpSettings) -> dict[int, Sender]:
    """The From of each cycle: the authority's name, replies to its Home Affairs office."""
    with session_scope(engine) as session:
        senders = {}
        for cycle in session.scalars(select(Cycle)):
            authority = CycleConfig.model_validate(cycle.config).authority
            senders[cycle.id] = Sender(smtp.sender, authority.name, authority.email)
    return senders


async def _send(
    pool: SmtpPool, notice: OutgoingNotice, sender: Sender, engine: Engine
) -> tuple[str, str] | None:
    """None when accepted, else ("refused" or "retry", the reason an officer reads)."""
    files = []
    if notice.attachments:
        with session_scope(engine) as session:
            files = resolve_attachments(session, notice.attachments)
    try:
        await pool.send(build_message(notice, sender, files, _now()))
    except MailSetupFault:
        raise
    except PermanentFault as fault:
        return "refused", f"máy chủ thư từ chối: {fault}"
    except TransientFault as fault:
        return "retry", f"lỗi tạm thời, sẽ gửi lại ở lần sau: {fault}"
    return None


async def deliver_notices(
    engine: Engine,
    smtp: SmtpSettings,
    *,
    cycle_id: int | None = None,
    batch_size: int = 100,
    lease: timedelta = timedelta(minutes=5),
    pool: SmtpPool | None = None,
    progress: Progress | None = None,
) -> DeliveryReport:
    """Deliver every claimable notice (of one cycle, or all); safe to run in parallel."""
    with session_scope(engine) as session:
        total = count_claimable(session, _now(), cycle_id)
    senders = _senders(engine, smtp)
    own_pool = pool is None
    pool = pool or SmtpPool(smtp)
    sent = failed = released = 0
    skip: set[int] = set()
    stopped = False
    try:
        while True:
            with session_scope(engine) as session:
                batch = claim_notices(session, batch_size, lease, _now(), cycle_id, skip)
            if not batch:
                break
            try:
                outcomes = await asyncio.gather(
                    *(_send(pool, n, senders.get(n.cycle_id, Sender(smtp.sender, "")), engine) for n in batch)
                )
            except MailSetupFault as fault:  # no notice can go: all stay queued, the run says why
                with session_scope(engine) as session:
                    release(session, {n.id: str(fault) for n in batch})
                raise
            done = [n.id for n, o in zip(batch, outcomes, strict=True) if o is None]
            refused = {n.id: o[1] for n, o in zip(batch, outcomes, strict=True) if o and o[0] == "refused"}
            retry = {n.id: o[1] for n, o in zip(batch, outcomes, strict=True) if o and o[0] == "retry"}
            with session_scope(engine) as session:
                mark_sent(session, done, _now())
                mark_failed(session, refused)
                release(session, retry)
            sent, failed, released = sent + len(done), failed + len(refused), released + len(retry)
            skip.update(retry)
            if progress:
                progress(sent + failed + released, max(total, sent + failed + released))
            if retry and len(retry) == len(batch):
                stopped = True
                break
    finally:
        if own_pool:
            await pool.close()
    return DeliveryReport(sent, failed, released, stopped)
