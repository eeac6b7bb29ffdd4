"""A deliverer killed at any moment doubles at most what it had in flight: one message per pooled
connection (``SANGKIEN_SMTP__CONNECTIONS``), counted by Message-ID at a real aiosmtpd server.

``sangkien notices deliver`` runs as the installed console script in its own process, against a
slow server (each message held 20 ms) running in the test's process, and is killed with SIGKILL
while the server is receiving. Nothing is mocked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from models.db import Notice, session_scope
from tests.notifications.conftest import Queue, states
from tests.notifications.smtp_servers import Recorder, smtp_server

SANGKIEN = Path(sys.executable).parent / "sangkien"
CONNECTIONS = 4
LEASE = 3.0
NOTICES = 500

pytestmark = pytest.mark.slow


def _env(engine: Engine, port: int, data: Path, lease: float = LEASE) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    return env | {
        "SANGKIEN_DATA_DIR": str(data),
        "SANGKIEN_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SANGKIEN_SMTP__HOST": "127.0.0.1",
        "SANGKIEN_SMTP__PORT": str(port),
        "SANGKIEN_SMTP__SENDER": "noivu@vinhlinh.example.org",
        "SANGKIEN_SMTP__TIMEOUT": "10",
        "SANGKIEN_SMTP__CONNECTIONS": str(CONNECTIONS),
        "SANGKIEN_SMTP__LEASE_SECONDS": str(lease),
    }


def _deliver(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SANGKIEN), "notices", "deliver"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _kill_when_received(env: dict[str, str], recorder: Recorder, received: int) -> int:
    """Start a deliverer, SIGKILL it once the server has ``received`` messages; how many it had."""
    child = subprocess.Popen(
        [str(SANGKIEN), "notices", "deliver"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while len(recorder.messages) < received and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the deliverer ended before it could be killed"
    return len(recorder.messages)


def _sent_message_ids(engine: Engine) -> set[str]:
    with session_scope(engine) as session:
        return set(session.scalars(select(Notice.message_id).where(Notice.state == "sent")))


def _doubled(recorder: Recorder) -> int:
    return sum(n - 1 for n in recorder.message_ids().values())


def test_sigkill_mid_delivery_doubles_at_most_the_pool(engine: Engine, queue: Queue, tmp_path: Path) -> None:
    """500 notices; SIGKILL after 150 arrived; after the lease a new run sends the rest. Every
    notice arrives, and at most one per connection (4) arrives twice, with the same Message-ID."""
    queue(NOTICES)
    recorder = Recorder(delay=0.02)
    with smtp_server(recorder) as port:
        env = _env(engine, port, tmp_path)
        at_kill = _kill_when_received(env, recorder, 150)
        assert 150 <= at_kill < NOTICES
        time.sleep(LEASE + 0.5)
        rerun = _deliver(env)
    assert rerun.returncode == 0, rerun.stderr
    assert {state for state, _, _ in states(engine).values()} == {"sent"}
    received = recorder.message_ids()
    assert set(received) == _sent_message_ids(engine)
    assert len(received) == NOTICES
    assert _doubled(recorder) <= CONNECTIONS
    assert max(received.values()) <= 2


def test_while_the_lease_holds_nobody_takes_the_dead_deliverers_notices(
    engine: Engine, queue: Queue, tmp_path: Path
) -> None:
    """A run started at once after the kill leaves the dead one's claimed batch alone (so it
    doubles nothing); once the lease runs out, the next run sends that batch, once. (The lease is
    longer here than the early run takes, console script start included: at 20 s, under a load
    average of 6, the early run outlived it and rightly took the batch.)"""
    queue(NOTICES)
    recorder = Recorder(delay=0.02)
    lease = 60.0  # far longer than the early run takes, even on a loaded machine
    with smtp_server(recorder) as port:
        env = _env(engine, port, tmp_path, lease)
        _kill_when_received(env, recorder, 50)
        early = _deliver(env)  # claims only what the dead deliverer had not claimed
        assert early.returncode == 0, early.stderr
        assert _doubled(recorder) == 0
        leased = {i for i, (state, _, _) in states(engine).items() if state == "sending"}
        assert leased, "the dead deliverer's batch should still be leased"
        with session_scope(engine) as session:
            until = session.scalar(select(func.max(Notice.lease_until)).where(Notice.id.in_(leased)))
        assert until is not None
        until = until if until.tzinfo else until.replace(tzinfo=UTC)  # SQLite keeps UTC, naive
        time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 0.5)
        late = _deliver(env)
    assert late.returncode == 0, late.stderr
    assert f"Đã gửi {len(leased)} thư" in late.stdout
    assert {state for state, _, _ in states(engine).values()} == {"sent"}
    assert len(recorder.message_ids()) == NOTICES
    assert _doubled(recorder) <= CONNECTIONS


def test_delivery_run_again_after_a_crash_sends_nothing_more(
    engine: Engine, queue: Queue, tmp_path: Path
) -> None:
    """Killed twice, then delivered to the end, then delivered twice more: every notice arrived,
    the two kills doubled at most one pool each, and the extra runs sent nothing."""
    queue(NOTICES)
    recorder = Recorder(delay=0.02)
    with smtp_server(recorder) as port:
        env = _env(engine, port, tmp_path)
        first = _kill_when_received(env, recorder, 100)
        time.sleep(LEASE + 0.5)
        _kill_when_received(env, recorder, first + 150)
        time.sleep(LEASE + 0.5)
        assert _deliver(env).returncode == 0
        arrived = len(recorder.messages)
        again = [_deliver(env), _deliver(env)]
    assert [run.returncode for run in again] == [0, 0]
    assert all("Đã gửi 0 thư" in run.stdout for run in again)
    assert len(recorder.messages) == arrived
    assert len(recorder.message_ids()) == NOTICES
    assert _doubled(recorder) <= 2 * CONNECTIONS
