"""Delivery: claim queued notices in batches, send them through the pool, record each outcome.

A batch is claimed in its own transaction (so other deliverers skip it) and sent by one worker
per pooled connection. Each worker has its message's outcome committed before it sends the next
one; the outcomes the workers hand in while a commit runs are committed together (never more
than the pool's connections at a time). So a deliverer killed at any moment leaves at most one
accepted but unmarked notice per connection, which the next run sends again under the same
Message-ID; the rest of its batch is claimed again when the lease runs out and sent once.

A notice refused for good is ``failed`` with the server's reply; one that kept failing
transiently goes back to ``queued`` with the reason, for the next run. A run ends when nothing is
left to claim, or when a whole batch failed transiently (the server is down: retrying at once
would only spin).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, text

from models.cycle import Cycle, CycleConfig
from models.db import session_scope
from models.errors import MailSetupFault, PermanentFault, TransientFault
from models.settings import SmtpSettings
from notifications.mail.messages import Attachment, Sender, build_message
from notifications.mail.outbox import (
    OutgoingNotice,
    claim_notices,
    count_claimable,
    mark_failed,
    mark_sent,
    release,
)
from notifications.mail.sender import SmtpPool
from notifications.notices.attachments import SendCache, resolve_attachments

Progress = Callable[[int, int], None]
Outcome = tuple[str, str] | None  # None when accepted, else ("refused" or "retry", the reason)


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


def _commit_outcomes(engine: Engine, outcomes: list[tuple[int, Outcome]]) -> None:
    with session_scope(engine) as session:
        if engine.dialect.name == "postgresql":
            # The mark survives the deliverer being killed once the server has it; only a crash
            # of the database server itself may lose the last marks (those notices go out again,
            # same Message-ID). Waiting for the disk on every mark halved the rate.
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        mark_sent(session, [i for i, o in outcomes if o is None], _now())
        mark_failed(session, {i: o[1] for i, o in outcomes if o and o[0] == "refused"})
        release(session, {i: o[1] for i, o in outcomes if o and o[0] == "retry"})


class _Ledger:
    """Group commit of outcomes: what the workers recorded while the previous commit ran."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pending: list[tuple[int, Outcome, asyncio.Future[None]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def record(self, notice_id: int, outcome: Outcome) -> None:
        """Return once the outcome is committed."""
        committed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((notice_id, outcome, committed))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())
        await committed

    async def _write(self) -> None:
        while self.pending:
            items, self.pending = self.pending, []
            try:
                # In a thread, so the other connections keep sending while the database writes.
                await asyncio.to_thread(_commit_outcomes, self.engine, [(i, o) for i, o, _ in items])
            except Exception as exc:  # noqa: BLE001 - handed to each waiting worker, which raises it
                for _, _, committed in items:
                    if not committed.done():
                        committed.set_exception(exc)
            else:
                for _, _, committed in items:
                    if not committed.done():
                        committed.set_result(None)


def _files(engine: Engine, notice: OutgoingNotice, cache: SendCache) -> list[Attachment]:
    """The notice's files; the database is opened only for what the run has not made yet."""
    if not notice.attachments:
        return []
    if cache.ready(notice.attachments):
        return cache.stamped(notice.attachments)
    with session_scope(engine) as session:
        return resolve_attachments(session, notice.attachments, cache)


async def _send(
    pool: SmtpPool, notice: OutgoingNotice, sender: Sender, engine: Engine, cache: SendCache
) -> Outcome:
    """Send one notice; its outcome (None when the server accepted it)."""
    files = _files(engine, notice, cache)
    try:
        await pool.send(build_message(notice, sender, files, _now()))
    except MailSetupFault:
        raise
    except PermanentFault as fault:
        return "refused", f"máy chủ thư từ chối: {fault}"
    except TransientFault as fault:
        return "retry", f"lỗi tạm thời, sẽ gửi lại ở lần sau: {fault}"
    return None


async def _deliver_batch(
    batch: list[OutgoingNotice],
    pool: SmtpPool,
    ledger: _Ledger,
    sender_of: Callable[[OutgoingNotice], Sender],
    engine: Engine,
    cache: SendCache,
) -> dict[int, Outcome]:
    """Send a claimed batch, one worker per connection; the outcome of each notice recorded."""
    todo = deque(batch)
    outcomes: dict[int, Outcome] = {}
    # Transient failures in a row, across connections: when every connection has failed after
    # its retries, the server is down and the rest of the batch is not tried (it stays queued).
    streak: list[Outcome] = []

    async def worker() -> None:
        while todo:
            notice = todo.popleft()
            try:
                outcome = await _send(pool, notice, sender_of(notice), engine, cache)
                await ledger.record(notice.id, outcome)
            except BaseException:
                todo.clear()  # the others finish the message they hold, then stop
                raise
            outcomes[notice.id] = outcome
            streak[:] = [*streak, outcome] if outcome and outcome[0] == "retry" else []
            if len(streak) >= pool.size:
                todo.clear()

    results = await asyncio.gather(
        *(worker() for _ in range(min(pool.size, len(batch)))), return_exceptions=True
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        setup = next((e for e in errors if isinstance(e, MailSetupFault)), None)
        if setup is not None:  # no notice can go: those not sent stay queued, the run says why
            with session_scope(engine) as session:
                release(session, {n.id: str(setup) for n in batch if n.id not in outcomes})
        raise setup or errors[0]
    untried = {n.id: streak[-1][1] for n in batch if n.id not in outcomes and streak and streak[-1]}
    if untried:
        with session_scope(engine) as session:
            release(session, untried)
        outcomes.update({i: ("retry", reason) for i, reason in untried.items()})
    return outcomes


async def deliver_notices(
    engine: Engine,
    smtp: SmtpSettings,
    *,
    cycle_id: int | None = None,
    batch_size: int = 100,
    lease: timedelta | None = None,
    pool: SmtpPool | None = None,
    progress: Progress | None = None,
    cache: SendCache | None = None,
) -> DeliveryReport:
    """Deliver every claimable notice (of one cycle, or all); safe to run in parallel."""
    lease = lease or timedelta(seconds=smtp.lease_seconds)
    with session_scope(engine) as session:
        total = count_claimable(session, _now(), cycle_id)
    senders = _senders(engine, smtp)
    fallback = Sender(smtp.sender, "")
    own_pool = pool is None
    pool = pool or SmtpPool(smtp)
    ledger = _Ledger(engine)
    cache = cache or SendCache()
    sent = failed = released = 0
    skip: set[int] = set()
    stopped = False
    try:
        while True:
            with session_scope(engine) as session:
                batch = claim_notices(session, batch_size, lease, _now(), cycle_id, skip)
            if not batch:
                break
            outcomes = await _deliver_batch(
                batch, pool, ledger, lambda n: senders.get(n.cycle_id, fallback), engine, cache
            )
            retry = {i for i, o in outcomes.items() if o and o[0] == "retry"}
            sent += sum(1 for o in outcomes.values() if o is None)
            failed += sum(1 for o in outcomes.values() if o and o[0] == "refused")
            released += len(retry)
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
