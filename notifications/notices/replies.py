"""Answers to a unit's message in the authority's mailbox, threaded to it.

A stored file gets the receipt every intake gets; a refused file a reply listing each error as
the CLI prints it; a message with no usable file a short reply saying what to send; a file sent
from an address that is not the unit's, a notice to the unit's registered address (never to the
sender: a forged From must not get an answer). Each milestone names the incoming message (the
digest of its Message-ID), so the outbox queues each answer once, however often the collector
runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models.cycle import Cycle, Unit
from models.inbox import IncomingMessage
from models.tracking import cycle_obligations
from notifications.mail.outbox import NoticeDraft, Thread
from notifications.notices.drafting import base_context, draft, receipts
from notifications.notices.kinds import NoticeKind


def message_digest(message_id: str) -> str:
    """A short, stable name of an incoming message for dedupe milestones."""
    return hashlib.sha256(message_id.encode()).hexdigest()[:16]


def thread_of(message: IncomingMessage) -> Thread | None:
    """In-Reply-To and References of an answer to ``message`` (None when it has no Message-ID of
    its own to answer to)."""
    return Thread(message.message_id, message.thread_references) if message.threadable else None


def _facts(cycle: Cycle, message: IncomingMessage, received_on: date) -> dict[str, Any]:
    return {**base_context(cycle), "received_on": received_on, "original_subject": message.subject}


def mail_receipts(
    session: Session, cycle: Cycle, message: IncomingMessage, stored: Sequence[tuple[str, Sequence[int]]]
) -> list[NoticeDraft]:
    """The receipt of each stored file (kind, new row ids), to the sender, threaded."""
    digest, thread = message_digest(message.message_id), thread_of(message)
    drafts = []
    for kind, ids in stored:
        for made in receipts(session, cycle, kind, ids):
            drafts.append(
                replace(made, milestone=f"mail-{digest}-{kind}", recipient=message.sender, thread=thread)
            )
    return drafts


def refused_reply(
    cycle: Cycle,
    message: IncomingMessage,
    unit: Unit,
    received_on: date,
    errors: Sequence[str],
    stored_files: Sequence[str],
) -> NoticeDraft:
    """What was not taken in and how to fix it, to the sender (a known address of ``unit``)."""
    facts = {
        **_facts(cycle, message, received_on),
        "errors": list(errors),
        "stored_files": list(stored_files),
    }
    return replace(
        draft(
            cycle,
            NoticeKind.MAIL_REFUSED,
            f"mail-{message_digest(message.message_id)}-refused",
            message.sender,
            unit.name,
            facts,
            unit_id=unit.id,
        ),
        thread=thread_of(message),
    )


def empty_reply(
    cycle: Cycle, message: IncomingMessage, unit: Unit, received_on: date, ignored: Sequence[str]
) -> NoticeDraft:
    """What to send, to a unit whose message carried no usable file."""
    config = cycle.configuration
    workbooks = [
        {
            "filename": workbook.filename.format(year=cycle.year, unit=unit.code),
            "what": ob.labels.notice,
        }
        for ob in cycle_obligations(cycle)
        if ob.owed(unit.kind, config) and (workbook := ob.kind.workbook) is not None
    ]
    facts = {**_facts(cycle, message, received_on), "ignored": list(ignored), "workbooks": workbooks}
    return replace(
        draft(
            cycle,
            NoticeKind.MAIL_EMPTY,
            f"mail-{message_digest(message.message_id)}-empty",
            message.sender,
            unit.name,
            facts,
            unit_id=unit.id,
        ),
        thread=thread_of(message),
    )


def wrong_sender_notice(
    cycle: Cycle, message: IncomingMessage, unit: Unit, received_on: date, files: Sequence[str]
) -> NoticeDraft:
    """To ``unit``'s registered address: its files came from an address that is not its own."""
    facts = {
        **_facts(cycle, message, received_on),
        "sender": message.sender or "(không rõ)",
        "files": list(files),
        "registered": unit.email or "(chưa đăng ký)",
    }
    return draft(
        cycle,
        NoticeKind.MAIL_WRONG_SENDER,
        f"mail-{message_digest(message.message_id)}-sender-{unit.code}"[:64],
        unit.email,
        unit.name,
        facts,
        unit_id=unit.id,
    )
