"""What the mailbox tests share: the bundled 2024 cycle committed with its roster, the call's
workbook of a unit, one collector run, and what the outbox and the ledger then hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import undefer

from models.cycle import Unit, load_cycle_config, open_cycle
from models.db import Notice, session_scope
from models.imports import import_file
from models.inbox import InboxMessage
from models.settings import ImapSettings
from notifications.inbox import Collected, collect_replies
from notifications.notices.attachments import resolve_attachments
from tests.conftest import VINH_LINH
from tests.mail_replies import INITIATIVE, filled

VINH_THUY = ("19402", "xavinhthuy@vinhlinh.example.org")
VINH_O = ("19426", "xavinho@vinhlinh.example.org")
TU_PHAP = ("VL-TP", "tuphap@vinhlinh.example.org")


@pytest.fixture
def opened(engine: Engine) -> int:
    """The bundled 2024 cycle and its 34 units, committed (the collector opens its own sessions)."""
    config = load_cycle_config(VINH_LINH)
    with session_scope(engine) as session:
        cycle, _ = open_cycle(session, config, "test")
        import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="test")
        return cycle.id


def workbook(engine: Engine, cycle_id: int, unit: str, kind: str = "initiatives") -> bytes:
    """The workbook the call for proposals attached for ``unit``, as it was sent."""
    spec = {"kind": kind, "cycle_id": cycle_id, "unit_code": unit, "filename": f"{kind}-{unit}.xlsx"}
    with session_scope(engine) as session:
        return resolve_attachments(session, [spec])[0].content


def proposal(engine: Engine, cycle_id: int, unit: str, **changes: str) -> bytes:
    """The unit's initiatives workbook filled with one initiative (``changes`` to its cells)."""
    return filled(workbook(engine, cycle_id, unit), [{**INITIATIVE, **changes}])


def collect(
    engine: Engine, cycle_id: int, mailbox: ImapSettings, as_of: date = date(2024, 12, 31)
) -> Collected:
    """One collector run."""
    return collect_replies(engine, cycle_id, mailbox, as_of, "sangkien.example")


@dataclass(frozen=True)
class Queued:
    """A notice in the outbox, as the tests read it."""

    kind: str
    recipient: str | None
    unit: str | None
    subject: str
    text: str
    in_reply_to: str | None
    references: str | None


def outbox(engine: Engine) -> list[Queued]:
    """Every notice queued, oldest first."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Notice, Unit.code).outerjoin(Unit, Unit.id == Notice.unit_id).order_by(Notice.id)
        ).all()
        return [
            Queued(n.kind, n.recipient, code, n.subject, n.body_text, n.in_reply_to, n.thread_references)
            for n, code in rows
        ]


def ledger(engine: Engine) -> list[InboxMessage]:
    """The mailbox ledger's rows with their files, oldest first."""
    with session_scope(engine) as session:
        query = select(InboxMessage).options(undefer(InboxMessage.raw)).order_by(InboxMessage.id)
        return list(session.scalars(query).all())
