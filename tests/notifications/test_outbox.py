"""The outbox on SQLite and PostgreSQL: queue once, claim once, leases, marks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from models.db import Notice, session_scope
from notifications.mail.outbox import claim_notices, mark_failed, mark_sent, message_id_for, release
from tests.notifications.conftest import DOMAIN, Queue, states

NOW = datetime(2024, 9, 1, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def test_queuing_twice_stores_once_with_a_fixed_message_id(engine: Engine, queue: Queue) -> None:
    """The dedupe key makes the second queueing a no-op; the Message-ID follows from the key."""
    first = queue(3)
    second = queue(3)
    assert first == second
    with session_scope(engine) as session:
        assert session.scalar(select(func.count(Notice.id))) == 3
        notice = session.get_one(Notice, first[0])
        assert notice.message_id == message_id_for(notice.dedupe_key, DOMAIN)
        assert notice.state == "queued"


def test_a_claimed_notice_is_not_claimed_again_until_its_lease_runs_out(engine: Engine, queue: Queue) -> None:
    """A crashed deliverer's notices come back after the lease, not before."""
    ids = queue(2)
    with session_scope(engine) as session:
        assert [n.id for n in claim_notices(session, 10, LEASE, NOW)] == ids
    with session_scope(engine) as session:
        assert claim_notices(session, 10, LEASE, NOW + timedelta(minutes=4)) == []
    with session_scope(engine) as session:
        again = claim_notices(session, 10, LEASE, NOW + timedelta(minutes=6))
    assert [n.id for n in again] == ids
    assert {attempts for _, attempts, _ in states(engine).values()} == {2}


def test_marks_set_the_final_state_and_keep_the_reason(engine: Engine, queue: Queue) -> None:
    """Sent, failed with the server's reply, or queued again with why."""
    ids = queue(3)
    with session_scope(engine) as session:
        claim_notices(session, 10, LEASE, NOW)
    with session_scope(engine) as session:
        mark_sent(session, [ids[0]], NOW)
        mark_failed(session, {ids[1]: "550 5.1.1 mailbox unavailable"})
        release(session, {ids[2]: "TransientFault: connection refused"})
    assert states(engine) == {
        ids[0]: ("sent", 1, None),
        ids[1]: ("failed", 1, "550 5.1.1 mailbox unavailable"),
        ids[2]: ("queued", 1, "TransientFault: connection refused"),
    }
    with session_scope(engine) as session:
        assert [n.id for n in claim_notices(session, 10, LEASE, NOW)] == [ids[2]]


def test_a_claim_takes_no_more_than_its_limit(engine: Engine, queue: Queue) -> None:
    """Three claims of 20 from 60 queued notices: 20 each, in order, no overlap."""
    ids = queue(60)
    batches = []
    for _ in range(3):
        with session_scope(engine) as session:
            batches.append([n.id for n in claim_notices(session, 20, LEASE, NOW)])
    assert batches == [ids[:20], ids[20:40], ids[40:]]


def test_claims_can_be_limited_to_one_cycle_and_skip_ids(engine: Engine, queue: Queue, cycle_id: int) -> None:
    """A run for one cycle takes only its notices, and never the ones it gave up on."""
    ids = queue(3)
    with session_scope(engine) as session:
        assert claim_notices(session, 10, LEASE, NOW, cycle_id=cycle_id + 1) == []
        claimed = claim_notices(session, 10, LEASE, NOW, cycle_id=cycle_id, skip={ids[1]})
    assert [n.id for n in claimed] == [ids[0], ids[2]]


def test_parallel_claims_never_take_the_same_notice(engine: Engine, queue: Queue) -> None:
    """Eight threads claiming small batches at once: every notice claimed exactly once."""
    ids = queue(200)
    taken: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with session_scope(engine) as session:
                batch = claim_notices(session, 7, LEASE, NOW)
            if not batch:
                return
            with lock:
                taken.extend(n.id for n in batch)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == ids
