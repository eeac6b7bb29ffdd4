"""Fixtures for delivery tests: a committed cycle and plain notices queued in the outbox.

Delivery opens its own sessions, so these fixtures commit (the ``engine`` fixture empties the
PostgreSQL tables after each test and gives SQLite a fresh file).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from models.cycle import load_cycle_config, open_cycle
from models.db import Notice, session_scope
from models.settings import SmtpSettings
from notifications.mail.outbox import NoticeDraft, queue_notices
from tests.conftest import VINH_LINH

DOMAIN = "test.sangkien.example"
Queue = Callable[..., list[int]]


@pytest.fixture
def cycle_id(engine: Engine) -> int:
    """The bundled 2024 cycle, committed (no roster: notices here need none)."""
    with session_scope(engine) as session:
        cycle, _ = open_cycle(session, load_cycle_config(VINH_LINH), "test")
        return cycle.id


@pytest.fixture
def queue(engine: Engine, cycle_id: int) -> Queue:
    """Queue ``count`` plain notices (recipient n@…); returns their ids in order."""

    def _queue(count: int, *, first: int = 0, recipients: dict[int, str] | None = None) -> list[int]:
        drafts = [
            NoticeDraft(
                cycle_id=cycle_id,
                kind="receipt",
                milestone=f"test-{n}",
                recipient=(recipients or {}).get(n, f"donvi{n}@vinhlinh.example.org"),
                recipient_name=f"UBND xã Thử Nghiệm {n}",
                subject=f"Xác nhận đã nhận đề xuất sáng kiến số {n}",
                text=f"Kính gửi: UBND xã Thử Nghiệm {n}\n\nĐã nhận.\n",
                html=f"<p>Kính gửi: UBND xã Thử Nghiệm {n}</p>",
                member_id=None,
                unit_id=None,
            )
            for n in range(first, first + count)
        ]
        with session_scope(engine) as session:
            queue_notices(session, drafts, DOMAIN)
            keys = [d.dedupe_key for d in drafts]
            rows = session.execute(select(Notice.id, Notice.dedupe_key).where(Notice.dedupe_key.in_(keys)))
            by_key = {key: notice_id for notice_id, key in rows}
        return [by_key[k] for k in keys]

    return _queue


def smtp_at(port: int, timeout: float = 5.0) -> SmtpSettings:
    """Settings for a test server on 127.0.0.1."""
    return SmtpSettings(host="127.0.0.1", port=port, sender="noivu@vinhlinh.example.org", timeout=timeout)


def states(engine: Engine) -> dict[int, tuple[str, int, str | None]]:
    """Each notice's (state, attempts, last_error)."""
    with session_scope(engine) as session:
        return {
            row.id: (row.state, row.attempts, row.last_error)
            for row in session.execute(select(Notice.id, Notice.state, Notice.attempts, Notice.last_error))
        }
