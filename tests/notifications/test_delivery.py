"""Delivery against real SMTP servers on 127.0.0.1, with the faults a mail server really has.

In every case each notice ends sent once or failed with the server's reply: none lost, none
doubled, except the accept-before-mark window, whose resend carries the same Message-ID (a
deliverer killed mid-run: ``test_delivery_crash``).
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from models.db import Notice, session_scope
from notifications.mail.delivery import DeliveryReport, deliver_notices
from notifications.mail.messages import Sender, build_message
from notifications.mail.outbox import claim_notices
from notifications.mail.sender import SmtpPool
from tests.notifications.conftest import Queue, smtp_at, states
from tests.notifications.smtp_servers import Recorder, free_port, smtp_server


def _deliver(engine: Engine, port: int, batch_size: int = 100) -> tuple[int, int, int, bool]:
    smtp = smtp_at(port, timeout=3)

    async def run() -> DeliveryReport:
        async with SmtpPool(smtp, backoff=0.05, max_backoff=0.5) as pool:
            return await deliver_notices(engine, smtp, pool=pool, batch_size=batch_size)

    report = asyncio.run(run())
    return report.sent, report.failed, report.released, report.stopped_early


def _message_ids(engine: Engine) -> set[str]:
    with session_scope(engine) as session:
        return set(session.scalars(select(Notice.message_id)))


def test_each_notice_arrives_once_in_vietnamese(engine: Engine, queue: Queue) -> None:
    """Subjects decode to the right Vietnamese; a second run sends nothing."""
    ids = queue(5)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        assert _deliver(engine, port) == (5, 0, 0, False)
        assert _deliver(engine, port) == (0, 0, 0, False)
    assert sorted(str(m["Subject"]) for m in recorder.messages) == [
        f"Xác nhận đã nhận đề xuất sáng kiến số {n}" for n in range(5)
    ]
    # Sent over four connections at once, so arrival order is not queue order.
    assert "UBND xã Thử Nghiệm 0 <donvi0@vinhlinh.example.org>" in {str(m["To"]) for m in recorder.messages}
    assert set(recorder.message_ids()) == _message_ids(engine)
    assert all(state == "sent" for state, _, _ in states(engine).values())
    assert len(ids) == 5


def test_a_server_that_answers_421_at_first_gets_every_message_once(engine: Engine, queue: Queue) -> None:
    """Temporary refusals are retried on a new connection until accepted."""
    queue(6)
    recorder = Recorder(temporary_failures=4)
    with smtp_server(recorder) as port:
        assert _deliver(engine, port) == (6, 0, 0, False)
    assert recorder.message_ids() == dict.fromkeys(_message_ids(engine), 1)
    assert recorder.attempts == 10


def test_a_connection_dropped_during_data_is_retried(engine: Engine, queue: Queue) -> None:
    """The server hangs up in the middle of DATA twice; nothing is lost or doubled."""
    queue(4)
    recorder = Recorder(drops_during_data=2)
    with smtp_server(recorder) as port:
        assert _deliver(engine, port) == (4, 0, 0, False)
    assert recorder.message_ids() == dict.fromkeys(_message_ids(engine), 1)


def test_a_server_down_for_a_few_seconds_is_waited_for(engine: Engine, queue: Queue) -> None:
    """Nothing listens for about a second; backoff retries until the server is up."""
    queue(3)
    recorder = Recorder()
    port = free_port()
    smtp = smtp_at(port, timeout=2)
    pool = SmtpPool(smtp, attempts=8, backoff=0.2, max_backoff=1.0)
    started = threading.Event()

    def late_server() -> None:
        time.sleep(1.0)
        with smtp_server(recorder, port):
            started.set()
            time.sleep(8)

    thread = threading.Thread(target=late_server, daemon=True)
    thread.start()
    report = asyncio.run(deliver_notices(engine, smtp, pool=pool))
    assert started.is_set()
    assert (report.sent, report.failed, report.released) == (3, 0, 0)
    assert recorder.message_ids() == dict.fromkeys(_message_ids(engine), 1)


def test_a_server_that_stays_down_leaves_notices_queued_with_the_reason(engine: Engine, queue: Queue) -> None:
    """No server at all: the run stops, every notice is queued again with why, none is lost."""
    queue(3)
    sent, failed, released, stopped = _deliver(engine, free_port())
    assert (sent, failed, stopped) == (0, 0, True)
    assert released == 3
    for state, attempts, error in states(engine).values():
        assert (state, attempts) == ("queued", 1)
        assert error
        assert error.startswith("lỗi tạm thời, sẽ gửi lại ở lần sau:")
        assert "Connect" in error or "refused" in error.lower()


def test_a_550_for_one_recipient_fails_that_notice_only(engine: Engine, queue: Queue) -> None:
    """The refused notice keeps the server's reply; the others go out."""
    ids = queue(4, recipients={2: "khongton@vinhlinh.example.org"})
    recorder = Recorder(refused_recipients={"khongton@vinhlinh.example.org"})
    with smtp_server(recorder) as port:
        assert _deliver(engine, port) == (3, 1, 0, False)
    final = states(engine)
    state, _, error = final[ids[2]]
    assert state == "failed"
    assert error is not None
    assert error.startswith("máy chủ thư từ chối: 550 5.1.1")
    assert "mailbox unavailable" in error
    assert [final[i][0] for i in (ids[0], ids[1], ids[3])] == ["sent"] * 3
    assert len(recorder.messages) == 3


def test_a_notice_without_an_address_is_failed_not_sent(engine: Engine, queue: Queue) -> None:
    """A unit with no e-mail: the notice is failed with that reason, and delivery skips it."""
    ids = queue(2, recipients={1: ""})
    recorder = Recorder()
    with smtp_server(recorder) as port:
        assert _deliver(engine, port) == (1, 0, 0, False)
    state, _, error = states(engine)[ids[1]]
    assert state == "failed"
    assert error is not None
    assert "chưa có địa chỉ thư điện tử" in error


def test_accept_before_mark_resends_with_the_same_message_id(engine: Engine, queue: Queue) -> None:
    """A deliverer dies after the server accepted but before the mark: the lease expires, the
    notice is sent again, and the copy carries the same Message-ID (so clients show one)."""
    (notice_id,) = queue(1)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        with session_scope(engine) as session:
            (claimed,) = claim_notices(session, 1, timedelta(seconds=1), datetime.now(UTC))
        smtp = smtp_at(port)

        async def send_without_marking() -> None:
            async with SmtpPool(smtp) as pool:
                await pool.send(build_message(claimed, Sender(smtp.sender, "UBND"), [], datetime.now(UTC)))

        asyncio.run(send_without_marking())
        assert _deliver(engine, port) == (0, 0, 0, False)  # the lease still holds
        time.sleep(1.2)
        assert _deliver(engine, port) == (1, 0, 0, False)
    (message_id,) = _message_ids(engine)
    assert recorder.message_ids() == {message_id: 2}
    assert states(engine)[notice_id] == ("sent", 2, None)


def test_two_deliverers_racing_send_each_notice_once(engine: Engine, queue: Queue) -> None:
    """Two deliverers at once on the same outbox (SKIP LOCKED on PostgreSQL): no doubles."""
    queue(120)
    recorder = Recorder(delay=0.01)
    results: list[tuple[int, int, int, bool]] = []
    start = threading.Barrier(2)

    def deliverer(port: int) -> None:
        start.wait()
        results.append(_deliver(engine, port, batch_size=10))

    with smtp_server(recorder) as port:
        threads = [threading.Thread(target=deliverer, args=(port,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(r[0] for r in results) == 120
    assert all(r[0] > 0 for r in results), results
    assert recorder.message_ids() == dict.fromkeys(_message_ids(engine), 1)
